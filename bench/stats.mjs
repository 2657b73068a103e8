// Percentiles over samples (nearest rank).
export const pct = (xs, p) => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.floor(s.length * p))]; };
export const median = (xs) => pct(xs, 0.5);
export const summary = (xs) => ({ p50: pct(xs, 0.5), p99: pct(xs, 0.99) });

// The report's chart: per-call p50 latency by client, and the gzip size of each build,
// drawn as SVG and rendered to PNG by headless Chromium.
import { launchChromium } from '../tests/browser/chromium.mjs';

const COLORS = { raw: '#9aa5b1', wasm: '#2b6cb0', official: '#dd6b20' };

function bars({ x, y, w, h, title, unit, groups, series, labels, line }) {
  const max = Math.max(...groups.flatMap((g) => series.map((s) => g.values[s] ?? 0)), line?.value ?? 0) * 1.15;
  const gw = w / groups.length, bw = (gw * 0.7) / series.length;
  const Y = (v) => y + h - (v / max) * h;
  let svg = `<text x="${x}" y="${y - 14}" font-weight="bold">${title}</text>`;
  svg += `<line x1="${x}" y1="${y + h}" x2="${x + w}" y2="${y + h}" stroke="#333"/>`;
  groups.forEach((g, i) => {
    series.forEach((s, j) => {
      const v = g.values[s];
      if (v === undefined) return;
      const bx = x + i * gw + gw * 0.15 + j * bw;
      svg += `<rect x="${bx}" y="${Y(v)}" width="${bw - 2}" height="${y + h - Y(v)}" fill="${COLORS[s]}"/>`;
      svg += `<text x="${bx + bw / 2 - 1}" y="${Y(v) - 4}" font-size="10" text-anchor="middle">${v.toFixed(v < 10 ? 2 : 0)}</text>`;
    });
    svg += `<text x="${x + i * gw + gw / 2}" y="${y + h + 16}" font-size="11" text-anchor="middle">${g.label}</text>`;
  });
  if (line) svg += `<line x1="${x}" x2="${x + w}" y1="${Y(line.value)}" y2="${Y(line.value)}" stroke="#c53030" stroke-dasharray="5 4"/><text x="${x + w}" y="${Y(line.value) - 4}" font-size="10" fill="#c53030" text-anchor="end">${line.label}</text>`;
  svg += `<text x="${x}" y="${y + h + 32}" font-size="10" fill="#555">${unit}</text>`;
  series.forEach((s, j) => {
    svg += `<rect x="${x + w - 300 + j * 100}" y="${y + h + 24}" width="10" height="10" fill="${COLORS[s]}"/><text x="${x + w - 286 + j * 100}" y="${y + h + 33}" font-size="10">${labels[s]}</text>`;
  });
  return svg;
}

export async function renderChart(r, official, path) {
  const labels = { raw: 'raw fetch', wasm: 'daytona-wasm', official };
  const latency = bars({
    x: 40, y: 40, w: 560, h: 220, title: 'Per-call latency, p50', unit: 'ms (lower is better)',
    series: ['raw', 'wasm', 'official'], labels,
    groups: Object.entries(r.calls).map(([op, c]) => ({ label: op, values: { raw: c.raw.p50, wasm: c.wasm.p50, official: c.official.p50 } })),
  });
  const kib = (b) => (b.built === 'yes' ? b.gzip / 1000 : undefined);
  const size = bars({
    x: 680, y: 40, w: 360, h: 220, title: 'Small app bundle, gzip', unit: 'KB (budget: dashed)',
    series: ['wasm', 'official'], labels: { wasm: 'daytona-wasm', official },
    groups: ['browser', 'worker'].map((t) => ({ label: `${t}${r.bundles[official][t].loads === 'yes' ? '' : ' (official: does not run)'}`,
      values: { wasm: kib(r.bundles['daytona-wasm'][t]), official: kib(r.bundles[official][t]) } })),
    line: { value: 130, label: 'budget 130 KB' },
  });
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="1080" height="310" font-family="sans-serif" font-size="12"><rect width="100%" height="100%" fill="#fff"/>${latency}${size}</svg>`;
  const browser = await launchChromium();
  try {
    const page = await browser.newPage({ viewport: { width: 1080, height: 310 } });
    await page.setContent(`<body style="margin:0">${svg}</body>`);
    await page.locator('svg').screenshot({ path });
  } finally {
    await browser.close();
  }
}

// Which Daytona API the demo talks to: daytona-local's URL and key from `config.json` (written
// by scripts/main.sh next to the built page), or what the person typed earlier in this tab (sessionStorage, so the key does not outlive it).
import { Daytona } from 'daytona-wasm';

const STORAGE_KEY = 'daytona-demo-connection';

export async function savedConnection() {
  const stored = JSON.parse(sessionStorage.getItem(STORAGE_KEY) ?? 'null');
  if (stored) return stored;
  try {
    const response = await fetch('./config.json');
    if (response.ok) return await response.json();
  } catch { /* no config.json: the person types the URL and key */ }
  return { apiUrl: '', apiKey: '' };
}

/** A client for `apiUrl`, checked with one request so a wrong key or a down server shows now. */
export async function connect({ apiUrl, apiKey }) {
  const daytona = new Daytona({ apiUrl, apiKey });
  await daytona.list({}, 1, 1);
  sessionStorage.setItem(STORAGE_KEY, JSON.stringify({ apiUrl, apiKey }));
  return daytona;
}

// daytona-local under load: `clients` clients at once, each with its own Daytona instance,
// creating a sandbox and running `commands` commands in it, then deleting it. Every error
// is counted (the target is zero).
import { summary } from './stats.mjs';

export async function measureConcurrency({ Daytona, server, clients = 50, commands = 20 }) {
  const latencies = [];
  const errors = [];
  const t0 = performance.now();
  await Promise.all(Array.from({ length: clients }, async (_, c) => {
    const daytona = new Daytona({ apiKey: server.apiKey, apiUrl: server.apiUrl });
    let sandbox;
    try {
      sandbox = await daytona.create({ labels: { bench: 'concurrency' } });
      for (let i = 0; i < commands; i++) {
        const t = performance.now();
        const r = await sandbox.process.executeCommand(`echo ${c}-${i}`);
        latencies.push(performance.now() - t);
        if (r.exitCode !== 0 || r.result !== `${c}-${i}\n`) errors.push(`client ${c} command ${i}: ${JSON.stringify(r)}`);
      }
    } catch (e) {
      errors.push(`client ${c}: ${e.name}: ${e.message}`);
    } finally {
      await sandbox?.delete().catch((e) => errors.push(`client ${c} delete: ${e.message}`));
    }
  }));
  return { clients, commands, seconds: (performance.now() - t0) / 1000, ran: latencies.length, errors, ...summary(latencies) };
}

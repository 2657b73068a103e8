// Quickstart: the sandbox lifecycle with daytona-wasm, printing each step.
// Run with DAYTONA_API_URL and DAYTONA_API_KEY set (scripts/main.sh does this for you).
import { Daytona } from '../pkg/node.mjs';

const daytona = new Daytona(); // reads DAYTONA_API_KEY / DAYTONA_API_URL / DAYTONA_TARGET
const step = (msg) => console.log(`• ${msg}`);

const sandbox = await daytona.create({ labels: { example: 'quickstart' }, autoStopInterval: 15 });
step(`created sandbox ${sandbox.id} (${sandbox.state}, ${sandbox.cpu} cpu, ${sandbox.memory} GiB memory, ${sandbox.disk} GiB disk)`);

const page = await daytona.list({ example: 'quickstart' });
step(`listed ${page.total} sandbox(es) labelled example=quickstart: ${page.items.map((s) => s.id).join(', ')}`);

const run = await sandbox.process.executeCommand('echo "hello from $(uname -s)"');
step(`ran a command: exit ${run.exitCode}, output ${JSON.stringify(run.result)}`);

await sandbox.fs.uploadFile(new TextEncoder().encode('print(sum(range(10)))\n'), 'hello.py');
const code = await sandbox.process.executeCommand('python3 hello.py');
step(`uploaded hello.py and ran it: ${code.result.trim()}`);

await sandbox.stop();
step(`stopped: ${sandbox.state}`);

await sandbox.start();
step(`started again: ${sandbox.state}`);

await sandbox.delete();
step(`deleted sandbox ${sandbox.id}`);

// Lifecycle as users write it for today's official SDK: config from the environment, create
// with labels, the async-iterator list with a query, stop/start, labels, delete.
import { Daytona, SandboxState, DaytonaNotFoundError } from '@daytonaio/sdk';

const daytona = new Daytona();
const run = process.env.COMPAT_RUN!;
const sandbox = await daytona.create({ language: 'python', labels: { compat: run, app: 'lifecycle' }, autoStopInterval: 30 });
console.log('created', sandbox.state === SandboxState.STARTED, sandbox.labels.app, sandbox.autoStopInterval);

let listed = 0;
for await (const sb of daytona.list({ labels: { compat: run }, states: [SandboxState.STARTED] })) {
  if (sb.id === sandbox.id) listed++;
}
console.log('listed', listed);

await sandbox.stop();
console.log('stopped', sandbox.state);
await sandbox.start();
console.log('started', sandbox.state);
const labels = await sandbox.setLabels({ compat: run, app: 'renamed' });
console.log('labels', labels.app);
const found = await daytona.get(sandbox.id);
console.log('get', found.id === sandbox.id, found.labels.app);
console.log('home', await sandbox.getUserHomeDir());
await sandbox.delete();
try {
  await daytona.get(sandbox.id);
} catch (e) {
  console.log('gone', e instanceof DaytonaNotFoundError, (e as DaytonaNotFoundError).statusCode);
}

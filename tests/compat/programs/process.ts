// Commands, code with a chart, and a session, as users write them for the official SDK.
import { Daytona, ChartType } from '@daytonaio/sdk';

const daytona = new Daytona();
const sandbox = await daytona.create({ language: 'python', labels: { compat: process.env.COMPAT_RUN!, app: 'process' } });
try {
  const ls = await sandbox.process.executeCommand('echo "$GREETING from $(pwd)"', undefined, { GREETING: 'hi' });
  console.log('exec', ls.exitCode, ls.result.trim());
  const fail = await sandbox.process.executeCommand('exit 3');
  console.log('exit', fail.exitCode);
  const code = await sandbox.process.codeRun('import sys\nprint(sum(range(10)), sys.argv[1:])', { argv: ['x'] });
  console.log('code', code.exitCode, code.result.trim());
  const chart = await sandbox.process.codeRun('import matplotlib.pyplot as plt\nplt.plot([1, 2], [3, 4])\nplt.title("T")\nplt.show()');
  const c = chart.artifacts?.charts?.[0];
  console.log('chart', c?.type === ChartType.LINE, c?.title);

  await sandbox.process.createSession('work');
  await sandbox.process.executeSessionCommand('work', { command: 'export N=41' });
  const r = await sandbox.process.executeSessionCommand('work', { command: 'echo $((N + 1))' });
  console.log('session', r.exitCode, r.output?.trim());
  const bg = await sandbox.process.executeSessionCommand('work', { command: 'echo out; echo err >&2', runAsync: true });
  let out = '', err = '';
  await sandbox.process.getSessionCommandLogs('work', bg.cmdId!, (s) => (out += s), (s) => (err += s));
  console.log('logs', out.trim(), err.trim());
  const session = await sandbox.process.getSession('work');
  console.log('commands', session.commands?.length);
  await sandbox.process.deleteSession('work');
} finally {
  await sandbox.delete();
}

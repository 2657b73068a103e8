// A terminal, as users drive one with the official SDK: bytes in, bytes out, exit code.
import { Daytona } from '@daytonaio/sdk';

const daytona = new Daytona();
const sandbox = await daytona.create({ labels: { compat: process.env.COMPAT_RUN!, app: 'pty' } });
try {
  const decoder = new TextDecoder();
  let seen = '';
  const pty = await sandbox.process.createPty({
    id: 'compat-pty',
    cols: 100,
    rows: 30,
    onData: (data: Uint8Array) => {
      seen += decoder.decode(data, { stream: true });
    },
  });
  await pty.waitForConnection();
  await pty.sendInput('echo "pty $((6 * 7))"\n');
  for (let i = 0; i < 100 && !seen.includes('pty 42'); i++) await new Promise((r) => setTimeout(r, 50));
  console.log('echoed', seen.includes('pty 42'));
  await pty.resize(120, 40);
  await pty.sendInput('exit 7\n');
  const result = await pty.wait();
  console.log('exit', result.exitCode);
  const info = await sandbox.process.getPtySessionInfo('compat-pty');
  console.log('info', info.id, info.cols, info.rows);
} finally {
  await sandbox.delete();
}

// Code written as for @daytonaio/sdk, with only the import changed, must type-check under
// --strict against our index.d.ts. `@ts-expect-error` lines prove the types are not `any`.
import {
  Daytona, Sandbox, SandboxState, CodeLanguage, DaytonaError, DaytonaNotFoundError, DaytonaTimeoutError,
  type DaytonaConfig, type CreateSandboxFromImageParams, type PaginatedSandboxes, type DownloadProgress, type DownloadStreamOptions,
} from 'daytona-wasm';

const config: DaytonaConfig = { apiKey: 'k', apiUrl: 'http://127.0.0.1:3986/api', target: 'local' };
const daytona = new Daytona(config);

export async function main(): Promise<void> {
  const sb: Sandbox = await daytona.create({ language: CodeLanguage.TYPESCRIPT, envVars: { A: '1' }, labels: { a: 'b' } }, { timeout: 60 });
  const fromImage: CreateSandboxFromImageParams = { image: 'debian:12', resources: { cpu: 2, memory: 4, disk: 8 } };
  await daytona.create(fromImage, 120);
  const id: string = sb.id;
  const labels: Record<string, string> = sb.labels;
  const started: boolean = sb.state === SandboxState.STARTED;
  const cpu: number = sb.cpu;
  await sb.stop();
  await sb.start(30);
  await sb.resize({ cpu: 2, memory: 4 });
  await sb.setLabels({ x: 'y' });
  await sb.setAutostopInterval(0);
  await sb.setAutoArchiveInterval(60);
  await sb.setAutoDeleteInterval(-1);
  await sb.refreshData();
  await sb.refreshActivity();
  await sb.archive();
  await sb.recover();
  await sb.waitUntilStarted(10);
  await sb.waitUntilStopped(10);
  await sb.delete(60);
  const page: PaginatedSandboxes = await daytona.list({ a: 'b' }, 1, 10);
  const first: Sandbox | undefined = page.items[0];
  await daytona.findOne({ labels: { a: 'b' } });
  await daytona.get('name');
  await daytona.start(sb, 60);
  await daytona.stop(sb);
  await daytona.delete(sb);
  try {
    await daytona.get('x');
  } catch (e) {
    if (e instanceof DaytonaNotFoundError) { const s: number | undefined = e.statusCode; void s; }
    if (e instanceof DaytonaTimeoutError || e instanceof DaytonaError) { const m: string = e.message; void m; }
  }
  void [id, labels, started, cpu, first];

  // @ts-expect-error resize takes an object
  await sb.resize(2);
  // @ts-expect-error labels are strings
  await sb.setLabels({ x: 1 });
  // @ts-expect-error unknown language type
  await daytona.create({ language: 42 });
}

export async function files(sb: Sandbox): Promise<void> {
  await sb.fs.uploadFile(new Uint8Array([1]), 'a.bin');
  await sb.fs.uploadFile(new Blob(['x']), 'b.txt', 60);
  const bytes: Uint8Array = await sb.fs.downloadFile('a.bin');
  const nothing: void = await sb.fs.downloadFile('a.bin', '/tmp/a.bin');
  const stream: ReadableStream<Uint8Array> = await sb.fs.downloadFileStream('a.bin');
  const progress: DownloadProgress[] = [];
  const options: DownloadStreamOptions = { onProgress: (p) => progress.push(p), signal: AbortSignal.timeout(1000), timeout: 60 };
  await sb.fs.downloadFileStream('a.bin', options);
  await sb.fs.downloadFileStream('a.bin', 60);
  const results = await sb.fs.downloadFiles([{ source: 'a.bin' }, { source: 'b.txt', destination: '/tmp/b' }]);
  const firstError: string | undefined = results[0].error;
  const listing = await sb.fs.listFiles('.');
  const isDir: boolean = listing[0].isDir;
  const { sha } = await sb.git.commit('repo', 'msg', 'me', 'me@x');
  const st = await sb.git.status('repo');
  const ahead: number | undefined = st.ahead;
  void [bytes, nothing, stream, firstError, isDir, sha, ahead];
  // @ts-expect-error listFiles takes a path
  await sb.fs.listFiles(1);
}

export async function processes(sb: Sandbox): Promise<void> {
  const r = await sb.process.executeCommand('ls', 'dir', { A: 'b' }, 10);
  const code: number = r.exitCode;
  const run = await sb.process.codeRun('print(1)', { argv: ['x'] });
  const charts = run.artifacts?.charts ?? [];
  await sb.process.createSession('s');
  const cmd = await sb.process.executeSessionCommand('s', { command: 'ls', runAsync: true });
  const logs = await sb.process.getSessionCommandLogs('s', cmd.cmdId!);
  const out: string | undefined = logs.stdout;
  const streamed: void = await sb.process.getSessionCommandLogs('s', cmd.cmdId!, (c) => console.log(c), (c) => console.error(c));
  const pty = await sb.process.createPty({ id: 'p', cols: 80, rows: 24, onData: (d: Uint8Array) => void d });
  await pty.waitForConnection();
  await pty.sendInput('ls\n');
  const res = await pty.wait();
  const exit: number | undefined = res.exitCode;
  const ctx = await sb.codeInterpreter.createContext();
  const result = await sb.codeInterpreter.runCode('print(1)', { context: ctx, onStdout: (m) => console.log(m.output), timeout: 5 });
  const stdout: string = result.stdout;
  void [code, charts, out, streamed, exit, stdout];
  // @ts-expect-error onData is required
  await sb.process.createPty({ id: 'q' });
}

// The lifecycle every non-Node runtime test drives through the package (browser page,
// Worker), returning what it saw; EXPECTED_STEPS is what a correct run sees.
export const EXPECTED_STEPS = [
  ['create', 'started'],
  ['list', 1],
  ['iterated', 1],
  ['dirs', '/home/daytona', '/home/daytona', '/home/daytona'],
  ['stop', 'stopped'],
  ['start', 'started'],
  ['resize', 2],
  ['deleted', true, 404],
  ['auth', true, 'DaytonaAuthenticationError'],
  ['no-credentials', true],
];

export async function runLifecycle(sdk, { apiUrl, apiKey, runtime }) {
  const { Daytona, DaytonaNotFoundError, DaytonaError, DaytonaAuthenticationError } = sdk;
  const steps = [];
  const daytona = new Daytona({ apiKey, apiUrl });
  const sb = await daytona.create({ labels: { runtime } });
  steps.push(['create', sb.state]);
  steps.push(['list', (await daytona.list({ runtime })).total]);
  let iterated = 0;
  for await (const item of daytona.list({ labels: { runtime }, sort: 'name', order: 'asc' })) iterated += item.id === sb.id ? 1 : 0;
  steps.push(['iterated', iterated]);
  steps.push(['dirs', await sb.getUserHomeDir(), await sb.getWorkDir(), await sb.getUserRootDir()]);
  await sb.stop();
  steps.push(['stop', sb.state]);
  await sb.start();
  steps.push(['start', sb.state]);
  await sb.resize({ cpu: 2 });
  steps.push(['resize', sb.cpu]);
  await sb.delete();
  const gone = await daytona.get(sb.id).catch((e) => e);
  steps.push(['deleted', gone instanceof DaytonaNotFoundError && gone instanceof DaytonaError, gone.statusCode]);
  const denied = await new Daytona({ apiKey: 'wrong', apiUrl }).list().catch((e) => e);
  steps.push(['auth', denied instanceof DaytonaAuthenticationError, denied.name]);
  let noCredentials;
  try { new Daytona({ apiUrl }); } catch (e) { noCredentials = e; }
  steps.push(['no-credentials', noCredentials instanceof DaytonaAuthenticationError]);
  return steps;
}

const bytes = (n, seed = 1) => Uint8Array.from({ length: n }, (_, i) => (i * 31 + seed) % 256);
const same = (a, b) => a.length === b.length && a.every((v, i) => v === b[i]);
const text = (s) => new TextEncoder().encode(s);
/** Reads a web stream to its end; gives its length in bytes. */
async function drain(stream) {
  const reader = stream.getReader();
  for (let n = 0; ;) {
    const { done, value } = await reader.read();
    if (done) return n;
    n += value.length;
  }
}

export const EXPECTED_FILE_STEPS = [
  ['round-trip', 'empty.bin', 0, true],
  ['round-trip', 'binary.bin', 70001, true],
  ['round-trip', '/tmp/ünïcødé ✓.txt', 13, true],
  ['round-trip', 'big/three-mib.bin', 3145731, true],
  ['blob-and-stream', true, true],
  ['bulk', 'one', 404, 'FILE_NOT_FOUND', 'two'],
  ['list', [['notes.md', false], ['src', true]]],
  ['details', '0640', '-rw-r-----'],
  ['find', [['/home/daytona/proj/notes.md', 1], ['/home/daytona/proj/src/main.ts', 2]]],
  ['search', ['/home/daytona/proj/src/main.ts']],
  ['replace', true, 'const a = 1;\n// TODO: fix\n'],
  ['move-delete', true, true],
  ['stream', 3145731],
  ['stream-progress', 3145731, 3145731, 3145731, true],
  ['stream-abort', 'DaytonaError: Download cancelled', 'DaytonaError: Download cancelled'],
  ['escape', 'DaytonaFileAccessDeniedError'],
  ['local-path', 'DaytonaInvalidArgumentError'],
];

/** sandbox.fs in a runtime without local files (browser, Worker). */
export async function runFiles(sdk, { apiUrl, apiKey }) {
  const steps = [];
  const sb = await new sdk.Daytona({ apiKey, apiUrl }).create();
  try {
    const fs = sb.fs;
    for (const [path, data] of [['empty.bin', new Uint8Array(0)], ['binary.bin', bytes(70001)],
      ['/tmp/ünïcødé ✓.txt', text('héllo wörld')], ['big/three-mib.bin', bytes(3 * 1024 * 1024 + 3, 5)]]) {
      await fs.uploadFile(data, path);
      const back = await fs.downloadFile(path);
      steps.push(['round-trip', path, back.length, same(back, data)]);
    }
    await fs.uploadFile(new Blob([text('blob')]), 'src/blob.txt');
    await fs.uploadFile(new Blob([bytes(10)]).stream(), 'src/stream.bin');
    steps.push(['blob-and-stream', new TextDecoder().decode(await fs.downloadFile('src/blob.txt')) === 'blob', same(await fs.downloadFile('src/stream.bin'), bytes(10))]);

    await fs.uploadFiles([{ source: text('one'), destination: 'bulk/1.txt' }, { source: text('two'), destination: 'bulk/2.txt' }]);
    const bulk = await fs.downloadFiles([{ source: 'bulk/1.txt' }, { source: 'bulk/missing.txt' }, { source: 'bulk/2.txt' }]);
    steps.push(['bulk', new TextDecoder().decode(bulk[0].result), bulk[1].errorDetails.statusCode, bulk[1].errorDetails.code, new TextDecoder().decode(bulk[2].result)]);

    await fs.createFolder('proj/src', '755');
    await fs.uploadFile(text('let a = 1;\n// TODO: fix\n'), 'proj/src/main.ts');
    await fs.uploadFile(text('TODO later\n'), 'proj/notes.md');
    steps.push(['list', (await fs.listFiles('proj')).map((f) => [f.name, f.isDir])]);
    await fs.setFilePermissions('proj/notes.md', { mode: '640' });
    const info = await fs.getFileDetails('proj/notes.md');
    steps.push(['details', info.permissions, info.mode]);
    steps.push(['find', (await fs.findFiles('proj', 'TODO')).map((m) => [m.file, m.line])]);
    steps.push(['search', (await fs.searchFiles('proj', '*.ts')).files]);
    const replaced = await fs.replaceInFiles(['proj/src/main.ts'], 'let', 'const');
    steps.push(['replace', replaced[0].success, new TextDecoder().decode(await fs.downloadFile('proj/src/main.ts'))]);
    await fs.moveFiles('proj/notes.md', 'proj/moved.md');
    const moved = (await fs.getFileDetails('proj/moved.md')).name === 'moved.md';
    await fs.deleteFile('proj', true);
    const gone = await fs.listFiles('proj').then(() => false, (e) => e instanceof sdk.DaytonaNotFoundError);
    steps.push(['move-delete', moved, gone]);

    const stream = await fs.downloadFileStream('big/three-mib.bin');
    steps.push(['stream', (await new Response(stream).arrayBuffer()).byteLength]);
    const seen = [];
    const tracked = await fs.downloadFileStream('big/three-mib.bin', { onProgress: (p) => seen.push(p) });
    const rising = seen.every((p, i) => i === 0 || p.bytesReceived > seen[i - 1].bytesReceived);
    steps.push(['stream-progress', await drain(tracked), seen.at(-1).bytesReceived, seen.at(-1).totalBytes, rising]);
    const controller = new AbortController();
    const aborted = await fs.downloadFileStream('big/three-mib.bin', { signal: controller.signal });
    controller.abort();
    const failure = (e) => `${e.name}: ${e.message}`;
    const early = await fs.downloadFileStream('big/three-mib.bin', { signal: AbortSignal.abort() }).catch(failure);
    steps.push(['stream-abort', await drain(aborted).catch(failure), early]);
    steps.push(['escape', (await fs.downloadFile('../../etc/passwd').catch((e) => e)).name]);
    steps.push(['local-path', (await fs.uploadFile('/etc/hostname', 'x').catch((e) => e)).name]);
  } finally {
    await sb.delete();
  }
  return steps;
}

export const EXPECTED_PROCESS_STEPS = [
  ['execute', 3, 'out\nerr\n'],
  ['execute-cwd-env', '/home/daytona/sub x-y\n'],
  ['execute-timeout', 'DaytonaProcessExecutionTimeoutError', 408],
  ['charts', 0, ['line', 'scatter', 'bar', 'pie', 'box_and_whisker', 'composite_chart']],
  ['session', 'hi\n', 'e\n'],
  ['session-input', 'x\ngot x\n', 0],
  ['pty', true, true, 3],
  ['pty-reconnect-kill', true, 137],
  ['interpreter', '42\n', 'NameError', 'start\n', 'alive\n'],
];

const CHART_CODE = `import matplotlib.pyplot as plt
plt.figure(); plt.plot([1, 2], [2, 1]); plt.show()
plt.figure(); plt.scatter([1, 2], [3, 4]); plt.show()
plt.figure(); plt.bar(['a', 'b'], [5, 7]); plt.show()
plt.figure(); plt.pie([1, 3]); plt.show()
plt.figure(); plt.boxplot([[1, 2, 3, 4, 100]]); plt.show()
fig, (a, b) = plt.subplots(1, 2); a.plot([1, 2], [2, 1]); b.bar(['x'], [3]); plt.show()`;

/** sandbox.process and codeInterpreter, WebSockets included, in a browser or a Worker. */
export async function runProcess(sdk, { apiUrl, apiKey }) {
  const steps = [];
  const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
  const sb = await new sdk.Daytona({ apiKey, apiUrl }).create();
  try {
    const r = await sb.process.executeCommand('echo out; echo err >&2; exit 3');
    steps.push(['execute', r.exitCode, r.result]);
    await sb.fs.createFolder('sub', '755');
    const cwd = await sb.process.executeCommand('echo "$(pwd) $A-$B"', 'sub', { A: 'x', B: 'y' });
    steps.push(['execute-cwd-env', cwd.result]);
    const slow = await sb.process.executeCommand('sleep 20', undefined, undefined, 1).catch((e) => e);
    steps.push(['execute-timeout', slow.name, slow.statusCode]);
    const c = await sb.process.codeRun(CHART_CODE);
    steps.push(['charts', c.exitCode, c.artifacts.charts.map((ch) => sdk.parseChart(ch).type)]);

    await sb.process.createSession('s');
    const cmd = await sb.process.executeSessionCommand('s', { command: 'echo hi; echo e >&2', runAsync: true });
    let out = '', err = '';
    await sb.process.getSessionCommandLogs('s', cmd.cmdId, (x) => { out += x; }, (x) => { err += x; });
    steps.push(['session', out, err]);
    const waiting = await sb.process.executeSessionCommand('s', { command: 'read v; echo "got $v"', runAsync: true });
    await sb.process.sendSessionCommandInput('s', waiting.cmdId, 'x');
    let got = '';
    await sb.process.getSessionCommandLogs('s', waiting.cmdId, (x) => { got += x; }, () => {});
    steps.push(['session-input', got, (await sb.process.getSessionCommand('s', waiting.cmdId)).exitCode]);

    let term = '';
    const pty = await sb.process.createPty({ id: 'p', cols: 80, rows: 24, onData: (d) => { term += new TextDecoder().decode(d); } });
    await pty.waitForConnection();
    await pty.resize(100, 30);
    await pty.sendInput('stty size; echo pty-$((40+2)); exit 3\n');
    const res = await pty.wait();
    steps.push(['pty', term.includes('pty-42'), term.includes('30 100'), res.exitCode]);

    let first = '';
    const keep = await sb.process.createPty({ id: 'q', onData: (d) => { first += new TextDecoder().decode(d); } });
    await keep.waitForConnection();
    await keep.sendInput('echo before-$((1+1))\n');
    for (let i = 0; i < 100 && !first.includes('before-2'); i++) await sleep(50);
    await keep.disconnect();
    let replay = '';
    const again = await sb.process.connectPty('q', { onData: (d) => { replay += new TextDecoder().decode(d); } });
    await again.waitForConnection();
    for (let i = 0; i < 100 && !replay.includes('before-2'); i++) await sleep(50);
    await again.kill();
    steps.push(['pty-reconnect-kill', replay.includes('before-2'), (await again.wait()).exitCode]);

    const ci = sb.codeInterpreter;
    await ci.runCode('x = 41');
    const kept = await ci.runCode('print(x + 1)');
    const ctx = await ci.createContext();
    const isolated = await ci.runCode('print(x)', { context: ctx });
    const timedOut = await ci.runCode('import time\nprint("start", flush=True)\ntime.sleep(30)', { context: ctx, timeout: 1 });
    const alive = await ci.runCode('print("alive")', { context: ctx });
    steps.push(['interpreter', kept.stdout, isolated.error?.name, timedOut.stdout, alive.stdout]);
  } finally {
    await sb.delete();
  }
  return steps;
}

/** Image: the Dockerfile, context and an error for one chain of every pure method (the
 * expected value is what the official SDK gives for the same calls, run in Node), and what
 * a local path gives in this runtime. */
export async function runImage(sdk) {
  const img = sdk.Image.debianSlim('3.12')
    .pipInstall(['pandas>=2', 'numpy'], { indexUrl: 'https://i.example/simple', findLinks: ['https://x/y'], pre: true })
    .env({ A: "it's", B: 'x y' })
    .workdir('/home/daytona')
    .runCommands('echo "hi"', ['bash', '-c', 'echo $A'])
    .dockerfileCommands(['COPY no-such-file /x', 'RUN true'])
    .entrypoint(['/bin/sh'])
    .cmd(['bash']);
  const caught = (f) => { try { f(); return null; } catch (e) { return [e.name, e instanceof sdk.DaytonaError, e.message]; } };
  // The last element is what a local path gives: an error where there is no file system.
  return [img.dockerfile, img.contextList, caught(() => sdk.Image.debianSlim('2.7')),
    caught(() => sdk.Image.base('b').addLocalFile('/etc/hostname', '/x'))];
}

export const NO_LOCAL_FILES = ['DaytonaInvalidArgumentError', true, 'addLocalFile: local paths need Node, Bun or Deno; this runtime has no file system'];

export const EXPECTED_VOLUME_STEPS = [
  ['created', 'ready'],
  ['get-by-name', true],
  ['get-missing', 'DaytonaNotFoundError'],
  ['get-or-create', 'ready'],
  ['listed', ['steps-made', 'steps-vol']],
  ['shared', 'from-a\nnote.txt\n', 'from-b'],
  ['delete-in-use', 'DaytonaConflictError', 409],
  ['deleted', []],
];

/** daytona.volume, and two sandboxes sharing a volume (one through a subpath). */
export async function runVolumes(sdk, { apiUrl, apiKey }) {
  const daytona = new sdk.Daytona({ apiKey, apiUrl });
  const steps = [];
  const vol = await daytona.volume.create('steps-vol');
  steps.push(['created', vol.state]);
  steps.push(['get-by-name', (await daytona.volume.get('steps-vol')).id === vol.id]);
  steps.push(['get-missing', (await daytona.volume.get('steps-nope').catch((e) => e)).name]);
  const made = await daytona.volume.get('steps-made', true);
  steps.push(['get-or-create', made.state]);
  steps.push(['listed', (await daytona.volume.list()).map((v) => v.name).sort()]);
  const a = await daytona.create({ volumes: [{ volumeId: vol.id, mountPath: '/home/daytona/data' }] });
  const b = await daytona.create({ volumes: [{ volumeId: 'steps-vol', mountPath: '/tmp/part', subpath: 'sub' }] });
  try {
    await a.process.executeCommand('mkdir -p data/sub && echo from-a > data/sub/note.txt');
    const seen = (await b.process.executeCommand('cat /tmp/part/note.txt; ls /tmp/part')).result;
    await b.fs.uploadFile(new TextEncoder().encode('from-b'), '/tmp/part/reply.txt');
    steps.push(['shared', seen, new TextDecoder().decode(await a.fs.downloadFile('data/sub/reply.txt'))]);
    const refused = await daytona.volume.delete(vol).catch((e) => e);
    steps.push(['delete-in-use', refused.name, refused.statusCode]);
  } finally {
    await a.delete();
    await b.delete();
  }
  await daytona.volume.delete(vol);
  await daytona.volume.delete(made);
  steps.push(['deleted', await daytona.volume.list()]);
  return steps;
}

export const EXPECTED_SNAPSHOT_STEPS = [
  ['streamed', 'Creating snapshot steps-snap (building)', true, 'Created snapshot steps-snap (active)'],
  ['listed', ['steps-snap']],
  ['sandbox-sees', 'made in the build\nsent from memory\n', 'from the image'],
  ['failed', 'DaytonaError', 'Failed to create snapshot. Name: steps-broken Reason: Step 2/2 (RUN exit 3) failed: exited with code 3'],
  ['deleted', 0],
];

/** daytona.snapshot: a build (with a file given as bytes, uploaded to object storage) whose
 * log streams, a sandbox from it, and a failing build. */
export async function runSnapshots(sdk, { apiUrl, apiKey }) {
  const daytona = new sdk.Daytona({ apiKey, apiUrl });
  const steps = [];
  const image = sdk.Image.base('alpine:3').env({ FROM_IMAGE: 'from the image' })
    .addLocalFile(new TextEncoder().encode('sent from memory\n'), '/home/daytona/mem.txt')
    .runCommands('echo made in the build > /home/daytona/built.txt');
  const lines = [];
  const snap = await daytona.snapshot.create({ name: 'steps-snap', image }, { onLogs: (l) => lines.push(l) });
  steps.push(['streamed', lines[0], lines.includes('Step 4/4 : RUN echo made in the build > /home/daytona/built.txt'), lines.at(-1)]);
  // Only this run's snapshots: the server may hold others (builds cached by other tests).
  const ours = async () => (await daytona.snapshot.list()).items.map((s) => s.name).filter((n) => n.startsWith('steps-'));
  steps.push(['listed', await ours()]);
  const sb = await daytona.create({ snapshot: 'steps-snap' });
  try {
    const env = (await sb.process.executeCommand('printf %s "$FROM_IMAGE"')).result;
    steps.push(['sandbox-sees', (await sb.process.executeCommand('cat built.txt mem.txt')).result, env]);
  } finally {
    await sb.delete();
  }
  const failed = await daytona.snapshot.create({ name: 'steps-broken', image: sdk.Image.base('alpine:3').runCommands('exit 3') }).catch((e) => e);
  steps.push(['failed', failed.name, failed.message]);
  await daytona.snapshot.delete(snap);
  await daytona.snapshot.delete('steps-broken');
  steps.push(['deleted', (await ours()).length]);
  return steps;
}

export const EXPECTED_PREVIEW_STEPS = [
  ['with-token', 'hello-preview\n'],
  ['without-token', 401],
  ['signed', 'hello-preview\n'],
  ['expired', 403],
  ['ssh-access', true, true],
  ['ssh-valid', true],
  ['ssh-revoked', { valid: false, sandboxId: null }],
];

/** Preview links: a web server in a sandbox reached through daytona-local's proxy with the
 * token, refused without it, and through a signed URL until it is expired. Then SSH access
 * tokens are made, checked and revoked (no SSH client here: tests/node/ssh.test.mjs). */
export async function runPreview(sdk, { apiUrl, apiKey }) {
  // Each request a URL of its own: what is checked is the proxy's answer, not a browser's
  // cached copy of an earlier one (a signed URL's page may be cached until it expires).
  let n = 0;
  const fresh = (url, init) => fetch(`${url}?n=${n++}`, init);
  const daytona = new sdk.Daytona({ apiKey, apiUrl });
  const steps = [];
  const sb = await daytona.create();
  try {
    // No free-port lookup in a browser or Worker: a random high port.
    const port = 20000 + Math.floor(Math.random() * 20000);
    await sb.process.executeCommand('mkdir -p site && echo hello-preview > site/hello.txt');
    await sb.process.createSession('web');
    await sb.process.executeSessionCommand('web', { command: `cd site && exec python3 -m http.server ${port} --bind 127.0.0.1`, runAsync: true });
    const link = await sb.getPreviewLink(port);
    let r;
    for (let i = 0; i < 100 && (!r || r.status === 502); i++) {
      if (r) await new Promise((res) => setTimeout(res, 100));
      r = await fresh(`${link.url}/hello.txt`, { headers: { 'X-Daytona-Preview-Token': link.token } });
    }
    steps.push(['with-token', await r.text()]);
    steps.push(['without-token', (await fresh(`${link.url}/hello.txt`)).status]);
    const signed = await sb.getSignedPreviewUrl(port, 60);
    steps.push(['signed', await (await fresh(`${signed.url}/hello.txt`)).text()]);
    await sb.expireSignedPreviewUrl(port, signed.token);
    steps.push(['expired', (await fresh(`${signed.url}/hello.txt`)).status]);
    const ssh = await sb.createSshAccess(10);
    steps.push(['ssh-access', ssh.sandboxId === sb.id, ssh.sshCommand.endsWith(`${ssh.token}@127.0.0.1`)]);
    steps.push(['ssh-valid', (await sb.validateSshAccess(ssh.token)).valid]);
    await sb.revokeSshAccess(ssh.token);
    steps.push(['ssh-revoked', await sb.validateSshAccess(ssh.token)]);
  } finally {
    await sb.delete();
  }
  return steps;
}

export const EXPECTED_LSP_STEPS = [
  ['invalid', 'DaytonaInvalidArgumentError'],
  ['completion', true],
  ['symbols', ['Greeter', 'greet']],
  ['sandbox-symbols', true],
  ['stopped', 'LSP_SERVER_NOT_INITIALIZED'],
];

/** A TypeScript language server of a small project: completions and symbols, and the
 * errors for an unknown language and a stopped server. */
export async function runLsp(sdk, { apiUrl, apiKey }) {
  const daytona = new sdk.Daytona({ apiKey, apiUrl });
  const steps = [];
  const sb = await daytona.create();
  try {
    await sb.process.executeCommand(`mkdir -p proj && printf 'export class Greeter {\n  greet() { return 1; }\n}\nnew Greeter().\n' > proj/a.ts`);
    steps.push(['invalid', await sb.createLspServer('cobol', 'proj').catch((e) => e.name)]);
    const lsp = await sb.createLspServer('typescript', 'proj');
    await lsp.start();
    await lsp.didOpen('proj/a.ts');
    const { items } = await lsp.completions('proj/a.ts', { line: 3, character: 14 });
    steps.push(['completion', items.some((i) => i.label === 'greet')]);
    steps.push(['symbols', (await lsp.documentSymbols('proj/a.ts')).map((s) => s.name).sort()]);
    steps.push(['sandbox-symbols', (await lsp.sandboxSymbols('Greet')).some((s) => s.name === 'Greeter')]);
    await lsp.stop();
    steps.push(['stopped', await lsp.documentSymbols('proj/a.ts').catch((e) => e.code)]);
  } finally {
    await sb.delete();
  }
  return steps;
}

/** What [`a11ySteps`] sees. */
export const A11Y_STEPS = ['Press me', true, 'yes', 'hello', true, 'application', 'A11y Steps', 404];

export const EXPECTED_COMPUTER_USE_STEPS = [
  ['started', 'active'],
  ['display', 1024, 768],
  ['mouse', { x: 40, y: 30 }],
  ['window', true],
  ['typed', 'typed-42\n'],
  ['a11y', ...A11Y_STEPS],
  ['png', 'PNG'],
  ['jpeg', 'ffd8ff'],
  ['region', 200],
  ['recording', 'completed', true],
  ['stopped', 'inactive'],
];

/** A GTK window with a button and an entry, which publishes its accessibility tree. */
const A11Y_APP = `import gi, os
gi.require_version('Gtk', '3.0')
from gi.repository import Gtk
w = Gtk.Window(title='A11y Steps')
box = Gtk.Box(orientation=Gtk.Orientation.VERTICAL)
button, entry = Gtk.Button(label='Press me'), Gtk.Entry()
button.connect('clicked', lambda *_: open('clicked.txt', 'w').write('yes'))
entry.connect('changed', lambda e: open('entry.txt', 'w').write(e.get_text()))
box.add(button)
box.add(entry)
w.add(box)
w.show_all()
open('a11y-app.pid', 'w').write(str(os.getpid()))
Gtk.main()
`;

/** The desktop's accessibility tree: a button found by role and name and clicked, an entry
 * filled and focused, a process's tree, and an unknown node refused. */
export async function a11ySteps(sb) {
  const a11y = sb.computerUse.accessibility;
  const read = async (file, want) => {
    let text;
    for (let i = 0; i < 100 && text !== want; i++) {
      text = (await sb.process.executeCommand(`cat ${file} 2>/dev/null`)).result;
      if (text !== want) await new Promise((r) => setTimeout(r, 100));
    }
    return text;
  };
  await sb.process.executeCommand(`cat > a11y-app.py <<'APP'\n${A11Y_APP}APP`);
  await sb.process.executeCommand('(setsid /usr/bin/python3 a11y-app.py > a11y-app.log 2>&1 &)');
  let button;
  for (let i = 0; i < 100 && !button; i++) {
    button = (await a11y.findNodes({ scope: 'all', role: 'push button', name: 'Press me', nameMatch: 'exact' })).matches?.[0];
    if (!button) await new Promise((r) => setTimeout(r, 100));
  }
  const steps = [button?.name, button?.actions.includes('click')];
  await a11y.invokeNode(button.id, 'click');
  steps.push(await read('clicked.txt', 'yes'));
  const [entry] = (await a11y.findNodes({ scope: 'all', role: 'text', states: ['editable'], limit: 1 })).matches;
  await a11y.setNodeValue(entry.id, 'hello');
  steps.push(await read('entry.txt', 'hello'));
  await a11y.focusNode(entry.id);
  const focused = (await a11y.findNodes({ scope: 'all', role: 'text', states: ['focused'] })).matches;
  steps.push(focused.some((n) => n.id === entry.id));
  const pid = Number((await sb.process.executeCommand('cat a11y-app.pid')).result);
  const { root } = await a11y.getTree({ scope: 'pid', pid, maxDepth: 1 });
  steps.push(root.role, root.children[0].name);
  steps.push(await a11y.invokeNode(':1.999/none').then(() => 'accepted', (e) => e.statusCode));
  return steps;
}

/** The desktop: a terminal opened and typed into, the mouse read back, its accessibility
 * tree, screenshots in three formats, a recording downloaded as bytes. */
export async function runComputerUse(sdk, { apiUrl, apiKey }) {
  const daytona = new sdk.Daytona({ apiKey, apiUrl });
  const steps = [];
  const sb = await daytona.create();
  const cu = sb.computerUse;
  const bytes = (b64) => Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
  const hex = (u8) => [...u8].map((b) => b.toString(16).padStart(2, '0')).join('');
  try {
    steps.push(['started', (await cu.start()) && (await cu.getStatus()).status]);
    const [display] = (await cu.display.getInfo()).displays;
    steps.push(['display', display.width, display.height]);
    steps.push(['mouse', await cu.mouse.move(40, 30)]);
    await sb.process.executeCommand('(setsid urxvt -title steps-term -geometry 80x24+20+20 > /dev/null 2>&1 &)');
    let term;
    for (let i = 0; i < 100 && !term; i++) {
      term = (await cu.display.getWindows()).windows.find((w) => w.title === 'steps-term');
      if (!term) await new Promise((r) => setTimeout(r, 100));
    }
    steps.push(['window', Boolean(term)]);
    await cu.mouse.click(term.x + 100, term.y + 100);
    await cu.keyboard.type('echo typed-$((6*7)) > typed.txt');
    await cu.keyboard.press('enter');
    let typed;
    for (let i = 0; i < 100 && typed !== 'typed-42\n'; i++) {
      typed = (await sb.process.executeCommand('cat typed.txt 2>/dev/null')).result;
      if (typed !== 'typed-42\n') await new Promise((r) => setTimeout(r, 100));
    }
    steps.push(['typed', typed]);
    steps.push(['a11y', ...await a11ySteps(sb)]);
    steps.push(['png', new TextDecoder().decode(bytes((await cu.screenshot.takeFullScreen()).screenshot).subarray(1, 4))]);
    steps.push(['jpeg', hex(bytes((await cu.screenshot.takeCompressed({ format: 'jpeg', scale: 0.5 })).screenshot).subarray(0, 3))]);
    const region = bytes((await cu.screenshot.takeRegion({ x: 0, y: 0, width: 200, height: 100 })).screenshot);
    steps.push(['region', new DataView(region.buffer).getUint32(16)]);
    const rec = await cu.recording.start('steps');
    await new Promise((r) => setTimeout(r, 1200));
    const done = await cu.recording.stop(rec.id);
    const file = await cu.recording.download(rec.id);
    steps.push(['recording', done.status, new TextDecoder().decode(file.subarray(4, 8)) === 'ftyp']);
    await cu.stop();
    steps.push(['stopped', (await cu.getStatus()).status]);
  } finally {
    await sb.delete();
  }
  return steps;
}

// The demo's wiring: connect, then the sandbox list opens a sandbox in the four panels.
import { connect, savedConnection } from './connection.js';
import { SandboxList } from './sandboxes.js';
import { TerminalView } from './terminal.js';
import { FilesView } from './files.js';
import { CodeView } from './code.js';
import { DesktopView } from './desktop.js';
import { $, action, setStatus } from './ui.js';

const terminal = new TerminalView();
const files = new FilesView();
const code = new CodeView();
const desktop = new DesktopView();

async function openSandbox(sandbox) {
  $('#workspace').hidden = !sandbox;
  if (!sandbox) {
    desktop.close();
    return terminal.close();
  }
  $('#title').textContent = `Sandbox ${sandbox.id}`;
  code.open(sandbox);
  desktop.open(sandbox);
  await Promise.all([terminal.open(sandbox), files.open(sandbox)]);
}

const list = new SandboxList((sandbox) => action(null, () => openSandbox(sandbox)));
const form = $('#connect');

form.addEventListener('submit', (event) => {
  event.preventDefault();
  action(event.submitter, async () => {
    setStatus('connecting…');
    const daytona = await connect({ apiUrl: form.apiUrl.value.trim(), apiKey: form.apiKey.value });
    await openSandbox(null);
    await list.use(daytona);
  }).finally(() => $('#status').textContent === 'connecting…' && setStatus('not connected'));
});
$('#error button').addEventListener('click', () => { $('#error').hidden = true; });

const saved = await savedConnection();
form.apiUrl.value = saved.apiUrl;
form.apiKey.value = saved.apiKey;
// Enabled only now: a click before the handlers exist would submit the form as a page load.
form.querySelector('button').disabled = false;
if (saved.apiUrl && saved.apiKey) form.requestSubmit();

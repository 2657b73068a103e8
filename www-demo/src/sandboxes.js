// The sandbox list: create, start, stop, delete, and open one in the workspace.
import { $, el, action, setStatus } from './ui.js';

export class SandboxList {
  /** `onOpen(sandbox)` is called when the person opens a started sandbox. */
  constructor(onOpen) {
    this.onOpen = onOpen;
    this.daytona = null;
    this.openId = null;
    $('#create').addEventListener('submit', (event) => {
      event.preventDefault();
      this.create(event.submitter);
    });
    $('#refresh').addEventListener('click', (event) => action(event.target, () => this.refresh()));
  }

  use(daytona) {
    this.daytona = daytona;
    for (const button of document.querySelectorAll('#create button')) button.disabled = false;
    return this.refresh();
  }

  async refresh() {
    const page = await this.daytona.list({}, 1, 100);
    $('#sandboxes').replaceChildren(...page.items.map((sandbox) => this.row(sandbox)));
    setStatus(`${page.total} sandbox${page.total === 1 ? '' : 'es'}`);
  }

  row(sandbox) {
    const state = sandbox.state ?? 'unknown';
    const started = state === 'started';
    const button = (label, fn) => el('button', { type: 'button', onclick: (event) => action(event.target, fn) }, label);
    return el('li', { class: sandbox.id === this.openId ? 'open' : '', 'data-id': sandbox.id },
      el('span', { class: 'id', title: sandbox.id, onclick: () => started && this.open(sandbox) }, sandbox.id),
      el('span', { class: `state ${state}` }, state),
      el('span', { class: 'actions' },
        started ? button('Open', () => this.open(sandbox)) : '',
        started ? button('Stop', async () => { await sandbox.stop(); await this.refresh(); })
          : button('Start', async () => { await sandbox.start(); await this.refresh(); }),
        button('Delete', async () => {
          await sandbox.delete();
          if (sandbox.id === this.openId) this.onOpen(null);
          await this.refresh();
        })));
  }

  async create(button) {
    await action(button, async () => {
      setStatus('creating a sandbox…');
      const language = $('#create [name=language]').value;
      const sandbox = await this.daytona.create({ language, labels: { app: 'www-demo' } });
      await this.refresh();
      await this.open(sandbox);
    });
  }

  async open(sandbox) {
    this.openId = sandbox.id;
    for (const li of document.querySelectorAll('#sandboxes li')) li.classList.toggle('open', li.dataset.id === sandbox.id);
    await this.onOpen(sandbox);
  }
}

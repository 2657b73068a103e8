// The sandbox's desktop through sandbox.computerUse: a screenshot refreshed each second while
// it runs; a click on it clicks there, and the text field's line is typed, then Enter.
import { $, action } from './ui.js';

const TERMINAL = 'demo terminal';

export class DesktopView {
  constructor() {
    $('#desktop-start').addEventListener('click', (event) => action(event.target, () => this.start()));
    $('#desktop-terminal').addEventListener('click', (event) => action(event.target, () => this.openTerminal()));
    $('#screen').addEventListener('click', (event) => action(null, () => this.click(event)));
    $('#keys').addEventListener('submit', (event) => {
      event.preventDefault();
      action(event.submitter, () => this.type());
    });
  }

  open(sandbox) {
    this.close();
    this.sandbox = sandbox;
  }

  close() {
    clearInterval(this.timer);
    this.timer = null;
    $('#screen').hidden = $('#keys').hidden = $('#desktop-terminal').disabled = true;
    $('#desktop-start').disabled = false;
  }

  async start() {
    await this.sandbox.computerUse.start();
    $('#screen').hidden = $('#keys').hidden = $('#desktop-terminal').disabled = false;
    $('#desktop-start').disabled = true;
    await this.refresh();
    // A refresh that fails (the sandbox stopped) is shown by the next action instead.
    this.timer = setInterval(() => this.refresh().catch(() => {}), 1000);
  }

  async refresh() {
    if (this.refreshing) return;
    this.refreshing = true;
    try {
      const { screenshot } = await this.sandbox.computerUse.screenshot.takeCompressed({ format: 'jpeg', quality: 70 });
      $('#screen').src = `data:image/jpeg;base64,${screenshot}`;
    } finally {
      this.refreshing = false;
    }
  }

  /** Starts a terminal on the desktop and resolves once its window is there. */
  async openTerminal() {
    await this.sandbox.process.executeCommand(`(setsid urxvt -title '${TERMINAL}' -geometry 80x24+20+20 > /dev/null 2>&1 &)`);
    for (let i = 0; i < 50; i++) {
      const { windows } = await this.sandbox.computerUse.display.getWindows();
      if (windows.some((w) => w.title === TERMINAL)) return this.refresh();
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    throw new Error('the terminal did not open');
  }

  /** The click's place on the shown image, in the desktop's pixels. */
  async click(event) {
    const img = event.target;
    const x = Math.round((event.offsetX * img.naturalWidth) / img.clientWidth);
    const y = Math.round((event.offsetY * img.naturalHeight) / img.clientHeight);
    await this.sandbox.computerUse.mouse.click(x, y);
    await this.refresh();
  }

  async type() {
    const field = $('#keys').text;
    await this.sandbox.computerUse.keyboard.type(field.value);
    await this.sandbox.computerUse.keyboard.press('Return');
    field.value = '';
    await this.refresh();
  }
}

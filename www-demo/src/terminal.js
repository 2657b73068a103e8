// A full terminal: xterm.js attached to a PTY session in the sandbox, resized with the
// page, and reconnectable to the same session when the connection drops.
import { Terminal } from '@xterm/xterm';
import { FitAddon } from '@xterm/addon-fit';
import '@xterm/xterm/css/xterm.css';
import { $, action, showError } from './ui.js';

export class TerminalView {
  constructor() {
    this.term = null;
    this.pty = null;
    new ResizeObserver(() => this.fit?.fit()).observe($('#terminal'));
    $('#reconnect').addEventListener('click', (event) => action(event.target, () => this.reconnect()));
  }

  async open(sandbox) {
    await this.close();
    this.sandbox = sandbox;
    this.term = new Terminal({ cursorBlink: true, fontSize: 13, convertEol: false });
    this.fit = new FitAddon();
    this.term.loadAddon(this.fit);
    this.term.open($('#terminal'));
    this.fit.fit();
    this.term.onData((data) => this.pty?.sendInput(data).catch(showError));
    this.term.onResize(({ cols, rows }) => this.pty?.resize(cols, rows).catch(showError));
    this.sessionId = `demo-${crypto.randomUUID().slice(0, 8)}`;
    await this.attach(await sandbox.process.createPty({
      id: this.sessionId, cols: this.term.cols, rows: this.term.rows, onData: this.write,
    }));
    this.term.focus();
  }

  write = (bytes) => this.term?.write(bytes);

  async attach(pty) {
    this.pty = pty;
    await pty.waitForConnection();
    $('#reconnect').hidden = true;
    pty.wait().then((result) => {
      if (this.pty !== pty) return; // replaced by another session
      if (result.exitCode === undefined) {
        this.term.write('\r\n\x1b[33m[disconnected]\x1b[0m\r\n');
        $('#reconnect').textContent = 'Reconnect';
      } else {
        this.term.write(`\r\n\x1b[33m[exited with ${result.exitCode}]\x1b[0m\r\n`);
        $('#reconnect').textContent = 'New session';
      }
      $('#reconnect').hidden = false;
    }, showError);
  }

  async reconnect() {
    if (this.pty?.exitCode !== undefined) return this.open(this.sandbox);
    await this.attach(await this.sandbox.process.connectPty(this.sessionId, { onData: this.write }));
    await this.pty.resize(this.term.cols, this.term.rows);
  }

  async close() {
    const pty = this.pty;
    this.pty = null;
    this.term?.dispose();
    this.term = null;
    await pty?.kill().catch(() => {}); // the sandbox may be stopped or gone already
  }
}

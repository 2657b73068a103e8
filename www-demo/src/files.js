// A file browser over sandbox.fs: folders to walk, files to download, uploads.
import { $, el, action, setStatus } from './ui.js';

const join = (dir, name) => (dir === '.' ? name : `${dir}/${name}`);

export class FilesView {
  constructor() {
    $('#up').addEventListener('click', (event) => action(event.target, () => this.show(this.parent())));
    $('#upload').addEventListener('change', (event) => action(event.target, () => this.upload(event.target)));
  }

  /** Paths are relative to the sandbox's working directory ('.'). */
  async open(sandbox) {
    this.sandbox = sandbox;
    await this.show('.');
  }

  parent() {
    const cut = this.dir.lastIndexOf('/');
    return cut < 0 ? '.' : this.dir.slice(0, cut);
  }

  async show(dir) {
    const files = await this.sandbox.fs.listFiles(dir);
    this.dir = dir;
    $('#cwd').textContent = dir === '.' ? '~' : `~/${dir}`;
    $('#up').disabled = dir === '.';
    files.sort((a, b) => (b.isDir - a.isDir) || a.name.localeCompare(b.name));
    $('#files tbody').replaceChildren(...files.map((file) => {
      const path = join(dir, file.name);
      const link = file.isDir
        ? el('a', { onclick: () => action(null, () => this.show(path)) }, `${file.name}/`)
        : el('a', { title: 'download', onclick: () => action(null, () => this.download(path, file.name)) }, file.name);
      return el('tr', {}, el('td', {}, link), el('td', { class: 'size' }, file.isDir ? '' : String(file.size)), el('td', {}, file.permissions));
    }));
  }

  async upload(input) {
    for (const file of input.files) {
      setStatus(`uploading ${file.name}…`);
      await this.sandbox.fs.uploadFile(new Uint8Array(await file.arrayBuffer()), join(this.dir, file.name));
    }
    setStatus(`uploaded ${input.files.length} file(s)`);
    input.value = '';
    await this.show(this.dir);
  }

  async download(path, name) {
    const bytes = await this.sandbox.fs.downloadFile(path);
    const url = URL.createObjectURL(new Blob([bytes]));
    el('a', { href: url, download: name }).click();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  }
}

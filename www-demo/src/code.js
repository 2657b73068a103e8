// Runs code in the sandbox's language and renders stdout, errors and matplotlib charts.
import { $, el, action } from './ui.js';

const EXAMPLES = {
  python: `import matplotlib.pyplot as plt
import numpy as np

x = np.linspace(0, 10, 100)
plt.plot(x, np.sin(x), label="sin")
plt.plot(x, np.cos(x), label="cos")
plt.title("Waves")
plt.legend()
plt.show()
print("mean of sin:", np.sin(x).mean())
`,
  typescript: 'const xs: number[] = [1, 2, 3];\nconsole.log(xs.map((x) => x * x));\n',
  javascript: 'console.log([1, 2, 3].map((x) => x * x));\n',
};

export class CodeView {
  constructor() {
    $('#run').addEventListener('click', (event) => action(event.target, () => this.run()));
  }

  open(sandbox) {
    this.sandbox = sandbox;
    $('#code').value = EXAMPLES[sandbox.labels?.['code-toolbox-language']] ?? EXAMPLES.python;
    this.render(null);
  }

  async run() {
    $('#exit').textContent = 'running…';
    this.render(await this.sandbox.process.codeRun($('#code').value));
  }

  render(response) {
    $('#exit').textContent = response ? `exit code ${response.exitCode}` : '';
    $('#output').textContent = response?.result ?? '';
    $('#output').classList.toggle('failed', Boolean(response && response.exitCode !== 0));
    const charts = response?.artifacts?.charts ?? [];
    $('#charts').replaceChildren(...charts.filter((chart) => chart.png).map((chart) =>
      el('figure', {}, el('img', { src: `data:image/png;base64,${chart.png}`, alt: chart.title ?? 'chart' }),
        el('figcaption', {}, `${chart.type} chart${chart.title ? `: ${chart.title}` : ''}`))));
  }
}

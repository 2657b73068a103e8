// Image: for the same calls, daytona-wasm's Dockerfile text and context list equal the
// official SDK's (run here, unchanged), byte for byte; wrong arguments throw the same error
// class with the same message.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, writeFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import * as official from '@daytonaio/sdk';
import * as ours from '../../pkg/node.mjs';

const WEIRD = ['plain', 'a b', "it's", "it's!", 'x$y"z w', 'back\\slash', '', 'C:#', 'https://x/y?q=1&r=2', '~/home', 'tab\there',
  'ünïcødé ✓', 'semi;colon', 'a"b', '$HOME', '`tick`', 'pandas>=2,<3', '*.py', '[extra]', 'nbsp\u00a0x'];

// Each case builds an image with the SDK it is given.
const CASES = {
  base: (I) => I.base('python:3.12-slim-bookworm'),
  'debianSlim default': (I) => I.debianSlim(),
  'debianSlim per series': (I) => ['3.9', '3.10', '3.11', '3.12', '3.13'].map((v) => I.debianSlim(v).dockerfile).join('|'),
  'pipInstall strings, arrays, nested': (I) => I.base('b').pipInstall('zeta').pipInstall(['b', 'a', ['c', ['A']]]).pipInstall([]),
  'pipInstall every option': (I) => I.debianSlim('3.12').pipInstall(['pandas>=2', 'numpy'], {
    findLinks: ['https://x/y', 'file:///w h'], indexUrl: 'https://index.example/simple', extraIndexUrls: ['https://e/i', 'https://f/j'],
    pre: true, extraOptions: ' --no-cache ',
  }),
  'pipInstall weird names': (I) => I.base('b').pipInstall(WEIRD.filter(Boolean)),
  'env weird values': (I) => I.base('b').env(Object.fromEntries(WEIRD.map((v, i) => [`K${i}`, v]))),
  'workdir weird paths': (I) => WEIRD.reduce((img, v) => img.workdir(v), I.base('b')),
  runCommands: (I) => I.base('b').runCommands('echo "hi" && ls', ['bash', '-c', 'echo "q" it\'s'], ['a b', '$x', 'c\\d'], 'apt-get install -y x'),
  'entrypoint and cmd': (I) => I.base('b').entrypoint(['/bin/sh', '-c', 'a "b"']).cmd(['python', 'x y.py']),
  dockerfileCommands: (I) => I.base('b').dockerfileCommands([
    'RUN echo 1', 'COPY no-such-a.txt /a.txt', 'copy --chown=1:1 no-such-dir /dir', 'COPY --from=build /b /b',
    'COPY ["no such j", "/d/"]', 'COPY \\', '  no-such-multi \\', '  /m', 'COPY <<EOF /h', 'x', 'EOF',
  ]),
  chained: (I) => {
    const img = I.debianSlim('3.11');
    img.workdir('/home/daytona'); // not reassigned: the image changes in place
    return img.env({ A: '1' }).runCommands('true').pipInstall('requests').cmd(['bash']);
  },
};

const view = (img) => (typeof img === 'string' ? { dockerfile: img } : { dockerfile: img.dockerfile, contextList: img.contextList });

for (const [name, build] of Object.entries(CASES)) {
  test(`Image ${name}: same Dockerfile and context as the official SDK`, () => {
    assert.deepEqual(view(build(ours.Image)), view(build(official.Image)));
  });
}

test('Image: wrong arguments throw the official class and message', () => {
  const calls = {
    'debianSlim 2.7': (I) => I.debianSlim('2.7'),
    'env non-string': (I) => I.base('b').env({ A: 1, B: 'x', C: null }),
    'cmd not a list': (I) => I.base('b').cmd('bash'),
    'entrypoint not strings': (I) => I.base('b').entrypoint([1]),
    'pipInstall non-string': (I) => I.base('b').pipInstall(['a', 1]),
  };
  for (const [name, call] of Object.entries(calls)) {
    const outcome = (sdk) => { try { call(sdk.Image); return 'no error'; } catch (e) { return [e.constructor.name, e.message, e instanceof sdk.DaytonaError]; } };
    assert.deepEqual(outcome(ours), outcome(official), name);
  }
});

const COPY_LINES = ['COPY app.json /x', 'COPY src /s', 'COPY ./missing.txt /m', 'RUN true'];

const outcome = (sdk, call) => {
  try { return view(call(sdk.Image)); } catch (e) { return [e.constructor.name, e.message, e instanceof sdk.DaytonaError]; }
};

test('Image local files (Node): same Dockerfile, context and errors as the official SDK', () => {
  const dir = mkdtempSync(join(tmpdir(), 'image-local-'));
  try {
    writeFileSync(join(dir, 'req.txt'), 'six\n');
    writeFileSync(join(dir, 'pyproject.toml'), '[project]\nname = "x"\nreleased = 2024-01-02T03:04:05Z\ndependencies = ["requests>=2", "attrs"]\n' +
      '[project.optional-dependencies]\ndev = ["pytest"]\ndocs = ["sphinx<8"]\n');
    writeFileSync(join(dir, 'nodeps.toml'), '[project]\nname = "x"\n');
    writeFileSync(join(dir, 'badgroups.toml'), '[project]\ndependencies = []\noptional-dependencies = ["x"]\n');
    writeFileSync(join(dir, 'app.json'), '{}');
    mkdirSync(join(dir, 'src/deep'), { recursive: true });
    for (const f of ['b.txt', 'a.txt', '.hidden.txt', 'c.py', 'deep/d.txt']) writeFileSync(join(dir, 'src', f), f);
    symlinkSync('/etc', join(dir, 'out-link'));
    symlinkSync(join(dir, 'no-such-target'), join(dir, 'dangling'));
    writeFileSync(join(dir, 'Dockerfile'), 'FROM python:3.12\nCOPY a.txt /a.txt\nCOPY --chown=1:1 src /src\nCOPY ["req.txt", "/r/"]\n' +
      'RUN echo hi \\\n  && true\nCOPY ./sub/../app.json /x\nCOPY --from=build /b /b\n');
    const calls = {
      addLocalFile: (I) => I.base('b').addLocalFile(join(dir, 'app.json'), '/etc/app/').addLocalFile(join(dir, 'app.json'), '/x.json'),
      addLocalDir: (I) => I.base('b').addLocalDir(join(dir, 'src'), '/src'),
      pipInstallFromRequirements: (I) => I.debianSlim('3.12').pipInstallFromRequirements(join(dir, 'req.txt'), { indexUrl: 'https://i/s', pre: true }),
      'working-directory tilde': (I) => I.base('b').addLocalFile(`~+/${relative(process.cwd(), join(dir, 'app.json'))}`, '/a'),
      'home tilde': (I) => I.base('b').addLocalDir('~', '/home-copy'),
      'missing file': (I) => I.base('b').addLocalFile(join(dir, 'nope'), '/x'),
      'directory as a file': (I) => I.base('b').addLocalFile(join(dir, 'src'), '/x'),
      'file as a directory': (I) => I.base('b').addLocalDir(join(dir, 'app.json'), '/x'),
      'missing requirements': (I) => I.base('b').pipInstallFromRequirements(join(dir, 'nope.txt')),
      pipInstallFromPyproject: (I) => I.base('b').pipInstallFromPyproject(join(dir, 'pyproject.toml'), { optionalDependencies: ['docs', 'none'], pre: true }),
      'pyproject without optional groups': (I) => I.base('b').pipInstallFromPyproject(join(dir, 'pyproject.toml')),
      'pyproject without dependencies': (I) => I.base('b').pipInstallFromPyproject(join(dir, 'nodeps.toml')),
      'pyproject groups not a mapping': (I) => I.base('b').pipInstallFromPyproject(join(dir, 'badgroups.toml'), { optionalDependencies: ['x'] }),
      'missing pyproject': (I) => I.base('b').pipInstallFromPyproject(join(dir, 'nope.toml')),
      'pyproject is a directory': (I) => I.base('b').pipInstallFromPyproject(join(dir, 'src')),
      fromDockerfile: (I) => I.fromDockerfile(join(dir, 'Dockerfile')),
      'fromDockerfile, relative path': (I) => I.fromDockerfile(relative(process.cwd(), join(dir, 'Dockerfile'))),
      'fromDockerfile, missing': (I) => I.fromDockerfile(join(dir, 'Nope')),
      'fromDockerfile, a directory': (I) => I.fromDockerfile(join(dir, 'src')),
      'dockerfileCommands with a contextDir': (I) => I.base('b').dockerfileCommands(COPY_LINES, dir),
      'dockerfileCommands, contextDir with a slash': (I) => I.base('b').dockerfileCommands(COPY_LINES, `${dir}/`),
      'dockerfileCommands, relative contextDir': (I) => I.base('b').dockerfileCommands(COPY_LINES, relative(process.cwd(), dir)),
      'dockerfileCommands, missing contextDir': (I) => I.base('b').dockerfileCommands(COPY_LINES, join(dir, 'nope')),
      'dockerfileCommands, a file as contextDir': (I) => I.base('b').dockerfileCommands(COPY_LINES, join(dir, 'app.json')),
      // shell-quote makes words with * or ? operators, which the official SDK drops; the rest
      // ({a,b}, [..], and any pattern in the JSON form) go to fast-glob.
      'dockerfileCommands, shell-form globs': (I) => I.base('b').dockerfileCommands(['COPY src/*.txt src/[bc].txt src/{a,c}.txt src/{a,c}.py /s/', 'COPY nothing/[x].md /t/'], dir),
      'dockerfileCommands, JSON-form globs': (I) => I.base('b').dockerfileCommands(['COPY ["src/*.txt", "src/?.py", "/s/"]', 'COPY ["nothing/*.md", "/t/"]'], dir),
      'dockerfileCommands, a ** glob': (I) => I.base('b').dockerfileCommands(['COPY ["src/**/*.txt", "/s/"]'], dir),
      'dockerfileCommands, an absolute glob': (I) => I.base('b').dockerfileCommands([`COPY ["${dir}/src/[ab].txt", "/p/"]`]),
      'strictContext, inside': (I) => I.base('b').dockerfileCommands(['COPY src/a.txt src /s/', 'COPY ["src/*.txt", "/t/"]'], dir, { strictContext: true }),
      'strictContext, climbing out': (I) => I.base('b').dockerfileCommands(['COPY ../x /s/'], dir, { strictContext: true }),
      'strictContext, absolute': (I) => I.base('b').dockerfileCommands(['COPY /etc/hostname /s/'], dir, { strictContext: true }),
      'strictContext, a link out': (I) => I.base('b').dockerfileCommands(['COPY out-link /s/'], dir, { strictContext: true }),
      'strictContext, a dangling link': (I) => I.base('b').dockerfileCommands(['COPY dangling /s/'], dir, { strictContext: true }),
      'strictContext without contextDir': (I) => I.base('b').dockerfileCommands(['COPY a /s/'], undefined, { strictContext: true }),
      'fromDockerfile, strictContext': (I) => I.fromDockerfile(join(dir, 'Dockerfile'), { strictContext: true }),
    };
    for (const [name, call] of Object.entries(calls)) {
      assert.deepEqual(outcome(ours, call), outcome(official, call), name);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('Image.pipInstallFromPyproject: invalid TOML is a DaytonaInvalidArgumentError naming the file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'image-toml-'));
  try {
    writeFileSync(join(dir, 'bad.toml'), '[project\n');
    const [cls, message] = outcome(ours, (I) => I.base('b').pipInstallFromPyproject(join(dir, 'bad.toml')));
    assert.equal(cls, 'DaytonaInvalidArgumentError');
    assert.ok(message.startsWith(`Invalid pyproject.toml file ${join(dir, 'bad.toml')}: `), message);
    assert.deepEqual(outcome(official, (I) => I.base('b').pipInstallFromPyproject(join(dir, 'bad.toml'))).slice(0, 1), ['DaytonaInvalidArgumentError']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

// A real git server for tests: `git http-backend` (smart HTTP) behind HTTP basic auth, on a
// free port of this host's address that sandboxes reach (not its loopback), serving one repository seeded with `main` and `feature` branches.
import http from 'node:http';
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HOST_ADDRESS } from './daytona-local-harness.mjs';

const git = (cwd, ...args) => execFileSync('git', args, {
  cwd, encoding: 'utf8',
  env: { ...process.env, GIT_AUTHOR_NAME: 'Seed', GIT_AUTHOR_EMAIL: 'seed@test', GIT_COMMITTER_NAME: 'Seed', GIT_COMMITTER_EMAIL: 'seed@test' },
}).trim();

export async function startGitServer({ username = 'git-user', password = 'git-secret' } = {}) {
  const root = mkdtempSync(join(tmpdir(), 'git-http-'));
  git(root, 'init', '--bare', '-q', '-b', 'main', 'repo.git');
  const work = join(root, 'seed');
  git(root, 'clone', '-q', join(root, 'repo.git'), work);
  writeFileSync(join(work, 'README.md'), '# seeded\n');
  git(work, 'add', '.');
  git(work, 'commit', '-q', '-m', 'first');
  const firstCommit = git(work, 'rev-parse', 'HEAD');
  writeFileSync(join(work, 'second.txt'), 'second\n');
  git(work, 'add', '.');
  git(work, 'commit', '-q', '-m', 'second');
  git(work, 'push', '-q', 'origin', 'main');
  git(work, 'checkout', '-q', '-b', 'feature');
  writeFileSync(join(work, 'feature.txt'), 'feature\n');
  git(work, 'add', '.');
  git(work, 'commit', '-q', '-m', 'feature');
  git(work, 'push', '-q', 'origin', 'feature');

  const expected = 'Basic ' + Buffer.from(`${username}:${password}`).toString('base64');
  const server = http.createServer((req, res) => {
    if (req.headers.authorization !== expected) {
      res.writeHead(401, { 'www-authenticate': 'Basic realm="git"' });
      return res.end('unauthorized');
    }
    const url = new URL(req.url, 'http://x');
    const cgi = spawn('git', ['http-backend'], {
      env: {
        PATH: process.env.PATH, GIT_PROJECT_ROOT: root, GIT_HTTP_EXPORT_ALL: '1', REMOTE_USER: username,
        PATH_INFO: url.pathname, QUERY_STRING: url.search.slice(1), REQUEST_METHOD: req.method,
        CONTENT_TYPE: req.headers['content-type'] ?? '', HTTP_CONTENT_ENCODING: req.headers['content-encoding'] ?? '',
        ...(req.headers['content-length'] ? { CONTENT_LENGTH: req.headers['content-length'] } : {}),
      },
    });
    req.pipe(cgi.stdin);
    let head = Buffer.alloc(0);
    let started = false;
    cgi.stdout.on('data', (chunk) => {
      if (started) return res.write(chunk);
      head = Buffer.concat([head, chunk]);
      const end = head.indexOf('\r\n\r\n');
      if (end < 0) return;
      let status = 200;
      const headers = {};
      for (const line of head.subarray(0, end).toString().split('\r\n')) {
        const i = line.indexOf(':');
        const [k, v] = [line.slice(0, i).trim(), line.slice(i + 1).trim()];
        if (k.toLowerCase() === 'status') status = parseInt(v, 10);
        else headers[k] = v;
      }
      res.writeHead(status, headers);
      res.write(head.subarray(end + 4));
      started = true;
    });
    cgi.stdout.on('end', () => res.end());
    cgi.on('error', () => res.destroy());
  });
  await new Promise((r) => server.listen(0, HOST_ADDRESS, r));
  return {
    url: `http://${HOST_ADDRESS}:${server.address().port}/repo.git`,
    username, password, firstCommit,
    /** Runs git in a scratch clone of the served repository (for checking pushes). */
    inspect: (...args) => {
      const dir = mkdtempSync(join(tmpdir(), 'git-inspect-'));
      try {
        git(dir, 'clone', '-q', join(root, 'repo.git'), 'r');
        return git(join(dir, 'r'), ...args);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
    stop: () => { server.closeAllConnections(); server.close(); rmSync(root, { recursive: true, force: true }); },
  };
}

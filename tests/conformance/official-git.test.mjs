// Conformance: the official SDK's git operations, unchanged, against daytona-local and a
// real git server.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../daytona-local-harness.mjs';
import { startGitServer } from '../git-http-server.mjs';
import { Daytona, DaytonaAuthenticationError } from '@daytonaio/sdk';
import { runGitSteps, EXPECTED_GIT_STEPS } from '../git-steps.mjs';

let server, remote, daytona;
before(async () => {
  server = await startServer();
  remote = await startGitServer();
  daytona = new Daytona({ apiKey: server.apiKey, apiUrl: server.apiUrl, target: 'local' });
});
after(async () => {
  await daytona?.[Symbol.asyncDispose]?.();
  remote?.stop();
  await server?.stop();
});

test('official SDK: clone, add, commit, push, pull, branches, status', async () => {
  const sb = await daytona.create();
  try {
    const { url, username, password } = remote;
    await sb.git.clone(url, 'repo', 'main', undefined, username, password);
    await sb.git.clone(url, 'other', 'main', undefined, username, password);
    await sb.fs.uploadFile(Buffer.from('x\n'), 'repo/x.txt');
    await sb.git.add('repo', ['x.txt']);
    const { sha } = await sb.git.commit('repo', 'x', 'Bo', 'bo@example.com');
    assert.match(sha, /^[0-9a-f]{40}$/);
    const st = await sb.git.status('repo');
    assert.deepEqual([st.currentBranch, st.ahead, st.behind, st.branchPublished], ['main', 1, 0, true]);
    await sb.git.push('repo', username, password);
    assert.equal(remote.inspect('rev-parse', 'origin/main'), sha);
    await sb.git.pull('other', username, password);
    assert.equal((await sb.fs.downloadFile('other/x.txt')).toString(), 'x\n');
    await sb.git.createBranch('repo', 'b1');
    await sb.git.checkoutBranch('repo', 'b1');
    assert.deepEqual((await sb.git.branches('repo')).branches, ['b1', 'main']);
    await sb.git.checkoutBranch('repo', 'main');
    await sb.git.deleteBranch('repo', 'b1');
    assert.deepEqual((await sb.git.branches('repo')).branches, ['main']);
    await assert.rejects(sb.git.clone(url, 'bad', undefined, undefined, username, 'nope'), DaytonaAuthenticationError);
  } finally {
    await sb.delete();
  }
});

test('official SDK: init, config, restore, reset, remotes, stored credentials, push to a named remote and branch', async () => {
  const sb = await daytona.create();
  try {
    assert.deepEqual(await runGitSteps(sb, remote), EXPECTED_GIT_STEPS);
  } finally {
    await sb.delete();
  }
});

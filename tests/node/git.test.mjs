// sandbox.git through the package against a real git server (smart HTTP, basic auth).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../daytona-local-harness.mjs';
import { startGitServer } from '../git-http-server.mjs';
import * as sdk from '../../pkg/node.mjs';
import { runGitSteps, EXPECTED_GIT_STEPS } from '../git-steps.mjs';

let server, remote, daytona;
before(async () => {
  server = await startServer();
  remote = await startGitServer();
  daytona = new sdk.Daytona({ apiKey: server.apiKey, apiUrl: server.apiUrl });
});
after(async () => {
  remote?.stop();
  await server?.stop();
});

test('clone a branch and a commit, commit, push, pull from a second clone, branches, status', async () => {
  const a = await daytona.create();
  const b = await daytona.create();
  try {
    const { url, username, password } = remote;
    await a.git.clone(url, 'repo', 'feature', undefined, username, password);
    assert.deepEqual((await a.git.branches('repo')).branches, ['feature']);
    assert.equal(new TextDecoder().decode(await a.fs.downloadFile('repo/feature.txt')), 'feature\n');

    await b.git.clone(url, 'old', undefined, remote.firstCommit, username, password);
    const detached = await b.git.status('old');
    assert.equal(detached.detached, true);
    await assert.rejects(b.fs.getFileDetails('old/second.txt'), sdk.DaytonaNotFoundError);

    await a.fs.uploadFile(new TextEncoder().encode('change\n'), 'repo/change.txt');
    let st = await a.git.status('repo');
    assert.deepEqual(st.fileStatus.map((f) => [f.name, f.worktree]), [['change.txt', 'Untracked']]);
    await a.git.add('repo', ['change.txt']);
    st = await a.git.status('repo');
    assert.deepEqual(st.fileStatus.map((f) => [f.name, f.staging]), [['change.txt', 'Added']]);
    const { sha } = await a.git.commit('repo', 'add change', 'Ada', 'ada@example.com');
    assert.match(sha, /^[0-9a-f]{40}$/);
    st = await a.git.status('repo');
    assert.deepEqual([st.currentBranch, st.ahead, st.behind, st.branchPublished, st.fileStatus.length], ['feature', 1, 0, true, 0]);
    await a.git.push('repo', username, password);
    assert.equal(remote.inspect('rev-parse', 'origin/feature'), sha);
    assert.equal((await a.git.status('repo')).ahead, 0);

    await b.git.clone(url, 'second', 'feature', undefined, username, password);
    await a.fs.uploadFile(new TextEncoder().encode('more\n'), 'repo/more.txt');
    await a.git.add('repo', ['.']);
    const next = await a.git.commit('repo', 'more', 'Ada', 'ada@example.com');
    await a.git.push('repo', username, password);
    await b.git.pull('second', username, password);
    assert.equal(new TextDecoder().decode(await b.fs.downloadFile('second/more.txt')), 'more\n');
    assert.equal((await b.git.status('second')).behind, 0);

    await a.git.createBranch('repo', 'topic');
    await assert.rejects(a.git.createBranch('repo', 'topic'), sdk.DaytonaConflictError);
    await a.git.checkoutBranch('repo', 'topic');
    assert.deepEqual(await a.git.branches('repo'), { branches: ['feature', 'topic'], current: 'topic' });
    const unpublished = await a.git.status('repo');
    assert.deepEqual([unpublished.currentBranch, unpublished.branchPublished], ['topic', false]);
    await a.git.push('repo', username, password);
    assert.equal(remote.inspect('rev-parse', 'origin/topic'), next.sha);
    await a.git.checkoutBranch('repo', 'feature');
    await a.git.deleteBranch('repo', 'topic');
    assert.deepEqual((await a.git.branches('repo')).branches, ['feature']);
    await assert.rejects(a.git.checkoutBranch('repo', 'nope'), sdk.DaytonaNotFoundError);
    const empty = await a.git.commit('repo', 'empty', 'Ada', 'ada@example.com', true);
    assert.notEqual(empty.sha, next.sha);
  } finally {
    await a.delete();
    await b.delete();
  }
});

test('a wrong password is a clear authentication error, and leaves no credentials behind', async () => {
  const sb = await daytona.create();
  try {
    const err = await sb.git.clone(remote.url, 'repo', undefined, undefined, remote.username, 'wrong').catch((e) => e);
    assert.ok(err instanceof sdk.DaytonaAuthenticationError, String(err));
    assert.equal(err.code, 'GIT_AUTH_FAILED');
    assert.match(err.message, /Authentication failed/);
    assert.doesNotMatch(err.message, /wrong/);
    const noCreds = await sb.git.clone(remote.url, 'repo2').catch((e) => e);
    assert.ok(noCreds instanceof sdk.DaytonaAuthenticationError, String(noCreds));
    await sb.git.clone(remote.url, 'repo3', undefined, undefined, remote.username, remote.password);
    const found = await sb.fs.findFiles('repo3/.git', remote.password);
    assert.deepEqual(found, [], 'the password is not stored in the repository');
    assert.doesNotMatch(new TextDecoder().decode(await sb.fs.downloadFile('repo3/.git/config')), /git-secret|git-user@/);
    await assert.rejects(sb.git.clone('file:///etc', 'local'), sdk.DaytonaValidationError);
  } finally {
    await sb.delete();
  }
});

test('init, config, restore, reset, remotes, stored credentials, push to a named remote and branch', async () => {
  const sb = await daytona.create();
  try {
    assert.deepEqual(await runGitSteps(sb, remote), EXPECTED_GIT_STEPS);
  } finally {
    await sb.delete();
  }
});

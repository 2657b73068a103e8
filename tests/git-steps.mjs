// The newer git members (init, config, restore, reset, remotes, stored credentials, push to a
// named remote and branch), as steps any SDK with the official API runs against daytona-local
// and the test git server; our package and the official SDK must give the same steps. (An
// absent value is recorded as 'unset': the Worker reports steps as JSON, which has no undefined.)
export const EXPECTED_GIT_STEPS = [
  ['init', 'trunk'],
  ['config', ['Ada', 'ada@example.com', 'false', 'unset']],
  ['restored', 'one\n'],
  ['unstaged', 'Modified'],
  ['reset hard', 'one\n'],
  ['reset file', ['Unmodified', 'Modified']],
  ['bad mode', 400],
  ['remotes', ['origin']],
  ['remoteGet', [true, 'unset']],
  ['duplicate remote', 409],
  ['overwritten', true],
  ['pushed with stored credentials', ['trunk']],
];

const text = (bytes) => new TextDecoder().decode(bytes);

/** Runs the steps in `sb` (a Sandbox of either SDK); `remote` is the test git server. */
export async function runGitSteps(sb, remote) {
  const steps = [];
  const git = sb.git;
  // A Buffer where there is one: the official SDK's Node uploads take Buffers, not bare Uint8Arrays.
  const put = (content, path) => sb.fs.uploadFile(globalThis.Buffer ? Buffer.from(content) : new TextEncoder().encode(content), path);

  await git.init('proj', false, 'trunk');
  steps.push(['init', (await git.status('proj')).currentBranch]);

  await git.configureUser('Ada', 'ada@example.com');
  await git.setConfig('core.autocrlf', 'false', 'local', 'proj');
  steps.push(['config', [
    await git.getConfig('user.name'), await git.getConfig('user.email'),
    await git.getConfig('core.autocrlf', 'local', 'proj'), (await git.getConfig('no.such.key')) ?? 'unset',
  ]]);

  await put('one\n', 'proj/a.txt');
  await git.add('proj', ['a.txt']);
  await git.commit('proj', 'one', 'Ada', 'ada@example.com');
  await put('two\n', 'proj/a.txt');
  await git.restore('proj', ['a.txt']);
  steps.push(['restored', text(await sb.fs.downloadFile('proj/a.txt'))]);

  await put('three\n', 'proj/a.txt');
  await git.add('proj', ['a.txt']);
  await git.restore('proj', ['a.txt'], true);
  const unstaged = (await git.status('proj')).fileStatus.find((f) => f.name === 'a.txt');
  steps.push(['unstaged', unstaged.staging === 'Unmodified' ? unstaged.worktree : 'still staged']);
  await git.reset('proj', 'hard');
  steps.push(['reset hard', text(await sb.fs.downloadFile('proj/a.txt'))]);

  await put('four\n', 'proj/a.txt');
  await git.add('proj', ['a.txt']);
  await git.reset('proj', undefined, undefined, ['a.txt']);
  const after = (await git.status('proj')).fileStatus.find((f) => f.name === 'a.txt');
  steps.push(['reset file', [after.staging, after.worktree]]);
  steps.push(['bad mode', await git.reset('proj', 'sideways').then(() => 'accepted', (e) => e.statusCode)]);
  await git.reset('proj', 'hard');

  await git.remoteAdd('proj', 'origin', 'http://127.0.0.1:1/nowhere.git');
  steps.push(['remotes', (await git.remotes('proj')).remotes.map((r) => r.name)]);
  steps.push(['remoteGet', [(await git.remoteGet('proj', 'origin')) === 'http://127.0.0.1:1/nowhere.git', (await git.remoteGet('proj', 'nope')) ?? 'unset']]);
  steps.push(['duplicate remote', await git.remoteAdd('proj', 'origin', remote.url).then(() => 'accepted', (e) => e.statusCode)]);
  await git.remoteAdd('proj', 'origin', remote.url, false, true);
  steps.push(['overwritten', (await git.remoteGet('proj', 'origin')) === remote.url]);

  // Credentials stored once serve later pushes that carry none.
  const { host, protocol } = new URL(remote.url);
  await git.dangerouslyAuthenticate(remote.username, remote.password, host, protocol.replace(':', ''));
  await git.push('proj', undefined, undefined, 'trunk', 'origin');
  await git.clone(remote.url, 'check', 'trunk', undefined, remote.username, remote.password);
  steps.push(['pushed with stored credentials', (await git.branches('check')).branches]);
  return steps;
}

/** The steps in a Sandbox of their own, for runners that pass `{ apiUrl, apiKey, git }`
 * (`git`: the test git server's `{ url, username, password }`). */
export async function runGit(sdk, { apiUrl, apiKey, git }) {
  const daytona = new sdk.Daytona({ apiUrl, apiKey });
  const sb = await daytona.create();
  try {
    return await runGitSteps(sb, git);
  } finally {
    await sb.delete();
  }
}

// A repository made and changed in a sandbox, with today's git members.
import { Daytona } from '@daytonaio/sdk';
import { Buffer } from 'node:buffer';

const daytona = new Daytona();
const sandbox = await daytona.create({ labels: { compat: process.env.COMPAT_RUN!, app: 'git' } });
try {
  const git = sandbox.git;
  await git.init('repo', false, 'main');
  await git.configureUser('Compat', 'compat@example.com');
  console.log('user', await git.getConfig('user.name'));
  await sandbox.fs.uploadFile(Buffer.from('one\n'), 'repo/readme.md');
  await git.add('repo', ['readme.md']);
  const { sha } = await git.commit('repo', 'first', 'Compat', 'compat@example.com');
  console.log('commit', /^[0-9a-f]{40}$/.test(sha));
  await git.createBranch('repo', 'feature');
  await git.checkoutBranch('repo', 'feature');
  const branches = await git.branches('repo');
  console.log('branches', branches.branches.sort().join(' '));
  await sandbox.fs.uploadFile(Buffer.from('two\n'), 'repo/readme.md');
  const status = await git.status('repo');
  console.log('status', status.currentBranch, status.fileStatus.map((f) => `${f.name}:${f.worktree}`).join(' '));
  await git.restore('repo', ['readme.md']);
  console.log('restored', (await sandbox.fs.downloadFile('repo/readme.md')).toString().trim());
  await git.remoteAdd('repo', 'origin', 'https://example.com/repo.git');
  console.log('remote', await git.remoteGet('repo', 'origin'));
} finally {
  await sandbox.delete();
}

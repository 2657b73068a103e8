// A Worker (no nodejs_compat) that drives the package's workerd entry against daytona-local
// and reports what it saw as JSON.
import * as sdk from '../../pkg/workerd.mjs';
import { runLifecycle, runFiles, runProcess, runImage, runVolumes, runSnapshots, runPreview, runLsp, runComputerUse } from '../lifecycle-steps.mjs';
import { runGit } from '../git-steps.mjs';
import { runSettings } from '../settings-steps.mjs';
import { runEntrypoint } from '../entrypoint-steps.mjs';

export default {
  async fetch(request, env) {
    try {
      const run = { '/files': runFiles, '/process': runProcess, '/image': runImage, '/volumes': runVolumes, '/snapshots': runSnapshots, '/preview': runPreview, '/lsp': runLsp, '/computer-use': runComputerUse, '/git': runGit, '/settings': runSettings, '/entrypoint': runEntrypoint }[new URL(request.url).pathname] ?? runLifecycle;
      const git = env.GIT_REMOTE && JSON.parse(env.GIT_REMOTE);
      const steps = await run(sdk, { apiUrl: env.DAYTONA_API_URL, apiKey: env.DAYTONA_API_KEY, runtime: 'workerd', git });
      return Response.json({ ok: true, steps, process: typeof globalThis.process });
    } catch (e) {
      return Response.json({ ok: false, error: String(e), stack: e.stack }, { status: 500 });
    }
  },
};

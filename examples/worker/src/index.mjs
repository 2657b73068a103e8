// GET /?code=print(6*7) → creates a Python sandbox, runs the code, deletes the sandbox and
// answers { exitCode, result, charts } as JSON. The API key comes from a Worker secret.
import { Daytona, DaytonaError } from 'daytona-wasm';

export default {
  async fetch(request, env) {
    const code = new URL(request.url).searchParams.get('code') ?? 'print(6 * 7)';
    const daytona = new Daytona({ apiKey: env.DAYTONA_API_KEY, apiUrl: env.DAYTONA_API_URL });
    let sandbox;
    try {
      sandbox = await daytona.create({ language: 'python' });
      const run = await sandbox.process.codeRun(code);
      const charts = (run.artifacts?.charts ?? []).map((c) => ({ type: c.type, title: c.title }));
      return Response.json({ exitCode: run.exitCode, result: run.result, charts });
    } catch (e) {
      const status = e instanceof DaytonaError ? e.statusCode ?? 502 : 500;
      return Response.json({ error: e.message, kind: e.name }, { status });
    } finally {
      await sandbox?.delete();
    }
  },
};

// A Worker (no nodejs_compat) that drives the package's workerd entry against daytona-local
// and reports what it saw as JSON.
import { Daytona, DaytonaNotFoundError, DaytonaAuthenticationError, DaytonaError } from '../../pkg/workerd.mjs';

export default {
  async fetch(request, env) {
    const steps = [];
    try {
      const daytona = new Daytona({ apiKey: env.DAYTONA_API_KEY, apiUrl: env.DAYTONA_API_URL });
      const sb = await daytona.create({ labels: { runtime: 'workerd' } });
      steps.push(['create', sb.state]);
      const page = await daytona.list({ runtime: 'workerd' });
      steps.push(['list', page.total]);
      await sb.stop();
      steps.push(['stop', sb.state]);
      await sb.start();
      steps.push(['start', sb.state]);
      await sb.resize({ cpu: 2 });
      steps.push(['resize', sb.cpu]);
      await sb.delete();
      const gone = await daytona.get(sb.id).catch((e) => e);
      steps.push(['deleted', gone instanceof DaytonaNotFoundError && gone instanceof DaytonaError, gone.statusCode]);
      const denied = await new Daytona({ apiKey: 'wrong', apiUrl: env.DAYTONA_API_URL }).list().catch((e) => e);
      steps.push(['auth', denied instanceof DaytonaAuthenticationError, denied.name]);
      let noCreds;
      try { new Daytona({ apiUrl: env.DAYTONA_API_URL }); } catch (e) { noCreds = e; }
      steps.push(['no-credentials', noCreds instanceof DaytonaAuthenticationError]);
      steps.push(['has-process', typeof globalThis.process]);
      return Response.json({ ok: true, steps });
    } catch (e) {
      return Response.json({ ok: false, steps, error: String(e), stack: e.stack }, { status: 500 });
    }
  },
};

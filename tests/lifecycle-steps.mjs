// The lifecycle every non-Node runtime test drives through the package (browser page,
// Worker), returning what it saw; EXPECTED_STEPS is what a correct run sees.
export const EXPECTED_STEPS = [
  ['create', 'started'],
  ['list', 1],
  ['stop', 'stopped'],
  ['start', 'started'],
  ['resize', 2],
  ['deleted', true, 404],
  ['auth', true, 'DaytonaAuthenticationError'],
  ['no-credentials', true],
];

export async function runLifecycle(sdk, { apiUrl, apiKey, runtime }) {
  const { Daytona, DaytonaNotFoundError, DaytonaError, DaytonaAuthenticationError } = sdk;
  const steps = [];
  const daytona = new Daytona({ apiKey, apiUrl });
  const sb = await daytona.create({ labels: { runtime } });
  steps.push(['create', sb.state]);
  steps.push(['list', (await daytona.list({ runtime })).total]);
  await sb.stop();
  steps.push(['stop', sb.state]);
  await sb.start();
  steps.push(['start', sb.state]);
  await sb.resize({ cpu: 2 });
  steps.push(['resize', sb.cpu]);
  await sb.delete();
  const gone = await daytona.get(sb.id).catch((e) => e);
  steps.push(['deleted', gone instanceof DaytonaNotFoundError && gone instanceof DaytonaError, gone.statusCode]);
  const denied = await new Daytona({ apiKey: 'wrong', apiUrl }).list().catch((e) => e);
  steps.push(['auth', denied instanceof DaytonaAuthenticationError, denied.name]);
  let noCredentials;
  try { new Daytona({ apiUrl }); } catch (e) { noCredentials = e; }
  steps.push(['no-credentials', noCredentials instanceof DaytonaAuthenticationError]);
  return steps;
}

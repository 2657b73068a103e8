// A snapshot's entrypoint runs in the "entrypoint" session whenever a sandbox from it starts,
// as steps any SDK with the official API runs against daytona-local: the session and its
// logs (whole and streamed), a restart that runs it again, and the empty session of a
// sandbox whose snapshot has no entrypoint.
export const EXPECTED_ENTRYPOINT_STEPS = [
  ['session', 'entrypoint', ["sh -c 'echo ready; echo oops >&2; sleep 2; echo done'"]],
  ['streamed', 'ready\ndone\n', 'oops\n'],
  ['logs', 'ready\ndone\n', 'oops\n', 0],
  ['restarted', 1, 'ready\n'],
  ['default', 'entrypoint', 0, ''],
];

const ENTRYPOINT = ['sh', '-c', 'echo ready; echo oops >&2; sleep 2; echo done'];

async function until(f, what) {
  for (let i = 0; i < 100; i++) {
    const v = await f();
    if (v) return v;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** `daytona` is a client of either SDK; `name` a snapshot name of this run's own. */
export async function runEntrypointSteps(daytona, name) {
  const steps = [];
  await daytona.snapshot.create({ name, image: 'debian:12-slim', entrypoint: ENTRYPOINT });
  const sb = await daytona.create({ snapshot: name });
  const plain = await daytona.create();
  try {
    const session = await sb.process.getEntrypointSession();
    steps.push(['session', session.sessionId, session.commands.map((c) => c.command)]);
    let out = '', err = '';
    await sb.process.getEntrypointLogs((s) => (out += s), (s) => (err += s));
    steps.push(['streamed', out, err]);
    const logs = await sb.process.getEntrypointLogs();
    const ended = await sb.process.getEntrypointSession();
    steps.push(['logs', logs.stdout, logs.stderr, ended.commands[0].exitCode]);

    await sb.stop();
    await sb.start();
    const again = await until(async () => {
      const l = await sb.process.getEntrypointLogs();
      return l.stdout.startsWith('ready') && l;
    }, 'the entrypoint to run again');
    steps.push(['restarted', (await sb.process.getEntrypointSession()).commands.length, again.stdout]);

    const none = await plain.process.getEntrypointSession();
    steps.push(['default', none.sessionId, none.commands.length, (await plain.process.getEntrypointLogs()).output]);
  } finally {
    await sb.delete();
    await plain.delete();
    await daytona.snapshot.delete(await daytona.snapshot.get(name));
  }
  return steps;
}

/** The steps with a client of `sdk`, for runners that pass `{ apiUrl, apiKey, runtime }`. */
export async function runEntrypoint(sdk, { apiUrl, apiKey, runtime }) {
  return runEntrypointSteps(new sdk.Daytona({ apiUrl, apiKey }), `entrypoint-${runtime}`);
}

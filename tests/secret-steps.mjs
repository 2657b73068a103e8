// The organization's secrets (`daytona.secret`), as steps any SDK with the official API runs
// against daytona-local: create, get, list page by page and by name, update, delete; Daytona's
// checks on names, hosts and values; and no answer ever carrying a value.
export const EXPECTED_SECRET_STEPS = [
  ['created', 'API_TOKEN', 'for the tests', ['api.example.com', '*.example.org'], true, false],
  ['got', true],
  ['refused', [409, 400, 400, 400]],
  ['updated', 'rotated', ['api.example.com'], true],
  ['pages', 2, 3, true, 1, null, 3],
  ['by name', ['API_TOKEN']],
  ['no value in any answer', true],
  ['deleted', 404, 404],
];

/** `p`'s status code when it rejects, else 'accepted'. */
const status = (p) => p.then(() => 'accepted', (e) => e.statusCode);

export async function runSecretSteps(daytona) {
  const steps = [];
  const secret = daytona.secret;
  const values = ['tok-0123456789', 'tok-rotated-9876543210', 'other-value-1', 'other-value-2'];
  const answers = [];
  const seen = (x) => { answers.push(JSON.stringify(x)); return x; };
  const made = [];
  try {
    const token = seen(await secret.create({ name: 'API_TOKEN', value: values[0], description: 'for the tests', hosts: ['api.example.com', '*.example.org'] }));
    made.push(token.id);
    steps.push(['created', token.name, token.description, token.hosts, token.placeholder === `dtn_secret_${token.id}`, 'value' in token]);
    steps.push(['got', JSON.stringify(seen(await secret.get(token.id))) === JSON.stringify(token)]);
    steps.push(['refused', [
      await status(secret.create({ name: 'API_TOKEN', value: 'x' })),
      await status(secret.create({ name: '9starts-with-a-digit', value: 'x' })),
      await status(secret.create({ name: 'WITH_PORT', value: 'x', hosts: ['api.example.com:443'] })),
      await status(secret.create({ name: 'EMPTY', value: '' })),
    ]]);
    const updated = seen(await secret.update(token.id, { value: values[1], description: 'rotated', hosts: ['api.example.com'] }));
    steps.push(['updated', updated.description, updated.hosts, Date.parse(updated.updatedAt) >= Date.parse(token.createdAt)]);
    for (const [i, name] of ['OTHER_ONE', 'OTHER_TWO'].entries()) made.push(seen(await secret.create({ name, value: values[i + 2] })).id);
    const first = seen(await secret.list({ limit: 2, sort: 'name', order: 'asc' }));
    const second = seen(await secret.list({ limit: 2, sort: 'name', order: 'asc', cursor: first.nextCursor }));
    const names = [...first.items, ...second.items].map((s) => s.name);
    steps.push(['pages', first.items.length, first.total, typeof first.nextCursor === 'string', second.items.length, second.nextCursor ?? null, new Set(names).size]);
    steps.push(['by name', seen(await secret.list({ name: 'api_tok' })).items.map((s) => s.name)]);
    steps.push(['no value in any answer', answers.every((a) => values.every((v) => !a.includes(v)))]);
    await secret.delete(token.id);
    made.shift();
    steps.push(['deleted', await status(secret.get(token.id)), await status(secret.delete(token.id))]);
  } finally {
    for (const id of made) await secret.delete(id).catch(() => {});
  }
  return steps;
}

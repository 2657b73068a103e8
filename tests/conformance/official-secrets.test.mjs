// Conformance: a secret's value at rest, through the unchanged official SDK (the secrets API
// itself is in the settings steps).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { useOfficialClient } from './official-client.mjs';

const ctx = useOfficialClient();

test('official SDK: a secret\'s value is stored encrypted', async () => {
  const value = `plain-${process.pid}-value`;
  const s = await ctx.daytona.secret.create({ name: 'AT_REST', value });
  try {
    const files = readdirSync(ctx.server.dataDir).filter((f) => f.startsWith('state.sqlite'));
    assert.ok(files.length > 0);
    for (const f of files) assert.ok(!readFileSync(join(ctx.server.dataDir, f)).includes(value), `${f} holds the value in clear`);
  } finally {
    await ctx.daytona.secret.delete(s.id);
  }
});

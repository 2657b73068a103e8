// Creating a sandbox from an Image against daytona-local, through the package and through
// the official SDK: a FROM-only image runs on this host's system at once (daytona-local has
// no container engine); build steps that need the image's own userland (apt-get on a
// read-only host root) fail the sandbox with the build's reason instead of being skipped.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as official from '@daytonaio/sdk';
import * as sdk from '../../pkg/node.mjs';
import { startServer } from '../daytona-local-harness.mjs';

let server;
before(async () => { server = await startServer(); });
after(() => server?.stop());

const APT_FAILS = /Step 2\/5 \(RUN apt-get update\) failed: exited with code \d+/;

for (const [name, mod, config] of [['daytona-wasm', sdk, {}], ['official SDK', official, { target: 'local' }]]) {
  test(`${name}: create from a FROM-only Image runs; a build the host cannot do fails with its reason`, async () => {
    const daytona = new mod.Daytona({ ...config, apiKey: server.apiKey, apiUrl: server.apiUrl });
    const sb = await daytona.create({ image: mod.Image.base('python:3.12-slim-bookworm') });
    try {
      assert.equal(sb.buildInfo.dockerfileContent, 'FROM python:3.12-slim-bookworm\n');
      assert.equal((await sb.process.executeCommand('echo ran')).result, 'ran\n');
    } finally {
      await sb.delete();
    }
    await assert.rejects(daytona.create({ image: mod.Image.debianSlim('3.12') }), (e) => e instanceof mod.DaytonaError && APT_FAILS.test(e.message));
    await daytona[Symbol.asyncDispose]?.();
  });
}

test('daytona-wasm: an Image that is not one is refused before any request', async () => {
  const daytona = new sdk.Daytona({ apiKey: server.apiKey, apiUrl: server.apiUrl });
  await assert.rejects(daytona.create({ image: { dockerfile: 1 } }), sdk.DaytonaInvalidArgumentError);
});

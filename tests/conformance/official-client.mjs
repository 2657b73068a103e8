// The unchanged official SDK with a private daytona-local for one test file: registers the
// hooks that start and stop both, and returns where the test finds them.
import { before, after } from 'node:test';
import { Daytona } from '@daytonaio/sdk';
import { startServer } from '../daytona-local-harness.mjs';

export function useOfficialClient() {
  const ctx = {};
  before(async () => {
    ctx.server = await startServer();
    ctx.daytona = new Daytona({ apiKey: ctx.server.apiKey, apiUrl: ctx.server.apiUrl, target: 'local' });
  });
  after(async () => {
    await ctx.daytona?.[Symbol.asyncDispose]?.();
    await ctx.server?.stop();
  });
  return ctx;
}

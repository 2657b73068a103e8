// An HTTP fuzz pass over every daytona-local route (the `.route(` table of
// crates/daytona-local/src, /api/... and /toolbox/{sandboxId}/..., copied into ROUTES below):
// malformed and random JSON, JSON of the wrong types, huge numbers (1e400, 2^64, i64::MAX),
// 1 MB strings (in bodies; URLs get 16 KB ones, hyper refuses longer request lines itself),
// invalid UTF-8 in bodies and (percent-encoded) in path segments, bodies over the 2 MB limit,
// and path tricks (`../`, `%2e%2e/`, absolute paths, NUL bytes, symlinks out of the sandbox) in
// path parameters, in `path=`-style query parameters and in the path fields of JSON bodies and
// multipart forms. WebSocket routes get plain HTTP only. It asserts that
//   - no answer is a 5xx (but for two the server gives by design, see expected5xx) and every
//     request gets an answer;
//   - every refusal (4xx) carries Daytona's error shape, as `impl IntoResponse for Error`
//     (crates/daytona-local/src/http.rs) writes it: JSON with `statusCode` (= the HTTP status),
//     `message`, `error` (the reason phrase), `timestamp` (RFC 3339, milliseconds, UTC) and,
//     for daemon errors, `code` with `source: "DAYTONA_DAEMON"`; object storage (/s3) answers
//     in S3's XML error shape instead (crates/daytona-local/src/s3/mod.rs);
//   - a refused request (4xx or 5xx) to a route that can touch the file system changes nothing
//     on disk: the sandbox's files and the data dir's listing are compared around each one, and
//     nothing named after the escape sentinel appears outside the sandbox;
//   - the server is still running and answering at the end, and never printed "panicked"
//     (its lifecycle reaper runs every second here, over whatever the fuzz stored).
// The PRNG is seeded (FUZZ_SEED=<n> for another run; FUZZ_DEBUG=1 prints timings); failures
// are grouped by kind, each with the exact requests to repeat it by hand. The whole file stays
// well under 60 s on a slow 2-core machine (about 25 s on a loaded one).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { existsSync, lstatSync, readdirSync, readlinkSync } from 'node:fs';
import { startServer } from '../daytona-local-harness.mjs';

const SEED = (process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : 0x5eed2026) >>> 0;
const MB = 1 << 20;
const LIMIT = 2 * MB; // axum's DefaultBodyLimit, which AppJson and Bytes bodies are read under
const CONCURRENCY = 4;
const REQUEST_TIMEOUT_MS = 5_000;

// ---------------------------------------------------------------------------------------------
// A seeded PRNG (mulberry32), so a failing run repeats exactly.
function mulberry32(a) {
  return () => {
    a |= 0; a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const rand = mulberry32(SEED);
const int = (n) => Math.floor(rand() * n);
const pick = (list) => list[int(list.length)];
/** `k` of `list`, in a seeded order, always with `keep` (those that must be tried every run). */
function sample(list, k, keep = []) {
  const rest = list.filter((x) => !keep.includes(x));
  for (let i = rest.length - 1; i > 0; i--) { const j = int(i + 1); [rest[i], rest[j]] = [rest[j], rest[i]]; }
  return [...keep, ...rest.slice(0, Math.max(0, k - keep.length))];
}
const randomBytes = (n) => Buffer.from(Array.from({ length: n }, () => int(256)));
/** A junk path segment: printable noise with percent-encoded random bytes (often not UTF-8). */
const junkSegment = () => Array.from({ length: 1 + int(24) }, () => (rand() < 0.3 ? '%' + int(256).toString(16).padStart(2, '0').toUpperCase() : pick('abcXYZ019-_.~!$&()*+,;=:@'))).join('');

// ---------------------------------------------------------------------------------------------
// The route table: every `.route(` of crates/daytona-local/src (path parameters renamed where
// two routes share a name for different things). Body and query fields with
// their types: s string, p path in the sandbox, i integer, u unsigned, f float, b bool,
// S string array, P path array, m string map, M array of string maps, o object, j any JSON.
//   fs: the route (or its refusal) can touch the file system: its cases run before the others,
//       one at a time with the disk compared around each refusal (those refused at the first
//       check in small batches, see `batch`).
//   base, qbase: a plausible body or query, so one field at a time can be made bad.
//   noRealSession: sent a session id that does not exist, so the fuzz's session stays.
//   noRealId: lifecycle routes that act on the sandbox itself (stop, delete, ...): only ever
//       sent junk ids, so the sandbox the toolbox routes use stays started and its files stay.
//   ws: WebSocket routes, sent plain HTTP only (no upgrade).
//   raw: a body the handler reads as bytes; multipart: a multipart form.
const CREATE_SANDBOX = { name: 's', snapshot: 's', user: 's', env: 'm', labels: 'm', public: 'b', target: 's', cpu: 'f', gpu: 'f', memory: 'f', disk: 'f',
  gpuType: 'S', autoStopInterval: 'i', autoArchiveInterval: 'i', autoDeleteInterval: 'i', autoPauseInterval: 'i', ttlMinutes: 'i', volumes: 'o', buildInfo: 'o',
  networkBlockAll: 'b', networkAllowList: 's', domainAllowList: 's', outboundProxyUrl: 's', kvm: 'b', spot: 'b', linkedSandbox: 's', secrets: 'M' };
const GIT_REPO = { path: 'p', username: 's', password: 's', branch: 's', remote: 's', setUpstream: 'b' };
const LSP = { languageId: 's', pathToProject: 'p' };
const LSP_BASE = { languageId: 'fuzzlang', pathToProject: 'repo' };
const SHOT = { showCursor: 's', x: 's', y: 's', width: 's', height: 's', format: 's', quality: 's', scale: 's' };

const ROUTES = [
  // crates/daytona-local/src/api/config.rs, object_storage.rs
  { m: 'GET', p: '/api/config' },
  { m: 'GET', p: '/api/object-storage/push-access' },
  // api/preview.rs
  { m: 'GET', p: '/api/sandbox/{id}/ports/{port}/preview-url' },
  { m: 'GET', p: '/api/sandbox/{id}/ports/{port}/signed-preview-url', q: { expiresInSeconds: 'u' } },
  { m: 'POST', p: '/api/sandbox/{id}/ports/{port}/signed-preview-url/{token}/expire' },
  // api/sandbox.rs
  { m: 'POST', p: '/api/sandbox', b: CREATE_SANDBOX, fs: true },
  { m: 'GET', p: '/api/sandbox', q: { limit: 'u', cursor: 'u', states: 's', labels: 'j', sort: 's', order: 's', id: 's', name: 's', minCpu: 'f', maxMemoryGiB: 'f', isPublic: 'b', isRecoverable: 'b', createdAtAfter: 's', lastEventBefore: 's', autoDestroyAtAfter: 's' } },
  { m: 'GET', p: '/api/sandbox/paginated', q: { page: 'u', limit: 'u', labels: 'j' } },
  { m: 'GET', p: '/api/sandbox/{id}' },
  { m: 'DELETE', p: '/api/sandbox/{id}', noRealId: true, fs: true },
  { m: 'POST', p: '/api/sandbox/{id}/start', noRealId: true, fs: true },
  { m: 'POST', p: '/api/sandbox/{id}/stop', noRealId: true, fs: true },
  { m: 'POST', p: '/api/sandbox/{id}/recover', noRealId: true, fs: true },
  { m: 'POST', p: '/api/sandbox/{id}/archive', noRealId: true, fs: true },
  { m: 'POST', p: '/api/sandbox/{id}/pause', noRealId: true, fs: true },
  { m: 'POST', p: '/api/sandbox/{id}/fork', b: { name: 's' }, noRealId: true, fs: true },
  { m: 'GET', p: '/api/sandbox/{id}/parent' },
  { m: 'GET', p: '/api/sandbox/{id}/ancestors' },
  { m: 'GET', p: '/api/sandbox/{id}/forks' },
  { m: 'POST', p: '/api/sandbox/{id}/snapshot', b: { name: 's' }, noRealId: true, fs: true },
  { m: 'POST', p: '/api/sandbox/{id}/resize', b: { cpu: 'f', memory: 'f', disk: 'f' }, fs: true },
  { m: 'POST', p: '/api/sandbox/{id}/network-settings', b: { networkBlockAll: 'b', networkAllowList: 's', domainAllowList: 's' } },
  { m: 'PUT', p: '/api/sandbox/{id}/secrets', b: { secrets: 'M' } },
  { m: 'PUT', p: '/api/sandbox/{id}/labels', b: { labels: 'm' } },
  { m: 'POST', p: '/api/sandbox/{id}/last-activity' },
  { m: 'GET', p: '/api/sandbox/{id}/toolbox-proxy-url' },
  { m: 'GET', p: '/api/sandbox/{id}/telemetry/metrics', q: { from: 's', to: 's', metricNames: 's' } },
  { m: 'GET', p: '/api/sandbox/{id}/signing-key' },
  { m: 'POST', p: '/api/sandbox/{id}/signing-key/rotate' },
  { m: 'POST', p: '/api/sandbox/{id}/{setting}/{minutes}' },
  // api/secret.rs
  { m: 'GET', p: '/api/secret' },
  { m: 'POST', p: '/api/secret', b: { name: 's', value: 's', description: 's', hosts: 'S' } },
  { m: 'GET', p: '/api/secret/paginated', q: { cursor: 's', limit: 'u', name: 's', sort: 's', order: 's' } },
  { m: 'GET', p: '/api/secret/{secret}' },
  { m: 'PATCH', p: '/api/secret/{secret}', b: { value: 's', description: 's', hosts: 'S' } },
  { m: 'DELETE', p: '/api/secret/{secret}' },
  // api/snapshot.rs
  { m: 'GET', p: '/api/snapshots', q: { page: 'u', limit: 'u', sourceSandboxId: 's' } },
  { m: 'POST', p: '/api/snapshots', b: { name: 's', imageName: 's', entrypoint: 'S', buildInfo: 'o', cpu: 'f', gpu: 'f', memory: 'f', disk: 'f', gpuType: 'S', regionId: 's' }, fs: true },
  { m: 'GET', p: '/api/snapshots/{snapshot}' },
  { m: 'DELETE', p: '/api/snapshots/{snapshot}', fs: true },
  { m: 'POST', p: '/api/snapshots/{snapshot}/activate' },
  { m: 'GET', p: '/api/snapshots/{snapshot}/build-logs-url' },
  { m: 'GET', p: '/api/snapshots/{snapshot}/build-logs', q: { follow: 'b' } },
  { m: 'GET', p: '/api/sandbox/{id}/build-logs-url' },
  // api/ssh_access.rs
  { m: 'POST', p: '/api/sandbox/{id}/ssh-access', q: { expiresInMinutes: 'f' } },
  { m: 'DELETE', p: '/api/sandbox/{id}/ssh-access', q: { token: 's' } },
  { m: 'GET', p: '/api/sandbox/ssh-access/validate', q: { token: 's' } },
  // api/volume.rs
  { m: 'GET', p: '/api/volumes' },
  { m: 'POST', p: '/api/volumes', b: { name: 's' }, fs: true },
  { m: 'GET', p: '/api/volumes/by-name/{volname}' },
  { m: 'GET', p: '/api/volumes/{volume}' },
  { m: 'DELETE', p: '/api/volumes/{volume}', fs: true },
  // api/warm_pool.rs
  { m: 'GET', p: '/api/warm-pools' },
  { m: 'POST', p: '/api/warm-pools', b: { snapshot: 's', pool: 'u', target: 's' }, fs: true },
  { m: 'PATCH', p: '/api/warm-pools/{pool}', b: { pool: 'u' }, fs: true },
  { m: 'DELETE', p: '/api/warm-pools/{pool}', fs: true },
  // api/mod.rs + faults/mod.rs (ROUTE). Sequential: a rule set by a stray PUT would fault the
  // requests around it, so every accepted PUT is cleared at once (see runCase).
  { m: 'GET', p: '/api/local/faults' },
  { m: 'PUT', p: '/api/local/faults', b: { rules: 'o' }, fs: true },
  { m: 'DELETE', p: '/api/local/faults', fs: true },
  // lib.rs: the event socket (WebSocket only), object storage and the preview proxy.
  { m: 'GET', p: '/api/socket.io', q: { EIO: 's', transport: 's' }, ws: true },
  { m: 'GET', p: '/api/socket.io/', q: { EIO: 's', transport: 's' }, ws: true },
  { m: 'GET', p: '/s3/{*s3path}', s3: true },
  { m: 'PUT', p: '/s3/{*s3path}', s3: true, raw: true, fs: true },
  // The preview proxy checks its own tokens; sent without the API key (with it, a request
  // for a port nothing listens on is a gateway's 502 by design, proxy.rs).
  { m: 'GET', p: '/preview/{*preview}', noAuth: true },

  // crates/daytona-local/src/toolbox/mod.rs
  { m: 'GET', p: '/toolbox/{sandboxId}/user-home-dir' },
  { m: 'GET', p: '/toolbox/{sandboxId}/work-dir' },
  { m: 'GET', p: '/toolbox/{sandboxId}/version' },
  { m: 'POST', p: '/toolbox/{sandboxId}/env', b: { set: 'm', unset: 'S', unsetValuePrefix: 's' } },
  { m: 'GET', p: '/toolbox/{sandboxId}/system/metrics' },
  // toolbox/files.rs
  { m: 'GET', p: '/toolbox/{sandboxId}/files', q: { path: 'p', depth: 'u' }, fs: true },
  { m: 'DELETE', p: '/toolbox/{sandboxId}/files', q: { path: 'p', recursive: 's' }, qbase: { path: 'fuzz-no-such-file' }, fs: true },
  { m: 'GET', p: '/toolbox/{sandboxId}/files/info', q: { path: 'p' }, fs: true },
  { m: 'POST', p: '/toolbox/{sandboxId}/files/folder', q: { path: 'p', mode: 's' }, qbase: { path: 'fuzz-folder' }, fs: true },
  { m: 'POST', p: '/toolbox/{sandboxId}/files/move', q: { source: 'p', destination: 'p' }, qbase: { source: 'fuzz-no-such-file', destination: 'fuzz-moved' }, fs: true },
  { m: 'POST', p: '/toolbox/{sandboxId}/files/permissions', q: { path: 'p', owner: 's', group: 's', mode: 's' }, qbase: { path: 'seed/perm.txt' }, fs: true },
  { m: 'GET', p: '/toolbox/{sandboxId}/files/find', q: { path: 'p', pattern: 's' }, qbase: { path: 'seed', pattern: 'hello' }, fs: true },
  { m: 'GET', p: '/toolbox/{sandboxId}/files/search', q: { path: 'p', pattern: 's' }, qbase: { path: 'seed', pattern: '*.txt' }, fs: true },
  { m: 'POST', p: '/toolbox/{sandboxId}/files/replace', b: { files: 'P', pattern: 's', newValue: 's' }, base: { files: ['seed/a.txt'], pattern: 'no-such-text', newValue: 'x' }, fs: true },
  { m: 'GET', p: '/toolbox/{sandboxId}/files/download', q: { path: 'p' }, qbase: { path: 'seed/a.txt' }, fs: true },
  { m: 'POST', p: '/toolbox/{sandboxId}/files/upload-v2', q: { path: 'p' }, qbase: { path: 'fuzz-upload.txt' }, raw: true, fs: true },
  { m: 'POST', p: '/toolbox/{sandboxId}/files/bulk-download', b: { paths: 'P' }, base: { paths: ['seed/a.txt'] }, fs: true },
  { m: 'POST', p: '/toolbox/{sandboxId}/files/bulk-upload', multipart: true, fs: true },
  // toolbox/git.rs
  { m: 'POST', p: '/toolbox/{sandboxId}/git/clone', b: { url: 's', path: 'p', branch: 's', commitId: 's', username: 's', password: 's', depth: 'u', insecureSkipTls: 'b' }, base: { url: 'http://127.0.0.1:9/none.git', path: 'fuzz-clone' }, fs: true },
  { m: 'POST', p: '/toolbox/{sandboxId}/git/add', b: { path: 'p', files: 'P' }, base: { path: 'repo', files: ['no-such-file'] }, fs: true },
  { m: 'POST', p: '/toolbox/{sandboxId}/git/commit', b: { path: 'p', message: 's', author: 's', email: 's', allowEmpty: 'b' }, base: { path: 'repo', message: 'm', author: 'a', email: 'a@b.c' }, fs: true },
  { m: 'POST', p: '/toolbox/{sandboxId}/git/push', b: GIT_REPO, base: { path: 'repo' }, fs: true },
  { m: 'POST', p: '/toolbox/{sandboxId}/git/pull', b: GIT_REPO, base: { path: 'repo' }, fs: true },
  { m: 'GET', p: '/toolbox/{sandboxId}/git/branches', q: { path: 'p' }, qbase: { path: 'repo' }, fs: true },
  { m: 'POST', p: '/toolbox/{sandboxId}/git/branches', b: { path: 'p', name: 's' }, base: { path: 'repo', name: 'fuzz-branch' }, fs: true },
  { m: 'DELETE', p: '/toolbox/{sandboxId}/git/branches', b: { path: 'p', name: 's' }, base: { path: 'repo', name: 'no-such-branch' }, fs: true },
  { m: 'POST', p: '/toolbox/{sandboxId}/git/checkout', b: { path: 'p', branch: 's' }, base: { path: 'repo', branch: 'no-such-branch' }, fs: true },
  { m: 'GET', p: '/toolbox/{sandboxId}/git/status', q: { path: 'p' }, qbase: { path: 'repo' }, fs: true },
  { m: 'POST', p: '/toolbox/{sandboxId}/git/init', b: { path: 'p', bare: 'b', initialBranch: 's' }, base: { path: 'fuzz-init' }, fs: true },
  { m: 'POST', p: '/toolbox/{sandboxId}/git/reset', b: { path: 'p', mode: 's', target: 's', files: 'P' }, base: { path: 'repo', mode: 'bogus' }, fs: true },
  { m: 'POST', p: '/toolbox/{sandboxId}/git/restore', b: { path: 'p', files: 'P', staged: 'b', worktree: 'b', source: 's' }, base: { path: 'repo', files: ['no-such-file'] }, fs: true },
  { m: 'GET', p: '/toolbox/{sandboxId}/git/remotes', q: { path: 'p' }, qbase: { path: 'repo' }, fs: true },
  { m: 'POST', p: '/toolbox/{sandboxId}/git/remotes', b: { path: 'p', name: 's', url: 's', fetch: 'b', overwrite: 'b' }, base: { path: 'repo', name: 'fuzz', url: 'http://127.0.0.1:9/x.git' }, fs: true },
  { m: 'GET', p: '/toolbox/{sandboxId}/git/config', q: { key: 's', scope: 's', path: 'p' }, qbase: { key: 'user.name', path: 'repo' }, fs: true },
  { m: 'POST', p: '/toolbox/{sandboxId}/git/config', b: { key: 's', value: 's', scope: 's', path: 'p' }, base: { key: 'fuzz.key', value: 'v', path: 'repo' }, fs: true },
  { m: 'POST', p: '/toolbox/{sandboxId}/git/config/user', b: { name: 's', email: 's', scope: 's', path: 'p' }, base: { name: 'n', email: 'e@x.y', path: 'repo' }, fs: true },
  { m: 'POST', p: '/toolbox/{sandboxId}/git/credentials', b: { username: 's', password: 's', host: 's', protocol: 's' }, fs: true },
  // toolbox/lsp.rs
  { m: 'POST', p: '/toolbox/{sandboxId}/lsp/start', b: LSP, base: LSP_BASE, fs: true },
  { m: 'POST', p: '/toolbox/{sandboxId}/lsp/stop', b: LSP, base: LSP_BASE, fs: true },
  { m: 'POST', p: '/toolbox/{sandboxId}/lsp/did-open', b: { ...LSP, uri: 's' }, base: { ...LSP_BASE, uri: 'file:///home/daytona/repo/f.txt' }, fs: true },
  { m: 'POST', p: '/toolbox/{sandboxId}/lsp/did-close', b: { ...LSP, uri: 's' }, base: { ...LSP_BASE, uri: 'file:///home/daytona/repo/f.txt' }, fs: true },
  { m: 'POST', p: '/toolbox/{sandboxId}/lsp/completions', b: { ...LSP, uri: 's', position: 'o' }, base: { ...LSP_BASE, uri: 'file:///home/daytona/repo/f.txt', position: { line: 0, character: 0 } }, fs: true },
  { m: 'GET', p: '/toolbox/{sandboxId}/lsp/document-symbols', q: { ...LSP, uri: 's' }, qbase: { ...LSP_BASE, uri: 'file:///home/daytona/repo/f.txt' }, fs: true },
  { m: 'GET', p: '/toolbox/{sandboxId}/lsp/workspacesymbols', q: { ...LSP, query: 's' }, qbase: { ...LSP_BASE, query: 'x' }, fs: true },
  // toolbox/process/mod.rs
  { m: 'POST', p: '/toolbox/{sandboxId}/process/execute', b: { command: 's', timeout: 'u', cwd: 'p', envs: 'm' }, base: { command: 'true' } },
  { m: 'POST', p: '/toolbox/{sandboxId}/process/code-run', b: { code: 's', language: 's', argv: 'S', envs: 'm', timeout: 'u' }, base: { code: 'pass', language: 'fuzzlang' } },
  // toolbox/process/session.rs
  { m: 'GET', p: '/toolbox/{sandboxId}/process/session' },
  { m: 'POST', p: '/toolbox/{sandboxId}/process/session', b: { sessionId: 's' } },
  { m: 'GET', p: '/toolbox/{sandboxId}/process/session/{session_id}' },
  { m: 'DELETE', p: '/toolbox/{sandboxId}/process/session/{session_id}', noRealSession: true },
  { m: 'POST', p: '/toolbox/{sandboxId}/process/session/{session_id}/exec', b: { command: 's', runAsync: 'b', async: 'b', suppressInputEcho: 'b' }, base: { command: 'true' } },
  { m: 'GET', p: '/toolbox/{sandboxId}/process/session/{session_id}/command/{command_id}' },
  { m: 'GET', p: '/toolbox/{sandboxId}/process/session/{session_id}/command/{command_id}/logs', q: { follow: 'b' }, ws: true },
  { m: 'POST', p: '/toolbox/{sandboxId}/process/session/{session_id}/command/{command_id}/input', b: { data: 's' } },
  { m: 'GET', p: '/toolbox/{sandboxId}/process/session/entrypoint/logs', ws: true },
  // toolbox/process/pty.rs
  { m: 'GET', p: '/toolbox/{sandboxId}/process/pty' },
  { m: 'GET', p: '/toolbox/{sandboxId}/process/pty/create-connect', q: { id: 's', cols: 's', rows: 's', cwd: 'p' }, qbase: { id: 'fuzz-pty' }, ws: true },
  { m: 'GET', p: '/toolbox/{sandboxId}/process/pty/{pty_id}' },
  { m: 'DELETE', p: '/toolbox/{sandboxId}/process/pty/{pty_id}' },
  { m: 'GET', p: '/toolbox/{sandboxId}/process/pty/{pty_id}/connect', ws: true },
  { m: 'POST', p: '/toolbox/{sandboxId}/process/pty/{pty_id}/resize', b: { cols: 'u', rows: 'u' }, raw: true },
  // toolbox/process/interpreter.rs
  { m: 'GET', p: '/toolbox/{sandboxId}/process/interpreter/context' },
  { m: 'POST', p: '/toolbox/{sandboxId}/process/interpreter/context', b: { cwd: 'p', language: 's' }, base: { language: 'fuzzlang' }, raw: true },
  { m: 'DELETE', p: '/toolbox/{sandboxId}/process/interpreter/context/{context_id}' },
  { m: 'GET', p: '/toolbox/{sandboxId}/process/interpreter/execute', ws: true },
  // toolbox/computer_use.rs. The desktop is never started (start is sent junk sandbox ids
  // only), so input routes are refused rather than typing 1 MB of text.
  { m: 'POST', p: '/toolbox/{sandboxId}/computeruse/start', noRealId: true },
  { m: 'POST', p: '/toolbox/{sandboxId}/computeruse/stop' },
  { m: 'GET', p: '/toolbox/{sandboxId}/computeruse/status' },
  { m: 'GET', p: '/toolbox/{sandboxId}/computeruse/process-status' },
  { m: 'GET', p: '/toolbox/{sandboxId}/computeruse/process/{procname}/status' },
  { m: 'POST', p: '/toolbox/{sandboxId}/computeruse/process/{procname}/restart', noRealId: true },
  { m: 'GET', p: '/toolbox/{sandboxId}/computeruse/process/{procname}/logs' },
  { m: 'GET', p: '/toolbox/{sandboxId}/computeruse/process/{procname}/errors' },
  { m: 'GET', p: '/toolbox/{sandboxId}/computeruse/mouse/position' },
  { m: 'POST', p: '/toolbox/{sandboxId}/computeruse/mouse/move', b: { x: 'i', y: 'i' } },
  { m: 'POST', p: '/toolbox/{sandboxId}/computeruse/mouse/click', b: { x: 'i', y: 'i', button: 's', double: 'b' } },
  { m: 'POST', p: '/toolbox/{sandboxId}/computeruse/mouse/drag', b: { startX: 'i', startY: 'i', endX: 'i', endY: 'i', button: 's' } },
  { m: 'POST', p: '/toolbox/{sandboxId}/computeruse/mouse/scroll', b: { x: 'i', y: 'i', direction: 's', amount: 'u' } },
  { m: 'POST', p: '/toolbox/{sandboxId}/computeruse/keyboard/type', b: { text: 's', delay: 'u' } },
  { m: 'POST', p: '/toolbox/{sandboxId}/computeruse/keyboard/key', b: { key: 's', modifiers: 'S' } },
  { m: 'POST', p: '/toolbox/{sandboxId}/computeruse/keyboard/hotkey', b: { keys: 's' } },
  { m: 'GET', p: '/toolbox/{sandboxId}/computeruse/screenshot', q: SHOT },
  { m: 'GET', p: '/toolbox/{sandboxId}/computeruse/screenshot/region', q: SHOT },
  { m: 'GET', p: '/toolbox/{sandboxId}/computeruse/screenshot/compressed', q: SHOT },
  { m: 'GET', p: '/toolbox/{sandboxId}/computeruse/screenshot/region/compressed', q: SHOT },
  { m: 'GET', p: '/toolbox/{sandboxId}/computeruse/display/info' },
  { m: 'GET', p: '/toolbox/{sandboxId}/computeruse/display/windows' },
  { m: 'GET', p: '/toolbox/{sandboxId}/computeruse/a11y/tree', q: { scope: 's', pid: 'i', maxDepth: 'i' } },
  { m: 'POST', p: '/toolbox/{sandboxId}/computeruse/a11y/find', b: { role: 's', name: 's' } },
  { m: 'POST', p: '/toolbox/{sandboxId}/computeruse/a11y/node/{what}', b: { id: 's', action: 's', value: 's' } },
  { m: 'GET', p: '/toolbox/{sandboxId}/computeruse/recordings' },
  { m: 'POST', p: '/toolbox/{sandboxId}/computeruse/recordings/start', b: { label: 's' }, raw: true },
  { m: 'POST', p: '/toolbox/{sandboxId}/computeruse/recordings/stop', b: { id: 's' } },
  { m: 'GET', p: '/toolbox/{sandboxId}/computeruse/recordings/{rec}' },
  { m: 'DELETE', p: '/toolbox/{sandboxId}/computeruse/recordings/{rec}' },
  { m: 'GET', p: '/toolbox/{sandboxId}/computeruse/recordings/{rec}/download' },
];

// ---------------------------------------------------------------------------------------------
// Inputs.
const SENTINEL = `fuzz-escape-${SEED}`;
/** Paths that must not reach outside the sandbox (or are not paths at all). */
const PATH_TRICKS = [
  '../../../../../../etc/passwd', '..', '../', '../..', `../../${SENTINEL}`, `../../../${SENTINEL}`, `../../../../${SENTINEL}`,
  '/etc/passwd', '/', '/home', '/root', '/home/daytona/../../etc/shadow', '/tmp/../etc/hosts', 'seed/../../..', `seed/../../../${SENTINEL}`,
  '/proc/self/root/etc/passwd', '/proc/self/cwd', '/proc/1/environ', '//etc//passwd', '..\\..\\windows\\system32', '~/../../etc',
  '/dev/null', '/dev/zero', '/sys/kernel/notes', 'link-out', 'link-out/passwd', 'link-out/../..', 'link-dangling', 'link-dangling/x',
  '/home/daytona/link-out/hostname', 'seed/a.txt/x', 'seed/a.txt/x/y', 'a\u0000b', '\u0000', 'seed\u0000/../../etc', '%2e%2e/%2e%2e/etc/passwd',
  '..%2f..%2fetc%2fpasswd', '%00', '.\u202e/txt', 'fuzz-new/dir/target', 'n'.repeat(300), 'd/'.repeat(2100), '/home/daytona/' + 'y'.repeat(5000), ' ', '\n', '\u00ff\ufffd',
];
/** A path whose parents do not exist yet, new for every case (`fresh`): a request that fails
 * must not leave them made. */
let freshN = 0;
const fresh = (p) => p.replace('fuzz-new/', () => `fuzz-new-${++freshN}/`);
/** Tried on every path field of every file-system route; the rest are sampled. */
const PATH_KEEP = ['../../../../../../etc/passwd', `../../../${SENTINEL}`, '/etc/passwd', 'link-out/passwd', 'seed/a.txt/x', 'a\u0000b', 'fuzz-new/dir/target'];
/** Already percent-encoded path values for queries: invalid UTF-8, overlong '..', NUL, double encoding. */
const RAW_QUERY_TRICKS = ['%FF', '%FF%FE%FD', '%C0%AE%C0%AE%2F%C0%AE%C0%AE%2Fetc', '..%00%2Fetc', '%2e%2e%2f%2e%2e%2fetc%2fpasswd', '%252e%252e%252f', '%', '%zz', '%00'];
/** Path segments: invalid UTF-8, NUL, dot segments (encoded so no client normalizes them), encoded slashes. */
const SEGMENT_JUNK = ['%FF', '%FF%FE', '%C0%AF', '%00', 'a%00b', '..', '%2e%2e', '%2E%2E%2Fetc%2Fpasswd', '.', '%2F', '..%2F..%2Fetc%2Fpasswd', '%2Fetc%2Fpasswd',
  '%25', '%', '%zz', '%E2%80%AE', '-1', '0', '99999999999999999999', '1e400', 'null', '%20', '%0A', 'x'.repeat(16384)];
const SEGMENT_KEEP = ['%FF', '%00', '..', '%2e%2e'];
/** Numbers that do not fit (1e400, 2^64, i64 overflow) or are edge values of the Rust types. */
const HUGE = ['1e400', '-1e400', '18446744073709551616', '18446744073709551615', '9223372036854775808', '9223372036854775807', '-9223372036854775808',
  '-9223372036854775809', '4294967296', '4294967295', '2147483648', '-2147483649', '-1', '0', '1.5', '1e308', '-0', '1e-400', '123456789012345678901234567890'];
const HUGE_KEEP = ['1e400', '18446744073709551616', '9223372036854775807'];
const WRONG = {
  s: ['1', 'true', 'null', '[]', '{}', '["a"]', '1e400'],
  b: ['1', '"true"', 'null', '[]', '{}'],
  S: ['"a"', '1', '{}', 'null', '[1]', '[null]', '[[]]'],
  m: ['[]', '"a"', '1', '{"k":1}', '{"k":null}', '{"k":{}}', '{"":"v"}', '{"\\u0000":"v"}'],
  M: ['{}', '"a"', '[1]', '[[]]', '["a"]', '[{"k":1}]'],
  o: ['1', '"a"', '[]', 'null', '{"a":{"b":1e400}}', '[{"x":1e400}]'],
  j: ['1e400'],
  n: ['"1"', 'true', 'null', '[]', '{}', '"abc"'],
};
WRONG.p = WRONG.s; WRONG.P = WRONG.S; WRONG.i = WRONG.n; WRONG.u = WRONG.n; WRONG.f = WRONG.n;
const NUM_QUERY = ['abc', '', '-1', '1.5', '1e400', '18446744073709551616', '9223372036854775808', '-9223372036854775809', 'NaN', 'Infinity', '0x10', '%FF'];
const STR_QUERY = ['%FF', '%00', '', 'x'.repeat(16384), '%E2%80%AE', '%C3%28'];
const BOOL_QUERY = ['yes', '1', 'TRUE', '', '%FF'];

/** Bodies that are not valid JSON, or JSON that is not an object. */
function malformedBodies(first) {
  const f = JSON.stringify(first ?? 'x');
  return [
    ['empty', ''], ['{', '{'], ['}', '}'], ['[', '['], ['truncated', `{${f}:`], ['trailing comma', `{${f}:1,}`], ['bare key', '{a:1}'], ["single quotes", "{'a':1}"],
    ['nul', 'nul'], ['01', '01'], ['two values', '{} {}'], ['trailing garbage', '{}garbage'], ['unterminated string', '"abc'], ['bad escape', `{${f}:"\\x"}`],
    ['lone surrogate', `{${f}:"\\ud800"}`], ['escaped NUL', `{${f}:"a\\u0000b"}`], ['number', '1'], ['string', '"s"'], ['true', 'true'], ['null', 'null'],
    ['array', '[]'], ['array of object', '[{}]'], ['1e400', '1e400'], ['deep arrays', '['.repeat(100000)], ['deep objects', `{${f}:`.repeat(30000)],
    ['BOM', '\ufeff{}'], ['duplicate key', `{${f}:"a",${f}:1}`],
    ['invalid UTF-8 in a string', Buffer.concat([Buffer.from(`{${f}:"`), Buffer.from([0xff, 0xfe, 0xc3, 0x28, 0xc0, 0xaf]), Buffer.from('"}')])],
    ['invalid UTF-8 key', Buffer.concat([Buffer.from('{"'), Buffer.from([0xed, 0xa0, 0x80]), Buffer.from('":1}')])],
    ['random bytes', randomBytes(1 + int(200))], ['random bytes', randomBytes(1 + int(2000))],
  ];
}
const MALFORMED_KEEP = ['empty', 'truncated', 'invalid UTF-8 in a string', 'deep arrays', '1e400'];
/** A few bytes of `text` flipped, dropped or repeated. */
function mutate(text) {
  const b = [...Buffer.from(text)];
  for (let n = 1 + int(4); n > 0; n--) {
    const at = int(b.length + 1);
    const op = int(3);
    if (op === 0) b.splice(at, 0, pick([0x22, 0x7b, 0x7d, 0x5b, 0x5d, 0x2c, 0x3a, 0x5c, 0x00, 0xff, 0x30 + int(10)]));
    else if (op === 1) b.splice(at, 1);
    else b.splice(at, 0, ...b.slice(at, at + 1 + int(8)));
  }
  return Buffer.from(b);
}
/** `{...base, field: <raw JSON>}` as text (raw: a JSON literal, possibly one JSON.parse refuses). */
function withField(base, field, raw) {
  const rest = { ...base };
  delete rest[field];
  const head = JSON.stringify(rest).slice(0, -1);
  return `${head}${head.length > 1 ? ',' : ''}${JSON.stringify(field)}:${raw}}`;
}
const enc = (s) => encodeURIComponent(s);
const query = (obj) => Object.entries(obj).map(([k, v]) => `${enc(k)}=${enc(typeof v === 'string' ? v : JSON.stringify(v))}`).join('&');

// ---------------------------------------------------------------------------------------------
// The server, the sandbox, and raw HTTP (node:http: paths are sent as written, so `%2e%2e` and
// `..` reach the server instead of being resolved by a URL parser).
let server, origin, sbId, stderr = '';

async function send(c) {
  let r = await sendOnce(c, 0);
  // A server that refuses a large body before reading all of it (413 at the 2 MB limit, or a
  // 403/404 decided from the path) closes with bytes unread, so the kernel resets the
  // connection, and the answer can be lost before the client reads it: a race (about one try
  // in three for 3 MB here). Tried again announcing the body (Expect: 100-continue, then with a
  // Content-Length too); a reset every time is reported, not failed on (see `resets`).
  for (let way = 1; way <= 2 && r.reset; way++) r = await sendOnce(c, way);
  return r;
}
/** One request on a connection of its own (an early refusal closes it; nothing leaks into the
 * next request). Bodies over 64 KiB are streamed and cut off once the server has answered: it
 * may refuse before reading them all. `oversize`: a body of that many bytes (`{"x":"aaa…`),
 * with its Content-Length when LIMIT + 1 (the server reads it all before refusing it), else
 * chunked (`way` 0), with Expect: 100-continue (1), and with a Content-Length too (2). */
function sendOnce({ method, path, body, headers = {}, auth = true, oversize = 0 }, way) {
  return new Promise((resolve) => {
    const h = { ...headers };
    if (auth) h.authorization = `Bearer ${server.apiKey}`;
    const value = typeof body === 'function' ? body() : body;
    const data = value === undefined ? null : Buffer.isBuffer(value) ? value : Buffer.from(value);
    const total = oversize || data?.length || 0;
    const streamed = total > 65536;
    if (streamed && (!oversize || oversize === LIMIT + 1 || way === 2)) h['content-length'] = String(total);
    if (way > 0) h.expect = '100-continue';
    let answered = false, settled = false;
    const finish = (v) => { if (!settled) { settled = true; clearTimeout(timer); resolve(v); } };
    const req = http.request({ host: origin.hostname, port: origin.port, method, path, headers: h, agent: false }, (res) => {
      answered = true;
      const chunks = []; let kept = 0;
      res.on('data', (c) => { if (kept < 4 * MB) { chunks.push(c); kept += c.length; } });
      res.on('end', () => { finish({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }); req.destroy(); });
      res.on('error', (e) => finish({ error: `response: ${e.code ?? e.message}` }));
    });
    const timer = setTimeout(() => { req.destroy(); finish({ error: `no answer within ${REQUEST_TIMEOUT_MS} ms`, timedOut: true }); }, REQUEST_TIMEOUT_MS);
    // `reset`: the connection of a large body was cut before its answer was read.
    req.on('error', (e) => { if (!answered) finish({ error: e.code ?? e.message, reset: streamed }); });
    if (!streamed) { req.end(data ?? undefined); return; }
    const chunkAt = (i) => (oversize
      ? Buffer.concat([Buffer.from(i === 0 ? '{"x":"' : ''), Buffer.alloc(Math.min(65536, total - i) - (i === 0 ? 6 : 0), 0x61)])
      : data.subarray(i, i + 65536));
    let sent = 0;
    const pump = () => {
      while (!answered && sent < total) {
        const chunk = chunkAt(sent);
        sent += chunk.length;
        if (!req.write(chunk)) { req.once('drain', pump); return; }
      }
      if (!answered) req.end();
    };
    if (way > 0) { req.on('continue', pump); req.flushHeaders(); } else pump();
  });
}

const api = async (method, path, json) => {
  const r = await send({ method, path, body: json === undefined ? undefined : JSON.stringify(json), headers: json === undefined ? {} : { 'content-type': 'application/json' } });
  assert.ok(r.status >= 200 && r.status < 300, `${method} ${path}: ${r.status ?? r.error} ${r.body ?? ''}`);
  return r.body.length ? JSON.parse(r.body) : undefined;
};

// ---------------------------------------------------------------------------------------------
// The disk: what a refused request must leave as it was. The sandbox's tree lives on an ext4
// image mounted in the server's own mount namespace (runtime/jail/disk.rs), so it is read
// through /proc/<server pid>/root. Compared: every entry (added, removed), and for files and
// links their kind, mode, owner, size, mtime, ctime and inode (links: their target); for
// directories their kind, mode and owner, not their own times, which change when a temporary
// file is made and removed in them (uploads write a temporary sibling and rename it,
// files.rs receive_file; git takes index.lock) without anything in them changing.
// Left out, because the server rewrites them on its own:
//   state.sqlite and its -wal/-shm/-journal: every toolbox request records activity
//     (sandbox_ctx.rs -> refresh_activity; store.rs, WAL mode);
//   warm/, disks/warm-N.ext4 and disks/warm-N.partial: the warm disk pool, refilled in the
//     background after a sandbox takes a disk (jail/disk.rs `warm`, warm_pools.rs);
//   what is inside disks/*.ext4: the images behind the sandbox trees, which are compared file
//     by file through their mounts (only whether each image exists is compared).
const IGNORED = [/^state\.sqlite(-wal|-shm|-journal)?$/, /^warm(\/|$)/, /^disks\/warm-[^/]*\.(ext4|partial)$/];
const NAME_ONLY = [/^disks\/[^/]*\.ext4$/];
let snapMs = 0, snaps = 0;
function diskSnapshot() {
  const ts = performance.now();
  try { return diskSnapshotNow(); } finally { snapMs += performance.now() - ts; snaps++; }
}
function diskSnapshotNow() {
  const root = `/proc/${server.child.pid}/root${server.dataDir}`;
  const out = new Map();
  const walk = (rel) => {
    let names;
    try { names = readdirSync(rel ? `${root}/${rel}` : root); } catch (e) { out.set(rel + '/', `unreadable ${e.code}`); return; }
    for (const name of names.sort()) {
      const r = rel ? `${rel}/${name}` : name;
      if (IGNORED.some((re) => re.test(r))) continue;
      let st;
      try { st = lstatSync(`${root}/${r}`, { bigint: true }); } catch (e) { out.set(r, `gone ${e.code}`); continue; }
      const kind = st.isDirectory() ? 'dir' : st.isSymbolicLink() ? 'link' : st.isFile() ? 'file' : 'other';
      if (NAME_ONLY.some((re) => re.test(r))) { out.set(r, kind); continue; }
      const owner = `mode=${st.mode.toString(8)} uid=${st.uid} gid=${st.gid}`;
      if (kind === 'dir') { out.set(r, `dir ${owner}`); walk(r); continue; }
      const target = kind === 'link' ? ` -> ${readlinkSync(`${root}/${r}`)}` : '';
      out.set(r, `${kind}${target} ${owner} size=${st.size} mtime=${st.mtimeNs} ctime=${st.ctimeNs} ino=${st.ino}`);
    }
  };
  walk('');
  return out;
}
function diskDiff(a, b) {
  const d = [];
  for (const [k, v] of a) if (!b.has(k)) d.push(`removed ${k}`); else if (b.get(k) !== v) d.push(`changed ${k}: ${v} -> ${b.get(k)}`);
  for (const k of b.keys()) if (!a.has(k)) d.push(`added ${k}: ${b.get(k)}`);
  return d;
}

// ---------------------------------------------------------------------------------------------
// Cases: each route's template filled with good values, then one thing at a time made bad.
const PARAM_DEFAULTS = {
  port: '3000', token: 'fuzz-token', setting: 'autostop', minutes: '0', secret: 'fuzz-no-such-secret', snapshot: 'fuzz-no-such-snapshot',
  volname: 'fuzz-no-such-volume', volume: 'fuzz-no-such-volume', pool: 'fuzz-no-such-pool', s3path: 'fuzz-bucket/key', preview: '3000-{sbId}/',
  session_id: 'fuzz-session', command_id: 'fuzz-no-such-command', pty_id: 'fuzz-no-such-pty', context_id: 'fuzz-no-such-context',
  procname: 'xvfb', what: 'focus', rec: 'fuzz-no-such-recording',
};
const NUMERIC_PARAMS = new Set(['port', 'minutes']);
const paramsOf = (p) => [...p.matchAll(/\{\*?([a-zA-Z_]+)\}/g)].map((m) => m[1]);

function fill(route, over = {}) {
  return route.p.replace(/\{\*?([a-zA-Z_]+)\}/g, (_, name) => {
    if (name in over) return over[name];
    if (name === 'id' || name === 'sandboxId') return route.noRealId ? 'fuzz-no-such-sandbox' : sbId;
    if (name === 'session_id' && route.noRealSession) return 'fuzz-no-such-session';
    return PARAM_DEFAULTS[name].replace('{sbId}', sbId);
  });
}

function casesFor(route) {
  const cases = [];
  const add = (what, c) => cases.push({ route, what, method: route.m, auth: !route.noAuth, ...c });
  const qbase = route.qbase ?? {};
  const basePath = fill(route);
  const withQuery = (path, q) => (q ? `${path}?${q}` : path);
  const baseQuery = query(qbase);
  const jsonHeaders = { 'content-type': 'application/json' };
  const baseBody = route.base ?? {};

  // The route as it is (for a WebSocket route: plain HTTP, no upgrade).
  add(route.ws ? 'plain HTTP, no upgrade' : 'as is', { path: withQuery(basePath, baseQuery), body: route.b ? JSON.stringify(baseBody) : undefined, headers: route.b ? jsonHeaders : {} });

  // Path parameters, one at a time.
  for (const name of paramsOf(route.p)) {
    // The sandbox id of a toolbox route goes through one lookup (SandboxCtx) for every route:
    // a few junk values each, different ones per route, cover it.
    const junk = name === 'sandboxId' ? sample(SEGMENT_JUNK, 3).concat([junkSegment()]) : sample(SEGMENT_JUNK, 6, SEGMENT_KEEP).concat([junkSegment()]);
    if (NUMERIC_PARAMS.has(name)) junk.push(...sample(HUGE, 8, HUGE_KEEP));
    // An interval route's minutes are tried under every setting.
    const settings = name === 'minutes' ? ['autostop', 'autoarchive', 'autodelete', 'autopause', 'ttl'] : [undefined];
    for (const v of junk) {
      for (const setting of settings) {
        const over = setting ? { [name]: v, setting } : { [name]: v };
        add(`path param ${name}=${v.slice(0, 40)}`, { path: withQuery(fill(route, over), baseQuery), body: route.b ? JSON.stringify(baseBody) : undefined, headers: route.b ? jsonHeaders : {}, early: name === 'sandboxId' });
      }
    }
  }
  // No API key, or a wrong one (one of the two per route: the same middleware checks all), and
  // a method the route does not serve.
  if (!route.noAuth && !route.s3) {
    if (rand() < 0.5) add('no API key', { path: basePath, auth: false, early: true });
    else add('wrong API key', { path: basePath, auth: false, headers: { authorization: `Bearer wrong-${'k'.repeat(int(100))}` }, early: true });
  }
  const other = ['PATCH', 'PUT', 'DELETE', 'POST', 'GET'].find((m) => !ROUTES.some((r) => r.p === route.p && r.m === m));
  if (other) add(`method ${other}`, { method: other, path: withQuery(basePath, baseQuery), early: true });

  // Query parameters: missing, malformed, and one bad value at a time.
  if (route.q) {
    add('no query', { path: basePath });
    for (const raw of ['%', '%zz=1', 'a=%FF', '&&=&', `${'q'.repeat(16384)}`, `${Object.keys(route.q)[0]}`, `${Object.keys(route.q)[0]}[]=x`]) add(`query ${raw.slice(0, 20)}`, { path: `${basePath}?${raw}` });
    for (const [k, t] of Object.entries(route.q)) {
      const others = query(Object.fromEntries(Object.entries(qbase).filter(([kk]) => kk !== k)));
      const vals = t === 'p' ? [...sample(PATH_TRICKS, 12, PATH_KEEP).map(fresh).map(enc), ...sample(RAW_QUERY_TRICKS, 3, ['%FF'])]
        : 'iuf'.includes(t) ? NUM_QUERY.map((v) => (v === '%FF' ? v : enc(v)))
        : t === 'b' ? BOOL_QUERY
        : t === 'j' ? ['%7B', enc('{"a":1}'), enc('[]'), '%FF', enc('1e400')]
        : STR_QUERY.concat([enc(junkSegment())]);
      const chosen = t === 'p' ? vals : sample(vals, 5, vals.slice(0, 2));
      for (const v of chosen) add(`query ${k}=${decodeURIComponentSafe(v).slice(0, 40)}`, { path: `${basePath}?${others ? others + '&' : ''}${enc(k)}=${v}`, body: route.raw && !route.b ? 'fuzz' : undefined });
      add(`query ${k} twice`, { path: `${basePath}?${others ? others + '&' : ''}${enc(k)}=a&${enc(k)}=b` });
    }
  }

  // JSON bodies.
  if (route.b) {
    const path = withQuery(basePath, baseQuery);
    const fields = Object.keys(route.b);
    const malformed = malformedBodies(fields[0]);
    for (const [name, body] of sample(malformed, 10, malformed.filter(([n]) => MALFORMED_KEEP.includes(n)))) add(`body ${name}`, { path, body, headers: jsonHeaders, early: true });
    const baseJson = JSON.stringify(Object.keys(baseBody).length ? baseBody : { [fields[0]]: 'x' });
    for (let i = 0; i < 2; i++) add('body mutated', { path, body: mutate(baseJson), headers: jsonHeaders });
    add('body with text/plain', { path, body: baseJson, headers: { 'content-type': 'text/plain' }, early: true });
    add('body without content type', { path, body: baseJson, early: true });
    add(`body of ${LIMIT + 1} bytes`, { path, oversize: LIMIT + 1, headers: jsonHeaders, early: true });
    add(`body of ${3 * MB} bytes`, { path, oversize: 3 * MB, headers: jsonHeaders, early: true });
    const strings = fields.filter((f) => 'sp'.includes(route.b[f]));
    const big = strings.length ? pick(strings) : null;
    for (const [f, t] of Object.entries(route.b)) {
      const vals = [...sample(WRONG[t], 2, WRONG[t].slice(0, 1))];
      if ('iuf'.includes(t)) vals.push(...sample(HUGE, 5, HUGE_KEEP));
      if (t === 'p' || t === 'P') vals.push(...sample(PATH_TRICKS, route.fs ? 10 : 6, PATH_KEEP).map(fresh).map((p) => JSON.stringify(t === 'P' ? [p] : p)));
      if ('sp'.includes(t)) vals.push(JSON.stringify('\u0000'), JSON.stringify(junkSegment()));
      for (const raw of vals) add(`body ${f}=${raw.slice(0, 40)}`, { path, body: withField(baseBody, f, raw), headers: jsonHeaders });
      if (f === big) {
        // 1 MB of JSON string (made when sent, so thousands of cases do not hold it at once).
        const unit = JSON.stringify(pick(['a', '../', 'é', '\u0000', '%FF'])).slice(1, -1);
        add(`body ${f}="${unit}"×1 MB`, { path, body: () => withField(baseBody, f, `"${unit.repeat(Math.floor(MB / Buffer.byteLength(unit)))}"`), headers: jsonHeaders });
      }
      add(`body ${f} invalid UTF-8`, { path, body: Buffer.concat([Buffer.from(withField(baseBody, f, '"').slice(0, -1)), Buffer.from([0xff, 0xc3, 0x28]), Buffer.from('"}')]), headers: jsonHeaders });
    }
  }

  // Raw bodies: a PUT to object storage, an upload.
  if (route.raw && !route.b) {
    add('raw body', { path: withQuery(basePath, baseQuery), body: randomBytes(int(4096)) });
    add(`raw body of ${LIMIT + 1} bytes`, { path: withQuery(basePath, query({ path: pick(PATH_TRICKS.slice(0, 8)) })), oversize: LIMIT + 1 });
    if (route.p.endsWith('upload-v2')) {
      add('multipart without a file field', { path: withQuery(basePath, baseQuery), body: '--b\r\nContent-Disposition: form-data; name="x"\r\n\r\ny\r\n--b--\r\n', headers: { 'content-type': 'multipart/form-data; boundary=b' } });
      add('multipart without a boundary', { path: withQuery(basePath, baseQuery), body: 'x', headers: { 'content-type': 'multipart/form-data' } });
      add('multipart cut short', { path: withQuery(basePath, baseQuery), body: '--b\r\nContent-Disposition: form-data; name="file"\r\n\r\nabc', headers: { 'content-type': 'multipart/form-data; boundary=b' } });
    }
  }

  // Multipart uploads: path tricks in the path field, broken forms.
  if (route.multipart) {
    const form = (parts, end = '--fz--\r\n') => Buffer.concat([...parts.map(([name, value, filename]) => Buffer.concat([
      Buffer.from(`--fz\r\nContent-Disposition: form-data; name="${name}"${filename ? `; filename="${filename}"` : ''}\r\n\r\n`), Buffer.from(value), Buffer.from('\r\n')])), Buffer.from(end)]);
    const headers = { 'content-type': 'multipart/form-data; boundary=fz' };
    for (const p of sample(PATH_TRICKS, 14, PATH_KEEP).map(fresh)) add(`multipart path=${JSON.stringify(p).slice(0, 40)}`, { path: basePath, body: form([['files[0].path', p], ['files[0].file', 'fuzz', 'f']]), headers });
    add('multipart path invalid UTF-8', { path: basePath, body: form([['files[0].path', Buffer.from([0x2e, 0x2e, 0x2f, 0xff, 0xfe])], ['files[0].file', 'fuzz', 'f']]), headers });
    add('multipart file before path', { path: basePath, body: form([['files[0].file', 'fuzz', 'f'], ['files[0].path', 'fuzz-late.txt']]), headers });
    add('multipart cut short', { path: basePath, body: form([['files[0].path', '../x']], '--fz\r\nContent-Disposition: form-data; name="files[0].file"\r\n\r\nabc'), headers });
    add('multipart without a boundary', { path: basePath, body: 'x', headers: { 'content-type': 'multipart/form-data' } });
    add('multipart, wrong boundary', { path: basePath, body: form([['files[0].path', 'x']]), headers: { 'content-type': 'multipart/form-data; boundary=other' } });
    add('multipart huge field name', { path: basePath, body: form([['n'.repeat(65536), 'x']]), headers });
    add('json instead of multipart', { path: basePath, body: '{}', headers: { 'content-type': 'application/json' } });
    add(`multipart of ${LIMIT + 1} bytes`, { path: basePath, oversize: LIMIT + 1, headers });
  }
  return cases;
}
function decodeURIComponentSafe(s) { try { return decodeURIComponent(s); } catch { return s; } }

// ---------------------------------------------------------------------------------------------
// Checks.
const STATUS_TEXT = http.STATUS_CODES;
const TIMESTAMP = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;
/** What is wrong with a refusal's body, by the shape `impl IntoResponse for Error` writes. */
function shapeProblems(c, r) {
  const text = r.body.toString();
  const ct = String(r.headers['content-type'] ?? '');
  if (c.route.s3) {
    return ct.startsWith('application/xml') && /<Error><Code>[^<]+<\/Code><Message>[^<]*<\/Message><\/Error>/.test(text) ? [] : [`not S3's XML error shape (content-type ${ct || 'none'})`];
  }
  if (!ct.startsWith('application/json')) return [`content-type ${ct || 'none'}, not application/json`];
  let b;
  try { b = JSON.parse(text); } catch { return ['body is not JSON']; }
  if (!b || typeof b !== 'object' || Array.isArray(b)) return ['body is not a JSON object'];
  const p = [];
  if (b.statusCode !== r.status) p.push(`statusCode ${JSON.stringify(b.statusCode)} is not ${r.status}`);
  if (typeof b.message !== 'string' || !b.message) p.push(`message ${JSON.stringify(b.message)?.slice(0, 40)} is not a non-empty string`);
  if (b.error !== STATUS_TEXT[r.status]) p.push(`error ${JSON.stringify(b.error)} is not ${JSON.stringify(STATUS_TEXT[r.status])}`);
  if (typeof b.timestamp !== 'string' || !TIMESTAMP.test(b.timestamp)) p.push(`timestamp ${JSON.stringify(b.timestamp)} is not RFC 3339 UTC with milliseconds`);
  if ('code' in b && (typeof b.code !== 'string' || b.source !== 'DAYTONA_DAEMON')) p.push(`code ${JSON.stringify(b.code)} without source DAYTONA_DAEMON`);
  return p;
}
/** 5xx answers that are the server's design, not its failure: computer use on a host without
 * its X programs is "not available" (503, as Daytona's daemon answers while its plugin is not
 * loaded; computer_use.rs require_programs), and a git remote that cannot be reached is a
 * gateway's 502 with code GIT_TRANSPORT_FAILED (git.rs git_error). The fuzz's clones and
 * pulls name a remote nothing listens on, so that the path fields behind the URL get tried. */
function expected5xx(c, r) {
  const text = r.body.toString();
  if (r.status === 503 && c.route.p.includes('/computeruse/') && !c.route.p.includes('/recordings')) return /Computer-use functionality is not available/.test(text);
  if (r.status === 502 && /\/git\/(clone|push|pull)$/.test(c.route.p)) return /"code":"GIT_TRANSPORT_FAILED"/.test(text);
  return false;
}

const results = [];
let sent = 0, fsCompared = 0, elapsedMs = 0, routesHit = new Set();

let lastDisk = null; // the disk as the previous file-system case left it
async function runCase(c, compare = true) {
  const fsCheck = c.route.fs && compare;
  const beforeDisk = fsCheck ? (lastDisk ?? diskSnapshot()) : null;
  const t = performance.now();
  const r = await send(c);
  r.ms = performance.now() - t;
  sent++;
  routesHit.add(`${c.route.m} ${c.route.p}`);
  const rec = { c, r, problems: [], diff: null };
  const refused = !r.error && r.status >= 400;
  if (refused && r.status < 500) rec.problems = shapeProblems(c, r);
  // The disk is compared after every refusal, 4xx or 5xx: a request that failed must not
  // leave half of its work behind either.
  if (fsCheck) {
    lastDisk = diskSnapshot();
    if (refused) {
      fsCompared++;
      const d = diskDiff(beforeDisk, lastDisk);
      if (d.length) rec.diff = d;
    }
  }
  // A fault rule set by an accepted PUT would fault everything after it.
  if (c.route.p === '/api/local/faults' && c.method === 'PUT' && r.status < 300) { await send({ method: 'DELETE', path: '/api/local/faults' }); lastDisk = null; }
  results.push(rec);
}

async function pool(cases, n, compare = true) {
  let next = 0;
  await Promise.all(Array.from({ length: n }, async () => { while (next < cases.length) await runCase(cases[next++], compare); }));
}

/** Cases that cannot get past the first check (a junk sandbox id, no key, a method the route
 * does not serve, a body that is not JSON or not its content type or over the limit), sent a
 * few at a time with the disk compared around the batch: anything changed is laid at the first
 * refusal's door, with how many requests the batch held. */
async function batch(cases) {
  const before = lastDisk ?? diskSnapshot();
  const start = results.length;
  await pool(cases, CONCURRENCY, false);
  lastDisk = diskSnapshot();
  const recs = results.slice(start);
  const refused = recs.filter(({ r }) => !r.error && r.status >= 400);
  fsCompared += refused.length;
  const d = diskDiff(before, lastDisk);
  if (!d.length) return;
  // A request of the batch that was accepted (a create whose fuzzed body was valid) changed
  // the disk: the refused ones are sent again, one at a time, each compared on its own.
  if (refused.length < recs.length) return pool(refused.map(({ c }) => c), 1);
  refused[0].diff = [`(one of a batch of ${recs.length} requests, all refused)`, ...d];
}

function describe(rec) {
  const { c, r } = rec;
  const body = c.oversize ? ` body: {"x":"aaa… (${c.oversize} bytes${c.oversize > LIMIT + 1 ? ', chunked' : ''})` : c.body === undefined ? '' : (() => {
    const value = typeof c.body === 'function' ? c.body() : c.body;
    const b = Buffer.isBuffer(value) ? value : Buffer.from(value);
    const shown = b.subarray(0, 160).toString('latin1').replace(/[^\x20-\x7e]/g, (ch) => `\\x${ch.charCodeAt(0).toString(16).padStart(2, '0')}`);
    return ` body(${b.length} B): ${shown}${b.length > 160 ? '…' : ''}`;
  })();
  const answer = r.error ? `no answer: ${r.error}` : `${r.status} ${String(r.headers['content-type'] ?? '')} ${r.body.toString().slice(0, 200).replace(/\s+/g, ' ')}`;
  return `${c.method} ${c.path.length > 200 ? c.path.slice(0, 200) + `…(${c.path.length} chars)` : c.path}${c.auth === false ? (c.headers?.authorization ? ` (authorization: ${c.headers.authorization.slice(0, 20)}…)` : ' (no key)') : ''}${body}\n      [${c.what}] -> ${answer}`;
}
/** What kind of failure a record is: its status, its content type, and the start of what it
 * said with ids, numbers and quoted values blanked, so one cause is one group. */
function kind(rec) {
  const { r } = rec;
  if (r.error) return `no answer (${r.error.replace(/\d+/g, 'N')})`;
  const ct = String(r.headers['content-type'] ?? 'no content type').split(';')[0];
  let said = r.body.toString();
  try {
    const b = JSON.parse(said);
    said = typeof b?.message === 'string' ? b.message : b && typeof b === 'object' ? `JSON {${Object.keys(b).join(', ')}}` : said;
  } catch {}
  said = said.replace(/[0-9a-f]{8}-[0-9a-f-]{27}/g, 'ID').replace(/(["'`]).*?\1/g, '$1…$1').replace(/\d+/g, 'N').slice(0, 70);
  return `${r.status} ${ct} ${JSON.stringify(said)}${rec.problems.length ? ` [${rec.problems[0].replace(/\d+/g, 'N')}]` : ''}`;
}
/** Failures grouped by `key`: how many, on which routes, and a few exact requests to repeat. */
function report(title, recs, key = kind, extra = () => '') {
  const groups = new Map();
  for (const rec of recs) {
    const k = key(rec);
    if (!groups.has(k)) groups.set(k, []);
    groups.get(k).push(rec);
  }
  const lines = [`${title}: ${recs.length} requests, ${groups.size} kinds (seed ${SEED})`];
  for (const [k, list] of groups) {
    const routes = [...new Set(list.map((rec) => `${rec.c.route.m} ${rec.c.route.p}`))];
    lines.push(`  ${k}: ${list.length} requests on ${routes.length} routes: ${routes.slice(0, 6).join(', ')}${routes.length > 6 ? ', …' : ''}`);
    for (const rec of list.slice(0, 2)) lines.push(`    ${describe(rec)}${extra(rec)}`);
  }
  return lines.join('\n');
}
// ---------------------------------------------------------------------------------------------
before(async () => {
  const t0 = performance.now();
  // The reaper every second, so what a fuzzed interval does to it shows within the run.
  server = await startServer({ args: ['--reap-interval-secs', '1'], env: { RUST_BACKTRACE: '0' } });
  server.child.stderr.on('data', (d) => { stderr += d; });
  origin = new URL(server.apiUrl);
  sbId = (await api('POST', '/api/sandbox', {})).id;
  const T = `/toolbox/${sbId}`;
  // Files for the tricks to aim at: a seed tree, a git repo, and symlinks out of the sandbox.
  const setup = await api('POST', `${T}/process/execute`, { command: `sh -c 'mkdir -p seed/dir repo && echo hello > seed/a.txt && echo b > seed/dir/b.txt && echo p > seed/perm.txt && ln -s /etc link-out && ln -s /nonexistent link-dangling && cd repo && git init -q && echo f > f.txt && git add f.txt && git -c user.name=f -c user.email=f@f.f commit -qm init && echo ok'` });
  assert.equal(setup.result.trim(), 'ok', `sandbox setup: ${JSON.stringify(setup)}`);
  await api('POST', `${T}/process/session`, { sessionId: 'fuzz-session' });

  const cases = ROUTES.flatMap(casesFor);
  // Sandboxes made by create bodies that were valid after all stay (what they were made with
  // is fuzz input too, for the lifecycle reaper), so creates run last among the file-system
  // cases, keeping the disk walks of the others short.
  const creates = (c) => c.route.p === '/api/sandbox' && c.route.m === 'POST';
  const fsCases = [...cases.filter((c) => c.route.fs && !creates(c)), ...cases.filter((c) => c.route.fs && creates(c))];
  const early = new Map();
  for (const c of fsCases.filter((c) => c.early)) early.set(c.route, [...(early.get(c.route) ?? []), c]);
  const others = cases.filter((c) => !c.route.fs);
  console.log(`http-fuzz: seed ${SEED} (FUZZ_SEED=${SEED} repeats this run), ${ROUTES.length} routes, ${cases.length} cases, ${fsCases.length} of them with the disk compared`);
  const t1 = performance.now();
  for (const list of early.values()) await batch(list);
  // The rest of the file-system cases one at a time, so a change on disk belongs to the
  // request that made it.
  await pool(fsCases.filter((c) => !c.early), 1);
  const t2 = performance.now();
  await pool(others, CONCURRENCY);
  const t3 = performance.now();
  // Let the reaper (every second) run over whatever the fuzz stored.
  await new Promise((r) => setTimeout(r, 2000));
  elapsedMs = performance.now() - t0;
  if (process.env.FUZZ_DEBUG) {
    console.log(`setup ${(t1 - t0).toFixed(0)} ms, file-system cases ${(t2 - t1).toFixed(0)} ms (${snaps} disk walks of ~${lastDisk?.size} entries: ${snapMs.toFixed(0)} ms), the rest ${(t3 - t2).toFixed(0)} ms`);
    const by = new Map();
    for (const { c, r } of results) { const k = `${c.route.m} ${c.route.p}`; const v = by.get(k) ?? [0, 0]; v[0] += r.ms; v[1]++; by.set(k, v); }
    console.log([...by].sort((a, b) => b[1][0] - a[1][0]).slice(0, 25).map(([k, [ms, n]]) => `${k}: ${n} cases ${ms.toFixed(0)} ms`).join('\n'));
  }
  const statuses = {};
  for (const { r } of results) statuses[r.error ? 'none' : r.status] = (statuses[r.error ? 'none' : r.status] ?? 0) + 1;
  console.log(`http-fuzz: ${sent} fuzz requests sent in ${(elapsedMs / 1000).toFixed(1)} s; answers by status ${JSON.stringify(statuses)}; ${fsCompared} refusals had the disk compared`);
}, { timeout: 55_000 });

after(async () => {
  console.log(`http-fuzz: ${sent} fuzz cases run (seed ${SEED}) in ${(elapsedMs / 1000).toFixed(1)} s`);
  await server?.stop();
});

test('the fuzz covered every route, against a sandbox that stayed started', async () => {
  assert.equal(routesHit.size, ROUTES.length, `routes never tried: ${ROUTES.filter((r) => !routesHit.has(`${r.m} ${r.p}`)).map((r) => `${r.m} ${r.p}`).join(', ')}`);
  assert.ok(sent >= 3000, `only ${sent} requests sent`);
  assert.ok(fsCompared >= 300, `only ${fsCompared} file-system refusals compared on disk`);
  const sb = await api('GET', `/api/sandbox/${sbId}`);
  assert.equal(sb.state, 'started', 'the fuzzed sandbox is still started, so toolbox requests reached it');
  // Toolbox requests got past the sandbox lookup (not all 404/409 for the sandbox itself).
  const reached = results.filter(({ c, r }) => c.path.startsWith(`/toolbox/${sbId}/`) && r.status && r.status !== 404 && r.status !== 409);
  assert.ok(reached.length > 1000, `only ${reached.length} toolbox requests reached the sandbox`);
});

/** Large bodies whose connection was cut before the answer could be read, on every try. */
const resets = () => results.filter(({ r }) => r.reset);

test('no request is answered with a 5xx, and every request is answered', () => {
  if (resets().length) console.log(report('not failed on: large bodies refused with a reset connection (the answer lost)', resets()));
  const bad = results.filter(({ c, r }) => (r.error && !r.reset) || (r.status >= 500 && !expected5xx(c, r)));
  assert.equal(bad.length, 0, report('5xx or no answer', bad));
});

test("every refusal (4xx) carries Daytona's error shape", () => {
  const bad = results.filter((rec) => rec.problems.length);
  assert.equal(bad.length, 0, report('4xx without the error shape', bad, kind, (rec) => `\n      shape: ${rec.problems.join('; ')}`));
});

test('a refused request that targets the file system changes nothing on disk', () => {
  const bad = results.filter((rec) => rec.diff);
  // Nothing named after the sentinel the tricks aim at exists outside the sandbox either.
  const root = `/proc/${server.child.pid}/root`;
  const escaped = [`/${SENTINEL}`, `/tmp/${SENTINEL}`, `${server.dataDir}/${SENTINEL}`, `${server.dataDir}/sandboxes/${SENTINEL}`, `${root}${server.dataDir}/${SENTINEL}`,
    `${root}${server.dataDir}/sandboxes/${SENTINEL}`, `${root}${server.dataDir}/sandboxes/${sbId}/${SENTINEL}`].filter((p) => existsSync(p));
  assert.deepEqual(escaped, [], 'files written outside the sandbox');
  assert.equal(bad.length, 0, report('disk changed by a refused request', bad, (rec) => `${rec.c.route.m} ${rec.c.route.p}: ${kind(rec)}`, (rec) => `\n      disk: ${rec.diff.slice(0, 3).join('; ')}`));
});

test('the server is still running and answering, and never panicked', async () => {
  assert.equal(server.child.exitCode, null, 'exit code');
  assert.equal(server.child.signalCode, null, 'signal');
  const r = await send({ method: 'GET', path: '/api/config' });
  assert.equal(r.status, 200, `GET /api/config after the fuzz: ${r.status ?? r.error}`);
  const panics = stderr.split('\n').filter((l) => /panicked/.test(l));
  assert.deepEqual(panics, [], 'panics on the server stderr');
});

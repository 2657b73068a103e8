// Runtime pieces the wasm facade needs in JS: the error classes (so `instanceof` works and
// `name` survives minification) and the enums the official SDK exports as objects.
// A wasm-bindgen snippet: standalone ES module, no imports. Entry files re-export it.

export const SOURCE_API = 'DAYTONA_API';
export const SOURCE_DAEMON = 'DAYTONA_DAEMON';
export const SOURCE_PROXY = 'DAYTONA_PROXY';

export class DaytonaError extends Error {
  constructor(message, statusCode, headers, code, source) {
    super(message);
    this.statusCode = statusCode;
    this.headers = headers;
    this.code = code;
    Object.defineProperty(this, 'source', { value: source, enumerable: true });
  }
  /** @deprecated Use `code`. */
  get errorCode() {
    return this.code;
  }
  /** Whether the same request may succeed if sent again later: rate limits, gateways' and
   * unavailable services' errors (not a daemon's coded answer), failed connections. The SDK
   * has already retried what was safe to repeat. */
  get retryable() {
    if (this instanceof DaytonaConnectionError) return true;
    return RETRYABLE_STATUS.includes(this.statusCode) && !(this.source === SOURCE_DAEMON && this.code);
  }
}

const RETRYABLE_STATUS = [408, 429, 502, 503, 504];

// Names are set from string literals, not `constructor.name`, so minifiers cannot mangle them.
function named(name, cls) {
  Object.defineProperty(cls, 'name', { value: name });
  Object.defineProperty(cls.prototype, 'name', { value: name, writable: true, configurable: true });
  return cls;
}
named('DaytonaError', DaytonaError);

export const DaytonaBadRequestError = named('DaytonaBadRequestError', class extends DaytonaError {});
export const DaytonaAuthenticationError = named('DaytonaAuthenticationError', class extends DaytonaError {});
export const DaytonaForbiddenError = named('DaytonaForbiddenError', class extends DaytonaError {});
export const DaytonaNotFoundError = named('DaytonaNotFoundError', class extends DaytonaError {});
export const DaytonaConflictError = named('DaytonaConflictError', class extends DaytonaError {});
export const DaytonaGoneError = named('DaytonaGoneError', class extends DaytonaError {});
export const DaytonaUnprocessableEntityError = named('DaytonaUnprocessableEntityError', class extends DaytonaError {});
export const DaytonaRateLimitError = named('DaytonaRateLimitError', class extends DaytonaError {});
export const DaytonaInternalServerError = named('DaytonaInternalServerError', class extends DaytonaError {});
export const DaytonaBadGatewayError = named('DaytonaBadGatewayError', class extends DaytonaError {});
export const DaytonaServiceUnavailableError = named('DaytonaServiceUnavailableError', class extends DaytonaError {});
export const DaytonaValidationError = named('DaytonaValidationError', class extends DaytonaBadRequestError {});
export const DaytonaAuthorizationError = named('DaytonaAuthorizationError', class extends DaytonaForbiddenError {});
export const DaytonaInvalidArgumentError = named('DaytonaInvalidArgumentError', class extends DaytonaValidationError {});
export const DaytonaConnectionError = named('DaytonaConnectionError', class extends DaytonaError {});
export const DaytonaConnectionTimeoutError = named('DaytonaConnectionTimeoutError', class extends DaytonaConnectionError {});
// A transport timeout is also a DaytonaTimeoutError, as in the official SDK.
export const DaytonaTimeoutError = named('DaytonaTimeoutError', class extends DaytonaError {
  static [Symbol.hasInstance](value) {
    return Function.prototype[Symbol.hasInstance].call(this, value) ||
      (this === DaytonaTimeoutError && value instanceof DaytonaConnectionTimeoutError);
  }
});
export const DaytonaGitAuthFailedError = named('DaytonaGitAuthFailedError', class extends DaytonaAuthenticationError {});
export const DaytonaGitRepoNotFoundError = named('DaytonaGitRepoNotFoundError', class extends DaytonaNotFoundError {});
export const DaytonaGitBranchNotFoundError = named('DaytonaGitBranchNotFoundError', class extends DaytonaNotFoundError {});
export const DaytonaGitBranchExistsError = named('DaytonaGitBranchExistsError', class extends DaytonaConflictError {});
export const DaytonaGitPushRejectedError = named('DaytonaGitPushRejectedError', class extends DaytonaConflictError {});
export const DaytonaGitDirtyWorktreeError = named('DaytonaGitDirtyWorktreeError', class extends DaytonaConflictError {});
export const DaytonaGitMergeConflictError = named('DaytonaGitMergeConflictError', class extends DaytonaConflictError {});
export const DaytonaGitTransportFailedError = named('DaytonaGitTransportFailedError', class extends DaytonaBadGatewayError {});
export const DaytonaGitRemoteRejectedError = named('DaytonaGitRemoteRejectedError', class extends DaytonaUnprocessableEntityError {});
export const DaytonaFileNotFoundError = named('DaytonaFileNotFoundError', class extends DaytonaNotFoundError {});
export const DaytonaFileAccessDeniedError = named('DaytonaFileAccessDeniedError', class extends DaytonaForbiddenError {});
export const DaytonaInvalidFilePathError = named('DaytonaInvalidFilePathError', class extends DaytonaBadRequestError {});
export const DaytonaFileReadFailedError = named('DaytonaFileReadFailedError', class extends DaytonaInternalServerError {});
export const DaytonaLspServerNotInitializedError = named('DaytonaLspServerNotInitializedError', class extends DaytonaBadRequestError {});
export const DaytonaProcessExecutionTimeoutError = named('DaytonaProcessExecutionTimeoutError', class extends DaytonaTimeoutError {});
export const DaytonaProcessNotFoundError = named('DaytonaProcessNotFoundError', class extends DaytonaNotFoundError {});
export const DaytonaSessionEndedError = named('DaytonaSessionEndedError', class extends DaytonaGoneError {});
export const DaytonaCommandAlreadyCompletedError = named('DaytonaCommandAlreadyCompletedError', class extends DaytonaGoneError {});
export const DaytonaA11yUnavailableError = named('DaytonaA11yUnavailableError', class extends DaytonaServiceUnavailableError {});
export const DaytonaRecordingStillActiveError = named('DaytonaRecordingStillActiveError', class extends DaytonaConflictError {});
export const DaytonaRecordingFfmpegNotFoundError = named('DaytonaRecordingFfmpegNotFoundError', class extends DaytonaServiceUnavailableError {});

const BY_STATUS = {
  400: DaytonaValidationError, 401: DaytonaAuthenticationError, 403: DaytonaAuthorizationError,
  404: DaytonaNotFoundError, 408: DaytonaTimeoutError, 409: DaytonaConflictError, 410: DaytonaGoneError,
  422: DaytonaUnprocessableEntityError, 429: DaytonaRateLimitError, 500: DaytonaInternalServerError,
  502: DaytonaBadGatewayError, 503: DaytonaServiceUnavailableError, 504: DaytonaTimeoutError,
};

// Typed daemon codes win over the status, but only when the daemon stamped its source.
const BY_DAEMON_CODE = {
  GIT_AUTH_FAILED: DaytonaGitAuthFailedError, GIT_REPO_NOT_FOUND: DaytonaGitRepoNotFoundError,
  GIT_BRANCH_NOT_FOUND: DaytonaGitBranchNotFoundError, GIT_BRANCH_EXISTS: DaytonaGitBranchExistsError,
  GIT_PUSH_REJECTED: DaytonaGitPushRejectedError, GIT_DIRTY_WORKTREE: DaytonaGitDirtyWorktreeError,
  GIT_MERGE_CONFLICT: DaytonaGitMergeConflictError, GIT_TRANSPORT_FAILED: DaytonaGitTransportFailedError,
  GIT_REMOTE_REJECTED: DaytonaGitRemoteRejectedError, FILE_NOT_FOUND: DaytonaFileNotFoundError,
  FILE_ACCESS_DENIED: DaytonaFileAccessDeniedError, INVALID_FILE_PATH: DaytonaInvalidFilePathError,
  FILE_READ_FAILED: DaytonaFileReadFailedError, LSP_SERVER_NOT_INITIALIZED: DaytonaLspServerNotInitializedError,
  PROCESS_EXECUTION_TIMEOUT: DaytonaProcessExecutionTimeoutError, PROCESS_NOT_FOUND: DaytonaProcessNotFoundError,
  SESSION_ENDED: DaytonaSessionEndedError, COMMAND_ALREADY_COMPLETED: DaytonaCommandAlreadyCompletedError,
  A11Y_UNAVAILABLE: DaytonaA11yUnavailableError, RECORDING_STILL_ACTIVE: DaytonaRecordingStillActiveError,
  RECORDING_FFMPEG_NOT_FOUND: DaytonaRecordingFfmpegNotFoundError,
};

// Errors raised before or without an HTTP answer, by the kind the Rust core reports.
const BY_KIND = {
  invalidArgument: DaytonaInvalidArgumentError, authentication: DaytonaAuthenticationError,
  timeout: DaytonaTimeoutError, connection: DaytonaConnectionError,
  connectionTimeout: DaytonaConnectionTimeoutError, notFound: DaytonaNotFoundError, other: DaytonaError,
};

/** Same resolution as the official SDK: (source, code) → status → DaytonaError. */
export function createDaytonaError(message, statusCode, headers, code, source) {
  const cls = (source === SOURCE_DAEMON && BY_DAEMON_CODE[code]) || BY_STATUS[statusCode] || DaytonaError;
  return new cls(message, statusCode, headers, code, source);
}

/** @internal Used by the wasm facade. */
export function __createLocalError(kind, message) {
  if (kind === 'aborted') return new DOMException(message, 'AbortError');
  return new (BY_KIND[kind] || DaytonaError)(message);
}

/** @internal `promise`, or its rejection with the signal's reason (an `AbortError`, as fetch
 * rejects with) as soon as `signal` aborts. The work behind it stops by itself: its requests
 * carry the same signal. */
export function __raceAbort(promise, signal) {
  if (!signal) return promise;
  return new Promise((resolve, reject) => {
    const abort = () => reject(signal.reason instanceof Error ? signal.reason : new DOMException('This operation was aborted', 'AbortError'));
    // Always heard, so the work's own later rejection is never an unhandled one.
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', abort));
    if (signal.aborted) abort();
    else signal.addEventListener('abort', abort, { once: true });
  });
}

/** @internal Closes `socket` when `signal` aborts (now, if it has). */
export function __closeOnAbort(socket, signal) {
  if (signal.aborted) return socket.close();
  const close = () => socket.close();
  signal.addEventListener('abort', close, { once: true });
  // A long-lived signal must not keep every socket it ever watched.
  socket.addEventListener('close', () => signal.removeEventListener('abort', close), { once: true });
}

/** @internal `options.signal` when it is an AbortSignal, else undefined (a clear error for
 * anything else given as one). */
export function __signalOf(options) {
  const signal = options?.signal;
  if (signal == null) return undefined;
  if (typeof signal.aborted !== 'boolean' || typeof signal.addEventListener !== 'function') {
    throw new DaytonaInvalidArgumentError('signal must be an AbortSignal');
  }
  return signal;
}

export const CodeLanguage = Object.freeze({ PYTHON: 'python', TYPESCRIPT: 'typescript', JAVASCRIPT: 'javascript' });

// The platform's enums, as the official SDK's API client exports them (with its fallback for
// values a newer server may send).
const UNKNOWN_DEFAULT_OPEN_API = '11184809';
const apiEnum = (values) => Object.freeze({ ...values, UNKNOWN_DEFAULT_OPEN_API });

export const SandboxState = apiEnum({
  CREATING: 'creating', RESTORING: 'restoring', DESTROYED: 'destroyed', DESTROYING: 'destroying',
  STARTED: 'started', STOPPED: 'stopped', STARTING: 'starting', STOPPING: 'stopping', ERROR: 'error',
  BUILD_FAILED: 'build_failed', PENDING_BUILD: 'pending_build', BUILDING_SNAPSHOT: 'building_snapshot',
  UNKNOWN: 'unknown', PULLING_SNAPSHOT: 'pulling_snapshot', ARCHIVED: 'archived', ARCHIVING: 'archiving',
  RESIZING: 'resizing', SNAPSHOTTING: 'snapshotting', FORKING: 'forking', PAUSING: 'pausing',
  PAUSED: 'paused', RESUMING: 'resuming',
});
export const SnapshotState = apiEnum({
  BUILDING: 'building', PENDING: 'pending', PULLING: 'pulling', SNAPSHOTTING: 'snapshotting', ACTIVE: 'active',
  INACTIVE: 'inactive', ERROR: 'error', BUILD_FAILED: 'build_failed', REMOVING: 'removing',
});
export const SandboxListSortField = apiEnum({
  NAME: 'name', CPU: 'cpu', MEMORY_GIB: 'memoryGib', DISK_GIB: 'diskGib', LAST_ACTIVITY_AT: 'lastActivityAt',
  CREATED_AT: 'createdAt',
});
export const SandboxListSortDirection = apiEnum({ ASC: 'asc', DESC: 'desc' });
export const SandboxClass = apiEnum({ LINUX_VM: 'linux-vm', CONTAINER: 'container', ANDROID: 'android', WINDOWS: 'windows' });
export const GpuType = apiEnum({
  H100: 'H100', H200: 'H200', B300: 'B300', RTX_PRO_6000: 'RTX-PRO-6000', RTX_4090: 'RTX-4090',
  RTX_5090: 'RTX-5090', MI355X: 'MI355X',
});
export const ListSecretsPaginatedSortEnum = apiEnum({ NAME: 'name', CREATED_AT: 'createdAt', UPDATED_AT: 'updatedAt' });
export const ListSecretsPaginatedOrderEnum = apiEnum({ ASC: 'asc', DESC: 'desc' });

export const LspLanguageId = Object.freeze({ PYTHON: 'python', TYPESCRIPT: 'typescript', JAVASCRIPT: 'javascript' });

/** Parameters of `process.codeRun`. */
export class CodeRunParams {
  argv;
  env;
}

// The markers that open stdout and stderr runs in a session's combined log stream.
export const STDOUT_PREFIX_BYTES = new Uint8Array([0x01, 0x01, 0x01]);
export const STDERR_PREFIX_BYTES = new Uint8Array([0x02, 0x02, 0x02]);
export const MAX_PREFIX_LEN = 3;

// ---- WebSockets ---------------------------------------------------------------------------
// The runtime's global WebSocket, else the one the entry supplies (node-platform.mjs: `ws`
// on Node 20 without --experimental-websocket), loaded on first use.
let webSocketFallback = null;

/** @internal Called by the Node entries with a loader: `() => Promise<WebSocket class>`. */
export function __setWebSocketFallback(load) {
  webSocketFallback = load;
}

/** @internal The WebSocket class to open sockets with; throws a message saying why there is none. */
export async function __webSocketClass() {
  if (typeof globalThis.WebSocket === 'function') return globalThis.WebSocket;
  const advice = 'use Node >= 22 (or node --experimental-websocket), or set globalThis.WebSocket';
  if (!webSocketFallback) throw new Error(`this runtime has no WebSocket: ${advice}`);
  try {
    return await webSocketFallback();
  } catch (e) {
    // An ESM bundle cannot load `ws` (a CommonJS package that requires Node built-ins).
    throw new Error(`this runtime has no global WebSocket and the ws package failed to load (${e.message}): ${advice}`);
  }
}

/** @internal Hands each message of `socket` to `handler` as `(text)` or `(undefined, bytes)`,
 * one call into the wasm per message; the bytes are a Uint8Array over a buffer of their own
 * (what `onData` hands on, so it must show nothing else). `ws` (an EventEmitter) also gets an
 * error listener that stays: one it emits after `onerror` is unset would otherwise be thrown. */
export function __listenWs(socket, handler) {
  socket.binaryType = 'arraybuffer';
  if (typeof socket.on === 'function') socket.on('error', () => {});
  // An ArrayBuffer (of any realm) is viewed; a typed array (a runtime that ignores
  // binaryType) is copied, as Buffer's own slice() would not.
  socket.onmessage = (e) => (typeof e.data === 'string' ? handler(e.data) : handler(undefined, new Uint8Array(e.data)));
}

// ---- Node types ----------------------------------------------------------------------------
// Where the entry registers them (node-platform.mjs), bytes come back as Buffers and streams
// as Node Readables, as the official SDK returns them there; elsewhere as web types.
let nodeTypes = null;

/** @internal Called by the Node entries with `{ bytes(Uint8Array), stream(ReadableStream) }`. */
export function __setNodeTypes(impl) {
  nodeTypes = impl;
}

/** @internal */
export function __hostBytes(bytes) {
  return nodeTypes ? nodeTypes.bytes(bytes) : bytes;
}

/** @internal */
export function __hostStream(stream) {
  return nodeTypes ? nodeTypes.stream(stream) : stream;
}

// ---- Listing ------------------------------------------------------------------------------
/** @internal `list()`'s result: awaiting it gives `page()`'s promise (the seed SDK's page),
 * iterating it walks `nextPage(cursor)` → `{ items, nextCursor }` (today's SDK). Each is
 * fetched only when used. */
export function __sandboxList(page, nextPage) {
  let pending, pages;
  const iterator = () => (pages ??= (async function* () {
    let cursor;
    do {
      const { items, nextCursor } = await nextPage(cursor);
      yield* items;
      cursor = nextCursor;
    } while (cursor);
  })());
  const awaited = () => (pending ??= page());
  return {
    then: (resolve, reject) => awaited().then(resolve, reject),
    catch: (reject) => awaited().catch(reject),
    finally: (done) => awaited().finally(done),
    next: (value) => iterator().next(value),
    return: (value) => iterator().return(value),
    throw: (error) => iterator().throw(error),
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}

// ---- Metrics ------------------------------------------------------------------------------
const METRIC_FIELDS = {
  'daytona.sandbox.cpu.utilization': 'cpuUsedPct',
  'daytona.sandbox.cpu.limit': 'cpuCount',
  'daytona.sandbox.memory.usage': 'memUsed',
  'daytona.sandbox.memory.limit': 'memTotal',
  'daytona.sandbox.memory.cache': 'memCache',
  'daytona.sandbox.filesystem.usage': 'diskUsed',
  'daytona.sandbox.filesystem.total': 'diskTotal',
};

/** @internal A query string (`?a=1&b=x`, or nothing) of those of `keys` (comma-separated) set in `options`. */
export function __query(options, keys) {
  const q = new URLSearchParams(keys.split(',').filter((k) => options?.[k] != null).map((k) => [k, String(options[k])])).toString();
  return q ? `?${q}` : '';
}

/** @internal An argument as JSON text for the wasm to read; see `json_arg` in convert.rs. */
export function __jsonArg(v) {
  try {
    return JSON.stringify(v, (_, x) => (typeof x === 'number' && !Number.isFinite(x) ? String(x) : x));
  } catch {
    return undefined;
  }
}

/** @internal A `SandboxMetrics` of one sample (`SystemMetrics` or a pivoted bucket). */
export function __sandboxMetrics(m, timestamp = m.timestamp ? new Date(m.timestamp) : new Date()) {
  const { cpuCount = 0, cpuUsedPct = 0, diskTotal = 0, diskUsed = 0, memTotal = 0, memUsed = 0, memCache = 0 } = m;
  return { cpuCount, cpuUsedPct, diskTotal, diskUsed, memTotal, memUsed, memCache, timestamp };
}

/** @internal `SandboxMetrics[]`, oldest first, from the API's `{ series }` or the analytics
 * API's points: one sample per timestamp, each metric in its field. */
export function __pivotMetrics(answer, isSeries) {
  const triples = isSeries
    ? (answer?.series ?? []).flatMap((s) => (s.dataPoints ?? []).map((p) => [s.metricName, p.timestamp, p.value]))
    : (answer ?? []).map((p) => [p.metricName, p.timestamp, p.value]);
  const buckets = new Map();
  for (const [name, timestamp, value] of triples) {
    const field = METRIC_FIELDS[name];
    if (!field || timestamp === undefined || value === undefined) continue;
    buckets.set(timestamp, { ...buckets.get(timestamp), [field]: value });
  }
  return [...buckets.keys()].sort().map((ts) => __sandboxMetrics(buckets.get(ts), new Date(ts)));
}

// ---- File transfer glue -------------------------------------------------------------
// Local files exist only where the entry registered them (node.mjs does, with node:fs).
let localFiles = null;

/** @internal Called by the Node entry with `{ openAsBlob, openWriter, sendForm, inspect, readText, readToml, list, readBytes, realPath }`. */
export function __setLocalFiles(impl) {
  localFiles = impl;
}

function noLocalFiles(what) {
  return new DaytonaInvalidArgumentError(`${what}: local file paths need Node, Bun or Deno; in this runtime pass a Uint8Array, ArrayBuffer, Blob or ReadableStream instead`);
}

function noFileSystem(what) {
  return new DaytonaInvalidArgumentError(`${what}: local paths need Node, Bun or Deno; this runtime has no file system`);
}

/** @internal For the Image builder: `{ expanded, absolute, kind: 'file' | 'dir' | 'other' | null }`. */
export function __localPath(what, path) {
  if (!localFiles) throw noFileSystem(what);
  return localFiles.inspect(path);
}

/** @internal A local directory's entries as `[name, 'file' | 'dir' | 'other']`, in `readdir` order. */
export function __localList(what, path) {
  if (!localFiles) throw noFileSystem(what);
  return localFiles.list(path);
}

/** @internal `{ real }` with links resolved, `{ dangling: true }`, or `{}` for nothing there. */
export function __realPath(what, path) {
  if (!localFiles) throw noFileSystem(what);
  return localFiles.realPath(path);
}

/** @internal A local file's bytes. */
export function __readLocalBytes(what, path) {
  if (!localFiles) throw noFileSystem(what);
  return localFiles.readBytes(path);
}

/** @internal A local TOML file as plain data (dates as strings). */
export function __readLocalToml(what, path) {
  if (!localFiles) throw noFileSystem(what);
  return localFiles.readToml(path);
}

/** @internal A local text file's content (UTF-8). */
export function __readLocalText(what, path) {
  if (!localFiles) throw noFileSystem(what);
  return localFiles.readText(path);
}

/** @internal Any upload source as a Blob, without copying it into wasm memory: at once for
 * bytes and Blobs, as a promise for a local path or a stream (an await less on each small
 * upload). */
export function __toBlob(source) {
  if (source instanceof Blob) return source;
  if (source instanceof ArrayBuffer || ArrayBuffer.isView(source)) return new Blob([source]);
  return blobOf(source);
}

async function blobOf(source) {
  if (typeof source === 'string') {
    if (!localFiles) throw noLocalFiles('uploadFile');
    try {
      return await localFiles.openAsBlob(source);
    } catch (e) {
      throw new DaytonaInvalidArgumentError(`cannot read local file ${source}: ${e.message}`);
    }
  }
  if (typeof ReadableStream !== 'undefined' && source instanceof ReadableStream) return new Response(source).blob();
  if (source && typeof source[Symbol.asyncIterator] === 'function') {
    const parts = [];
    for await (const chunk of source) parts.push(chunk);
    return new Blob(parts);
  }
  throw new DaytonaInvalidArgumentError('upload source must be a Uint8Array, ArrayBuffer, Blob, ReadableStream or (in Node) a local path');
}

/** @internal One HTTP exchange of the wasm transport, in one call across the boundary.
 * `headers` alternates names and values joined by NUL, which no header may hold. A form comes
 * as `parts` (`[name, filename, value]`, the value a string, Blob or Uint8Array); one holding
 * a local file goes through the Node entry's `sendForm`, streamed from disk (Node's fetch
 * holds the whole file in memory). The caller's `signal` and a deadline of `timeoutMs` (0:
 * none), which also covers reading the body, stop it. Resolves to `[status, headers, body]`:
 * the headers joined as they came, of a success only `content-type` and `etag` (all the core
 * reads there), of an error all (they become its `headers`); the body a Uint8Array, or with
 * `stream` a reader `{ next(), cancel() }` followed by the chunks already read and whether they
 * were all. `next()` resolves to `[chunks, ended]`: one chunk, or with `readAhead` (bytes) as
 * many as come to that many bytes or the end, the first of them read before the answer
 * resolves (a download's part head, data and closing boundary then cross into the wasm once).
 * Rejects with `{ kind, message }`, kind `aborted` (the caller's signal), `timeout` (the
 * deadline) or `network`. */
export async function __send(method, url, headers, body, parts, signal, timeoutMs, stream, readAhead) {
  let timer;
  let timedOut = false;
  const done = () => clearTimeout(timer);
  const failure = (err) => {
    done();
    return { kind: signal?.aborted ? 'aborted' : timedOut ? 'timeout' : 'network', message: describeFailure(err) };
  };
  try {
    if (signal?.aborted) throw signal.reason;
    // Pairs, not a Headers object: fetch reads them once instead of building and copying one.
    const init = { method, headers: [], body, signal };
    if (headers) {
      const list = headers.split('\0');
      for (let i = 0; i < list.length; i += 2) init.headers.push([list[i], list[i + 1]]);
    }
    if (timeoutMs > 0) {
      const ctrl = new AbortController();
      timer = setTimeout(() => {
        timedOut = true;
        ctrl.abort();
      }, timeoutMs);
      init.signal = signal ? AbortSignal.any([ctrl.signal, signal]) : ctrl.signal;
    }
    const resp = await (parts ? sendForm(url, init, parts) : fetch(url, init));
    const head = resp.ok ? ['content-type', 'etag'].flatMap((k) => (resp.headers.has(k) ? [k, resp.headers.get(k)] : [])) : [...resp.headers].flat();
    if (!stream) {
      const bytes = new Uint8Array(await resp.arrayBuffer());
      done();
      return [resp.status, head.join('\0'), bytes];
    }
    const reader = resp.body?.getReader();
    let ended = !reader;
    if (ended) done();
    // Reads one chunk, or with `readAhead` chunks up to that many bytes or the end.
    const take = async () => {
      const got = [];
      let size = 0;
      do {
        const r = await reader.read();
        if (r.done) {
          ended = true;
        } else {
          got.push(r.value);
          size += r.value.byteLength;
        }
      } while (!ended && size < readAhead);
      if (ended) done();
      return got;
    };
    const chunks = {
      async next() {
        try {
          return [await take(), ended];
        } catch (err) {
          throw failure(err);
        }
      },
      cancel() {
        done();
        reader?.cancel().catch(() => {});
      },
    };
    const first = readAhead > 0 && !ended ? await take() : [];
    return [resp.status, head.join('\0'), chunks, first, ended];
  } catch (err) {
    throw failure(err);
  }
}

function sendForm(url, init, parts) {
  const sent = localFiles?.sendForm(url, init, parts);
  if (sent) return sent;
  const form = new FormData();
  for (const [name, filename, value] of parts) {
    if (typeof value === 'string') form.append(name, value);
    else form.append(name, value instanceof Blob ? value : new Blob([value]), filename ?? 'blob');
  }
  return fetch(url, { ...init, body: form });
}

/** A failed fetch's message, with its `cause` (Node puts ECONNREFUSED there). */
function describeFailure(err) {
  const msg = err?.message ?? (typeof err === 'string' ? err : 'network error');
  const cause = err?.cause?.message;
  return cause ? `${msg}: ${cause}` : msg;
}

/** @internal A writer `{ write(Uint8Array), close() }` for a local file. */
export async function __openWriter(path) {
  if (!localFiles) throw noLocalFiles('downloadFile');
  return localFiles.openWriter(path);
}

/** @internal A ReadableStream pulling chunks from wasm: `pull()` resolves to a Uint8Array or
 * undefined at the end. `onProgress` hears the running total after each chunk; `signal`
 * aborting cancels the source and errors the stream, as the official SDK does. */
export function __byteStream(pull, cancel, signal, onProgress, totalBytes) {
  let bytesReceived = 0;
  let abort;
  const release = () => signal?.removeEventListener?.('abort', abort);
  return new ReadableStream({
    start(controller) {
      abort = () => {
        cancel();
        controller.error(new DaytonaError('Download cancelled'));
      };
      signal?.addEventListener?.('abort', abort, { once: true });
    },
    async pull(controller) {
      let chunk;
      try {
        chunk = await pull();
      } catch (e) {
        release();
        throw e;
      }
      if (signal?.aborted) return; // already errored by `abort`
      if (chunk === undefined) {
        release();
        controller.close();
        return;
      }
      bytesReceived += chunk.length;
      controller.enqueue(chunk);
      onProgress?.({ bytesReceived, totalBytes });
    },
    cancel() {
      release();
      cancel();
    },
  });
}

// ---- Charts -------------------------------------------------------------------------------
export const ChartType = Object.freeze({
  LINE: 'line', SCATTER: 'scatter', BAR: 'bar', PIE: 'pie', BOX_AND_WHISKER: 'box_and_whisker',
  COMPOSITE_CHART: 'composite_chart', UNKNOWN: 'unknown',
});

/** Types a chart from `artifacts.charts`: it already has the wire shape, so it is returned as is. */
export function parseChart(data) {
  return data;
}

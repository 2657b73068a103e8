// Declarations for js/runtime.js (generated once from it; keep the two in step).
export declare const SOURCE_API = "DAYTONA_API";
export declare const SOURCE_DAEMON = "DAYTONA_DAEMON";
export declare const SOURCE_PROXY = "DAYTONA_PROXY";
/** Base error of the SDK. `statusCode`, `headers`, `code` and `source` are set for errors
 * that come from a server response. */
export declare class DaytonaError extends Error {
  statusCode?: number;
  code?: string;
  readonly source?: string;
  headers?: Record<string, string>;
  constructor(message: string, statusCode?: number, headers?: Record<string, string>, code?: string, source?: string);
  /** @deprecated Use {@link DaytonaError.code}. */
  get errorCode(): string | undefined;
  /** Whether the same request may succeed if sent again later (rate limits, gateway and
   * unavailable-service errors, failed connections); the SDK has already retried what was
   * safe to repeat. */
  get retryable(): boolean;
}
export declare class DaytonaBadRequestError extends DaytonaError {}
export declare class DaytonaAuthenticationError extends DaytonaError {}
export declare class DaytonaForbiddenError extends DaytonaError {}
export declare class DaytonaNotFoundError extends DaytonaError {}
export declare class DaytonaConflictError extends DaytonaError {}
export declare class DaytonaGoneError extends DaytonaError {}
export declare class DaytonaUnprocessableEntityError extends DaytonaError {}
export declare class DaytonaRateLimitError extends DaytonaError {}
export declare class DaytonaInternalServerError extends DaytonaError {}
export declare class DaytonaBadGatewayError extends DaytonaError {}
export declare class DaytonaServiceUnavailableError extends DaytonaError {}
export declare class DaytonaValidationError extends DaytonaBadRequestError {}
export declare class DaytonaAuthorizationError extends DaytonaForbiddenError {}
export declare class DaytonaInvalidArgumentError extends DaytonaValidationError {}
export declare class DaytonaConnectionError extends DaytonaError {}
export declare class DaytonaConnectionTimeoutError extends DaytonaConnectionError {}
export declare class DaytonaTimeoutError extends DaytonaError {
  static [Symbol.hasInstance](value: unknown): boolean;
}
export declare class DaytonaGitAuthFailedError extends DaytonaAuthenticationError {}
export declare class DaytonaGitRepoNotFoundError extends DaytonaNotFoundError {}
export declare class DaytonaGitBranchNotFoundError extends DaytonaNotFoundError {}
export declare class DaytonaGitBranchExistsError extends DaytonaConflictError {}
export declare class DaytonaGitPushRejectedError extends DaytonaConflictError {}
export declare class DaytonaGitDirtyWorktreeError extends DaytonaConflictError {}
export declare class DaytonaGitMergeConflictError extends DaytonaConflictError {}
export declare class DaytonaGitTransportFailedError extends DaytonaBadGatewayError {}
export declare class DaytonaGitRemoteRejectedError extends DaytonaUnprocessableEntityError {}
export declare class DaytonaFileNotFoundError extends DaytonaNotFoundError {}
export declare class DaytonaFileAccessDeniedError extends DaytonaForbiddenError {}
export declare class DaytonaInvalidFilePathError extends DaytonaBadRequestError {}
export declare class DaytonaFileReadFailedError extends DaytonaInternalServerError {}
export declare class DaytonaLspServerNotInitializedError extends DaytonaBadRequestError {}
export declare class DaytonaProcessExecutionTimeoutError extends DaytonaTimeoutError {}
export declare class DaytonaProcessNotFoundError extends DaytonaNotFoundError {}
export declare class DaytonaSessionEndedError extends DaytonaGoneError {}
export declare class DaytonaCommandAlreadyCompletedError extends DaytonaGoneError {}
export declare class DaytonaA11yUnavailableError extends DaytonaServiceUnavailableError {}
export declare class DaytonaRecordingStillActiveError extends DaytonaConflictError {}
export declare class DaytonaRecordingFfmpegNotFoundError extends DaytonaServiceUnavailableError {}
/** Creates the Daytona error subclass for a server answer: (source, code), then status. */
export declare function createDaytonaError(message: string, statusCode?: number, headers?: Record<string, string>, code?: string, source?: string): DaytonaError;
export declare enum CodeLanguage {
  PYTHON = "python",
  TYPESCRIPT = "typescript",
  JAVASCRIPT = "javascript",
}
export declare const SandboxState: {
  readonly CREATING: "creating";
  readonly RESTORING: "restoring";
  readonly DESTROYED: "destroyed";
  readonly DESTROYING: "destroying";
  readonly STARTED: "started";
  readonly STOPPED: "stopped";
  readonly STARTING: "starting";
  readonly STOPPING: "stopping";
  readonly ERROR: "error";
  readonly BUILD_FAILED: "build_failed";
  readonly PENDING_BUILD: "pending_build";
  readonly BUILDING_SNAPSHOT: "building_snapshot";
  readonly UNKNOWN: "unknown";
  readonly PULLING_SNAPSHOT: "pulling_snapshot";
  readonly ARCHIVED: "archived";
  readonly ARCHIVING: "archiving";
  readonly RESIZING: "resizing";
  readonly SNAPSHOTTING: "snapshotting";
  readonly FORKING: "forking";
  readonly PAUSING: "pausing";
  readonly PAUSED: "paused";
  readonly RESUMING: "resuming";
  readonly UNKNOWN_DEFAULT_OPEN_API: "11184809";
};
export type SandboxState = (typeof SandboxState)[keyof typeof SandboxState];
export declare const SnapshotState: {
  readonly BUILDING: "building";
  readonly PENDING: "pending";
  readonly PULLING: "pulling";
  readonly SNAPSHOTTING: "snapshotting";
  readonly ACTIVE: "active";
  readonly INACTIVE: "inactive";
  readonly ERROR: "error";
  readonly BUILD_FAILED: "build_failed";
  readonly REMOVING: "removing";
  readonly UNKNOWN_DEFAULT_OPEN_API: "11184809";
};
export type SnapshotState = (typeof SnapshotState)[keyof typeof SnapshotState];
export declare const SandboxListSortField: {
  readonly NAME: "name";
  readonly CPU: "cpu";
  readonly MEMORY_GIB: "memoryGib";
  readonly DISK_GIB: "diskGib";
  readonly LAST_ACTIVITY_AT: "lastActivityAt";
  readonly CREATED_AT: "createdAt";
  readonly UNKNOWN_DEFAULT_OPEN_API: "11184809";
};
export type SandboxListSortField = (typeof SandboxListSortField)[keyof typeof SandboxListSortField];
export declare const SandboxListSortDirection: {
  readonly ASC: "asc";
  readonly DESC: "desc";
  readonly UNKNOWN_DEFAULT_OPEN_API: "11184809";
};
export type SandboxListSortDirection = (typeof SandboxListSortDirection)[keyof typeof SandboxListSortDirection];
export declare const SandboxClass: {
  readonly LINUX_VM: "linux-vm";
  readonly CONTAINER: "container";
  readonly ANDROID: "android";
  readonly WINDOWS: "windows";
  readonly UNKNOWN_DEFAULT_OPEN_API: "11184809";
};
export type SandboxClass = (typeof SandboxClass)[keyof typeof SandboxClass];
export declare const GpuType: {
  readonly H100: "H100";
  readonly H200: "H200";
  readonly B300: "B300";
  readonly RTX_PRO_6000: "RTX-PRO-6000";
  readonly RTX_4090: "RTX-4090";
  readonly RTX_5090: "RTX-5090";
  readonly MI355X: "MI355X";
  readonly UNKNOWN_DEFAULT_OPEN_API: "11184809";
};
export type GpuType = (typeof GpuType)[keyof typeof GpuType];
export declare const ListSecretsPaginatedSortEnum: {
  readonly NAME: "name";
  readonly CREATED_AT: "createdAt";
  readonly UPDATED_AT: "updatedAt";
  readonly UNKNOWN_DEFAULT_OPEN_API: "11184809";
};
export type ListSecretsPaginatedSortEnum = (typeof ListSecretsPaginatedSortEnum)[keyof typeof ListSecretsPaginatedSortEnum];
export declare const ListSecretsPaginatedOrderEnum: {
  readonly ASC: "asc";
  readonly DESC: "desc";
  readonly UNKNOWN_DEFAULT_OPEN_API: "11184809";
};
export type ListSecretsPaginatedOrderEnum = (typeof ListSecretsPaginatedOrderEnum)[keyof typeof ListSecretsPaginatedOrderEnum];
export declare enum LspLanguageId {
  PYTHON = "python",
  TYPESCRIPT = "typescript",
  JAVASCRIPT = "javascript",
}
/** Parameters of `process.codeRun`. */
export declare class CodeRunParams {
  /** Command line arguments. */
  argv?: string[];
  /** Environment variables. */
  env?: Record<string, string>;
}
/** The marker that opens a stdout run in a session's combined log stream. */
export declare const STDOUT_PREFIX_BYTES: Uint8Array;
/** The marker that opens a stderr run in a session's combined log stream. */
export declare const STDERR_PREFIX_BYTES: Uint8Array;
export declare const MAX_PREFIX_LEN: number;
export declare enum ChartType {
  LINE = "line",
  SCATTER = "scatter",
  BAR = "bar",
  PIE = "pie",
  BOX_AND_WHISKER = "box_and_whisker",
  COMPOSITE_CHART = "composite_chart",
  UNKNOWN = "unknown",
}
export type ChartElement = Record<string, unknown>;
export interface Chart { type: ChartType; title?: string; elements: any[]; png?: string; }
export interface Chart2D extends Chart { x_label?: string; y_label?: string; }
export interface PointData { label: string; points: [number | string, number | string][]; }
export interface PointChart extends Chart2D { x_ticks?: (number | string)[]; x_tick_labels?: string[]; x_scale?: string; y_ticks?: (number | string)[]; y_tick_labels?: string[]; y_scale?: string; elements: PointData[]; }
export interface LineChart extends PointChart { type: ChartType.LINE; }
export interface ScatterChart extends PointChart { type: ChartType.SCATTER; }
export interface BarData { label: string; group: string; value: number | string; }
export interface BarChart extends Chart2D { type: ChartType.BAR; elements: BarData[]; }
export interface PieData { label: string; angle: number; radius: number; }
export interface PieChart extends Chart { type: ChartType.PIE; elements: PieData[]; }
export interface BoxAndWhiskerData { label: string; min: number; first_quartile: number; median: number; third_quartile: number; max: number; outliers: number[]; }
export interface BoxAndWhiskerChart extends Chart2D { type: ChartType.BOX_AND_WHISKER; elements: BoxAndWhiskerData[]; }
export interface CompositeChart extends Chart { type: ChartType.COMPOSITE_CHART; elements: Chart[]; }
/** Types a chart from `artifacts.charts` (it is returned as is: it already has the wire shape). */
export declare function parseChart(data: any): Chart;
/** Downloaded bytes: a `Buffer` where the program's types include Node's (what Node, Bun and
 * Deno get at run time, as from the official SDK), else a `Uint8Array` (browsers, Workers). */
export type HostBytes = typeof globalThis extends { Buffer: { prototype: infer B } } ? B : Uint8Array;
/** What a Node `Readable` offers that code written for the official SDK uses. */
export interface NodeReadableLike extends AsyncIterable<any> {
  pipe<T>(destination: T, options?: { end?: boolean }): T;
  on(event: string, listener: (...args: any[]) => void): this;
  destroy(error?: Error): this;
}
/** A download stream: a Node `Readable` where the program's types include Node's, else a web
 * `ReadableStream<Uint8Array>`. */
export type HostStream = typeof globalThis extends { Buffer: unknown } ? NodeReadableLike : ReadableStream<Uint8Array>;

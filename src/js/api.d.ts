// Shapes of the objects the SDK takes and returns, named as in @daytonaio/sdk.

export interface VolumeMount {
  volumeId: string;
  mountPath: string;
  subpath?: string;
}

export type CreateSandboxBaseParams = {
  name?: string;
  user?: string;
  language?: CodeLanguage | string;
  envVars?: Record<string, string>;
  labels?: Record<string, string>;
  public?: boolean;
  /** Minutes of inactivity before auto-stop (0 = never; default 15). */
  autoStopInterval?: number;
  /** Minutes stopped before auto-archive (0 = the maximum; default 7 days). */
  autoArchiveInterval?: number;
  /** Minutes stopped before auto-delete (negative = never, 0 = on stop). */
  autoDeleteInterval?: number;
  volumes?: VolumeMount[];
  networkBlockAll?: boolean;
  /** Comma-separated IPv4 CIDRs the sandbox may reach. */
  networkAllowList?: string;
  /** Delete the sandbox as soon as it stops (sets `autoDeleteInterval` to 0). */
  ephemeral?: boolean;
  /** Minutes of inactivity before auto-pause (0 = never; exclusive with `autoStopInterval`). */
  autoPauseInterval?: number;
  /** Minutes after which the sandbox is deleted, whatever it is doing. */
  ttlMinutes?: number;
  kvm?: boolean;
  /** Comma-separated domains the sandbox may reach. */
  domainAllowList?: string;
  /** An HTTP(S) proxy for the sandbox's outbound traffic (sets its proxy variables). */
  outboundProxyUrl?: string;
  otelEndpointOverride?: string;
  spot?: boolean;
  /** The id or name of a sandbox the new one is linked to. */
  linkedSandbox?: string;
  /** Environment variable → name of a secret whose value it gets. */
  secrets?: Record<string, string>;
};

export type CreateSandboxFromImageParams = CreateSandboxBaseParams & {
  /** An image name, or an `Image`. */
  image: string | Image;
  resources?: Resources;
};

export type CreateSandboxFromSnapshotParams = CreateSandboxBaseParams & {
  snapshot?: string;
};

/** Filters and sorting of `daytona.list(query)`. */
export interface ListSandboxesQuery {
  /** Per-page fetch size; does not limit how many Sandboxes are returned in all. */
  limit?: number;
  sort?: SandboxListSortField;
  order?: SandboxListSortDirection;
  /** ID prefix (case-insensitive). */
  id?: string;
  /** Name prefix (case-insensitive). */
  name?: string;
  labels?: Record<string, string>;
  states?: SandboxState[];
  snapshots?: string[];
  targets?: string[];
  minCpu?: number;
  maxCpu?: number;
  minMemoryGib?: number;
  maxMemoryGib?: number;
  minDiskGib?: number;
  maxDiskGib?: number;
  isPublic?: boolean;
  isRecoverable?: boolean;
  createdAtAfter?: Date;
  createdAtBefore?: Date;
  lastActivityAfter?: Date;
  lastActivityBefore?: Date;
  autoDestroyAtAfter?: Date;
  autoDestroyAtBefore?: Date;
}

/** What `daytona.list()` returns: iterate it for every matching Sandbox (fetched page by
 * page), or await it for one page in the seed SDK's shape. */
export interface SandboxList extends AsyncIterableIterator<Sandbox>, Promise<PaginatedSandboxes> {}

export interface Daytona {
  /**
   * Lists Sandboxes matching a query, page by page as the iteration goes.
   * @example
   * for await (const sandbox of daytona.list({ labels: { env: 'dev' }, sort: 'name' })) console.log(sandbox.id);
   */
  list(query?: ListSandboxesQuery): SandboxList;
  /**
   * One page of Sandboxes carrying all the given labels, newest first.
   * @param page - 1-based page number (default 1).
   * @param limit - Items per page (default 100, at most 200).
   * @example
   * const { items, total } = await daytona.list({ team: 'a' }, 1, 20);
   */
  list(labels?: Record<string, string>, page?: number, limit?: number): SandboxList;
}

export interface PaginatedSandboxes {
  items: Sandbox[];
  total: number;
  page: number;
  totalPages: number;
}

/** What a Sandbox uses at one time: CPU (`cpuUsedPct` of `cpuCount` CPUs), memory and disk in bytes. */
export interface SandboxMetrics {
  cpuCount: number;
  cpuUsedPct: number;
  diskTotal: number;
  diskUsed: number;
  memTotal: number;
  memUsed: number;
  memCache: number;
  timestamp: Date;
}

/** Parameters for forking a Sandbox. */
export interface ForkSandboxParams {
  /** Name of the fork; the server names it when none is given. */
  name?: string;
}

/** Sandboxes made ahead from a snapshot; `create` with that snapshot takes one of them. */
export interface WarmPool {
  id: string;
  organizationId: string;
  snapshot: string;
  target: string;
  /** How many Sandboxes the pool keeps ready. */
  pool: number;
  /** How many it has ready now. */
  currentSize: number;
  cpu: number;
  mem: number;
  disk: number;
  osUser: string;
  env: Record<string, string>;
  errorReason?: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface CreateWarmPool {
  snapshot: string;
  pool: number;
  target?: string;
}

export interface UpdateWarmPool {
  pool: number;
}

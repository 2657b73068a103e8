// Parity with the official Sandbox for the lifecycle and settings members implemented so far:
// each of ours must be usable wherever the official one is. (Checked with skipLibCheck: the
// official declarations need @types/node, which is the point of this project not to need.)
import type { Sandbox } from 'daytona-wasm';
import type { Sandbox as OfficialSandbox } from '@daytonaio/sdk';
type Lifecycle = 'start' | 'stop' | 'archive' | 'delete' | 'recover' | 'waitUntilStarted' | 'waitUntilStopped'
  | 'resize' | 'refreshActivity' | 'refreshData' | 'setLabels' | 'setAutostopInterval' | 'setAutoArchiveInterval'
  | 'setAutoDeleteInterval' | 'id' | 'name' | 'labels' | 'cpu' | 'memory' | 'disk' | 'gpu' | 'user' | 'target'
  | 'public' | 'env' | 'state' | 'organizationId' | 'toolboxProxyUrl' | 'autoStopInterval' | 'autoArchiveInterval' | 'autoDeleteInterval';
export const parity: Pick<OfficialSandbox, Lifecycle> = null as unknown as Pick<Sandbox, Lifecycle>;

import type { Git, FileSystem } from 'daytona-wasm';
import type { Git as OfficialGit, FileSystem as OfficialFileSystem } from '@daytonaio/sdk';
type GitMethods = 'clone' | 'add' | 'commit' | 'push' | 'pull' | 'branches' | 'createBranch' | 'deleteBranch' | 'checkoutBranch' | 'status';
export const gitParity: Pick<OfficialGit, GitMethods> = null as unknown as Pick<Git, GitMethods>;
// Everything but the byte-returning downloads (Uint8Array here, Buffer there) and the
// Node-stream variants.
type FsMethods = 'createFolder' | 'deleteFile' | 'getFileDetails' | 'listFiles' | 'moveFiles' | 'setFilePermissions'
  | 'findFiles' | 'searchFiles' | 'replaceInFiles' | 'uploadFiles';
export const fsParity: Pick<OfficialFileSystem, FsMethods> = null as unknown as Pick<FileSystem, FsMethods>;

import type { Process, PtyHandle } from 'daytona-wasm';
import type { Process as OfficialProcess, PtyHandle as OfficialPtyHandle } from '@daytonaio/sdk';
type ProcessMethods = 'executeCommand' | 'codeRun' | 'createSession' | 'deleteSession' | 'listSessions' | 'getSession'
  | 'getSessionCommand' | 'sendSessionCommandInput' | 'listPtySessions' | 'killPtySession';
export const processParity: Pick<OfficialProcess, ProcessMethods> = null as unknown as Pick<Process, ProcessMethods>;
type PtyMethods = 'waitForConnection' | 'sendInput' | 'wait' | 'kill' | 'disconnect' | 'isConnected' | 'exitCode' | 'error';
export const ptyParity: Pick<OfficialPtyHandle, PtyMethods> = null as unknown as Pick<PtyHandle, PtyMethods>;
// The official package does not export its CodeInterpreter class, so its type comes from Sandbox.
type InterpreterMethods = 'createContext' | 'listContexts' | 'deleteContext' | 'runCode';
export const interpreterParity: Pick<OfficialSandbox['codeInterpreter'], InterpreterMethods> = null as unknown as Pick<Sandbox['codeInterpreter'], InterpreterMethods>;

// Access (previews, SSH) and language servers. Not createSshAccess and validateSshAccess:
// the official types say the times are Dates and `sandboxId` always a string, but the
// server's strings and null arrive (ours say so); nor
// completions: the official type says `documentation` is an object, but servers also send
// strings (ours says so).
type Access = 'getPreviewLink' | 'getSignedPreviewUrl' | 'expireSignedPreviewUrl' | 'revokeSshAccess';
export const accessParity: Pick<OfficialSandbox, Access> = null as unknown as Pick<Sandbox, Access>;
// The official package does not export LspServer (its type comes from createLspServer),
// whose instances carry a private API client.
import type { LspServer } from 'daytona-wasm';
type OfficialLspServer = Awaited<ReturnType<OfficialSandbox['createLspServer']>>;
type LspMethods = 'start' | 'stop' | 'didOpen' | 'didClose' | 'documentSymbols' | 'sandboxSymbols' | 'workspaceSymbols';
export const lspParity: Pick<OfficialLspServer, LspMethods> = null as unknown as Pick<LspServer, LspMethods>;

// Computer use: the desktop and its parts (the official package exports their classes only
// through Sandbox's type).
import type { ComputerUse } from 'daytona-wasm';
type OfficialComputerUse = OfficialSandbox['computerUse'];
type DesktopMethods = 'start' | 'stop' | 'getStatus' | 'getProcessStatus' | 'restartProcess' | 'getProcessLogs' | 'getProcessErrors';
export const computerUseParity: Pick<OfficialComputerUse, DesktopMethods> = null as unknown as Pick<ComputerUse, DesktopMethods>;
export const mouseParity: Pick<OfficialComputerUse['mouse'], 'getPosition' | 'move' | 'click' | 'drag' | 'scroll'> = null as unknown as ComputerUse['mouse'];
export const keyboardParity: Pick<OfficialComputerUse['keyboard'], 'type' | 'press' | 'hotkey'> = null as unknown as ComputerUse['keyboard'];
export const screenshotParity: Pick<OfficialComputerUse['screenshot'], 'takeFullScreen' | 'takeRegion' | 'takeCompressed' | 'takeCompressedRegion'> = null as unknown as ComputerUse['screenshot'];
export const displayParity: Pick<OfficialComputerUse['display'], 'getInfo' | 'getWindows'> = null as unknown as ComputerUse['display'];
export const recordingParity: Pick<OfficialComputerUse['recording'], 'start' | 'stop' | 'list' | 'get' | 'delete'> = null as unknown as ComputerUse['recording'];

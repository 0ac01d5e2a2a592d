// What the e2e harness (test/e2e) and the runner extension (inside the extension host) say to each other.
// Plain data only: the harness imports this file without `vscode`.

/** Environment variable naming the session's control folder; the runner writes READY_FILE there. */
export const CONTROL_DIR_ENV = 'RHCOS_E2E_CONTROL_DIR';
/** Environment variable with the session description (JSON of SessionInfo), read by the in-editor helpers. */
export const SESSION_ENV = 'RHCOS_E2E_SESSION';
/** Set by the runner before it runs suites: the extension host's log folder (one sub-folder per extension). */
export const EXTHOST_LOGS_ENV = 'RHCOS_E2E_EXTHOST_LOGS';
/** Written (atomically) by the runner when it has activated; rewritten on every extension host start. */
export const READY_FILE = 'runner.json';
/**
 * The runner's tests entry (dist/tests-entry.js, a path below the installed runner's folder): the module a session
 * with extensionMode 'test' names as extensionTestsPath. See test/runner-extension/src/testsEntry.ts.
 */
export const RUNNER_TESTS_ENTRY = ['dist', 'tests-entry.js'] as const;
/** Header carrying RunnerReady.token on every bridge request. */
export const TOKEN_HEADER = 'x-rhcos-e2e-token';

export interface SessionInfo {
  /** Session name, also the folder name under test-results/e2e/. */
  name: string;
  /** 'disabled': code-server runs with --disable-workspace-trust. 'enabled': workspace trust applies (Restricted Mode). */
  trust: 'disabled' | 'enabled';
  /** Whether the harness answered the trust prompt with "trust" (true) or "don't trust" (false); undefined when trust is disabled. */
  expectTrusted: boolean;
  /** A value the harness also passes as RHCOS_E2E_ENV_PROBE, so suites can prove env vars reach the extension host. */
  envProbe: string;
  /** HOME of code-server and its extension host: a fresh folder, so ~/.kube/config and registry auth never leak in. */
  home: string;
  /** Names of the variables the session passed to the extension host on purpose (SessionOptions.env). */
  passedEnv: string[];
}

export interface RunnerReady {
  pid: number;
  port: number;
  token: string;
  startedAt: string;
  vscodeVersion: string;
  appName: string;
  appHost: string;
  uiKind: 'desktop' | 'web';
  remoteName: string | undefined;
  workspaceTrusted: boolean;
  workspaceFolders: string[];
  /** Names of the suites the runner can run (file names without .test.js). */
  suites: string[];
  extensionLogsDir: string;
}

export interface RunRequest {
  /** Suite names (e.g. "activation"); all when absent or empty. */
  suites?: string[];
  /** Mocha grep over full titles. */
  grep?: string;
  /** Per-test timeout, default 20 s. */
  timeoutMs?: number;
  /** Where to write the RunResult JSON (absolute path); default <control dir>/results-<n>.json. */
  resultsPath?: string;
}

export type TestState = 'passed' | 'failed' | 'pending';

export interface TestError {
  message: string;
  stack?: string;
  actual?: string;
  expected?: string;
}

export interface TestResult {
  title: string;
  fullTitle: string;
  titlePath: string[];
  /** Suite file name, e.g. "activation.test.js". */
  file?: string;
  state: TestState;
  durationMs?: number;
  /** Why a test is pending, when it said so with skipBecause(). */
  pendingReason?: string;
  error?: TestError;
}

export interface RunResult {
  runId: string;
  startedAt: string;
  finishedAt: string;
  durationMs: number;
  vscodeVersion: string;
  workspaceTrusted: boolean;
  suites: string[];
  stats: { tests: number; passed: number; failed: number; pending: number };
  tests: TestResult[];
  /** Set when the run could not start or crashed outside a test (bad suite name, a suite that throws on load). */
  fatal?: string;
  resultsPath: string;
}

/**
 * Arguments cross the bridge as JSON. These markers become VS Code values in the extension host:
 *   { "$uri": "relative/to/workspace" | "/absolute/path" | "scheme://..." }
 *   { "$position": [line, character] }                 (0-based)
 *   { "$range": [startLine, startChar, endLine, endChar] } (0-based)
 * Results come back through the same conversion in reverse (Uri -> { $uri: string }).
 */
export interface CommandRequest {
  command: string;
  args?: unknown[];
  /** false: return at once without waiting for the command's promise (for commands that open a modal dialog). */
  wait?: boolean;
}

export interface CommandResponse {
  result?: unknown;
  error?: string;
}

export interface RunnerState {
  workspaceTrusted: boolean;
  /** `exports`: typeof the extension's exports (what activate() returned) once it is active. */
  extensions: Record<string, { isActive: boolean; version: string; exports?: string }>;
  activeEditor?: { uri: string; languageId: string };
  visibleEditors: string[];
}

/** A fake diagnostic for the self-test command rhcosLayeringE2e.selftest.setDiagnostics. Positions are 0-based. */
export interface SelftestDiagnostic {
  line: number;
  startCharacter: number;
  endCharacter: number;
  message: string;
  severity: 'error' | 'warning' | 'information' | 'hint';
  code?: string;
  source?: string;
}

/** A node of the self-test tree (rhcosLayeringE2e.selftest.showTree). */
export interface SelftestTreeNode {
  label: string;
  description?: string;
  children?: SelftestTreeNode[];
}

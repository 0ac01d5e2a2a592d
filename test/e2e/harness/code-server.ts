// One code-server process with fresh user-data, extensions, HOME and a copy of the fixture workspace.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { appendFileSync, cpSync, createWriteStream, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync, type WriteStream } from 'node:fs';
import { request } from 'node:http';
import path from 'node:path';
import { ensureCodeServer, type CodeServerInstall } from '../../../scripts/code-server.mjs';
import {
  CONTROL_DIR_ENV,
  READY_FILE,
  RUNNER_TESTS_ENTRY,
  SESSION_ENV,
  TOKEN_HEADER,
  type CommandResponse,
  type RunnerReady,
  type RunnerState,
  type RunRequest,
  type RunResult,
  type SessionInfo,
} from '../../runner-extension/src/protocol';
import { extensionVsix, fixtureWorkspace, options as runOptions, repoRoot, runnerVsix, sessionsRoot } from './config';
import { findFiles, indent, newestSubfolder, tail, waitForJsonFile } from './util';

export interface SessionOptions {
  /** Folder name under test-results/e2e/ and in screenshots; default from the trust mode. */
  name?: string;
  /**
   * 'disabled' (default): code-server runs with --disable-workspace-trust, the workspace is trusted.
   * 'enabled': workspace trust applies; the harness answers the startup prompt with `trustAnswer`.
   */
  trust?: 'disabled' | 'enabled';
  /** With trust 'enabled': 'restrict' (default) answers "No, I don't trust the authors" (Restricted Mode); 'trust' trusts. */
  trustAnswer?: 'trust' | 'restrict';
  /** Folder copied as the workspace; default test/fixtures/workspace. */
  workspace?: string;
  /** Extra environment for code-server and so the extension host (e.g. { KUBECONFIG: simulatorKubeconfig }). */
  env?: Record<string, string>;
  /** User settings merged over the harness defaults. */
  settings?: Record<string, unknown>;
  /**
   * Settings for the machine code-server runs on (user-data/Machine/settings.json, VS Code's "Remote" settings). In
   * code-server the workbench is a remote window: settings with `"scope": "machine"` (rhcosLayering.registry.authFile,
   * .kubeconfig, .build.*) are ignored in the user settings and must go here.
   */
  machineSettings?: Record<string, unknown>;
  /** More .vsix files to install. */
  extraExtensions?: string[];
  /** Start a session of its own instead of sharing one with the same options. */
  fresh?: boolean;
  /** Folder of the session (user-data, extensions, home, workspace copy, logs); default test-results/e2e/<name>. */
  runDir?: string;
  /** Install the test-only runner extension and set the bridge's environment (default true; the demo says false). */
  testRunner?: boolean;
  /** Port on 127.0.0.1 (default: a free one). */
  port?: number;
  /**
   * How rhcos-layering runs. 'production' (default): rhcos-layering.vsix installed as a user installs it; activate()
   * returns nothing, as to any other extension. 'test': the same .vsix, unpacked by code-server's installer into a
   * folder of its own and loaded with extensionDevelopmentPath and extensionTestsPath (the runner's tests entry), so
   * VS Code runs it in ExtensionMode.Test and activate() returns the services the in-editor suites use. VS Code's
   * test mode also changes the workbench (modal dialogs are refused), so the Playwright scenarios use 'production'.
   */
  extensionMode?: 'production' | 'test';
  /**
   * code-server release to run (default: the current one, scripts/code-server.mjs). The in-editor suites also run in
   * `oldestCodeServerVersion`, the release built on the oldest VS Code that engines.vscode claims.
   */
  codeServerVersion?: string;
}

/** Settings that keep the workbench quiet and deterministic. */
const DEFAULT_SETTINGS: Record<string, unknown> = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'workbench.editor.enablePreview': false,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'chat.disableAIFeatures': true,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoUpdate': false,
  'extensions.autoCheckUpdates': false,
  'extensions.ignoreRecommendations': true,
  'git.enabled': false,
  'files.hotExit': 'off',
  'window.dialogStyle': 'custom',
  'editor.hover.delay': 150,
  'remote.autoForwardPorts': false,
};

/** Variables never inherited from the developer's shell: they would leak state, or confuse code-server. */
const SCRUBBED_ENV = /^(VSCODE_|ELECTRON_|NODE_OPTIONS$|KUBECONFIG$|REGISTRY_AUTH_FILE$|DOCKER_CONFIG$|CONTAINERS_|PASSWORD$|HASHED_PASSWORD$|CODE_SERVER_|XDG_)/;

const sessionNames = new Map<string, number>();

const helpTexts = new Map<string, string>();

/** Whether this code-server release knows a command-line option (its --help lists it). */
function supportsOption(install: CodeServerInstall, option: string): boolean {
  let help = helpTexts.get(install.entry);
  if (help === undefined) {
    const result = spawnSync(install.node, [install.entry, '--help'], { encoding: 'utf8', timeout: 60_000 });
    if (result.status !== 0) throw new Error(`code-server ${install.version} --help failed (exit ${result.status ?? result.signal}): ${result.stderr}`);
    help = result.stdout;
    helpTexts.set(install.entry, help);
  }
  return new RegExp(`^\\s+${option}\\b`, 'm').test(help);
}

export class CodeServerSession {
  readonly name: string;
  readonly runDir: string;
  readonly userDataDir: string;
  readonly extensionsDir: string;
  readonly homeDir: string;
  readonly controlDir: string;
  readonly logsDir: string;
  readonly workspaceDir: string;
  /** With extensionMode 'test': where code-server's installer unpacked rhcos-layering.vsix (no extension host scans it). */
  readonly underTestDir: string;
  readonly info: SessionInfo;
  url = '';
  /** How long each startup phase took, in ms (printed when the session is ready). */
  readonly timings: Record<string, number> = {};
  private process: ChildProcess | undefined;
  private log: WriteStream | undefined;
  private exited: string | undefined;
  private install: CodeServerInstall | undefined;

  constructor(readonly options: SessionOptions) {
    const trust = options.trust ?? 'disabled';
    const kind = options.name ?? (trust === 'enabled' ? (options.trustAnswer === 'trust' ? 'trusted-by-prompt' : 'restricted') : 'trusted');
    const base = options.codeServerVersion ? `${kind}-${options.codeServerVersion}` : kind;
    const seen = (sessionNames.get(base) ?? 0) + 1;
    sessionNames.set(base, seen);
    this.name = seen > 1 ? `${base}-${seen}` : base;
    this.runDir = options.runDir ?? path.join(sessionsRoot, this.name);
    this.userDataDir = path.join(this.runDir, 'user-data');
    this.extensionsDir = path.join(this.runDir, 'extensions');
    this.homeDir = path.join(this.runDir, 'home');
    this.controlDir = path.join(this.runDir, 'control');
    this.logsDir = path.join(this.runDir, 'logs');
    this.workspaceDir = path.join(this.runDir, 'workspace');
    this.underTestDir = path.join(this.runDir, 'under-test');
    if (this.underTest && options.testRunner === false) throw new Error(`Session ${this.name}: extensionMode 'test' needs the runner extension (its tests entry)`);
    // In test mode VS Code refuses modal dialogs, the trust prompt among them: only "don't trust" (no prompt) works.
    if (this.underTest && trust === 'enabled' && options.trustAnswer === 'trust') throw new Error(`Session ${this.name}: extensionMode 'test' cannot answer the trust prompt with "trust"; use trust 'disabled'`);
    this.info = {
      name: this.name,
      trust,
      expectTrusted: trust === 'disabled' || options.trustAnswer === 'trust',
      envProbe: randomBytes(6).toString('hex'),
      home: this.homeDir,
      passedEnv: Object.keys(options.env ?? {}),
    };
    // code-server's IPC socket lives in the user-data folder; Unix socket paths are limited to ~107 bytes.
    if (path.join(this.userDataDir, 'code-server-ipc.sock').length > 100) {
      throw new Error(`The session folder ${this.runDir} is too deep for code-server's IPC socket; run from a shorter checkout path.`);
    }
  }

  get underTest(): boolean {
    return this.options.extensionMode === 'test';
  }

  get codeServerLog(): string {
    return path.join(this.logsDir, 'code-server.log');
  }

  get browserConsoleLog(): string {
    return path.join(this.logsDir, 'browser-console.log');
  }

  /** The extension host's own log (newest window). */
  get extensionHostLog(): string | undefined {
    return findFiles(path.join(this.userDataDir, 'logs'), /^remoteexthost\.log$/).at(-1);
  }

  /** Log files of an extension's LogOutputChannels, e.g. extensionLogs('rhcos-layering-dev.rhcos-layering'). */
  extensionLogs(extensionId: string): string[] {
    const logs = newestSubfolder(path.join(this.userDataDir, 'logs'));
    return logs ? findFiles(logs, /\.log$/).filter((file) => file.includes(`${path.sep}${extensionId}${path.sep}`)) : [];
  }

  async start(): Promise<void> {
    const vsixes = [...(this.underTest ? [] : [extensionVsix]), ...(this.options.testRunner === false ? [] : [runnerVsix]), ...(this.options.extraExtensions ?? [])];
    const missing = [...vsixes, extensionVsix].filter((file, index, all) => !existsSync(file) && all.indexOf(file) === index);
    if (missing.length) {
      throw new Error(`Missing ${missing.map((file) => path.relative(repoRoot, file)).join(', ')}. npm run test:e2e builds them; by hand: npm run package && node scripts/e2e-build.mjs`);
    }
    this.install = await ensureCodeServer({ ...(this.options.codeServerVersion ? { version: this.options.codeServerVersion } : {}), log: (line) => process.stderr.write(`${line}\n`) });

    rmSync(this.runDir, { recursive: true, force: true });
    for (const folder of [this.userDataDir, this.extensionsDir, this.homeDir, this.controlDir, this.logsDir, ...(this.underTest ? [this.underTestDir] : [])]) mkdirSync(folder, { recursive: true });
    cpSync(this.options.workspace ?? fixtureWorkspace, this.workspaceDir, { recursive: true });
    mkdirSync(path.join(this.userDataDir, 'User'), { recursive: true });
    const settings = {
      ...DEFAULT_SETTINGS,
      ...(this.info.trust === 'enabled' ? { 'security.workspace.trust.startupPrompt': this.underTest ? 'never' : 'once', 'security.workspace.trust.enabled': true } : {}),
      ...this.options.settings,
    };
    writeFileSync(path.join(this.userDataDir, 'User', 'settings.json'), `${JSON.stringify(settings, null, 2)}\n`);
    if (this.options.machineSettings) {
      mkdirSync(path.join(this.userDataDir, 'Machine'), { recursive: true });
      writeFileSync(path.join(this.userDataDir, 'Machine', 'settings.json'), `${JSON.stringify(this.options.machineSettings, null, 2)}\n`);
    }
    writeFileSync(path.join(this.runDir, 'session.json'), `${JSON.stringify({ ...this.info, options: this.options }, null, 2)}\n`);

    const env = this.environment();
    let phase = Date.now();
    const common = ['--user-data-dir', this.userDataDir, '--extensions-dir', this.extensionsDir];
    const install = (extensionsDir: string, files: string[]) => {
      const installed = spawnSync(this.install!.node, [this.install!.entry, '--user-data-dir', this.userDataDir, '--extensions-dir', extensionsDir, ...files.flatMap((file) => ['--install-extension', file])], { env, encoding: 'utf8', timeout: 120_000 });
      appendFileSync(path.join(this.logsDir, 'install-extensions.log'), `$ --extensions-dir ${extensionsDir}\n${installed.stdout}\n${installed.stderr}\n`);
      if (installed.status !== 0 || (installed.stdout.match(/was successfully installed/g) ?? []).length !== files.length) {
        throw new Error(`Installing ${files.map((file) => path.basename(file)).join(', ')} into ${extensionsDir} failed (exit ${installed.status ?? installed.signal}):\n${indent(`${installed.stdout}${installed.stderr}`.trim())}`);
      }
    };
    install(this.extensionsDir, vsixes);
    if (this.underTest) install(this.underTestDir, [extensionVsix]);

    this.timings['install extensions'] = Date.now() - phase;
    phase = Date.now();
    const args = [
      ...common,
      '--auth', 'none',
      '--bind-addr', `127.0.0.1:${this.options.port ?? 0}`,
      '--disable-telemetry',
      '--disable-update-check',
      '--disable-getting-started-override',
      // A closed or reloaded window's extension host goes away after 10 s instead of 3 hours (releases before 4.1xx,
      // 4.108 among them, have no such option and keep it for the session's life).
      ...(supportsOption(this.install, '--reconnection-grace-time') ? ['--reconnection-grace-time', '10'] : []),
      ...(this.info.trust === 'disabled' ? ['--disable-workspace-trust'] : []),
      '--config', path.join(this.runDir, 'config.yaml'),
    ];
    writeFileSync(path.join(this.runDir, 'config.yaml'), 'auth: none\ncert: false\n');
    this.log = createWriteStream(this.codeServerLog);
    this.log.write(`$ ${this.install.node} ${this.install.entry} ${args.join(' ')}\n`);
    const guard = path.join(repoRoot, 'scripts', 'code-server-guard.mjs');
    this.process = spawn(this.install.node, [guard, this.install.node, this.install.entry, ...args], {
      env,
      cwd: this.workspaceDir,
      detached: true, // its own process group, which the guard takes down as a whole
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    this.process.on('exit', (code, signal) => {
      this.exited = `code-server exited with ${code ?? signal}`;
      this.log?.write(`[harness] ${this.exited}\n`);
      for (const listener of this.exitListeners.splice(0)) listener(this.exited);
    });
    this.url = await new Promise<string>((resolve, reject) => {
      let seen = '';
      const timer = setTimeout(() => reject(new Error(`code-server did not report its address within 60 s. Log ${this.codeServerLog}:\n${indent(tail(this.codeServerLog))}`)), 60_000);
      const onData = (chunk: Buffer) => {
        this.log?.write(chunk);
        seen += chunk.toString('utf8');
        const match = /HTTP server listening on (http:\/\/127\.0\.0\.1:\d+)\//.exec(seen);
        if (match) {
          clearTimeout(timer);
          resolve(match[1]!);
        }
      };
      this.process!.stdout!.on('data', onData);
      this.process!.stderr!.on('data', onData);
      this.process!.on('exit', () => {
        clearTimeout(timer);
        reject(new Error(`${this.exited} before it was ready. Log ${this.codeServerLog}:\n${indent(tail(this.codeServerLog))}`));
      });
    });
    await this.healthz();
    this.timings['start code-server'] = Date.now() - phase;
  }

  /** Environment of code-server and its extension host: the harness's, minus what would leak, plus the session's. */
  private environment(): NodeJS.ProcessEnv {
    const env: NodeJS.ProcessEnv = {};
    for (const [key, value] of Object.entries(process.env)) if (!SCRUBBED_ENV.test(key)) env[key] = value;
    return {
      ...env,
      HOME: this.homeDir,
      XDG_CONFIG_HOME: path.join(this.homeDir, '.config'),
      XDG_DATA_HOME: path.join(this.homeDir, '.local', 'share'),
      XDG_CACHE_HOME: path.join(this.homeDir, '.cache'),
      ...(this.options.testRunner === false ? {} : { [CONTROL_DIR_ENV]: this.controlDir, [SESSION_ENV]: JSON.stringify(this.info), RHCOS_E2E_ENV_PROBE: this.info.envProbe }),
      // No extension gallery: code-server would query open-vsx.org; tests reach nothing but 127.0.0.1.
      EXTENSIONS_GALLERY: '{}',
      ...this.options.env,
    };
  }

  private healthz(): Promise<void> {
    return new Promise((resolve, reject) => {
      const req = request(`${this.url}/healthz`, (response) => {
        response.resume();
        if (response.statusCode === 200) resolve();
        else reject(new Error(`${this.url}/healthz answered ${response.statusCode}`));
      });
      req.on('error', reject);
      req.end();
    });
  }

  private readonly exitListeners: ((reason: string) => void)[] = [];

  /** Resolves with the reason when code-server exits (by itself or stopped). */
  whenExited(): Promise<string> {
    if (this.exited) return Promise.resolve(this.exited);
    return new Promise((resolve) => this.exitListeners.push(resolve));
  }

  /** Why the session cannot go on (code-server exited), or undefined. */
  get failure(): string | undefined {
    return this.exited;
  }

  /** URL that opens the session's workspace. */
  get workspaceUrl(): string {
    return `${this.url}/?folder=${encodeURIComponent(this.workspaceDir)}`;
  }

  /**
   * With extensionMode 'test': the `developmentOptions` the workbench page must carry (Workbench.open writes them into
   * the page's configuration): the unpacked rhcos-layering as the extension under development, the runner's tests
   * entry as the tests, as vscode-remote URIs because both are on code-server's side. That pair is what makes VS Code
   * run rhcos-layering in ExtensionMode.Test. (A built workbench reads the pair from its configuration's
   * developmentOptions, but ignores it in the URL's `payload` unless the smoke-test driver is on; code-server has no
   * flag for either.)
   */
  underTestDevelopmentOptions(): { extensions: UriComponents[]; extensionTestsPath: UriComponents } | undefined {
    if (!this.underTest) return undefined;
    const remote = (file: string): UriComponents => ({ scheme: 'vscode-remote', authority: new URL(this.url).host, path: file });
    return {
      extensions: [remote(installedFolder(this.underTestDir, 'rhcos-layering-dev.rhcos-layering-'))],
      extensionTestsPath: remote(path.join(installedFolder(this.extensionsDir, 'rhcos-layering-dev.rhcos-layering-e2e-runner-'), ...RUNNER_TESTS_ENTRY)),
    };
  }

  get readyFile(): string {
    return path.join(this.controlDir, READY_FILE);
  }

  /** Waits for the runner extension in the (current) extension host to announce itself. */
  async runner(timeoutMs = 60_000): Promise<RunnerClient> {
    const ready = await waitForJsonFile<RunnerReady>(this.readyFile, timeoutMs, 'the e2e runner extension to activate in the extension host', () => this.exited);
    return new RunnerClient(ready, () => this.exited, this.readyFile);
  }

  /** Tails of every log that helps explain a failure, with their paths. */
  failureReport(lines = 25): string {
    const sections: [string, string | undefined][] = [
      ['code-server', this.codeServerLog],
      ['extension host', this.extensionHostLog],
      ...this.extensionLogs('rhcos-layering-dev.rhcos-layering').map((file) => [`rhcos-layering: ${path.basename(file)}`, file] as [string, string]),
      ...this.extensionLogs('rhcos-layering-dev.rhcos-layering-e2e-runner').map((file) => [`e2e runner: ${path.basename(file)}`, file] as [string, string]),
      ['browser console (errors and warnings, first lines)', this.browserConsoleLog],
    ];
    return sections
      .map(([title, file]) => {
        let text = tail(file, file === this.browserConsoleLog ? 2_000 : lines);
        if (file === this.browserConsoleLog) text = text.split('\n').filter((line) => /^\[\S+\] (error|warning|pageerror|requestfailed):/.test(line)).slice(-lines).map((line) => line.slice(0, 300)).join('\n') || '(none)';
        return `--- ${title} (${file ? path.relative(repoRoot, file) : 'not found'}) ---\n${text}`;
      })
      .join('\n');
  }

  async stop(): Promise<void> {
    const child = this.process;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    try {
      process.kill(-child.pid!, 'SIGTERM');
    } catch {
      // already gone
    }
    const timeout = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), 8_000).unref());
    if ((await Promise.race([exited, timeout])) === 'timeout') {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    this.log?.end();
  }

  /** Synchronous last resort for process 'exit' handlers. */
  killNow(): void {
    const pid = this.process?.pid;
    if (!pid || this.process?.exitCode !== null) return;
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}

/** A URI as VS Code serializes it in the workbench configuration. */
export interface UriComponents {
  readonly scheme: string;
  readonly authority: string;
  readonly path: string;
}

/** The folder code-server's installer made for one extension (`<publisher>.<name>-<version>`) in an extensions folder. */
function installedFolder(extensionsDir: string, prefix: string): string {
  const matches = readdirSync(extensionsDir).filter((name) => name.startsWith(prefix) && /^\d/.test(name.slice(prefix.length)));
  if (matches.length !== 1) throw new Error(`Expected one ${prefix}<version> folder in ${extensionsDir}, found ${matches.join(', ') || 'none'}`);
  return path.join(extensionsDir, matches[0]!);
}

/** Talks to the runner extension's bridge (see test/runner-extension/src/extension.ts). */
export class RunnerClient {
  constructor(
    public ready: RunnerReady,
    private readonly failure: () => string | undefined,
    private readonly readyFile: string,
  ) {}

  private async call<T>(method: 'GET' | 'POST', route: string, body: unknown, timeoutMs: number): Promise<T> {
    try {
      return await this.callOnce<T>(method, route, body, timeoutMs);
    } catch (error) {
      // A restarted extension host (window reload, crash) has a new runner with a new port: follow it once.
      if (!/ECONNREFUSED/.test(String(error)) || !existsSync(this.readyFile)) throw error;
      const fresh = JSON.parse(readFileSync(this.readyFile, 'utf8')) as RunnerReady;
      if (fresh.port === this.ready.port) throw error;
      this.ready = fresh;
      return this.callOnce<T>(method, route, body, timeoutMs);
    }
  }

  private callOnce<T>(method: 'GET' | 'POST', route: string, body: unknown, timeoutMs: number): Promise<T> {
    const failed = this.failure();
    if (failed) return Promise.reject(new Error(`Cannot reach the runner: ${failed}`));
    return new Promise<T>((resolve, reject) => {
      const payload = body === undefined ? undefined : JSON.stringify(body);
      const req = request(
        { host: '127.0.0.1', port: this.ready.port, path: route, method, timeout: timeoutMs, headers: { [TOKEN_HEADER]: this.ready.token, 'content-type': 'application/json' } },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            if (response.statusCode !== 200) return reject(new Error(`runner ${method} ${route} answered ${response.statusCode}: ${text}`));
            resolve(JSON.parse(text) as T);
          });
        },
      );
      req.on('timeout', () => req.destroy(new Error(`runner ${method} ${route} timed out after ${timeoutMs} ms`)));
      req.on('error', (error) => reject(new Error(`runner ${method} ${route}: ${error.message}${this.failure() ? ` (${this.failure()})` : ''}`)));
      req.end(payload);
    });
  }

  /** Runs in-editor suites in the extension host and returns the results JSON the runner wrote (request.resultsPath). */
  async run(request: RunRequest = {}, timeoutMs = 600_000): Promise<RunResult> {
    const answered = await this.call<RunResult>('POST', '/run', request, timeoutMs);
    if (!existsSync(answered.resultsPath)) throw new Error(`The runner answered but wrote no results file at ${answered.resultsPath}`);
    return JSON.parse(readFileSync(answered.resultsPath, 'utf8')) as RunResult;
  }

  /**
   * vscode.commands.executeCommand(command, ...args) in the extension host. Args/results cross as JSON; use
   * { $uri: 'path/in/workspace' }, { $position: [line, char] }, { $range: [...] } for VS Code values (0-based).
   * wait=false returns at once (for commands that open a modal dialog).
   */
  async executeCommand<T = unknown>(command: string, args: unknown[] = [], options: { wait?: boolean; timeoutMs?: number } = {}): Promise<T> {
    const response = await this.call<CommandResponse>('POST', '/command', { command, args, wait: options.wait ?? true }, options.timeoutMs ?? runOptions.timeoutMs);
    if (response.error) throw new Error(`executeCommand ${command} failed in the extension host: ${response.error}`);
    return response.result as T;
  }

  state(): Promise<RunnerState> {
    return this.call<RunnerState>('GET', '/state', undefined, runOptions.timeoutMs);
  }
}

// The e2e runner: runs the in-editor suites inside the extension host and offers the Playwright harness a bridge.
//
// When the extension host has RHCOS_E2E_CONTROL_DIR set (the harness sets it on code-server), the runner starts an
// HTTP server on 127.0.0.1 (random port, random token) and writes <control dir>/runner.json. The harness then
//   POST /run      RunRequest      -> RunResult     (also written to RunRequest.resultsPath)
//   POST /command  CommandRequest  -> CommandResponse
//   GET  /state                    -> RunnerState
// Without the variable only the palette command "RHCOS Layering E2E: Run In-Editor Suites" is there.
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import * as vscode from 'vscode';
import { isRunning, listSuites, runSuites, writeJsonAtomic } from './mocha-runner';
import {
  CONTROL_DIR_ENV,
  EXTHOST_LOGS_ENV,
  READY_FILE,
  TOKEN_HEADER,
  type CommandRequest,
  type CommandResponse,
  type RunnerReady,
  type RunnerState,
  type RunRequest,
} from './protocol';
import { registerSelftest } from './selftest';

let server: Server | undefined;
let runCount = 0;

export function activate(context: vscode.ExtensionContext): void {
  const output = vscode.window.createOutputChannel('E2E Runner (tests only)', { log: true });
  const status = vscode.window.createStatusBarItem('rhcosLayeringE2e.status', vscode.StatusBarAlignment.Right, -1000);
  status.name = 'E2E Runner';
  status.text = '$(beaker) e2e';
  status.tooltip = 'RHCOS Layering e2e runner: ready';
  status.show();
  context.subscriptions.push(output, status);

  const suitesDir = path.join(context.extensionPath, 'dist', 'suites');
  const extensionLogsDir = path.dirname(context.logUri.fsPath);
  process.env[EXTHOST_LOGS_ENV] = extensionLogsDir;
  // Stack traces of the bundled suites point at the TypeScript sources.
  process.setSourceMapsEnabled(true);
  const controlDir = process.env[CONTROL_DIR_ENV];

  const run = async (request: RunRequest) => {
    const resultsPath = request.resultsPath ?? path.join(controlDir ?? context.globalStorageUri.fsPath, `results-${++runCount}.json`);
    status.text = '$(sync~spin) e2e: running';
    output.info(`Running suites ${request.suites?.join(', ') || '(all)'}${request.grep ? ` grep ${request.grep}` : ''}`);
    const result = await runSuites(suitesDir, request, resultsPath, { version: vscode.version, trusted: () => vscode.workspace.isTrusted });
    for (const test of result.tests) {
      output.info(`${test.state === 'passed' ? 'PASS' : test.state === 'failed' ? 'FAIL' : 'SKIP'} ${test.fullTitle}${test.error ? `\n${test.error.stack ?? test.error.message}` : ''}`);
    }
    if (result.fatal) output.error(result.fatal);
    const { passed, failed, pending } = result.stats;
    status.text = `$(beaker) e2e: ${passed} passed, ${failed} failed${result.fatal ? ', fatal' : ''}`;
    status.tooltip = `Last run ${result.finishedAt}: ${passed} passed, ${failed} failed, ${pending} pending. Results: ${resultsPath}`;
    output.info(`${passed} passed, ${failed} failed, ${pending} pending; results in ${resultsPath}`);
    return result;
  };

  context.subscriptions.push(
    vscode.commands.registerCommand('rhcosLayeringE2e.runSuites', async () => {
      const result = await run({});
      output.show(true);
      return result;
    }),
  );
  registerSelftest(context);

  if (!controlDir) {
    output.info(`${CONTROL_DIR_ENV} is not set: no bridge; run the suites with the palette command.`);
    return;
  }

  const token = randomBytes(16).toString('hex');
  server = createServer((request, response) => {
    handle(request, response, token, run).catch((error: unknown) => reply(response, 500, { error: String(error) }));
  });
  server.listen(0, '127.0.0.1', () => {
    const { port } = server!.address() as AddressInfo;
    const ready: RunnerReady = {
      pid: process.pid,
      port,
      token,
      startedAt: new Date().toISOString(),
      vscodeVersion: vscode.version,
      appName: vscode.env.appName,
      appHost: vscode.env.appHost,
      uiKind: vscode.env.uiKind === vscode.UIKind.Web ? 'web' : 'desktop',
      remoteName: vscode.env.remoteName,
      workspaceTrusted: vscode.workspace.isTrusted,
      workspaceFolders: (vscode.workspace.workspaceFolders ?? []).map((folder) => folder.uri.fsPath),
      suites: listSuites(suitesDir),
      extensionLogsDir,
    };
    writeJsonAtomic(path.join(controlDir, READY_FILE), ready);
    output.info(`Bridge listening on 127.0.0.1:${port}; wrote ${path.join(controlDir, READY_FILE)}`);
  });
  context.subscriptions.push({ dispose: () => server?.close() });
}

export function deactivate(): void {
  server?.close();
}

async function readBody(request: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  return text ? JSON.parse(text) : {};
}

function reply(response: ServerResponse, status: number, body: unknown): void {
  if (response.headersSent) return;
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify(body));
}

async function handle(request: IncomingMessage, response: ServerResponse, token: string, run: (request: RunRequest) => Promise<unknown>): Promise<void> {
  if (request.headers[TOKEN_HEADER] !== token) return reply(response, 403, { error: 'bad token' });
  const route = `${request.method} ${request.url}`;
  if (route === 'GET /state') return reply(response, 200, state());
  if (route === 'POST /run') {
    if (isRunning()) return reply(response, 409, { error: 'a run is already in progress' });
    return reply(response, 200, await run((await readBody(request)) as RunRequest));
  }
  if (route === 'POST /command') return reply(response, 200, await executeCommand((await readBody(request)) as CommandRequest));
  return reply(response, 404, { error: `no route ${route}` });
}

function state(): RunnerState {
  const extensions: RunnerState['extensions'] = {};
  for (const extension of vscode.extensions.all) {
    if (extension.id.startsWith('rhcos-layering-dev.')) {
      extensions[extension.id] = { isActive: extension.isActive, version: String(extension.packageJSON.version), ...(extension.isActive ? { exports: typeof extension.exports } : {}) };
    }
  }
  const editor = vscode.window.activeTextEditor;
  return {
    workspaceTrusted: vscode.workspace.isTrusted,
    extensions,
    ...(editor ? { activeEditor: { uri: editor.document.uri.toString(), languageId: editor.document.languageId } } : {}),
    visibleEditors: vscode.window.visibleTextEditors.map((visible) => visible.document.uri.toString()),
  };
}

function fromWire(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(fromWire);
  if (value && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    if (typeof record.$uri === 'string') {
      const text = record.$uri;
      if (/^[a-z][\w+.-]*:\/\//i.test(text)) return vscode.Uri.parse(text);
      if (path.isAbsolute(text)) return vscode.Uri.file(text);
      const folder = vscode.workspace.workspaceFolders?.[0];
      if (!folder) throw new Error(`Relative $uri "${text}" but no workspace folder is open`);
      return vscode.Uri.joinPath(folder.uri, text);
    }
    if (Array.isArray(record.$position)) {
      const [line, character] = record.$position as number[];
      return new vscode.Position(line!, character!);
    }
    if (Array.isArray(record.$range)) {
      const [a, b, c, d] = record.$range as number[];
      return new vscode.Range(a!, b!, c!, d!);
    }
    return Object.fromEntries(Object.entries(record).map(([key, inner]) => [key, fromWire(inner)]));
  }
  return value;
}

function toWire(value: unknown, depth = 0): unknown {
  if (depth > 8) return '[…]';
  if (value instanceof vscode.Uri) return { $uri: value.toString() };
  if (value instanceof vscode.Range) return { $range: [value.start.line, value.start.character, value.end.line, value.end.character] };
  if (value instanceof vscode.Position) return { $position: [value.line, value.character] };
  if (Array.isArray(value)) return value.map((inner) => toWire(inner, depth + 1));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, inner] of Object.entries(value)) if (typeof inner !== 'function') out[key] = toWire(inner, depth + 1);
    return out;
  }
  return typeof value === 'function' ? undefined : value;
}

async function executeCommand(request: CommandRequest): Promise<CommandResponse> {
  try {
    const pending = vscode.commands.executeCommand(request.command, ...((fromWire(request.args ?? []) as unknown[]) ?? []));
    if (request.wait === false) {
      pending.then(undefined, (error: unknown) => console.error(`[e2e runner] ${request.command} failed`, error));
      return {};
    }
    return { result: toWire(await pending) };
  } catch (error) {
    return { error: error instanceof Error ? error.message : String(error) };
  }
}

// Helpers for the in-editor suites. They run inside the extension host: in code-server through the e2e runner
// extension (npm run test:e2e) and in desktop VS Code through @vscode/test-electron / @vscode/test-cli
// (npm run test:vscode). Waits are event- or condition-driven with a timeout; never fixed sleeps.
import * as assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import { EXTHOST_LOGS_ENV, SESSION_ENV, type SessionInfo } from '../runner-extension/src/protocol';

export const EXTENSION_ID = 'rhcos-layering-dev.rhcos-layering';
/** Diagnostics our extension publishes carry this source. */
export const DIAGNOSTIC_SOURCE = 'rhcos-layering';
/** A file at the root of test/fixtures/workspace that tells the fixture workspace apart from any other folder. */
const FIXTURE_MARKER = '.rhcos-e2e-fixture';

// ---------------------------------------------------------------------------------------------------------------
// Where the suites run

export type HarnessInfo = ({ kind: 'code-server' } & SessionInfo) | { kind: 'vscode-test' };

/** Which harness runs the suites: code-server (with the session the e2e harness describes) or @vscode/test-electron. */
export function harness(): HarnessInfo {
  const raw = process.env[SESSION_ENV];
  if (!raw) return { kind: 'vscode-test' };
  return { kind: 'code-server', ...(JSON.parse(raw) as SessionInfo) };
}

/** Marks the current test pending with a reason the e2e summary prints. Use inside it()/before(): `return skipBecause(this, '...')`. */
export function skipBecause(context: Mocha.Context, reason: string): never {
  type WithReason = Mocha.Runnable & { pendingReason?: string };
  const runnable = context.test as WithReason | undefined;
  // From a before() hook the whole suite is skipped: every test in it gets the reason, not only the first.
  const skipped: WithReason[] = (runnable as { type?: string } | undefined)?.type === 'hook' ? [...(runnable?.parent?.tests ?? [])] : [(context.currentTest ?? runnable) as WithReason];
  for (const test of skipped) if (test) test.pendingReason = reason;
  context.skip();
}

// ---------------------------------------------------------------------------------------------------------------
// Waiting

export interface WaitOptions {
  timeoutMs?: number;
  /** What the wait was for; goes into the timeout error. */
  message?: string;
  /** How often a condition without an event is checked. */
  intervalMs?: number;
}

/**
 * Resolves with the first truthy value `probe` returns. For state that has no change event (extension activation,
 * a command becoming registered). Prefer waitForEvent / waitForDiagnostics when an event exists.
 */
export async function waitFor<T>(probe: () => T | undefined | null | false | Promise<T | undefined | null | false>, options: WaitOptions = {}): Promise<T> {
  const { timeoutMs = 10_000, message = 'condition', intervalMs = 50 } = options;
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() >= deadline) {
      throw new Error(`Timed out after ${timeoutMs} ms waiting for ${message}${lastError ? ` (last error: ${String(lastError)})` : ''}`);
    }
    await new Promise((resolve) => setTimeout(resolve, Math.min(intervalMs, Math.max(0, deadline - Date.now()))));
  }
}

/** Resolves with the first event that matches `predicate`; rejects after the timeout. Subscribe BEFORE the action that fires it. */
export function waitForEvent<T>(event: vscode.Event<T>, predicate: (value: T) => boolean = () => true, options: WaitOptions = {}): Promise<T> {
  const { timeoutMs = 10_000, message = 'event' } = options;
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => {
      subscription.dispose();
      reject(new Error(`Timed out after ${timeoutMs} ms waiting for ${message}`));
    }, timeoutMs);
    const subscription = event((value) => {
      let matches = false;
      try {
        matches = predicate(value);
      } catch (error) {
        clearTimeout(timer);
        subscription.dispose();
        reject(error);
        return;
      }
      if (matches) {
        clearTimeout(timer);
        subscription.dispose();
        resolve(value);
      }
    });
  });
}

function describeDiagnostics(diagnostics: readonly vscode.Diagnostic[]): string {
  if (!diagnostics.length) return '(none)';
  return diagnostics
    .map((d) => `${d.range.start.line + 1}:${d.range.start.character + 1} ${vscode.DiagnosticSeverity[d.severity]} [${d.source ?? '?'}${d.code !== undefined ? ` ${typeof d.code === 'object' ? d.code.value : d.code}` : ''}] ${d.message}`)
    .join('\n    ');
}

/**
 * Waits until the diagnostics of `uri` satisfy `predicate` (checked now, then on every
 * languages.onDidChangeDiagnostics for that URI) and returns them. Default predicate: at least one diagnostic.
 * The timeout error lists the diagnostics the file had.
 */
export async function waitForDiagnostics(
  uri: vscode.Uri,
  predicate: (diagnostics: readonly vscode.Diagnostic[]) => boolean = (diagnostics) => diagnostics.length > 0,
  timeoutMs = 10_000,
): Promise<vscode.Diagnostic[]> {
  const key = uri.toString();
  const check = () => {
    const current = vscode.languages.getDiagnostics(uri);
    return predicate(current) ? current : undefined;
  };
  return new Promise<vscode.Diagnostic[]>((resolve, reject) => {
    const finish = (error?: Error, value?: vscode.Diagnostic[]) => {
      clearTimeout(timer);
      subscription.dispose();
      if (error) reject(error);
      else resolve(value!);
    };
    const subscription = vscode.languages.onDidChangeDiagnostics((event) => {
      if (!event.uris.some((changed) => changed.toString() === key)) return;
      try {
        const value = check();
        if (value) finish(undefined, value);
      } catch (error) {
        finish(error as Error);
      }
    });
    const timer = setTimeout(() => {
      finish(new Error(`Timed out after ${timeoutMs} ms waiting for diagnostics of ${vscode.workspace.asRelativePath(uri)}; it has:\n    ${describeDiagnostics(vscode.languages.getDiagnostics(uri))}`));
    }, timeoutMs);
    try {
      const value = check();
      if (value) finish(undefined, value);
    } catch (error) {
      finish(error as Error);
    }
  });
}

/** The first lint of a session loads the WASM shell parser; on a loaded 2-core machine that can take a while. */
export const FIRST_LINT_MS = 30_000;

/** A diagnostic as the assertions compare it: rule id, severity name, 0-based [line, char, endLine, endChar]. */
export interface SeenDiagnostic {
  rule: string;
  severity: string;
  range: [number, number, number, number];
}

/** The rule id of one of our diagnostics (its code is `{ value: ruleId, target: docs uri }`). */
export function codeOf(diagnostic: vscode.Diagnostic): string {
  return typeof diagnostic.code === 'object' ? String(diagnostic.code.value) : String(diagnostic.code);
}

/** Diagnostics as comparable values, sorted by position then rule id. */
export function seen(diagnostics: readonly vscode.Diagnostic[]): SeenDiagnostic[] {
  return diagnostics
    .map((d) => ({ rule: codeOf(d), severity: vscode.DiagnosticSeverity[d.severity], range: [d.range.start.line, d.range.start.character, d.range.end.line, d.range.end.character] as SeenDiagnostic['range'] }))
    .sort((a, b) => a.range[0] - b.range[0] || a.range[1] - b.range[1] || a.rule.localeCompare(b.rule));
}

/** 0-based range of the first occurrence of `text` on (0-based) `line` of the document. */
export function rangeOf(document: vscode.TextDocument, line: number, text: string): SeenDiagnostic['range'] {
  const start = document.lineAt(line).text.indexOf(text);
  assert.ok(start >= 0, `"${text}" is not on line ${line + 1}: ${document.lineAt(line).text}`);
  return [line, start, line, start + text.length];
}

/** What waitForLint needs of the extension's test API (TestApi's diagnostics publishers). */
interface LintPublisher {
  resultFor(document: vscode.TextDocument): unknown;
  readonly onDidLint: vscode.Event<vscode.Uri>;
}

/**
 * Waits until the extension has linted the CURRENT version of `document` (Containerfile or MachineConfig YAML), so
 * its diagnostics are not those of an earlier text and its code actions answer (they only use an up-to-date result).
 * Event-driven: checks now, then on each onDidLint of the publishers.
 */
export async function waitForLint(document: vscode.TextDocument, timeoutMs = FIRST_LINT_MS): Promise<void> {
  const api = await getExtensionApi<{ diagnostics: LintPublisher; machineConfigDiagnostics: LintPublisher }>();
  const publishers = [api.diagnostics, api.machineConfigDiagnostics];
  const current = () => publishers.some((publisher) => publisher.resultFor(document) !== undefined);
  if (current()) return;
  await new Promise<void>((resolve, reject) => {
    const subscriptions = publishers.map((publisher) =>
      publisher.onDidLint(() => {
        if (current()) finish();
      }),
    );
    const timer = setTimeout(() => {
      const state = `version ${document.version}, ${document.isClosed ? 'closed' : document.isDirty ? 'unsaved changes' : 'saved'}, first lines ${JSON.stringify(document.getText().split('\n').slice(0, 3))}`;
      finish(new Error(`Timed out after ${timeoutMs} ms waiting for the extension to lint ${vscode.workspace.asRelativePath(document.uri)} (${state}); it has:\n    ${describeDiagnostics(vscode.languages.getDiagnostics(document.uri))}`));
    }, timeoutMs);
    function finish(error?: Error) {
      clearTimeout(timer);
      subscriptions.forEach((subscription) => subscription.dispose());
      if (error) reject(error);
      else resolve();
    }
    if (current()) finish();
  });
}

/** The diagnostics of `uri` that our extension published (source "rhcos-layering"). */
export function ourDiagnostics(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((diagnostic) => diagnostic.source === DIAGNOSTIC_SOURCE);
}

// ---------------------------------------------------------------------------------------------------------------
// The fixture workspace (test/fixtures/workspace, copied fresh for every harness session)

/** The open fixture workspace folder; fails clearly when the suites run in some other folder. */
export function fixtureWorkspace(): vscode.WorkspaceFolder {
  const folders = vscode.workspace.workspaceFolders ?? [];
  const folder = folders.find((candidate) => candidate.uri.scheme === 'file' && existsSync(path.join(candidate.uri.fsPath, FIXTURE_MARKER)));
  if (!folder) {
    throw new Error(`The fixture workspace (a folder with ${FIXTURE_MARKER}, copied from test/fixtures/workspace) is not open; workspace folders: ${folders.map((f) => f.uri.toString()).join(', ') || '(none)'}`);
  }
  return folder;
}

/** URI of a file in the fixture workspace, by path relative to its root. */
export function fixtureUri(relativePath: string): vscode.Uri {
  return vscode.Uri.joinPath(fixtureWorkspace().uri, ...relativePath.split('/'));
}

/** Opens a fixture file and shows it in an editor (unless show is false). */
export async function openFixture(relativePath: string, options: { show?: boolean; preview?: boolean } = {}): Promise<{ document: vscode.TextDocument; editor: vscode.TextEditor | undefined }> {
  const uri = fixtureUri(relativePath);
  if (!existsSync(uri.fsPath)) throw new Error(`No fixture file ${relativePath} in ${fixtureWorkspace().uri.fsPath}`);
  const document = await vscode.workspace.openTextDocument(uri);
  const editor = options.show === false ? undefined : await vscode.window.showTextDocument(document, { preview: options.preview ?? false });
  return { document, editor };
}

/** Replaces the whole text of a document through a WorkspaceEdit (not saved). */
export async function setText(document: vscode.TextDocument, text: string): Promise<void> {
  const edit = new vscode.WorkspaceEdit();
  edit.replace(document.uri, new vscode.Range(0, 0, document.lineCount, 0), text);
  assert.ok(await vscode.workspace.applyEdit(edit), `applyEdit failed for ${document.uri.toString()}`);
}

/**
 * Throws away unsaved edits of a fixture document (File: Revert File on it), so a test that edited it leaves the
 * copy as it was for the tests after it. Resolves once the text is the saved text again.
 */
export async function revertDocument(document: vscode.TextDocument): Promise<void> {
  const saved = readFileSync(document.uri.fsPath, 'utf8');
  if (document.getText() === saved && !document.isDirty) return;
  await vscode.window.showTextDocument(document, { preview: false });
  await vscode.commands.executeCommand('workbench.action.files.revert');
  await waitFor(() => !document.isDirty && document.getText() === saved, { message: `${vscode.workspace.asRelativePath(document.uri)} to be reverted to the text on disk` });
}

export async function closeAllEditors(): Promise<void> {
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
}

// ---------------------------------------------------------------------------------------------------------------
// Language features through VS Code's provider commands (what the user would get, from every provider)

/** Code actions VS Code offers for a range (default kind: quick fixes), as real CodeActions (plain Commands dropped). */
export async function codeActions(uri: vscode.Uri, range: vscode.Range, kind: vscode.CodeActionKind = vscode.CodeActionKind.QuickFix): Promise<vscode.CodeAction[]> {
  const offered = (await vscode.commands.executeCommand<(vscode.CodeAction | vscode.Command)[]>('vscode.executeCodeActionProvider', uri, range, kind.value)) ?? [];
  return offered.filter((item): item is vscode.CodeAction => typeof (item as vscode.Command).command !== 'string');
}

/** Applies a code action the way the light bulb does: its edit, then its command. */
export async function applyCodeAction(action: vscode.CodeAction): Promise<void> {
  if (action.edit) assert.ok(await vscode.workspace.applyEdit(action.edit), `applying the edit of "${action.title}" failed`);
  if (action.command) await vscode.commands.executeCommand(action.command.command, ...(action.command.arguments ?? []));
}

/** The hover contents at a position, as plain strings (markdown source). */
export async function hoverTexts(uri: vscode.Uri, position: vscode.Position): Promise<string[]> {
  const hovers = (await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, position)) ?? [];
  return hovers.flatMap((hover) => hover.contents.map((content) => (typeof content === 'string' ? content : content.value)));
}

// ---------------------------------------------------------------------------------------------------------------
// Commands, settings

/** All registered command ids (internal ones included). */
export async function registeredCommands(): Promise<Set<string>> {
  return new Set(await vscode.commands.getCommands(false));
}

/** Runs a command by id; fails with a clear message when it is not registered. */
export async function runCommand<T = unknown>(command: string, ...args: unknown[]): Promise<T | undefined> {
  if (!(await registeredCommands()).has(command)) throw new Error(`Command ${command} is not registered`);
  return vscode.commands.executeCommand<T>(command, ...args);
}

/**
 * Runs `body` with settings changed at user (global) level and restores them afterwards. Works in Restricted Mode,
 * where workspace values of restricted settings are ignored. Keys are full ids, e.g. "rhcosLayering.lint.enable".
 */
export async function withSettings<T>(values: Record<string, unknown>, body: () => Promise<T>): Promise<T> {
  const configuration = () => vscode.workspace.getConfiguration();
  const previous = Object.keys(values).map((key) => [key, configuration().inspect(key)?.globalValue] as const);
  try {
    for (const [key, value] of Object.entries(values)) await configuration().update(key, value, vscode.ConfigurationTarget.Global);
    return await body();
  } finally {
    for (const [key, value] of previous) await configuration().update(key, value, vscode.ConfigurationTarget.Global);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// The extension under test

// Mirrors the manifest fields the suites read (vscode.Extension.packageJSON is `any`).
export interface Manifest {
  name: string;
  publisher: string;
  version: string;
  activationEvents?: string[];
  capabilities?: { untrustedWorkspaces?: { supported: boolean | 'limited'; restrictedConfigurations?: string[] } };
  contributes: {
    commands?: { command: string; title: string; category?: string }[];
    configuration?: { title?: string; properties: Record<string, { default?: unknown; type?: string | string[] }> };
    languages?: { id: string; filenames?: string[]; filenamePatterns?: string[]; extensions?: string[] }[];
    viewsContainers?: Record<string, { id: string; title: string }[]>;
    views?: Record<string, { id: string; name: string }[]>;
  };
}

export function getExtension<Api = unknown>(): vscode.Extension<Api> {
  const extension = vscode.extensions.getExtension<Api>(EXTENSION_ID);
  if (!extension) {
    throw new Error(`${EXTENSION_ID} is not installed in this VS Code; installed: ${vscode.extensions.all.filter((e) => !e.id.startsWith('vscode.')).map((e) => e.id).join(', ') || '(only built-ins)'}`);
  }
  return extension;
}

export function manifest(): Manifest {
  return getExtension().packageJSON as Manifest;
}

/** Waits until the extension has activated by itself (an activation event fired); does not activate it. */
export async function waitForActivation(timeoutMs = 15_000): Promise<vscode.Extension<unknown>> {
  const extension = getExtension();
  return waitFor(() => extension.isActive && extension, { timeoutMs, message: `${EXTENSION_ID} to activate` });
}

/**
 * The services our activate() returns (vscode.extensions.getExtension(...).exports) when VS Code runs it under test
 * (ExtensionMode.Test), activating the extension if needed. Installed, it returns nothing: then this fails and says so.
 */
export async function getExtensionApi<Api = unknown>(): Promise<Api> {
  const extension = getExtension<Api>();
  const api = extension.isActive ? extension.exports : await extension.activate();
  if (api === undefined || api === null) {
    throw new Error(
      `${EXTENSION_ID} activate() returned nothing: it gives its services only when VS Code runs it under test ` +
        '(ExtensionMode.Test: launched with --extensionDevelopmentPath and --extensionTestsPath). npm run test:vscode does that; ' +
        "in code-server the e2e harness does it for sessions with extensionMode: 'test' (test/e2e/README.md).",
    );
  }
  return api;
}

/**
 * The text of an extension's LogOutputChannel (createOutputChannel(name, { log: true })), read from its log file in the
 * extension host's log folder. Undefined when the folder is unknown (outside the e2e runner) or nothing was logged yet.
 */
export function readLogChannel(channelName: string, extensionId = EXTENSION_ID): string | undefined {
  const logsDir = process.env[EXTHOST_LOGS_ENV];
  if (!logsDir) return undefined;
  const file = path.join(logsDir, extensionId, `${channelName}.log`);
  if (existsSync(file)) return readFileSync(file, 'utf8');
  // Some VS Code versions suffix the file name; accept any log of that channel.
  const folder = path.join(logsDir, extensionId);
  const match = existsSync(folder) ? readdirSync(folder).find((name) => name.startsWith(channelName) && name.endsWith('.log')) : undefined;
  return match ? readFileSync(path.join(folder, match), 'utf8') : undefined;
}

/** Waits until the channel's log contains `text` (log files are flushed asynchronously). */
export async function waitForLogLine(channelName: string, text: string | RegExp, timeoutMs = 10_000): Promise<string> {
  const matches = (log: string | undefined) => (log !== undefined && (typeof text === 'string' ? log.includes(text) : text.test(log)) ? log : undefined);
  return waitFor(() => matches(readLogChannel(channelName)), { timeoutMs, message: `"${String(text)}" in the "${channelName}" log (${process.env[EXTHOST_LOGS_ENV] ?? 'log folder unknown'})` });
}

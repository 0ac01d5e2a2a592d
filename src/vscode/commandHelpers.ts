import * as vscode from 'vscode';
import { CONTAINERFILE_GLOB } from '../core/containerfileNames';
import { describeCredentialSource } from '../core/image/auth';
import { resolveDigest, type RegistrySession, type ResolvedDigest } from '../core/image/registry';
import { registryOptions } from '../core/openshift/layerFlow';
import { formatProblem, type Problem, type Result } from '../core/problem';
import { editorProxyEnvironment } from './proxySettings';
import { readRegistrySettings } from './registrySettings';

/**
 * The Containerfile a command is about: the URI it was given (editor/explorer menus, code actions), else the active
 * editor's Containerfile, else one the user picks from the workspace.
 */
export async function containerfileFromArgs(arg: unknown, title: string): Promise<vscode.Uri | undefined> {
  if (arg instanceof vscode.Uri) return arg;
  if (typeof arg === 'string' && arg !== '') return vscode.Uri.parse(arg);
  const active = vscode.window.activeTextEditor?.document;
  if (active && active.languageId === 'dockerfile') return active.uri;
  const files = await vscode.workspace.findFiles(CONTAINERFILE_GLOB, '**/{node_modules,.git}/**', 500);
  if (files.length === 0) {
    void vscode.window.showErrorMessage(`${title}: open a Containerfile first (none was found in the workspace).`);
    return undefined;
  }
  if (files.length === 1) return files[0];
  const picked = await vscode.window.showQuickPick(
    files.map((uri) => ({ label: vscode.workspace.asRelativePath(uri), uri })),
    { title, placeHolder: 'Which Containerfile?' },
  );
  return picked?.uri;
}

/** Shows a Problem as an error notification with its next step; "Show Output" opens the log. */
/** A command argument's field as trimmed text; undefined when it is missing, not a string, or blank. */
export function argumentText(field: unknown): string | undefined {
  return typeof field === 'string' && field.trim() !== '' ? field.trim() : undefined;
}

export async function showProblem(problem: Problem, log: vscode.LogOutputChannel, ...buttons: string[]): Promise<string | undefined> {
  log.warn(formatProblem(problem));
  const choice = await vscode.window.showErrorMessage(formatProblem(problem), ...buttons, 'Show Output');
  if (choice === 'Show Output') log.show(true);
  return choice;
}

export interface ResolveOutcome {
  readonly result: Result<ResolvedDigest>;
  readonly cancelled: boolean;
}

/** Runs `work` under a cancellable progress notification; cancelling aborts the signal it gets. */
export async function withCancellableProgress<T>(title: string, work: (signal: AbortSignal) => Promise<T>): Promise<{ value: T; cancelled: boolean }> {
  let cancelled = false;
  const value = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title, cancellable: true },
    async (_progress, token) => {
      const controller = new AbortController();
      const subscription = token.onCancellationRequested(() => {
        cancelled = true;
        controller.abort();
      });
      try {
        return await work(controller.signal);
      } finally {
        subscription.dispose();
      }
    },
  );
  return { value, cancelled };
}

/** Resolves a tag to its digest with a cancellable progress notification, using the registry settings. */
export async function resolveWithProgress(image: string, scope: vscode.Uri | undefined, session: RegistrySession, log: vscode.LogOutputChannel): Promise<ResolveOutcome> {
  const settings = readRegistrySettings(scope);
  const { value: result, cancelled } = await withCancellableProgress(`Resolving ${image} to its digest`,
    (signal) => resolveDigest(image, registryOptions(settings, { session, signal, proxyEnv: editorProxyEnvironment() })));
  if (result.ok) {
    // The credential is named by file and key; its secret never reaches the log.
    const credential = result.value.credentialSource ? ` with the credential from ${describeCredentialSource(result.value.credentialSource)}` : ' anonymously';
    log.info(`Resolved ${image} to ${result.value.digest}${credential}.`);
  }
  return { result, cancelled };
}

/** True when `uri` exists. */
export async function exists(uri: vscode.Uri): Promise<boolean> {
  try {
    await vscode.workspace.fs.stat(uri);
    return true;
  } catch {
    return false;
  }
}

/**
 * Writes generated files after asking about each one that exists (Overwrite / Skip / Cancel). Nothing is written
 * until every question is answered; Cancel writes nothing. Returns the files written.
 */
export async function writeFilesAsking(files: readonly { uri: vscode.Uri; text: string }[]): Promise<vscode.Uri[] | undefined> {
  const toWrite: { uri: vscode.Uri; text: string }[] = [];
  for (const file of files) {
    if (await exists(file.uri)) {
      const choice = await vscode.window.showWarningMessage(
        `${vscode.workspace.asRelativePath(file.uri)} already exists. Overwrite it?`,
        { modal: true, detail: 'Nothing has been written yet. Skip keeps the existing file and writes the others.' },
        'Overwrite',
        'Skip',
      );
      if (choice === undefined) return undefined;
      if (choice === 'Skip') continue;
    }
    toWrite.push(file);
  }
  const encoder = new TextEncoder();
  for (const file of toWrite) {
    await vscode.workspace.fs.createDirectory(vscode.Uri.joinPath(file.uri, '..'));
    await vscode.workspace.fs.writeFile(file.uri, encoder.encode(file.text));
  }
  return toWrite.map((file) => file.uri);
}

/** Opens the written files beside the Containerfile; focus goes to the first. */
export async function openBeside(uris: readonly vscode.Uri[]): Promise<void> {
  for (const [i, uri] of uris.entries()) {
    const document = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(document, { viewColumn: vscode.ViewColumn.Beside, preview: false, preserveFocus: i > 0 });
  }
}

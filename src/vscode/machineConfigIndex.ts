import * as vscode from 'vscode';
import { machineConfigFactsOfText, mentionsMachineConfigKinds, MAX_YAML_BYTES, type WorkspaceMachineConfig } from '../core/openshift/yamlDocuments';
import type { LintContext } from './lintContext';

const YAML_GLOB = '**/*.{yaml,yml}';
const EXCLUDE = '**/{node_modules,.git,dist,out,.vscode-test}/**';
const MAX_FILES = 5000;

/**
 * The MachineConfigs in the workspace's YAML files (open documents win over the disk), kept up to date with a file
 * watcher and published to the lint context as source `workspace`: the Containerfile rules see the pools and
 * extensions of the MachineConfigs generated from each Containerfile, and the YAML diagnostics see other files'
 * MachineConfigs (several osImageURL overrides for one pool).
 */
export class MachineConfigIndex implements vscode.Disposable {
  private readonly byFile = new Map<string, readonly WorkspaceMachineConfig[]>();
  private readonly disposables: vscode.Disposable[] = [];
  private readonly changed = new vscode.EventEmitter<void>();
  /** Fires (debounced) after the index changed. */
  readonly onDidChange = this.changed.event;
  private publishTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly documentTimers = new Map<string, ReturnType<typeof setTimeout>>();
  /**
   * Files deleted on disk. VS Code keeps a deleted file's document open for a while and it still gets linted; its
   * MachineConfigs must not count (they would be reported as duplicates of the file that replaced it).
   */
  private readonly deleted = new Set<string>();
  /** Resolves when the first scan of the workspace is done (tests wait on it). */
  readonly ready: Promise<void>;

  constructor(private readonly context: LintContext, private readonly log: vscode.LogOutputChannel) {
    const watcher = vscode.workspace.createFileSystemWatcher(YAML_GLOB);
    this.disposables.push(
      watcher,
      this.changed,
      watcher.onDidCreate((uri) => {
        this.deleted.delete(uri.toString());
        void this.readFile(uri);
      }),
      watcher.onDidChange((uri) => {
        if (!this.isOpen(uri)) void this.readFile(uri);
      }),
      watcher.onDidDelete((uri) => {
        this.deleted.add(uri.toString());
        this.remove(uri);
      }),
      vscode.workspace.onDidSaveTextDocument((document) => this.deleted.delete(document.uri.toString())),
      vscode.workspace.onDidChangeTextDocument((event) => this.scheduleDocument(event.document)),
      vscode.workspace.onDidOpenTextDocument((document) => this.scheduleDocument(document, 0)),
      vscode.workspace.onDidCloseTextDocument((document) => {
        if (isYamlUri(document.uri) && document.uri.scheme === 'file') void this.readFile(document.uri);
        else if (isYamlUri(document.uri)) this.remove(document.uri);
      }),
    );
    this.ready = this.scan();
  }

  /** Every MachineConfig in the workspace. */
  get all(): readonly WorkspaceMachineConfig[] {
    return [...this.byFile.values()].flat();
  }

  /** MachineConfigs of files other than `uri`. */
  others(uri: vscode.Uri): readonly WorkspaceMachineConfig[] {
    const key = uri.toString();
    return [...this.byFile.entries()].filter(([file]) => file !== key).flatMap(([, configs]) => configs);
  }

  /** Replaces a document's entry from its current text (the YAML diagnostics call this after linting it). */
  update(uri: vscode.Uri, configs: readonly WorkspaceMachineConfig[]): void {
    const key = uri.toString();
    if (this.deleted.has(key)) return this.remove(uri);
    const before = this.byFile.get(key);
    if (configs.length === 0 && !before) return;
    if (before && JSON.stringify(before) === JSON.stringify(configs)) return;
    if (configs.length === 0) this.byFile.delete(key);
    else this.byFile.set(key, configs);
    this.schedulePublish();
  }

  private async scan(): Promise<void> {
    try {
      const files = await vscode.workspace.findFiles(YAML_GLOB, EXCLUDE, MAX_FILES);
      await Promise.all(files.map((uri) => this.readFile(uri)));
      for (const document of vscode.workspace.textDocuments) this.updateFromDocument(document);
      this.log.info(`Found ${this.all.length} MachineConfig(s) in ${this.byFile.size} of ${files.length} YAML file(s).`);
    } catch (error) {
      this.log.warn(`Scanning the workspace for MachineConfigs failed: ${String(error)}`);
    }
    this.publishNow();
  }

  private async readFile(uri: vscode.Uri): Promise<void> {
    if (this.isOpen(uri)) return;
    try {
      const stat = await vscode.workspace.fs.stat(uri);
      if (stat.size > MAX_YAML_BYTES) return this.remove(uri);
      const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
      this.update(uri, mentionsMachineConfigKinds(text) ? machineConfigFactsOfText(text, uri.fsPath) : []);
    } catch {
      this.remove(uri);
    }
  }

  private scheduleDocument(document: vscode.TextDocument, delay = 300): void {
    if (!isYamlUri(document.uri) && document.languageId !== 'yaml') return;
    const key = document.uri.toString();
    const existing = this.documentTimers.get(key);
    if (existing) clearTimeout(existing);
    this.documentTimers.set(key, setTimeout(() => {
      this.documentTimers.delete(key);
      if (!document.isClosed) this.updateFromDocument(document);
    }, delay));
  }

  private updateFromDocument(document: vscode.TextDocument): void {
    if (!isYamlUri(document.uri) && document.languageId !== 'yaml') return;
    const text = document.getText();
    if (text.length > MAX_YAML_BYTES) return;
    this.update(document.uri, mentionsMachineConfigKinds(text) ? machineConfigFactsOfText(text, document.uri.fsPath) : []);
  }

  private remove(uri: vscode.Uri): void {
    if (this.byFile.delete(uri.toString())) this.schedulePublish();
  }

  private isOpen(uri: vscode.Uri): boolean {
    const key = uri.toString();
    return vscode.workspace.textDocuments.some((document) => document.uri.toString() === key);
  }

  private schedulePublish(): void {
    if (this.publishTimer) clearTimeout(this.publishTimer);
    this.publishTimer = setTimeout(() => this.publishNow(), 200);
  }

  private publishNow(): void {
    if (this.publishTimer) clearTimeout(this.publishTimer);
    this.publishTimer = undefined;
    this.context.setMachineConfigs('workspace', this.all);
    this.changed.fire();
  }

  dispose(): void {
    if (this.publishTimer) clearTimeout(this.publishTimer);
    for (const timer of this.documentTimers.values()) clearTimeout(timer);
    for (const disposable of this.disposables) disposable.dispose();
  }
}

export function isYamlUri(uri: vscode.Uri): boolean {
  return /\.ya?ml$/i.test(uri.path);
}

import * as vscode from 'vscode';
import type { Finding, Severity } from '../core/rules/types';
import type { Range } from '../core/text';
import { readLintSettings, SECTION } from './settings';

export const DIAGNOSTIC_SOURCE = 'rhcos-layering';

interface Cached<R> {
  readonly version: number;
  readonly result: R;
}

/**
 * Publishes findings for open documents: debounced as the user types, at once on open, again when settings or any
 * of `relintOn` change, cleared on close. Subclasses say which documents they take and how to check one; the last
 * result per document version is kept for code actions and hovers.
 */
export abstract class DocumentDiagnostics<R extends { readonly findings: readonly Finding[] }> implements vscode.Disposable {
  private readonly collection: vscode.DiagnosticCollection;
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly results = new Map<string, Cached<R>>();
  private readonly disposables: vscode.Disposable[] = [];
  private readonly linted = new vscode.EventEmitter<vscode.Uri>();
  /** Fires after a document's diagnostics were updated (tests wait on it). */
  readonly onDidLint = this.linted.event;

  protected constructor(
    collectionName: string,
    private readonly docsDirectory: vscode.Uri,
    protected readonly log: vscode.LogOutputChannel,
    relintOn: readonly vscode.Event<unknown>[],
  ) {
    this.collection = vscode.languages.createDiagnosticCollection(collectionName);
    this.disposables.push(
      this.collection,
      this.linted,
      vscode.workspace.onDidOpenTextDocument((document) => this.schedule(document, 0)),
      vscode.workspace.onDidChangeTextDocument((event) => this.schedule(event.document)),
      vscode.workspace.onDidCloseTextDocument((document) => this.forget(document.uri)),
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (event.affectsConfiguration(SECTION)) this.lintAllOpen();
      }),
      ...relintOn.map((event) => event(() => this.lintAllOpen())),
    );
  }

  /** Whether this publisher checks `document` at all. */
  protected abstract accepts(document: vscode.TextDocument): boolean;

  /** Checks the current text; undefined clears the document's diagnostics (disabled, excluded, not ours). */
  protected abstract check(document: vscode.TextDocument): Promise<R | undefined>;

  /** Called with each new result before diagnostics are published. */
  protected onResult(_document: vscode.TextDocument, _result: R): void {}

  lintAllOpen(): void {
    for (const document of vscode.workspace.textDocuments) this.schedule(document, 0);
  }

  /** The result of the current version of `document`, if it has been checked. */
  resultFor(document: vscode.TextDocument): R | undefined {
    const cached = this.results.get(document.uri.toString());
    return cached && cached.version === document.version ? cached.result : undefined;
  }

  docsUri(ruleId: string): vscode.Uri {
    return vscode.Uri.joinPath(this.docsDirectory, `${ruleId}.md`);
  }

  schedule(document: vscode.TextDocument, delay?: number): void {
    if (!this.accepts(document)) return;
    const key = document.uri.toString();
    const existing = this.timers.get(key);
    if (existing) clearTimeout(existing);
    const wait = delay ?? readLintSettings(document.uri).debounceMs;
    this.timers.set(key, setTimeout(() => {
      this.timers.delete(key);
      void this.lintNow(document);
    }, wait));
  }

  async lintNow(document: vscode.TextDocument): Promise<R | undefined> {
    const version = document.version;
    let result: R | undefined;
    try {
      result = document.isClosed ? undefined : await this.check(document);
    } catch (error) {
      // The engines are built not to throw; if one does, say so in the log and keep the editor usable.
      this.log.error(`Checking ${document.uri.fsPath} failed: ${error instanceof Error ? error.stack ?? error.message : String(error)}`);
      return undefined;
    }
    if (document.version !== version || document.isClosed) return result;
    if (!result) {
      this.collection.delete(document.uri);
      this.results.delete(document.uri.toString());
    } else {
      this.onResult(document, result);
      this.results.set(document.uri.toString(), { version, result });
      this.collection.set(document.uri, result.findings.map((finding) => this.toDiagnostic(finding)));
    }
    this.linted.fire(document.uri);
    return result;
  }

  private toDiagnostic(finding: Finding): vscode.Diagnostic {
    const diagnostic = new vscode.Diagnostic(toVsRange(finding.range), finding.message, toVsSeverity(finding.severity));
    diagnostic.source = DIAGNOSTIC_SOURCE;
    diagnostic.code = { value: finding.ruleId, target: this.docsUri(finding.ruleId) };
    return diagnostic;
  }

  private forget(uri: vscode.Uri): void {
    const key = uri.toString();
    const timer = this.timers.get(key);
    if (timer) clearTimeout(timer);
    this.timers.delete(key);
    this.results.delete(key);
    this.collection.delete(uri);
  }

  dispose(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    for (const disposable of this.disposables) disposable.dispose();
  }
}

export function toVsRange(range: Range): vscode.Range {
  return new vscode.Range(range.start.line, range.start.character, range.end.line, range.end.character);
}

export function fromVsRange(range: vscode.Range): Range {
  return { start: { line: range.start.line, character: range.start.character }, end: { line: range.end.line, character: range.end.character } };
}

function toVsSeverity(severity: Severity): vscode.DiagnosticSeverity {
  if (severity === 'error') return vscode.DiagnosticSeverity.Error;
  return severity === 'warning' ? vscode.DiagnosticSeverity.Warning : vscode.DiagnosticSeverity.Information;
}

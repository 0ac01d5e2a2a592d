import * as vscode from 'vscode';
import type { Linter, LintOptions, LintResult } from '../core/lint';
import type { Finding, Severity } from '../core/rules/types';
import type { Range } from '../core/text';
import type { LintContext } from './lintContext';
import { matchesAnyGlob, readLintSettings, SECTION } from './settings';

export const DIAGNOSTIC_SOURCE = 'rhcos-layering';

interface CachedResult {
  readonly version: number;
  readonly result: LintResult;
}

/**
 * Lints Containerfiles as they are opened and edited (debounced), when settings or the lint context change, and
 * publishes the findings as diagnostics. Keeps the last result per document for code actions and hovers.
 */
export class ContainerfileDiagnostics implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection(DIAGNOSTIC_SOURCE);
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly results = new Map<string, CachedResult>();
  private readonly disposables: vscode.Disposable[] = [];
  private readonly linted = new vscode.EventEmitter<vscode.Uri>();
  /** Fires after a document's diagnostics were updated (tests wait on it). */
  readonly onDidLint = this.linted.event;

  constructor(
    private readonly linter: Linter,
    private readonly context: LintContext,
    private readonly docsDirectory: vscode.Uri,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.disposables.push(
      this.collection,
      this.linted,
      vscode.workspace.onDidOpenTextDocument((document) => this.schedule(document, 0)),
      vscode.workspace.onDidChangeTextDocument((event) => this.schedule(event.document)),
      vscode.workspace.onDidCloseTextDocument((document) => this.forget(document.uri)),
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (event.affectsConfiguration(SECTION)) this.lintAllOpen();
      }),
      context.onDidChange(() => this.lintAllOpen()),
    );
    this.lintAllOpen();
  }

  static isCandidate(document: vscode.TextDocument): boolean {
    return document.languageId === 'dockerfile';
  }

  lintAllOpen(): void {
    for (const document of vscode.workspace.textDocuments) this.schedule(document, 0);
  }

  /** The findings of the current version of `document`, if it has been linted. */
  resultFor(document: vscode.TextDocument): LintResult | undefined {
    const cached = this.results.get(document.uri.toString());
    return cached && cached.version === document.version ? cached.result : undefined;
  }

  docsUri(ruleId: string): vscode.Uri {
    return vscode.Uri.joinPath(this.docsDirectory, `${ruleId}.md`);
  }

  /** Options the rules run with for `document`: settings plus what the cluster and workspace tell us. */
  lintOptions(document: vscode.TextDocument, force = false): LintOptions & { readonly skip: boolean } {
    const settings = readLintSettings(document.uri);
    const excluded = matchesAnyGlob(document, settings.exclude);
    const machineConfigs = this.context.machineConfigs;
    const path = document.uri.fsPath;
    const pools = machineConfigs.filter((mc) => mc.containerfile === path).map((mc) => mc.pool).filter((p): p is string => !!p);
    return {
      skip: !settings.enabled || excluded,
      force: force || matchesAnyGlob(document, settings.include),
      targetVersion: this.context.targetVersion(settings.targetVersion),
      severities: settings.severities,
      baseImagePatterns: settings.baseImages,
      cluster: this.context.clusterFacts,
      machineConfigs,
      pools: pools.length > 0 ? pools : undefined,
    };
  }

  schedule(document: vscode.TextDocument, delay?: number): void {
    if (!ContainerfileDiagnostics.isCandidate(document)) return;
    const key = document.uri.toString();
    const existing = this.timers.get(key);
    if (existing) clearTimeout(existing);
    const wait = delay ?? readLintSettings(document.uri).debounceMs;
    this.timers.set(key, setTimeout(() => {
      this.timers.delete(key);
      void this.lintNow(document);
    }, wait));
  }

  async lintNow(document: vscode.TextDocument): Promise<LintResult | undefined> {
    const version = document.version;
    const options = this.lintOptions(document);
    if (options.skip || document.isClosed) {
      this.collection.delete(document.uri);
      this.results.delete(document.uri.toString());
      this.linted.fire(document.uri);
      return undefined;
    }
    let result: LintResult;
    try {
      result = await this.linter.lint(document.getText(), options);
    } catch (error) {
      // The engine is built not to throw; if it does, say so once in the log and keep the editor usable.
      this.log.error(`Linting ${document.uri.fsPath} failed: ${String(error)}`);
      return undefined;
    }
    if (document.version !== version || document.isClosed) return result;
    if (result.model.parseError) this.log.warn(`${document.uri.fsPath}: ${result.model.parseError}`);
    this.results.set(document.uri.toString(), { version, result });
    this.collection.set(document.uri, result.findings.map((finding) => this.toDiagnostic(finding)));
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
  switch (severity) {
    case 'error':
      return vscode.DiagnosticSeverity.Error;
    case 'warning':
      return vscode.DiagnosticSeverity.Warning;
    default:
      return vscode.DiagnosticSeverity.Information;
  }
}

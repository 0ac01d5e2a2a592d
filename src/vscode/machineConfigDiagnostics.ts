import * as vscode from 'vscode';
import type { Linter } from '../core/lint';
import { lintYaml, type YamlLintResult } from '../core/openshift/yamlDiagnostics';
import { mentionsMachineConfigKinds } from '../core/openshift/yamlDocuments';
import type { Finding, Severity } from '../core/rules/types';
import { DIAGNOSTIC_SOURCE, toVsRange } from './containerfileDiagnostics';
import type { LintContext } from './lintContext';
import { isYamlUri, type MachineConfigIndex } from './machineConfigIndex';
import type { PoolSource } from './poolSource';
import { readLintSettings, SECTION } from './settings';

interface CachedResult {
  readonly version: number;
  readonly result: YamlLintResult;
}

/**
 * Diagnostics for YAML files whose documents are MachineConfigs or MachineOSConfigs (debounced as the user types),
 * including the Containerfile rules on content embedded in MachineOSConfigs. Re-lints when the workspace's
 * MachineConfigs, the cluster's pools, the lint context or the settings change.
 */
export class MachineConfigDiagnostics implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection(`${DIAGNOSTIC_SOURCE}-yaml`);
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly results = new Map<string, CachedResult>();
  private readonly disposables: vscode.Disposable[] = [];
  private readonly linted = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidLint = this.linted.event;

  constructor(
    private readonly linter: Linter,
    private readonly context: LintContext,
    private readonly index: MachineConfigIndex,
    private readonly pools: PoolSource,
    private readonly docsUri: (ruleId: string) => vscode.Uri,
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
      index.onDidChange(() => this.lintAllOpen()),
      pools.onDidChange(() => this.lintAllOpen()),
      context.onDidChange(() => this.lintAllOpen()),
    );
    this.lintAllOpen();
  }

  static isCandidate(document: vscode.TextDocument): boolean {
    return document.languageId === 'yaml' || isYamlUri(document.uri);
  }

  lintAllOpen(): void {
    for (const document of vscode.workspace.textDocuments) this.schedule(document, 0);
  }

  resultFor(document: vscode.TextDocument): YamlLintResult | undefined {
    const cached = this.results.get(document.uri.toString());
    return cached && cached.version === document.version ? cached.result : undefined;
  }

  schedule(document: vscode.TextDocument, delay?: number): void {
    if (!MachineConfigDiagnostics.isCandidate(document)) return;
    const key = document.uri.toString();
    const existing = this.timers.get(key);
    if (existing) clearTimeout(existing);
    const wait = delay ?? readLintSettings(document.uri).debounceMs;
    this.timers.set(key, setTimeout(() => {
      this.timers.delete(key);
      void this.lintNow(document);
    }, wait));
  }

  async lintNow(document: vscode.TextDocument): Promise<YamlLintResult | undefined> {
    const version = document.version;
    const settings = readLintSettings(document.uri);
    const text = document.getText();
    if (!settings.enabled || document.isClosed || !mentionsMachineConfigKinds(text)) {
      this.collection.delete(document.uri);
      this.results.delete(document.uri.toString());
      this.linted.fire(document.uri);
      return undefined;
    }
    const targetVersion = this.context.targetVersion(settings.targetVersion);
    let result: YamlLintResult;
    try {
      result = await lintYaml(text, this.linter, {
        targetVersion,
        clusterPools: this.pools.pools(),
        ...(this.context.clusterFacts ? { cluster: this.context.clusterFacts } : {}),
        otherMachineConfigs: this.context.machineConfigs.filter((mc) => mc.location !== document.uri.fsPath),
        location: document.uri.fsPath,
        severities: settings.severities,
        lint: { baseImagePatterns: settings.baseImages },
      });
    } catch (error) {
      this.log.error(`Checking ${document.uri.fsPath} failed: ${String(error)}`);
      return undefined;
    }
    if (document.version !== version || document.isClosed) return result;
    if (result.parsed.skipped) this.log.info(`${document.uri.fsPath}: ${result.parsed.skipped}`);
    this.results.set(document.uri.toString(), { version, result });
    this.collection.set(document.uri, result.findings.map((finding) => this.toDiagnostic(finding)));
    this.index.update(document.uri, result.machineConfigs);
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
    for (const disposable of this.disposables) disposable.dispose();
  }
}

function toVsSeverity(severity: Severity): vscode.DiagnosticSeverity {
  return severity === 'error' ? vscode.DiagnosticSeverity.Error : severity === 'warning' ? vscode.DiagnosticSeverity.Warning : vscode.DiagnosticSeverity.Information;
}

import * as vscode from 'vscode';
import type { Linter, LintOptions, LintResult } from '../core/lint';
import { DocumentDiagnostics } from './documentDiagnostics';
import type { LintContext } from './lintContext';
import { matchesAnyGlob, readLintSettings } from './settings';

export { DIAGNOSTIC_SOURCE, fromVsRange, toVsRange } from './documentDiagnostics';

/** Lints Dockerfile-language documents; the engine decides whether each is a layering Containerfile. */
export class ContainerfileDiagnostics extends DocumentDiagnostics<LintResult> {
  constructor(
    private readonly linter: Linter,
    private readonly context: LintContext,
    docsDirectory: vscode.Uri,
    log: vscode.LogOutputChannel,
  ) {
    super('rhcos-layering', docsDirectory, log, [context.onDidChange]);
    this.lintAllOpen();
  }

  static isCandidate(document: vscode.TextDocument): boolean {
    return document.languageId === 'dockerfile';
  }

  protected accepts(document: vscode.TextDocument): boolean {
    return ContainerfileDiagnostics.isCandidate(document);
  }

  protected async check(document: vscode.TextDocument): Promise<LintResult | undefined> {
    const options = this.lintOptions(document);
    if (options.skip) return undefined;
    const result = await this.linter.lint(document.getText(), options);
    if (result.model.parseError) this.log.warn(`${document.uri.fsPath}: ${result.model.parseError}`);
    return result;
  }

  /** Options the rules run with for `document`: settings plus what the cluster and workspace tell us. */
  lintOptions(document: vscode.TextDocument, force = false): LintOptions & { readonly skip: boolean } {
    const settings = readLintSettings(document.uri);
    const machineConfigs = this.context.machineConfigs;
    const path = document.uri.fsPath;
    const pools = machineConfigs.filter((mc) => mc.containerfile === path).map((mc) => mc.pool).filter((p): p is string => !!p);
    return {
      skip: !settings.enabled || matchesAnyGlob(document, settings.exclude),
      force: force || matchesAnyGlob(document, settings.include),
      targetVersion: this.context.targetVersion(settings.targetVersion),
      severities: settings.severities,
      baseImagePatterns: settings.baseImages,
      cluster: this.context.clusterFacts,
      machineConfigs,
      pools: pools.length > 0 ? pools : undefined,
    };
  }
}

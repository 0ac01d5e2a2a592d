import * as vscode from 'vscode';
import type { Linter } from '../core/lint';
import { lintYaml, type YamlLintResult } from '../core/yamlLint';
import { mentionsMachineConfigKinds } from '../core/openshift/yamlDocuments';
import { DIAGNOSTIC_SOURCE, DocumentDiagnostics } from './documentDiagnostics';
import type { LintContext } from './lintContext';
import { isYamlUri, type MachineConfigIndex } from './machineConfigIndex';
import type { PoolSource } from './poolSource';
import { readLintSettings } from './settings';

/**
 * Diagnostics for YAML files whose documents are MachineConfigs or MachineOSConfigs, including the Containerfile
 * rules on content embedded in MachineOSConfigs. Re-checks when the workspace's MachineConfigs, the cluster's pools,
 * the lint context or the settings change.
 */
export class MachineConfigDiagnostics extends DocumentDiagnostics<YamlLintResult> {
  constructor(
    private readonly linter: Linter,
    private readonly context: LintContext,
    private readonly index: MachineConfigIndex,
    private readonly pools: PoolSource,
    docsDirectory: vscode.Uri,
    log: vscode.LogOutputChannel,
  ) {
    super(`${DIAGNOSTIC_SOURCE}-yaml`, docsDirectory, log, [index.onDidChange, pools.onDidChange, context.onDidChange]);
    this.lintAllOpen();
  }

  static isCandidate(document: vscode.TextDocument): boolean {
    return document.languageId === 'yaml' || isYamlUri(document.uri);
  }

  protected accepts(document: vscode.TextDocument): boolean {
    return MachineConfigDiagnostics.isCandidate(document);
  }

  protected async check(document: vscode.TextDocument): Promise<YamlLintResult | undefined> {
    const settings = readLintSettings(document.uri);
    const text = document.getText();
    if (!settings.enabled || !mentionsMachineConfigKinds(text)) return undefined;
    const result = await lintYaml(text, this.linter, {
      targetVersion: this.context.targetVersion(settings.targetVersion),
      clusterPools: this.pools.pools(),
      ...(this.context.clusterFacts ? { cluster: this.context.clusterFacts } : {}),
      otherMachineConfigs: this.context.machineConfigs.filter((mc) => mc.location !== document.uri.fsPath),
      location: document.uri.fsPath,
      severities: settings.severities,
      lint: { baseImagePatterns: settings.baseImages },
    });
    if (result.parsed.skipped) this.log.info(`${document.uri.fsPath}: ${result.parsed.skipped}`);
    return result;
  }

  protected override onResult(document: vscode.TextDocument, result: YamlLintResult): void {
    this.index.update(document.uri, result.machineConfigs);
  }
}

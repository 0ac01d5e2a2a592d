import * as vscode from 'vscode';
import { createBaseImageClassifier } from '../core/containerfile/baseImages';
import { hoverAt } from '../core/hover';
import type { Linter } from '../core/lint';
import { factsFor } from '../core/openshift/versions';
import { mentionsMachineConfigKinds, parseMachineConfigYaml } from '../core/openshift/yamlDocuments';
import { yamlHoverAt } from '../core/openshift/yamlHover';
import { ContainerfileDiagnostics, toVsRange } from './containerfileDiagnostics';
import type { LintContext } from './lintContext';
import { readLintSettings } from './settings';

/** Hovers on the FROM image, on packages (extension or kernel they belong to) and on rpm-ostree/ostree/bootc/dnf. */
export class ContainerfileHover implements vscode.HoverProvider {
  constructor(
    private readonly linter: Linter,
    private readonly diagnostics: ContainerfileDiagnostics,
    private readonly context: LintContext,
  ) {}

  async provideHover(document: vscode.TextDocument, position: vscode.Position): Promise<vscode.Hover | undefined> {
    const model = this.diagnostics.resultFor(document)?.model ?? (await this.linter.parse(document.getText()));
    const settings = readLintSettings(document.uri);
    const info = hoverAt({
      model,
      facts: factsFor(this.context.targetVersion(settings.targetVersion)),
      baseImages: createBaseImageClassifier(settings.baseImages),
      clusterBaseImage: this.context.clusterFacts?.baseOSContainerImage,
    }, { line: position.line, character: position.character });
    return info ? new vscode.Hover(new vscode.MarkdownString(info.markdown), toVsRange(info.range)) : undefined;
  }
}

/** Hovers on a MachineConfig's osImageURL, extensions and kernelType. */
export class MachineConfigHover implements vscode.HoverProvider {
  constructor(private readonly context: LintContext) {}

  provideHover(document: vscode.TextDocument, position: vscode.Position): vscode.Hover | undefined {
    const text = document.getText();
    if (!mentionsMachineConfigKinds(text)) return undefined;
    const settings = readLintSettings(document.uri);
    const info = yamlHoverAt(parseMachineConfigYaml(text), { line: position.line, character: position.character }, {
      facts: factsFor(this.context.targetVersion(settings.targetVersion)),
      baseImages: createBaseImageClassifier(settings.baseImages),
      ...(this.context.clusterFacts?.baseOSContainerImage ? { clusterBaseImage: this.context.clusterFacts.baseOSContainerImage } : {}),
    });
    return info ? new vscode.Hover(new vscode.MarkdownString(info.markdown), toVsRange(info.range)) : undefined;
  }
}

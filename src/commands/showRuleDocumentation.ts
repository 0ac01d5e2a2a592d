import * as vscode from 'vscode';
import { YAML_RULES } from '../core/yamlLint';
import { RULES } from '../core/rules';
import type { ExtensionCommand } from './types';

/** Opens a rule's documentation page (shipped in the extension) as a Markdown preview. */
export const showRuleDocumentation: ExtensionCommand = {
  id: 'rhcosLayering.showRuleDocumentation',
  async run(services, ruleIdArgument) {
    let ruleId = typeof ruleIdArgument === 'string' ? ruleIdArgument : undefined;
    if (!ruleId) {
      const picked = await vscode.window.showQuickPick(
        [...RULES, ...YAML_RULES].map((rule) => ({ label: rule.id, description: rule.defaultSeverity, detail: rule.summary })),
        { title: 'Show documentation for a rule', matchOnDetail: true },
      );
      ruleId = picked?.label;
    }
    if (!ruleId) return;
    const uri = services.diagnostics.docsUri(ruleId);
    try {
      await vscode.workspace.fs.stat(uri);
    } catch {
      void vscode.window.showErrorMessage(`No documentation page for rule ${ruleId} (${uri.fsPath} is missing). Reinstall the extension.`);
      return;
    }
    await vscode.commands.executeCommand('markdown.showPreview', uri);
  },
};

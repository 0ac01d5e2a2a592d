import * as vscode from 'vscode';
import type { Fix, Finding } from '../core/rules/types';
import { ignoreInFileEdit, ignoreOnLineEdit } from '../core/suppressions';
import type { TextEdit } from '../core/text';
import { ContainerfileDiagnostics, DIAGNOSTIC_SOURCE, toVsRange } from './containerfileDiagnostics';

export const PIN_TO_DIGEST_COMMAND = 'rhcosLayering.pinToDigest';
export const SHOW_RULE_DOCUMENTATION_COMMAND = 'rhcosLayering.showRuleDocumentation';
export const GENERATE_MACHINE_CONFIG_COMMAND = 'rhcosLayering.generateMachineConfig';

/**
 * Quick fixes for our diagnostics: each rule's own fixes, then "Ignore on this line", "Ignore in this file" and
 * "Show documentation" (the trio users know from ESLint), plus a source action to generate a MachineConfig.
 */
export class ContainerfileCodeActions implements vscode.CodeActionProvider {
  static readonly kinds = [vscode.CodeActionKind.QuickFix, vscode.CodeActionKind.Source.append('rhcosLayering')];

  constructor(private readonly diagnostics: ContainerfileDiagnostics) {}

  provideCodeActions(document: vscode.TextDocument, _range: vscode.Range, context: vscode.CodeActionContext): vscode.CodeAction[] {
    const actions: vscode.CodeAction[] = [];
    const result = this.diagnostics.resultFor(document);
    if (result) {
      for (const diagnostic of context.diagnostics) {
        if (diagnostic.source !== DIAGNOSTIC_SOURCE) continue;
        const ruleId = typeof diagnostic.code === 'object' ? String(diagnostic.code.value) : String(diagnostic.code);
        const finding = result.findings.find((f) => f.ruleId === ruleId && f.message === diagnostic.message && toVsRange(f.range).isEqual(diagnostic.range));
        if (!finding) continue;
        for (const fix of finding.fixes ?? []) actions.push(this.fixAction(document, fix, diagnostic));
        actions.push(this.editAction(document, `Ignore ${ruleId} on this line`, [ignoreOnLineEdit(result.model, ruleId, finding.range)], diagnostic));
        actions.push(this.editAction(document, `Ignore ${ruleId} in this file`, [ignoreInFileEdit(result.model, ruleId)], diagnostic));
        actions.push(this.documentationAction(finding, diagnostic));
      }
    }
    if (!context.only || context.only.contains(vscode.CodeActionKind.Source)) {
      const generate = new vscode.CodeAction('Generate MachineConfig from this Containerfile', vscode.CodeActionKind.Source.append('rhcosLayering'));
      generate.command = { command: GENERATE_MACHINE_CONFIG_COMMAND, title: generate.title, arguments: [document.uri] };
      actions.push(generate);
    }
    return actions;
  }

  private fixAction(document: vscode.TextDocument, fix: Fix, diagnostic: vscode.Diagnostic): vscode.CodeAction {
    if (fix.kind === 'edit') {
      const action = this.editAction(document, fix.title, fix.edits, diagnostic);
      action.isPreferred = fix.preferred;
      return action;
    }
    const action = new vscode.CodeAction(fix.title, vscode.CodeActionKind.QuickFix);
    action.diagnostics = [diagnostic];
    action.isPreferred = fix.preferred;
    action.command = { command: PIN_TO_DIGEST_COMMAND, title: fix.title, arguments: [document.uri, fix.action.range, fix.action.image] };
    return action;
  }

  private editAction(document: vscode.TextDocument, title: string, edits: readonly TextEdit[], diagnostic: vscode.Diagnostic): vscode.CodeAction {
    const action = new vscode.CodeAction(title, vscode.CodeActionKind.QuickFix);
    action.diagnostics = [diagnostic];
    action.edit = new vscode.WorkspaceEdit();
    for (const edit of edits) action.edit.replace(document.uri, toVsRange(edit.range), edit.newText);
    return action;
  }

  private documentationAction(finding: Finding, diagnostic: vscode.Diagnostic): vscode.CodeAction {
    const title = `Show documentation for ${finding.ruleId}`;
    const action = new vscode.CodeAction(title, vscode.CodeActionKind.QuickFix);
    action.diagnostics = [diagnostic];
    action.command = { command: SHOW_RULE_DOCUMENTATION_COMMAND, title, arguments: [finding.ruleId] };
    return action;
  }
}

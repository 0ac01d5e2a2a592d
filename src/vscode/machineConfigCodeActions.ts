import * as vscode from 'vscode';
import type { Finding, Fix } from '../core/rules/types';
import type { TextEdit } from '../core/text';
import { PIN_TO_DIGEST_COMMAND, SHOW_RULE_DOCUMENTATION_COMMAND } from './codeActions';
import { DIAGNOSTIC_SOURCE, toVsRange } from './containerfileDiagnostics';
import type { MachineConfigDiagnostics } from './machineConfigDiagnostics';

/**
 * Quick fixes in MachineConfig/MachineOSConfig YAML: the fixes the findings carry (pin the digest, add the role
 * label, decimal file modes, ...), "Ignore on this line" (a `# rhcos-layering ignore=` comment above) and the rule's
 * documentation.
 */
export class MachineConfigCodeActions implements vscode.CodeActionProvider {
  static readonly kinds = [vscode.CodeActionKind.QuickFix];

  constructor(private readonly diagnostics: MachineConfigDiagnostics) {}

  provideCodeActions(document: vscode.TextDocument, _range: vscode.Range, context: vscode.CodeActionContext): vscode.CodeAction[] {
    const result = this.diagnostics.resultFor(document);
    if (!result) return [];
    const actions: vscode.CodeAction[] = [];
    for (const diagnostic of context.diagnostics) {
      if (diagnostic.source !== DIAGNOSTIC_SOURCE) continue;
      const ruleId = typeof diagnostic.code === 'object' ? String(diagnostic.code.value) : String(diagnostic.code);
      const finding = result.findings.find((f) => f.ruleId === ruleId && f.message === diagnostic.message && toVsRange(f.range).isEqual(diagnostic.range));
      if (!finding) continue;
      for (const fix of finding.fixes ?? []) actions.push(this.fixAction(document, fix, diagnostic));
      actions.push(this.ignoreAction(document, finding, diagnostic));
      const documentation = new vscode.CodeAction(`Show documentation for ${ruleId}`, vscode.CodeActionKind.QuickFix);
      documentation.diagnostics = [diagnostic];
      documentation.command = { command: SHOW_RULE_DOCUMENTATION_COMMAND, title: documentation.title, arguments: [ruleId] };
      actions.push(documentation);
    }
    return actions;
  }

  private fixAction(document: vscode.TextDocument, fix: Fix, diagnostic: vscode.Diagnostic): vscode.CodeAction {
    const action = new vscode.CodeAction(fix.title, vscode.CodeActionKind.QuickFix);
    action.diagnostics = [diagnostic];
    action.isPreferred = fix.preferred;
    if (fix.kind === 'edit') {
      action.edit = edit(document, fix.edits);
    } else {
      action.command = { command: PIN_TO_DIGEST_COMMAND, title: fix.title, arguments: [document.uri, fix.action.range, fix.action.image, { target: 'osImageURL' }] };
    }
    return action;
  }

  private ignoreAction(document: vscode.TextDocument, finding: Finding, diagnostic: vscode.Diagnostic): vscode.CodeAction {
    const line = finding.range.start.line;
    const text = document.lineAt(line).text;
    const indent = /^[ \t-]*/.exec(text)![0].replace(/-/g, ' ');
    const above = line > 0 ? document.lineAt(line - 1).text : '';
    const existing = /^(\s*#\s*rhcos-layering\s+ignore\s*=\s*[\w,\s-]*?)\s*$/.exec(above);
    const action = new vscode.CodeAction(`Ignore ${finding.ruleId} on this line`, vscode.CodeActionKind.QuickFix);
    action.diagnostics = [diagnostic];
    action.edit = existing
      ? edit(document, [{ range: { start: { line: line - 1, character: existing[1]!.length }, end: { line: line - 1, character: existing[1]!.length } }, newText: `,${finding.ruleId}` }])
      : edit(document, [{ range: { start: { line, character: 0 }, end: { line, character: 0 } }, newText: `${indent}# rhcos-layering ignore=${finding.ruleId}\n` }]);
    return action;
  }
}

function edit(document: vscode.TextDocument, edits: readonly TextEdit[]): vscode.WorkspaceEdit {
  const workspaceEdit = new vscode.WorkspaceEdit();
  for (const e of edits) workspaceEdit.replace(document.uri, toVsRange(e.range), e.newText);
  return workspaceEdit;
}

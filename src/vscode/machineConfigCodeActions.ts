import * as vscode from 'vscode';
import type { YamlLintResult } from '../core/yamlLint';
import type { ActionFix, Finding } from '../core/rules/types';
import { FindingCodeActions, type IgnoreChoice } from './codeActions';

/**
 * Quick fixes in MachineConfig/MachineOSConfig YAML: the fixes the findings carry (pin the digest, add the role
 * label, decimal file modes, ...), "Ignore on this line" (a `# rhcos-layering ignore=` comment above) and the rule's
 * documentation.
 */
export class MachineConfigCodeActions extends FindingCodeActions<YamlLintResult> {
  static readonly kinds = [vscode.CodeActionKind.QuickFix];

  protected ignoreChoices(document: vscode.TextDocument, _result: YamlLintResult, finding: Finding): IgnoreChoice[] {
    const line = finding.range.start.line;
    const text = document.lineAt(line).text;
    const indent = /^[ \t-]*/.exec(text)![0].replace(/-/g, ' ');
    const above = line > 0 ? document.lineAt(line - 1).text : '';
    const existing = /^(\s*#\s*rhcos-layering\s+ignore\s*=\s*[\w,\s-]*?)\s*$/.exec(above);
    const edit = existing
      ? { range: { start: { line: line - 1, character: existing[1]!.length }, end: { line: line - 1, character: existing[1]!.length } }, newText: `,${finding.ruleId}` }
      : { range: { start: { line, character: 0 }, end: { line, character: 0 } }, newText: `${indent}# rhcos-layering ignore=${finding.ruleId}\n` };
    return [{ title: `Ignore ${finding.ruleId} on this line`, edits: [edit] }];
  }

  protected override pinArguments(document: vscode.TextDocument, fix: ActionFix): unknown[] {
    return [document.uri, fix.action.range, fix.action.image, { target: 'osImageURL' }];
  }
}

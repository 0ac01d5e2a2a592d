import * as vscode from 'vscode';
import type { YamlLintResult } from '../core/yamlLint';
import type { Finding } from '../core/rules/types';
import { yamlIgnoreOnLineEdit } from '../core/suppressions';
import { FindingCodeActions, type IgnoreChoice, type PinFix } from './codeActions';

/**
 * Quick fixes in MachineConfig/MachineOSConfig YAML: the fixes the findings carry (pin the digest, add the role
 * label, decimal file modes, ...), "Ignore on this line" (a `# rhcos-layering ignore=` comment above) and the rule's
 * documentation.
 */
export class MachineConfigCodeActions extends FindingCodeActions<YamlLintResult> {
  static readonly kinds = [vscode.CodeActionKind.QuickFix];

  protected ignoreChoices(_document: vscode.TextDocument, result: YamlLintResult, finding: Finding): IgnoreChoice[] {
    return [{ title: `Ignore ${finding.ruleId} on this line`, edits: [yamlIgnoreOnLineEdit(result.parsed.lines, finding.ruleId, finding.range)] }];
  }

  protected override pinArguments(document: vscode.TextDocument, fix: PinFix): unknown[] {
    return [document.uri, fix.action.range, fix.action.image, { target: 'osImageURL' }];
  }
}

import * as vscode from 'vscode';
import type { LintResult } from '../core/lint';
import type { ActionFix, Finding, Fix } from '../core/rules/types';
import { ignoreInFileEdit, ignoreOnLineEdit } from '../core/suppressions';
import type { TextEdit } from '../core/text';
import { DIAGNOSTIC_SOURCE, toVsRange, type DocumentDiagnostics } from './documentDiagnostics';

export const PIN_TO_DIGEST_COMMAND = 'rhcosLayering.pinToDigest';
export const USE_CLUSTER_BASE_IMAGE_COMMAND = 'rhcosLayering.cluster.useBaseImageAsFrom';
export const SHOW_RULE_DOCUMENTATION_COMMAND = 'rhcosLayering.showRuleDocumentation';
export const GENERATE_MACHINE_CONFIG_COMMAND = 'rhcosLayering.generateMachineConfig';

export interface IgnoreChoice {
  readonly title: string;
  readonly edits: readonly TextEdit[];
}

/**
 * Quick fixes for our diagnostics: each finding's own fixes, the ways to suppress it, and "Show documentation" (the
 * trio users know from ESLint). Subclasses say how suppression comments look in their file type.
 */
export abstract class FindingCodeActions<R extends { readonly findings: readonly Finding[] }> implements vscode.CodeActionProvider {
  constructor(private readonly diagnostics: DocumentDiagnostics<R>) {}

  provideCodeActions(document: vscode.TextDocument, _range: vscode.Range, context: vscode.CodeActionContext): vscode.CodeAction[] {
    const actions: vscode.CodeAction[] = [];
    const result = this.diagnostics.resultFor(document);
    for (const diagnostic of result ? context.diagnostics : []) {
      if (diagnostic.source !== DIAGNOSTIC_SOURCE) continue;
      const ruleId = typeof diagnostic.code === 'object' ? String(diagnostic.code.value) : String(diagnostic.code);
      const finding = result!.findings.find((f) => f.ruleId === ruleId && f.message === diagnostic.message && toVsRange(f.range).isEqual(diagnostic.range));
      if (!finding) continue;
      for (const fix of finding.fixes ?? []) actions.push(this.fixAction(document, fix, diagnostic));
      for (const ignore of this.ignoreChoices(document, result!, finding)) actions.push(editAction(document, ignore.title, ignore.edits, diagnostic));
      const title = `Show documentation for ${ruleId}`;
      actions.push(commandAction(title, { command: SHOW_RULE_DOCUMENTATION_COMMAND, title, arguments: [ruleId] }, diagnostic));
    }
    actions.push(...this.otherActions(document, context));
    return actions;
  }

  protected abstract ignoreChoices(document: vscode.TextDocument, result: R, finding: Finding): IgnoreChoice[];

  /** Arguments for the pin-to-digest command of an action fix. */
  protected pinArguments(document: vscode.TextDocument, fix: PinFix): unknown[] {
    return [document.uri, fix.action.range, fix.action.image];
  }

  protected otherActions(_document: vscode.TextDocument, _context: vscode.CodeActionContext): vscode.CodeAction[] {
    return [];
  }

  private fixAction(document: vscode.TextDocument, fix: Fix, diagnostic: vscode.Diagnostic): vscode.CodeAction {
    const action = fix.kind === 'edit'
      ? editAction(document, fix.title, fix.edits, diagnostic)
      : commandAction(fix.title, this.fixCommand(document, fix), diagnostic);
    action.isPreferred = fix.preferred;
    return action;
  }

  private fixCommand(document: vscode.TextDocument, fix: ActionFix): vscode.Command {
    if (isPinFix(fix)) return { command: PIN_TO_DIGEST_COMMAND, title: fix.title, arguments: this.pinArguments(document, fix) };
    // The command rewrites the FROM of the active editor, which is the document the quick fix was invoked in.
    return { command: USE_CLUSTER_BASE_IMAGE_COMMAND, title: fix.title };
  }
}

/** An action fix that resolves an image to its digest. */
export type PinFix = ActionFix & { readonly action: Extract<ActionFix['action'], { type: 'pin-digest' }> };

function isPinFix(fix: ActionFix): fix is PinFix {
  return fix.action.type === 'pin-digest';
}

/** Containerfiles: ignore on this line or in the file, and a source action to generate a MachineConfig. */
export class ContainerfileCodeActions extends FindingCodeActions<LintResult> {
  static readonly kinds = [vscode.CodeActionKind.QuickFix, vscode.CodeActionKind.Source.append('rhcosLayering')];

  protected ignoreChoices(_document: vscode.TextDocument, result: LintResult, finding: Finding): IgnoreChoice[] {
    return [
      { title: `Ignore ${finding.ruleId} on this line`, edits: [ignoreOnLineEdit(result.model, finding.ruleId, finding.range)] },
      { title: `Ignore ${finding.ruleId} in this file`, edits: [ignoreInFileEdit(result.model, finding.ruleId)] },
    ];
  }

  protected override otherActions(document: vscode.TextDocument, context: vscode.CodeActionContext): vscode.CodeAction[] {
    if (context.only && !context.only.contains(vscode.CodeActionKind.Source)) return [];
    const generate = new vscode.CodeAction('Generate MachineConfig from this Containerfile', vscode.CodeActionKind.Source.append('rhcosLayering'));
    generate.command = { command: GENERATE_MACHINE_CONFIG_COMMAND, title: generate.title, arguments: [document.uri] };
    return [generate];
  }
}

export function editAction(document: vscode.TextDocument, title: string, edits: readonly TextEdit[], diagnostic: vscode.Diagnostic): vscode.CodeAction {
  const action = new vscode.CodeAction(title, vscode.CodeActionKind.QuickFix);
  action.diagnostics = [diagnostic];
  action.edit = new vscode.WorkspaceEdit();
  for (const edit of edits) action.edit.replace(document.uri, toVsRange(edit.range), edit.newText);
  return action;
}

function commandAction(title: string, command: vscode.Command, diagnostic: vscode.Diagnostic): vscode.CodeAction {
  const action = new vscode.CodeAction(title, vscode.CodeActionKind.QuickFix);
  action.diagnostics = [diagnostic];
  action.command = command;
  return action;
}

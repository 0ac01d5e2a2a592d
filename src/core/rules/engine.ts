import { comparePositions } from '../text';
import type { Finding, Rule, RuleFinding, Severity, SeveritySetting } from './types';

export interface RunRulesOptions {
  /** Per-rule severity from `rhcosLayering.rules` or the CLI; `off` skips the rule. */
  readonly severities?: Readonly<Record<string, SeveritySetting>> | undefined;
  /** Whether a suppression comment in the file hides this finding. */
  readonly isSuppressed: (finding: Finding) => boolean;
}

/**
 * Runs a table of rules over one file: the rule id and effective severity are added to each finding (a setting wins
 * over the finding's own severity, which wins over the rule's default), suppressed findings are dropped, and the rest
 * are sorted by position, then rule id. Containerfiles and YAML files go through here alike.
 */
export function runRules<Context>(rules: readonly Rule<Context>[], context: Context, options: RunRulesOptions): Finding[] {
  const findings: Finding[] = [];
  for (const rule of rules) {
    const setting = options.severities?.[rule.id];
    if (setting === 'off') continue;
    for (const finding of runRule(rule, context)) {
      const complete: Finding = { ...finding, ruleId: rule.id, severity: setting ?? finding.severity ?? rule.defaultSeverity };
      if (!options.isSuppressed(complete)) findings.push(complete);
    }
  }
  return findings.sort(byPosition);
}

export function byPosition(a: Finding, b: Finding): number {
  return comparePositions(a.range.start, b.range.start) || a.ruleId.localeCompare(b.ruleId);
}

/** A rule that throws must not take the others (or the editor) down; its failure becomes a visible finding. */
function runRule<Context>(rule: Rule<Context>, context: Context): readonly RuleFinding[] {
  try {
    return rule.check(context);
  } catch (error) {
    const message = `Rule ${rule.id} failed on this file (${String(error)}). Please report it with the file.`;
    return [{ message, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, severity: 'info' as Severity }];
  }
}

import { strict as assert } from 'node:assert';
import { runRules } from '../../../src/core/rules/engine';
import type { Rule } from '../../../src/core/rules/types';
import { RULES } from '../../../src/core/rules';
import { YAML_RULES } from '../../../src/core/rules/yaml';

const at = (line: number) => ({ start: { line, character: 0 }, end: { line, character: 1 } });

describe('rule engine (Containerfile and YAML rules alike)', () => {
  const rules: Rule<string>[] = [
    { id: 'b-rule', defaultSeverity: 'warning', summary: 'b', check: (text) => [{ message: `b ${text}`, range: at(2) }, { message: 'b0', range: at(0), severity: 'info' }] },
    { id: 'a-rule', defaultSeverity: 'error', summary: 'a', check: () => [{ message: 'a', range: at(2) }] },
    { id: 'broken', defaultSeverity: 'error', summary: 'throws', check: () => { throw new Error('boom'); } },
  ];

  it('adds id and severity (setting over finding over default), sorts by position then id, turns a crash into an info finding', () => {
    const findings = runRules(rules, 'x', { severities: { 'a-rule': 'info' }, isSuppressed: () => false });
    assert.deepEqual(findings.map((f) => [f.range.start.line, f.ruleId, f.severity]), [
      [0, 'b-rule', 'info'], [0, 'broken', 'info'], [2, 'a-rule', 'info'], [2, 'b-rule', 'warning'],
    ]);
    assert.match(findings[1]!.message, /^Rule broken failed on this file \(Error: boom\)/);
  });

  it('skips a rule set to off and drops what the suppression test hides', () => {
    const findings = runRules(rules, 'x', { severities: { broken: 'off' }, isSuppressed: (f) => f.ruleId === 'b-rule' && f.range.start.line === 2 });
    assert.deepEqual(findings.map((f) => `${f.range.start.line} ${f.ruleId}`), ['0 b-rule', '2 a-rule']);
  });

  it('rule ids are unique across the Containerfile and YAML tables', () => {
    const ids = [...RULES, ...YAML_RULES].map((rule) => rule.id);
    assert.deepEqual(ids.filter((id, i) => ids.indexOf(id) !== i), []);
  });
});

import { isMap, isScalar, isSeq, type Scalar } from 'yaml';
import { nodeAt, scalarString } from '../../openshift/yamlDocuments';
import type { Range } from '../../text';
import type { Fix, RuleFinding } from '../types';
import { machineConfigsToCheck, withFixes } from './helpers';
import type { YamlRule } from './types';

/**
 * Ignition wants a decimal integer mode. `0644` means 420 to `oc` (YAML 1.1) but 644 to YAML 1.2 tools; `0o644`
 * and quoted modes are strings to `oc`, which Ignition rejects.
 */
export const mcFileMode: YamlRule = {
  id: 'mc-file-mode',
  defaultSeverity: 'warning',
  summary: 'A file mode is written with a leading zero, as a string, or out of range.',
  check(context) {
    const findings: RuleFinding[] = [];
    for (const { object } of machineConfigsToCheck(context)) {
      for (const list of ['files', 'directories']) {
        const entries = nodeAt(object.root, ['spec', 'config', 'storage', list]);
        if (!isSeq(entries)) continue;
        for (const entry of entries.items) {
          if (!isMap(entry)) continue;
          const mode = entry.get('mode', true);
          if (!isScalar(mode) || !mode.range) continue;
          const source = context.text.slice(mode.range[0], mode.range[1]);
          const range = context.lines.rangeOf(mode.range[0], mode.range[1]);
          const where = scalarString(entry.get('path', true)) ?? `a ${list === 'files' ? 'file' : 'directory'}`;
          const finding = checkMode(mode, source, range, where);
          if (finding) findings.push(finding);
        }
      }
    }
    return findings;
  },
};

function checkMode(mode: Scalar, source: string, range: Range, where: string): RuleFinding | undefined {
  const fix = (decimal: number): Fix[] => [{ kind: 'edit', title: `Write the mode as decimal ${decimal} (0${decimal.toString(8)})`, preferred: true, edits: [{ range, newText: String(decimal) }] }];
  if (typeof mode.value === 'number') {
    if (mode.type === 'PLAIN' && /^[-+]?0[0-7]+$/.test(source)) {
      const decimal = mode.value;
      return { range, message: `Mode ${source} of ${where} has a leading zero: oc reads it as octal (${decimal}), but YAML 1.2 tools read it as decimal ${parseInt(source, 10)}. Write the decimal value ${decimal} that Ignition expects.`, fixes: fix(decimal) };
    }
    if (!Number.isInteger(mode.value) || mode.value < 0 || mode.value > 0o7777) {
      return { range, severity: 'error', message: `Mode ${source} of ${where} is not a file mode: Ignition wants a decimal integer from 0 to 4095 (0o7777), e.g. 420 for 0644.` };
    }
    return undefined;
  }
  if (typeof mode.value !== 'string') return undefined;
  const octal = /^0o([0-7]{1,4})$/i.exec(mode.value) ?? /^0([0-7]{1,4})$/.exec(mode.value);
  const decimal = octal ? parseInt(octal[1]!, 8) : /^\d+$/.test(mode.value) ? Number(mode.value) : undefined;
  const why = mode.type === 'PLAIN' ? `oc reads ${source} as a string (YAML 1.1 has no 0o prefix)` : 'it is a quoted string';
  const fixes = decimal !== undefined && decimal <= 0o7777 ? fix(decimal) : [];
  return { range, severity: 'error', message: `Mode ${source} of ${where} is not a number: ${why}, and Ignition rejects a string mode.${decimal !== undefined ? ` Write ${decimal}.` : ''}`, ...withFixes(fixes) };
}

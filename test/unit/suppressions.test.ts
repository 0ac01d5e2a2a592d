import { strict as assert } from 'node:assert';
import { Linter } from '../../src/core/lint';
import {
  ignoreInFileEdit, ignoreOnLineEdit, isSuppressed, parseSuppressionComment, readSuppressions, readYamlSuppressions, yamlIgnoreOnLineEdit,
  type Suppressions,
} from '../../src/core/suppressions';
import type { Finding } from '../../src/core/rules/types';
import { LineIndex } from '../../src/core/text';

const finding = (ruleId: string, line: number): Finding => ({ ruleId, message: '', severity: 'error', range: { start: { line, character: 0 }, end: { line, character: 1 } } });
/** The lines (0-based) on which `ruleId` is suppressed, of the first `count`. */
const suppressedLines = (s: Suppressions, ruleId: string, count: number) => [...Array(count).keys()].filter((line) => isSuppressed(finding(ruleId, line), s));

describe('suppression comments (one reader for Containerfiles and YAML)', () => {
  it('reads the directive of a comment', () => {
    assert.deepEqual(parseSuppressionComment('rhcos-layering'), { kind: 'marker' });
    assert.deepEqual(parseSuppressionComment('rhcos-layering ignore=a, b ,c'), { kind: 'ignore', rules: new Set(['a', 'b', 'c']) });
    assert.deepEqual(parseSuppressionComment('rhcos-layering  ignore-file = all '), { kind: 'ignore-file', rules: new Set(['all']) });
    for (const other of ['rhcos-layering-x ignore=a', 'rhcos-layering ignore=', 'rhcos-layering ignore=a;b', 'see rhcos-layering ignore=a', 'rhcos-layering please']) {
      assert.equal(parseSuppressionComment(other), undefined, other);
    }
  });

  it('Containerfile: the next instruction, the rest of a RUN continuation, the whole file, and the marker', async () => {
    const model = await new Linter().parse([
      '# rhcos-layering ignore-file=file-rule',
      'FROM quay.io/a/b:1',
      '# rhcos-layering ignore=next-rule',
      '',
      'RUN a && \\',
      '    # rhcos-layering ignore=inner-rule',
      '    b && \\',
      '    c',
      'COPY x /etc/x',
    ].join('\n'));
    const s = readSuppressions(model);
    assert.equal(s.hasMarker, true);
    assert.deepEqual(suppressedLines(s, 'file-rule', 9), [0, 1, 2, 3, 4, 5, 6, 7, 8]);
    assert.deepEqual(suppressedLines(s, 'next-rule', 9), [4, 5, 6, 7]);
    assert.deepEqual(suppressedLines(s, 'inner-rule', 9), [6, 7]);
    assert.equal((await new Linter().parse('# just a comment\nFROM a\n')).comments.some((c) => parseSuppressionComment(c.text)), false);
  });

  it('YAML: a comment line covers the next line with content, a trailing comment its own line, ignore-file the file', () => {
    const s = readYamlSuppressions(new LineIndex([
      '# rhcos-layering ignore-file=file-rule',
      'spec:',
      '  # rhcos-layering ignore=above-rule',
      '  # another comment',
      '',
      '  osImageURL: a:1',
      '  kernelType: rt  # rhcos-layering ignore=inline-rule,all-but',
      '  extensions: []',
    ].join('\n')));
    assert.equal(s.hasMarker, false);
    assert.deepEqual(suppressedLines(s, 'file-rule', 8), [0, 1, 2, 3, 4, 5, 6, 7]);
    assert.deepEqual(suppressedLines(s, 'above-rule', 8), [4, 5]); // the blank line in between too; no finding lands there
    assert.deepEqual(suppressedLines(s, 'inline-rule', 8), [6]);
    assert.deepEqual(suppressedLines(s, 'all-but', 8), [6]);
  });

  it('edits: a new comment above with the line\'s indentation, or one more rule on the comment already there', async () => {
    const yaml = new LineIndex('spec:\n  extensions:\n  - usbguard\n  # rhcos-layering ignore=a\n  kernelType: rt\n');
    assert.deepEqual(yamlIgnoreOnLineEdit(yaml, 'b', finding('b', 2).range), { range: { start: { line: 2, character: 0 }, end: { line: 2, character: 0 } }, newText: '    # rhcos-layering ignore=b\n' });
    assert.deepEqual(yamlIgnoreOnLineEdit(yaml, 'b', finding('b', 4).range), { range: { start: { line: 3, character: 27 }, end: { line: 3, character: 27 } }, newText: ',b' });

    const model = await new Linter().parse('# syntax=docker/dockerfile:1\nFROM a\n# rhcos-layering ignore=x  \nRUN b\n');
    assert.deepEqual(ignoreOnLineEdit(model, 'y', finding('y', 3).range), { range: { start: { line: 2, character: 25 }, end: { line: 2, character: 25 } }, newText: ',y' });
    assert.deepEqual(ignoreOnLineEdit(model, 'y', finding('y', 1).range), { range: { start: { line: 1, character: 0 }, end: { line: 1, character: 0 } }, newText: '# rhcos-layering ignore=y\n' });
    assert.deepEqual(ignoreInFileEdit(model, 'z'), { range: { start: { line: 1, character: 0 }, end: { line: 1, character: 0 } }, newText: '# rhcos-layering ignore-file=z\n' });
  });
});

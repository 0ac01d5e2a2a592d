import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Linter } from '../../../src/core/lint';
import { parseOpenShiftVersion } from '../../../src/core/openshift/versions';

const DIRECTORY = path.join(__dirname, '..', '..', 'fixtures', 'containerfiles', 'realistic');

interface Expected {
  readonly line: number;
  readonly rule: string;
  readonly severity: string;
  /** Text the message must contain: the expanded image, the RPM names, … (never `-stable}` or `kernel-{`). */
  readonly excerpt: string;
}

/**
 * `# expect: LINE RULE SEVERITY "excerpt"` lines in the file's header: every finding the file must get, hand-checked
 * against the public file it is modelled on (named in its first line). A file without expect lines must lint clean.
 */
function expectations(text: string): Expected[] {
  const expected: Expected[] = [];
  for (const match of text.matchAll(/^# expect: (\d+) ([a-z-]+) (error|warning|info) "(.*)"$/gm)) {
    expected.push({ line: Number(match[1]), rule: match[2]!, severity: match[3]!, excerpt: match[4]! });
  }
  return expected;
}

/**
 * The labelled set: Containerfiles written for this suite after the patterns of public layering Containerfiles
 * (CoreOS and RHCOS layering examples, bootc and rpm-ostree docs, MCO files, Universal Blue and personal images), with
 * exactly the findings a careful reviewer would want on each. It holds every false-error and missed-finding pattern the
 * corpus measurement found (docs/rules/README.md, "Measured precision").
 */
describe('realistic Containerfiles: exactly the hand-checked findings', () => {
  const linter = new Linter();
  const files = readdirSync(DIRECTORY).filter((name) => name.endsWith('.Containerfile')).sort();

  it('the set is there', () => {
    assert.ok(files.length >= 20, `only ${files.length} files in ${DIRECTORY}`);
  });

  for (const file of files) {
    it(file, async () => {
      const text = readFileSync(path.join(DIRECTORY, file), 'utf8');
      assert.match(text.split('\n')[0]!, /^# Modelled on \S+:\S+/, 'the first line names the public file the example is modelled on');
      const target = /^# test-target-version: (\S+)$/m.exec(text)?.[1];
      const result = await linter.lint(text, { targetVersion: target ? parseOpenShiftVersion(target) : undefined });
      assert.ok(result.layeringReason, `${file} should be recognised as a layering Containerfile`);
      const expected = expectations(text);
      const actual = result.findings.map((finding) => `${finding.range.start.line + 1} ${finding.ruleId} ${finding.severity}`);
      assert.deepEqual(actual, expected.map((e) => `${e.line} ${e.rule} ${e.severity}`), result.findings.map((f) => `${f.range.start.line + 1} ${f.ruleId}: ${f.message}`).join('\n'));
      result.findings.forEach((finding, index) => {
        assert.ok(finding.message.includes(expected[index]!.excerpt), `line ${expected[index]!.line} ${finding.ruleId}: "${finding.message}" lacks "${expected[index]!.excerpt}"`);
      });
    });
  }
});

import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Linter } from '../../../src/core/lint';
import { parseOpenShiftVersion } from '../../../src/core/openshift/versions';

const FIXTURES = path.join(__dirname, '..', '..', 'fixtures', 'containerfiles');

/** Containerfiles written the way the docs and real projects write them must lint clean at their target version. */
describe('no false positives on documented patterns', () => {
  const linter = new Linter();
  for (const file of readdirSync(path.join(FIXTURES, 'good')).sort()) {
    it(file, async () => {
      const text = readFileSync(path.join(FIXTURES, 'good', file), 'utf8');
      const version = parseOpenShiftVersion(/test-target-version:\s*(\S+)/.exec(text)?.[1]);
      const result = await linter.lint(text, { targetVersion: version });
      assert.ok(result.layeringReason, `${file} should be recognised as a layering Containerfile`);
      assert.deepEqual(result.findings.map((f) => `${f.range.start.line + 1}: ${f.ruleId}: ${f.message}`), []);
    });
  }
});

import { strict as assert } from 'node:assert';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { YAML_RULES } from '../../src/core/yamlLint';
import { RULES } from '../../src/core/rules';

const DOCS = path.join(__dirname, '..', '..', 'docs', 'rules');

/** Every diagnostic's `code` links to a page the extension ships; the index lists each with its default severity. */
describe('rule documentation', () => {
  const index = readFileSync(path.join(DOCS, 'README.md'), 'utf8');
  for (const rule of [...RULES, ...YAML_RULES]) {
    it(`${rule.id} has a page and an index row with its default severity`, () => {
      const page = path.join(DOCS, `${rule.id}.md`);
      assert.ok(existsSync(page), `missing ${page}`);
      assert.match(readFileSync(page, 'utf8'), new RegExp(`^# ${rule.id}\\b`));
      const row = index.split('\n').find((line) => line.startsWith(`| [${rule.id}](${rule.id}.md) |`));
      assert.ok(row, `docs/rules/README.md has no row for ${rule.id}`);
      assert.equal(row.split('|')[2]!.trim().split(' ')[0], rule.defaultSeverity, row);
    });
  }
});

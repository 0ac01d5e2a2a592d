import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Linter } from '../../src/core/lint';
import { comparePositions, LineIndex, type Range } from '../../src/core/text';
import { snippetSeeds } from './snippetBodies';

/**
 * Any byte sequence as a Containerfile yields findings or none, never an exception, and every finding points inside
 * the file with its start before its end (lines counted as the editor counts them: a lone `\r` ends a line too). The
 * model's own ranges (instructions, words, commands, build errors) are checked the same way. Seeds are the good fixtures and the snippets; mutations splice in the constructs parsers trip on.
 */
const FIXTURES = path.join(__dirname, '..', 'fixtures', 'containerfiles');

function seeds(): string[] {
  const texts: string[] = [];
  for (const dir of ['good', 'bad']) {
    for (const file of readdirSync(path.join(FIXTURES, dir))) texts.push(readFileSync(path.join(FIXTURES, dir, file), 'utf8'));
  }
  for (const snippet of snippetSeeds()) texts.push(snippet.text);
  return texts;
}

const FRAGMENTS = [
  '\\\n', '`\n', '<<EOF\n', '<<-EOF\n\t', 'EOF\n', '<< \'X\'\n', '"', "'", '$(', '${', '}', '`', '#', '# escape=`\n', '# rhcos-layering ignore=all\n',
  '\nFROM ', '\nRUN ', '\nCOPY --from=', '\nARG A=', ' && ', ' || ', ';', '|', '(', ')', '{', '}', '[', ']', '["sh", "-c", "', '\r\n', '\r', '# comment\r', '\t', '\u0000', '\uFFFD',
  'rpm-ostree override replace kernel-{,core-}x.rpm', 'dnf install -y ', 'FROM configs AS final\n', '@sha256:', ':latest', 'if [ -f x ]; then ', 'fi', 'sh -c \'',
];

describe('fuzz: the engine never throws', function () {
  this.timeout(120_000);
  const linter = new Linter();
  let seed = 20261126;
  const random = (n: number): number => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return seed % n;
  };

  function mutate(text: string): string {
    let out = text;
    const edits = 1 + random(6);
    for (let i = 0; i < edits; i++) {
      const at = random(out.length + 1);
      switch (random(6)) {
        case 0: out = out.slice(0, at) + FRAGMENTS[random(FRAGMENTS.length)]! + out.slice(at); break;
        case 1: out = out.slice(0, at) + out.slice(at + 1 + random(20)); break;
        case 2: out = out.slice(0, at) + String.fromCharCode(random(0x2000)) + out.slice(at); break;
        case 3: { const lines = out.split('\n'); const a = random(lines.length); const b = random(lines.length); [lines[a], lines[b]] = [lines[b]!, lines[a]!]; out = lines.join('\n'); break; }
        case 4: out = out.slice(0, at) + out.slice(random(out.length + 1), random(out.length + 1)) + out.slice(at); break;
        default: out = out.slice(0, at) + out.slice(at).toUpperCase(); break;
      }
    }
    return out;
  }

  function randomBytes(): string {
    const length = random(400);
    let text = '';
    for (let i = 0; i < length; i++) text += String.fromCharCode(random(3) === 0 ? random(0x10000) : 32 + random(95));
    return text;
  }

  async function check(text: string): Promise<void> {
    let result;
    try {
      result = await linter.lint(text, { force: true });
    } catch (error) {
      assert.fail(`lint threw ${String(error)} on ${JSON.stringify(text.slice(0, 300))}`);
    }
    const lines = new LineIndex(text);
    const checkRange = (what: string, range: Range): void => {
      for (const p of [range.start, range.end]) {
        assert.ok(p.line >= 0 && p.line < lines.lineCount && p.character >= 0 && p.character <= lines.lineText(p.line).length + 1,
          `${what} range ${JSON.stringify(range)} outside the file ${JSON.stringify(text.slice(0, 300))}`);
      }
      assert.ok(comparePositions(range.start, range.end) <= 0, `${what} range ${JSON.stringify(range)} ends before it starts in ${JSON.stringify(text.slice(0, 300))}`);
    };
    for (const finding of result.findings) {
      assert.ok(!finding.message.startsWith('Rule ') || !finding.message.includes('failed on this file'), `a rule crashed: ${finding.message} on ${JSON.stringify(text.slice(0, 300))}`);
      checkRange(finding.ruleId, finding.range);
    }
    for (const instruction of result.model.instructions) {
      checkRange(`${instruction.keyword} instruction`, instruction.range);
      if ('commands' in instruction) {
        for (const command of instruction.commands) {
          checkRange(`command ${command.name}`, command.range);
          for (const word of command.args) checkRange(`word ${word.raw}`, word.range);
        }
      }
    }
    for (const error of result.model.buildErrors) checkRange('build error', error.range);
    for (const comment of result.model.comments) checkRange('comment', comment.range);
  }

  it('survives 3,000 mutated layering Containerfiles', async () => {
    const corpus = seeds();
    for (let i = 0; i < 3000; i++) await check(mutate(corpus[random(corpus.length)]!));
  });

  it('survives 1,000 random byte sequences', async () => {
    for (let i = 0; i < 1000; i++) await check(randomBytes());
  });
});

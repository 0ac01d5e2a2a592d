import { strict as assert } from 'node:assert';
import { expandBraces, MAX_BRACE_RESULTS } from '../../../src/core/containerfile/braces';
import { isRun } from '../../../src/core/containerfile/model';
import { packageOperations } from '../../../src/core/containerfile/packages';
import { parseContainerfile } from '../../../src/core/containerfile/parse';
import { loadTreeSitterShellParser } from '../../../src/core/containerfile/shell';

/** Expected words are what bash 5 prints for `printf '%s\n' WORD` (quotes kept here: quote removal comes later). */
describe('brace expansion (braces.ts)', () => {
  const cases: readonly (readonly [string, readonly string[]])[] = [
    ['kernel-{,core-}5.14.0-427.el9.x86_64.rpm', ['kernel-5.14.0-427.el9.x86_64.rpm', 'kernel-core-5.14.0-427.el9.x86_64.rpm']],
    ['a{b,c}d{e,f}', ['abde', 'abdf', 'acde', 'acdf']],
    ['x{a,{b,c}}y', ['xay', 'xby', 'xcy']],
    ['{1..3}', ['1', '2', '3']],
    ['{3..1}', ['3', '2', '1']],
    ['{01..10..4}', ['01', '05', '09']],
    ['{a..c}', ['a', 'b', 'c']],
    ['{a}', ['{a}']],
    ['{}', ['{}']],
    ['{a..}', ['{a..}']],
    ['"{a,b}"', ['"{a,b}"']],
    ["'{a,b}'c", ["'{a,b}'c"]],
    ['\\{a,b}', ['\\{a,b}']],
    ['${V:-{a,b}}', ['${V:-{a,b}}']],
    ['${V}{a,b}', ['${V}a', '${V}b']],
    ['$(echo {a,b}){c,d}', ['$(echo {a,b})c', '$(echo {a,b})d']],
    ['{"a b",c}', ['"a b"', 'c']],
    ['{a,b', ['{a,b']],
    ['{x}{a,b}', ['{x}a', '{x}b']],
  ];
  for (const [word, expected] of cases) {
    it(`${word} -> ${expected.join(' ')}`, () => assert.deepEqual(expandBraces(word), expected));
  }

  it('caps the number of results', () => {
    assert.equal(expandBraces('{1..9}{1..9}{1..9}{1..9}').length, MAX_BRACE_RESULTS);
  });

  it('gives rules one word per file in RUN bodies, with both shell parsers', async () => {
    const body = 'rpm-ostree override replace /tmp/kernel-{,core-}5.14.0-427.el9.x86_64.rpm $URL/kernel-{,modules-}$V.x86_64.rpm && cp /etc/{a,b}.conf /usr/etc/';
    const withLexer = parseContainerfile(`FROM x\nRUN ${body}\n`).model;
    // `$(...)` sends the body to tree-sitter.
    const withTreeSitter = parseContainerfile(`FROM x\nRUN V=$(uname -r); ${body}\n`, await loadTreeSitterShellParser()).model;
    for (const model of [withLexer, withTreeSitter]) {
      const run = model.instructions.filter(isRun)[0]!;
      const replace = packageOperations(run)[0]!;
      assert.deepEqual(replace.packages.map((p) => [p.spec, p.name, p.kind]), [
        ['/tmp/kernel-5.14.0-427.el9.x86_64.rpm', 'kernel', 'file'],
        ['/tmp/kernel-core-5.14.0-427.el9.x86_64.rpm', 'kernel-core', 'file'],
        ['$URL/kernel-$V.x86_64.rpm', 'kernel', 'file'],
        ['$URL/kernel-modules-$V.x86_64.rpm', 'kernel-modules', 'file'],
      ]);
      const copy = run.commands.find((c) => c.name === 'cp')!;
      assert.deepEqual(copy.args.map((a) => a.value), ['/etc/a.conf', '/etc/b.conf', '/usr/etc/']);
      assert.deepEqual(copy.args[0]!.range, copy.args[1]!.range, 'both words point at the written word');
    }
  });
});

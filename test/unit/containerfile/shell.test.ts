import { strict as assert } from 'node:assert';
import { loadTreeSitterShellParser, parseSimpleShell, type ShellParser } from '../../../src/core/containerfile/shell';

describe('shell: fast lexer and tree-sitter agree', () => {
  let treeSitter: ShellParser;
  before(async () => {
    treeSitter = await loadTreeSitterShellParser();
  });

  const cases = [
    'dnf install -y foo && dnf clean all',
    'rpm-ostree override replace kernel-{,core-,modules-}5.14.0.rpm',
    'echo yes > /var/foo 2>&1 && FOO=bar dnf install x',
    'dnf install "a$B" \'c d\' e"f" g\\ h',
    '[ -f x ] && dnf install y || true; systemctl enable a.service',
    'echo ${A:-b} $1 $@ "${X}"',
    'curl -fsSL https://x/y.rpm -o /tmp/y.rpm | tee -a /var/log/x >> /var/z',
    'a=1 b=2',
    'ls # comment && dnf install nothing\nrpm -Uvh x.rpm',
    'mkdir -p /var/lib/x &>/dev/null',
    'a && b > /x',
    'echo a > f b c',
    'a | tee -a /x >> /var/z; d',
    'rpm-ostree install  htop\t tmux &&\n  rpm-ostree cleanup -m && ostree container commit',
    'env FOO=1 sudo dnf -y --setopt=install_weak_deps=False install vim',
  ];
  for (const source of cases) {
    it(`same commands for ${JSON.stringify(source)}`, () => {
      const fast = parseSimpleShell(source);
      assert.ok(fast, 'the fast lexer should accept this body');
      assert.deepEqual(fast, treeSitter.parse(source));
    });
  }

  it('agrees on thousands of generated bodies the fast lexer accepts', () => {
    const words = ['dnf', 'install', '-y', 'rpm-ostree', 'x.rpm', '"quoted word"', "'single $X'", '$VAR', '${V}', 'a\\ b', 'k-{a,b}', '/var/x', 'FOO=bar', '--opt=1', '#c', '~/x'];
    const separators = [' && ', ' || ', '; ', ' | ', '\n', ' > ', ' >> ', ' 2>&1 ', ' &> ', ' '];
    let seed = 42;
    const random = (n: number): number => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    let compared = 0;
    for (let i = 0; i < 3000; i++) {
      let source = words[random(words.length)]!;
      const length = 1 + random(8);
      for (let j = 0; j < length; j++) source += separators[random(separators.length)]! + words[random(words.length)]!;
      const fast = parseSimpleShell(source);
      if (!fast) continue;
      compared++;
      assert.deepEqual(fast, treeSitter.parse(source), `disagreement on ${JSON.stringify(source)}`);
    }
    assert.ok(compared > 1000, `only ${compared} generated bodies were accepted by the fast lexer`);
  });

  it('leaves compound commands, substitutions and heredocs to tree-sitter', () => {
    for (const source of ['if true; then dnf install x; fi', 'dnf install $(cat list)', 'cat <<EOF\nx\nEOF', '(cd /x && make)', 'for p in a b; do echo $p; done']) {
      assert.equal(parseSimpleShell(source), undefined, source);
      assert.ok(treeSitter.parse(source).commands.length > 0, source);
    }
  });

  it('finds commands inside if, subshells, loops and substitutions with exact offsets', () => {
    const source = 'if [ -f /x ]; then\n  rpm-ostree install vim; fi\n(cd /src && make)';
    const commands = treeSitter.parse(source).commands;
    assert.deepEqual(commands.map((c) => c.name.value), ['rpm-ostree', 'cd', 'make']);
    assert.equal(source.slice(commands[0]!.start, commands[0]!.end), 'rpm-ostree install vim');
  });

  it('marks syntax errors but keeps the good commands', () => {
    const script = treeSitter.parse('dnf install a && && systemctl enable b');
    assert.equal(script.hasSyntaxError, true);
    assert.ok(script.commands.some((c) => c.name.value === 'dnf'));
  });
});

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
    'rpm-ostree override replace $URL/kernel-{,core-}$V.x86_64.rpm kernel-{rt-,}core-{1..2}.rpm "{a,b}" \\{c,d}',
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
    'if [ -f /etc/x ]; then\n  dnf install -y x\nelif grep -q y /z; then rpm-ostree install y; else echo no; fi',
    'for p in a b "c d"; do\n  dnf install -y $p\ndone && dnf clean all',
    'while read -r line; do echo "$line"; done',
    '! grep -q x /etc/y && { dnf install -y z; dnf clean all; }',
    'until systemctl is-active x; do sleep 1; done; bootc container lint',
  ];
  for (const source of cases) {
    it(`same commands for ${JSON.stringify(source)}`, () => {
      const fast = parseSimpleShell(source);
      assert.ok(fast, 'the fast lexer should accept this body');
      assert.deepEqual(fast, treeSitter.parse(source));
    });
  }

  it('agrees on thousands of generated compound bodies', () => {
    const simple = ['dnf install -y x', 'rpm-ostree install "a b"', '[ -f /x ]', 'echo $V > /var/y', 'true', '! grep -q x f', 'A=1 make'];
    let seed = 7;
    const random = (n: number): number => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    const statement = (depth: number): string => {
      const pick = depth > 2 ? 0 : random(6);
      const list = (): string => [statement(depth + 1), statement(depth + 1)].slice(0, 1 + random(2)).join(random(2) ? '; ' : ' && ');
      switch (pick) {
        case 1: return `if ${list()}; then ${list()}; ${random(2) ? `else ${list()}; ` : ''}fi`;
        case 2: return `for v in a $B "c"; do ${list()}; done`;
        case 3: return `while ${list()}; do ${list()}; done`;
        case 4: return `{ ${list()}; }`;
        default: return simple[random(simple.length)]!;
      }
    };
    for (let i = 0; i < 2000; i++) {
      const source = [statement(0), statement(0)].join(random(2) ? '\n' : ' || ');
      const fast = parseSimpleShell(source);
      assert.ok(fast, `the fast lexer should accept ${JSON.stringify(source)}`);
      assert.deepEqual(fast, treeSitter.parse(source), `disagreement on ${JSON.stringify(source)}`);
    }
  });

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
    for (const source of ['case $x in a) dnf install x;; esac', 'dnf install $(cat list)', 'cat <<EOF\nx\nEOF', '(cd /x && make)', 'for ((i=0;i<3;i++)); do echo $i; done', 'while read l; do echo $l; done < /f', 'if x; then y; fi > /log']) {
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

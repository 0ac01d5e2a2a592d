import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import * as oniguruma from 'vscode-oniguruma';
import { INITIAL, parseRawGrammar, Registry, type IGrammar, type IRawGrammar, type StateStack } from 'vscode-textmate';

const ROOT = path.join(__dirname, '..', '..');
const GRAMMAR_FILE = path.join(ROOT, 'syntaxes', 'rhcos-layering.injection.tmLanguage.json');
const INJECTION_SCOPE = 'source.rhcos-layering.injection';

/**
 * A stand-in for VS Code's built-in `source.dockerfile` grammar with the same rule shapes: instruction keywords,
 * quoted strings, and whole-line `#` comments matched at line start.
 */
const BASE_GRAMMAR = {
  scopeName: 'source.dockerfile',
  patterns: [
    {
      match: '^\\s*(?:(ONBUILD)\\s+)?(ADD|ARG|CMD|COPY|ENTRYPOINT|ENV|EXPOSE|FROM|HEALTHCHECK|LABEL|MAINTAINER|RUN|SHELL|STOPSIGNAL|USER|VOLUME|WORKDIR)\\s',
      captures: { 1: { name: 'keyword.control.dockerfile' }, 2: { name: 'keyword.other.special-method.dockerfile' } },
    },
    { begin: '"', end: '"', name: 'string.quoted.double.dockerfile', patterns: [{ match: '\\\\.', name: 'constant.character.escaped.dockerfile' }] },
    { begin: "'", end: "'", name: 'string.quoted.single.dockerfile', patterns: [{ match: '\\\\.', name: 'constant.character.escaped.dockerfile' }] },
    {
      match: '^(\\s*)((#).*$\\n?)',
      captures: { 1: { name: 'punctuation.whitespace.comment.leading.dockerfile' }, 2: { name: 'comment.line.number-sign.dockerfile' }, 3: { name: 'punctuation.definition.comment.dockerfile' } },
    },
  ],
};

interface RawRule {
  match?: string;
  begin?: string;
  end?: string;
  while?: string;
  patterns?: RawRule[];
  captures?: Record<string, RawRule>;
  repository?: Record<string, RawRule>;
  [key: string]: unknown;
}

function regexesOf(rule: RawRule, where: string, out: { where: string; source: string }[]): void {
  for (const key of ['match', 'begin', 'end', 'while'] as const) {
    const source = rule[key];
    if (typeof source === 'string') out.push({ where: `${where}.${key}`, source });
  }
  rule.patterns?.forEach((child, i) => regexesOf(child, `${where}.patterns[${i}]`, out));
  for (const [name, child] of Object.entries(rule.captures ?? {})) regexesOf(child, `${where}.captures[${name}]`, out);
  for (const [name, child] of Object.entries(rule.repository ?? {})) regexesOf(child, `${where}.repository.${name}`, out);
}

let onigReady: Promise<void> | undefined;
function loadOniguruma(): Promise<void> {
  onigReady ??= oniguruma.loadWASM(readFileSync(require.resolve('vscode-oniguruma/release/onig.wasm')).buffer as ArrayBuffer);
  return onigReady;
}

type Token = readonly [text: string, scopes: readonly string[]];

describe('syntaxes/rhcos-layering.injection.tmLanguage.json', () => {
  const raw = JSON.parse(readFileSync(GRAMMAR_FILE, 'utf8')) as RawRule & { scopeName: string; injectionSelector: string };
  const manifest = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { contributes: { grammars: { scopeName: string; path: string; injectTo: string[] }[] } };

  it('is the injection grammar package.json contributes, into source.dockerfile', () => {
    assert.equal(raw.scopeName, INJECTION_SCOPE);
    assert.match(raw.injectionSelector, /^L:source\.dockerfile\b/);
    assert.deepEqual(manifest.contributes.grammars, [{ scopeName: INJECTION_SCOPE, path: './syntaxes/rhcos-layering.injection.tmLanguage.json', injectTo: ['source.dockerfile'] }]);
  });

  it('resolves every include to a repository entry', () => {
    const includes = JSON.stringify(raw).match(/"include":\s*"#([^"]+)"/g) ?? [];
    for (const include of includes) {
      const name = /#([^"]+)/.exec(include)![1]!;
      assert.ok(raw.repository?.[name], `missing repository entry ${name}`);
    }
  });

  it('has regexes that compile as JavaScript and as Oniguruma', async () => {
    await loadOniguruma();
    const regexes: { where: string; source: string }[] = [];
    regexesOf(raw, '$', regexes);
    assert.ok(regexes.length > 10);
    for (const { where, source } of regexes) {
      assert.doesNotThrow(() => new RegExp(source), `${where} is not a valid JavaScript regex`);
      assert.doesNotThrow(() => new oniguruma.OnigScanner([source]).dispose(), `${where} does not compile in Oniguruma`);
    }
  });

  describe('tokenizing with vscode-textmate', () => {
    let grammar: IGrammar;
    before(async () => {
      await loadOniguruma();
      const registry = new Registry({
        onigLib: Promise.resolve({
          createOnigScanner: (sources: string[]) => new oniguruma.OnigScanner(sources),
          createOnigString: (text: string) => new oniguruma.OnigString(text),
        }),
        loadGrammar: async (scopeName: string): Promise<IRawGrammar | null> => {
          if (scopeName === 'source.dockerfile') return parseRawGrammar(JSON.stringify(BASE_GRAMMAR), 'docker.json');
          if (scopeName === INJECTION_SCOPE) return parseRawGrammar(readFileSync(GRAMMAR_FILE, 'utf8'), GRAMMAR_FILE);
          return null;
        },
        getInjections: (scopeName: string) => (scopeName === 'source.dockerfile' ? [INJECTION_SCOPE] : undefined),
      });
      const loaded = await registry.loadGrammar('source.dockerfile');
      assert.ok(loaded);
      grammar = loaded;
    });

    function tokenize(text: string): Token[][] {
      let state: StateStack = INITIAL;
      return text.split('\n').map((line) => {
        const result = grammar.tokenizeLine(line, state);
        state = result.ruleStack;
        return result.tokens.map((token) => [line.slice(token.startIndex, token.endIndex), token.scopes.slice(1)] as const);
      });
    }

    /** The rhcos-layering scopes (and the comment scope) each piece of text carries, e.g. `rpm-ostree=command`. */
    function ours(line: readonly Token[]): string[] {
      return line.flatMap(([text, scopes]) => {
        const mine = scopes.filter((scope) => scope.endsWith('.rhcos-layering') && !scope.startsWith('meta.'));
        return mine.length > 0 ? [`${text.trim()}=${mine.map((scope) => scope.replace(/\.rhcos-layering$/, '')).join(' ')}`] : [];
      });
    }

    it('rpm-ostree, ostree and bootc commands and subcommands on a RUN line', () => {
      const [line] = tokenize('RUN rpm-ostree override replace https://example.com/hotfix/x-1-1.el9.noarch.rpm && rpm-ostree cleanup -m && ostree container commit');
      assert.deepEqual(line![0], ['RUN', ['keyword.other.special-method.dockerfile']]);
      assert.deepEqual(ours(line!), [
        'rpm-ostree=entity.name.function.command', 'override=support.function.subcommand', 'replace=support.function.subcommand',
        'rpm-ostree=entity.name.function.command', 'cleanup=support.function.subcommand',
        'ostree=entity.name.function.command', 'container=support.function.subcommand', 'commit=support.function.subcommand',
      ]);
    });

    it('dnf with options before the subcommand, dnf5 in a heredoc body, bootc container lint, rpm modes', () => {
      const lines = tokenize([
        'RUN dnf -y --setopt=install_weak_deps=False install tmux && dnf clean all && bootc container lint',
        'RUN <<EOF',
        'dnf5 install -y jq',
        'rpm -Uvh /tmp/x.rpm && rpm --import /etc/pki/rpm-gpg/KEY && yum update -y',
        'EOF',
      ].join('\n'));
      assert.deepEqual(ours(lines[0]!), [
        'dnf=entity.name.function.command', 'install=support.function.subcommand',
        'dnf=entity.name.function.command', 'clean=support.function.subcommand', 'all=support.function.subcommand',
        'bootc=entity.name.function.command', 'container=support.function.subcommand', 'lint=support.function.subcommand',
      ]);
      assert.deepEqual(ours(lines[2]!), ['dnf5=entity.name.function.command', 'install=support.function.subcommand']);
      assert.deepEqual(ours(lines[3]!), [
        'rpm=entity.name.function.command', '-Uvh=keyword.other.option',
        'rpm=entity.name.function.command', '--import=keyword.other.option',
        'yum=entity.name.function.command', 'update=support.function.subcommand',
      ]);
    });

    it('suppression comments and the marker, with their own scopes inside the comment scope', () => {
      const [ignore, file, marker] = tokenize('# rhcos-layering ignore=var-content, forbidden-path\n  # rhcos-layering ignore-file=all\n# rhcos-layering');
      assert.deepEqual(ours(ignore!), [
        'rhcos-layering=keyword.control.directive', 'ignore=keyword.other.directive.ignore', '==keyword.operator.assignment',
        'var-content=constant.other.rule-id', ',=punctuation.separator.comma', 'forbidden-path=constant.other.rule-id',
      ]);
      assert.ok(ignore!.every(([, scopes]) => scopes.includes('comment.line.number-sign.dockerfile')), JSON.stringify(ignore));
      assert.deepEqual(ignore![0], ['#', ['comment.line.number-sign.dockerfile', 'meta.directive.suppression.rhcos-layering', 'punctuation.definition.comment.dockerfile']]);
      assert.deepEqual(ours(file!), ['rhcos-layering=keyword.control.directive', 'ignore-file=keyword.other.directive.ignore', '==keyword.operator.assignment', 'all=constant.language.all']);
      assert.deepEqual(ours(marker!), ['rhcos-layering=keyword.control.directive']);
    });

    it('ends the non-command region with the instruction, continuation lines included', () => {
      const lines = tokenize(['FROM quay.io/x/y@sha256:abc AS dnf', 'COPY --from=builder \\', '    /out/rpm /usr/bin/rpm', 'RUN rpm-ostree install tmux'].join('\n'));
      assert.deepEqual(lines.slice(0, 3).map(ours), [[], [], []]);
      assert.deepEqual(lines[1]![0], ['COPY', ['keyword.other.special-method.dockerfile']]);
      assert.deepEqual(ours(lines[3]!), ['rpm-ostree=entity.name.function.command', 'install=support.function.subcommand']);
    });

    it('leaves other comments, strings, image names, paths and values alone', () => {
      const lines = tokenize([
        '# install with rpm-ostree install, then dnf clean all',
        '# rhcos-layering is great',
        'FROM quay.io/example/rpm-ostree-base@sha256:abc AS dnf',
        'LABEL tool=rpm description="uses dnf install"',
        'RUN sh -c "dnf install -y x" && /usr/libexec/rpm-ostree-helper && echo rpms',
        'COPY x.rpm /tmp/dnf/',
      ].join('\n'));
      for (const line of lines) assert.deepEqual(ours(line), [], JSON.stringify(line));
      assert.ok(lines[0]!.every(([, scopes]) => scopes.includes('comment.line.number-sign.dockerfile')));
      assert.ok(lines[1]!.every(([, scopes]) => scopes.includes('comment.line.number-sign.dockerfile')));
    });
  });
});

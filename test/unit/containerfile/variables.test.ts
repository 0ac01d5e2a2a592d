import { strict as assert } from 'node:assert';
import { processWord, processWords, WordSyntaxError, type VariableLookup } from '../../../src/core/containerfile/variables';

/**
 * The word lexer against BuildKit's own expectations. The cases restate those of BuildKit's lexer tests
 * (moby/buildkit:master:frontend/dockerfile/shell/envVarTest and wordsTest): input, then the word BuildKit produces
 * or `error`. The environment is theirs: PWD=/home, SHELL=bash, KOREAN=한국어, NULL set and empty.
 */
const ENVIRONMENT: Record<string, string> = { PWD: '/home', SHELL: 'bash', KOREAN: '한국어', NULL: '' };
const lookup: VariableLookup = (name) => (name in ENVIRONMENT ? { value: ENVIRONMENT[name] } : undefined);

const WORDS: readonly (readonly [string, string | 'error'])[] = [
  ['hello', 'hello'], ["he'll'o", 'hello'], ["he'llo", 'error'], ["he\\'llo", "he'llo"], ["he\\\\'llo", 'error'],
  ['abc\\tdef', 'abctdef'], ['"abc\\tdef"', 'abc\\tdef'], ['"abc\\\\tdef"', 'abc\\tdef'], ["'abc\\tdef'", 'abc\\tdef'],
  ['hello\\', 'hello'], ['hello\\\\', 'hello\\'], ['"hello', 'error'], ['"hello\\"', 'error'], ['"hel\'lo"', "hel'lo"],
  ["'hello", 'error'], ["'hello\\'", 'hello\\'], ["'hello\\there'", 'hello\\there'], ['"\'\'"', "''"],
  ['$.', '$.'], ['he$1x', 'hex'], ['he$.x', 'he$.x'], ['he$pwd.', 'he.'], ['he$PWD', 'he/home'], ['he\\$PWD', 'he$PWD'],
  ['he\\\\$PWD', 'he\\/home'], ['"he\\$PWD"', 'he$PWD'], ['"he\\\\$PWD"', 'he\\/home'], ['\\${}', '${}'], ['he\\${}xx', 'he${}xx'],
  ['${}', 'error'], ['he${}xx', 'error'], ['he${hi}', 'he'], ['he${hi}xx', 'hexx'], ['he${PWD}', 'he/home'], ['he${.}', 'error'],
  ['he${XXX:-000}xx', 'he000xx'], ['he${PWD:-000}xx', 'he/homexx'], ['he${XXX:-$PWD}xx', 'he/homexx'],
  ['he${XXX:-${PWD:-yyy}}xx', 'he/homexx'], ['he${XXX:-${YYY:-yyy}}xx', 'heyyyxx'], ['he${XXX:YYY}', 'error'],
  ['he${XXX?}', 'error'], ['he${XXX:?}', 'error'], ['he${PWD?}', 'he/home'], ['he${PWD:?}', 'he/home'], ['he${NULL?}', 'he'],
  ['he${NULL:?}', 'error'], ['he${XXX:+${PWD}}xx', 'hexx'], ['he${PWD:+${XXX}}xx', 'hexx'], ['he${PWD:+${SHELL}}xx', 'hebashxx'],
  ['he${XXX:+000}xx', 'hexx'], ['he${PWD:+000}xx', 'he000xx'], ["'he${XX}'", 'he${XX}'], ['"he${PWD}"', 'he/home'],
  ['"he\'$PWD\'"', "he'/home'"], ["'$PWD'", '$PWD'], ["'\\$PWD'", '\\$PWD'], ['he${PWD', 'error'], ['he${PWD:=000}xx', 'error'],
  ['he${PWD:+${PWD}:}xx', 'he/home:xx'], ['he${XXX:-\\$PWD:}xx', 'he$PWD:xx'], ['he${XXX:-\\${PWD}z}xx', 'he${PWDz}xx'],
  ['안\'녕\'하세요', '안녕하세요'], ['안녕\\\'하세요', "안녕'하세요"], ['안녕$KOREAN', '안녕한국어'],
  ['${{aaa}', 'error'], ['${aaa}}', '}'], ['${aaa', 'error'], ['${aaa:-bbb}}', 'bbb}'], ['${aaa:-bbb', 'error'],
  ['${aaa:-${bbb:-ccc}}', 'ccc'], ['${aaa:-bbb ${foo}', 'error'], ['${aaa:-bbb {foo}', 'bbb {foo'], ['${:}', 'error'], ['${:-bbb}', 'error'],
  ['$1', ''], ['${1:-bbb}', 'bbb'], ['$999aaa', 'aaa'], ['${001:-bbb}aaa', 'bbbaaa'],
  ['${PWD#/h}', 'ome'], ['${PWD##*o}', 'me'], ['${PWD%e}', '/hom'], ['${PWD%%o*}', '/h'], ['${PWD/o/0}', '/h0me'], ['${SHELL//a/A}', 'bAsh'],
];

describe('BuildKit word lexer (variables.ts)', () => {
  for (const [input, expected] of WORDS) {
    it(`${input} -> ${expected === 'error' ? 'an error' : JSON.stringify(expected)}`, () => {
      if (expected === 'error') assert.throws(() => processWord(input, lookup), WordSyntaxError);
      else assert.equal(processWord(input, lookup).value, expected);
    });
  }

  it('splits words after expansion the way BuildKit does (wordsTest)', () => {
    const env: Record<string, string> = { hi: 'hi', space: 'abc  def', leading: '  ab c', trailing: 'ab c   ' };
    const words = (text: string): string[] => processWords(text, (name) => (name in env ? { value: env[name] } : undefined));
    assert.deepEqual(words('hello${hi}bye'), ['hellohibye']);
    assert.deepEqual(words('hello${space}bye'), ['helloabc', 'defbye']);
    assert.deepEqual(words('hello"${space}"bye'), ['helloabc  defbye']);
    assert.deepEqual(words('hello${leading}def'), ['hello', 'ab', 'cdef']);
    assert.deepEqual(words('hello"${leading}" def'), ['hello  ab c', 'def']);
    assert.deepEqual(words('hello${trailing}d'), ['helloab', 'c', 'd']);
    assert.deepEqual(words('hello\\ there'), ['hello there']);
    assert.deepEqual(words('hello\\" there'), ['hello"', 'there']);
    assert.deepEqual(words("hello'\\\\there'"), ['hello\\\\there']);
    assert.throws(() => words('hello" there'), WordSyntaxError);
  });

  it('uses the escape directive’s token', () => {
    assert.equal(processWord('a`$PWD', lookup, { escapeToken: '`' }).value, 'a$PWD');
    assert.equal(processWord('a\\b', lookup, { escapeToken: '`' }).value, 'a\\b');
  });

  it('marks a word that needs an unknown value as unknown, keeping that part as written', () => {
    const withUnknown: VariableLookup = (name) => (name === 'TAG' ? { value: undefined } : name === 'REPO' ? { value: 'quay.io/x' } : undefined);
    const plain = processWord('${REPO}:${TAG}', withUnknown);
    assert.equal(plain.value, undefined);
    assert.equal(plain.text, 'quay.io/x:${TAG}');
    assert.deepEqual(plain.unresolved, ['TAG']);
    assert.deepEqual(plain.used, ['REPO', 'TAG']);
    assert.equal(processWord('${TAG:-stable}', withUnknown).value, undefined, 'a fallback does not make an unknown value known');
    assert.equal(processWord('${TAG:+@${TAG}}', withUnknown).value, undefined);
    assert.equal(processWord('${UNSET:-stable}', withUnknown).value, 'stable');
  });
});

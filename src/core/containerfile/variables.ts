/**
 * Word processing as BuildKit's Dockerfile frontend does it (moby/buildkit frontend/dockerfile/shell/lex.go): quote
 * removal, the escape token, `$VAR` and `${VAR}` with the modifiers `:-` `-` `:+` `+` `:?` `?` `#` `##` `%` `%%` `/`
 * `//`, nested, and the splitting into words. The same scanner also reads heredoc markers (`<<EOF`), which BuildKit
 * finds with this lexer, so `<<` inside quotes is not one.
 *
 * One extension: a variable can be declared with an unknown value (an ARG without a default, set only by
 * `--build-arg`). Any use of it makes the result unknown (`value` undefined) instead of empty, and `text` keeps that
 * part as written, so a message can show `${TAG}` rather than an empty string.
 */

/** Lookup result: undefined when the variable is not set at all; `{ value: undefined }` when its value is unknown. */
export type VariableLookup = (name: string) => { readonly value: string | undefined } | undefined;

export interface Expansion {
  /** The processed word, or undefined when a variable with an unknown value was needed. */
  readonly value: string | undefined;
  /** The processed word with the unknown parts left as written (`quay.io/x:${TAG}`); equals `value` when known. */
  readonly text: string;
  /** Variables whose value was needed and is unknown, or that are not set at all and had no fallback. */
  readonly unresolved: readonly string[];
  /** Every variable the word refers to, in order of first use. */
  readonly used: readonly string[];
}

export interface LexOptions {
  /** The Dockerfile escape token: `\` or `` ` `` (`# escape=` directive). */
  readonly escapeToken?: string;
  /** Keep quote characters in the result (BuildKit's RawQuotes). */
  readonly rawQuotes?: boolean;
  /** Keep escape characters in the result (RawEscapes). */
  readonly rawEscapes?: boolean;
  /** Leave unset variables as written instead of expanding them to nothing (SkipUnsetEnv). */
  readonly skipUnsetEnv?: boolean;
}

/** A syntax error BuildKit reports for the word (`${}`, an unterminated quote, `${X:?}` with X unset, ...). */
export class WordSyntaxError extends Error {}

const NO_VARIABLES: VariableLookup = () => undefined;

/** BuildKit's ProcessWord: one word, quotes removed, variables expanded. Throws WordSyntaxError. */
export function processWord(word: string, lookup: VariableLookup = NO_VARIABLES, options: LexOptions = {}): Expansion {
  const lexer = new ShellWordLexer(word, lookup, options);
  const result = lexer.run();
  const unresolved = [...new Set([...lexer.unknown, ...lexer.unsetWithoutFallback])];
  return { value: lexer.unknown.length > 0 ? undefined : result.text, text: result.text, unresolved, used: [...lexer.used] };
}

/** BuildKit's ProcessWords: the word split on unquoted whitespace (after expansion). Throws WordSyntaxError. */
export function processWords(word: string, lookup: VariableLookup = NO_VARIABLES, options: LexOptions = {}): string[] {
  return new ShellWordLexer(word, lookup, options).run().words;
}

/**
 * Variable substitution for a Dockerfile argument that never throws: on a syntax error the text is returned as it is
 * and counted as unknown, since BuildKit would stop the build there and nothing after it can be known.
 */
export function expandVariables(text: string, lookup: VariableLookup, escapeToken = '\\'): Expansion {
  if (!text.includes('$') && !text.includes('"') && !text.includes("'") && !text.includes(escapeToken)) {
    return { value: text, text, unresolved: [], used: [] };
  }
  try {
    return processWord(text, lookup, { escapeToken });
  } catch (error) {
    if (!(error instanceof WordSyntaxError)) throw error;
    return { value: undefined, text, unresolved: [], used: [] };
  }
}

const EOF = -1;

/** Go's unicode.IsSpace. */
export function isUnicodeSpace(code: number): boolean {
  if (code <= 0x20) return code === 0x20 || (code >= 0x09 && code <= 0x0d);
  return code === 0x85 || code === 0xa0 || code === 0x1680 || (code >= 0x2000 && code <= 0x200a) || code === 0x2028 ||
    code === 0x2029 || code === 0x202f || code === 0x205f || code === 0x3000;
}

const LETTER = /\p{L}/u;
const DIGIT = /\p{Nd}/u;

function isLetter(code: number): boolean {
  if (code < 0x80) return (code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a);
  return LETTER.test(String.fromCodePoint(code));
}

function isDigit(code: number): boolean {
  if (code < 0x80) return code >= 0x30 && code <= 0x39;
  return DIGIT.test(String.fromCodePoint(code));
}

/** Special parameters (`$@`, `$*`, `$#`, `$?`, `$-`, `$$`, `$!`, `$0`). */
function isSpecialParameter(code: number): boolean {
  return code === 0x40 || code === 0x2a || code === 0x23 || code === 0x3f || code === 0x2d || code === 0x24 || code === 0x21 || code === 0x30;
}

/** BuildKit's wordsStruct. It writes into a buffer the lexer shares between nested calls, as BuildKit's does. */
class Words {
  readonly words: string[] = [];
  private inWord = false;

  constructor(private readonly buffer: { text: string }) {}

  addChar(ch: string): void {
    const space = isUnicodeSpace(ch.codePointAt(0)!);
    if (space && this.inWord) {
      if (this.buffer.text.length > 0) {
        this.words.push(this.buffer.text);
        this.buffer.text = '';
        this.inWord = false;
      }
    } else if (!space) {
      this.addRaw(ch);
    }
  }

  addString(text: string): void {
    for (const ch of text) this.addChar(ch);
  }

  addRaw(text: string): void {
    this.buffer.text += text;
    this.inWord = true;
  }

  finish(): string[] {
    if (this.buffer.text.length > 0) {
      this.words.push(this.buffer.text);
      this.buffer.text = '';
      this.inWord = false;
    }
    return this.words;
  }
}

/** A port of BuildKit's shellWord: the same states, the same order of checks, the same error cases. */
class ShellWordLexer {
  readonly used = new Set<string>();
  readonly unknown: string[] = [];
  readonly unsetWithoutFallback: string[] = [];
  private readonly chars: number[];
  private position = 0;
  private readonly escape: number;
  private readonly rawQuotes: boolean;
  private rawEscapes: boolean;
  private readonly skipUnsetEnv: boolean;
  private readonly wordsBuffer = { text: '' };

  constructor(private readonly source: string, private readonly lookup: VariableLookup, options: LexOptions) {
    this.chars = [];
    for (const ch of source) this.chars.push(ch.codePointAt(0)!);
    this.escape = (options.escapeToken ?? '\\').codePointAt(0)!;
    this.rawQuotes = options.rawQuotes ?? false;
    this.rawEscapes = options.rawEscapes ?? false;
    this.skipUnsetEnv = options.skipUnsetEnv ?? false;
  }

  run(): { text: string; words: string[] } {
    try {
      return this.processStopOn(EOF, this.rawEscapes);
    } catch (error) {
      if (error instanceof WordSyntaxError) throw new WordSyntaxError(`failed to process ${JSON.stringify(this.source)}: ${error.message}`);
      throw error;
    }
  }

  private peek(): number {
    return this.position < this.chars.length ? this.chars[this.position]! : EOF;
  }

  private next(): number {
    return this.position < this.chars.length ? this.chars[this.position++]! : EOF;
  }

  private processStopOn(stopChar: number, rawEscapes: boolean): { text: string; words: string[] } {
    let result = '';
    this.wordsBuffer.text = '';
    const words = new Words(this.wordsBuffer);
    const savedRawEscapes = this.rawEscapes;
    this.rawEscapes = rawEscapes;
    try {
      while (this.peek() !== EOF) {
        const ch = this.peek();
        if (stopChar !== EOF && ch === stopChar) {
          this.next();
          return { text: result, words: words.finish() };
        }
        if (ch === 0x24 /* $ */) {
          const value = this.processDollar();
          result += value;
          words.addString(value);
        } else if (ch === 0x3c /* < */) {
          const value = this.processPossibleHeredoc();
          result += value;
          words.addRaw(value);
        } else if (ch === 0x27 /* ' */) {
          const value = this.processSingleQuote();
          result += value;
          words.addRaw(value);
        } else if (ch === 0x22 /* " */) {
          const value = this.processDoubleQuote();
          result += value;
          words.addRaw(value);
        } else {
          let current = this.next();
          if (current === this.escape) {
            if (this.rawEscapes) {
              words.addRaw(String.fromCodePoint(current));
              result += String.fromCodePoint(current);
            }
            current = this.next();
            if (current === EOF) break;
            words.addRaw(String.fromCodePoint(current));
          } else {
            words.addChar(String.fromCodePoint(current));
          }
          result += String.fromCodePoint(current);
        }
      }
      if (stopChar !== EOF) throw new WordSyntaxError(`unexpected end of statement while looking for matching ${String.fromCodePoint(stopChar)}`);
      return { text: result, words: words.finish() };
    } finally {
      this.rawEscapes = savedRawEscapes;
    }
  }

  private processSingleQuote(): string {
    let result = '';
    const open = this.next();
    if (this.rawQuotes) result += String.fromCodePoint(open);
    for (;;) {
      const ch = this.next();
      if (ch === EOF) throw new WordSyntaxError('unexpected end of statement while looking for matching single-quote');
      if (ch === 0x27) {
        if (this.rawQuotes) result += "'";
        return result;
      }
      result += String.fromCodePoint(ch);
    }
  }

  private processDoubleQuote(): string {
    let result = '';
    const open = this.next();
    if (this.rawQuotes) result += String.fromCodePoint(open);
    for (;;) {
      const peeked = this.peek();
      if (peeked === EOF) throw new WordSyntaxError('unexpected end of statement while looking for matching double-quote');
      if (peeked === 0x22) {
        this.next();
        if (this.rawQuotes) result += '"';
        return result;
      }
      if (peeked === 0x24) {
        result += this.processDollar();
        continue;
      }
      let ch = this.next();
      if (ch === this.escape) {
        if (this.rawEscapes) result += String.fromCodePoint(ch);
        const after = this.peek();
        // A trailing escape is ignored; the loop then reports the missing quote.
        if (after === EOF) continue;
        if (after === 0x22 || after === 0x24 || after === this.escape) ch = this.next();
      }
      result += String.fromCodePoint(ch);
    }
  }

  private processDollar(): string {
    const dollarStart = this.position;
    this.next();
    if (this.peek() !== 0x7b /* { */) {
      const name = this.processName();
      if (name === '') return '$';
      const found = this.getEnv(name);
      if (found === undefined) {
        if (this.skipUnsetEnv) return `$${name}`;
        this.unsetWithoutFallback.push(name);
        return '';
      }
      if (found.value === undefined) return this.unknownValue(name, dollarStart);
      return found.value;
    }
    this.next();
    const first = this.peek();
    if (first === EOF) throw new WordSyntaxError("syntax error: missing '}'");
    if (first === 0x7b || first === 0x7d || first === 0x3a) throw new WordSyntaxError('syntax error: bad substitution');
    const name = this.processName();
    let ch = this.next();
    let modifier = ch === EOF ? '' : String.fromCodePoint(ch);
    let nullIsUnset = false;

    if (ch === 0x7d /* } */) {
      const found = this.getEnv(name);
      if (found === undefined) {
        if (this.skipUnsetEnv) return `\${${name}}`;
        this.unsetWithoutFallback.push(name);
        return '';
      }
      if (found.value === undefined) return this.unknownValue(name, dollarStart);
      return found.value;
    }
    if (ch === 0x3a /* : */) {
      nullIsUnset = true;
      ch = this.next();
      modifier += ch === EOF ? '' : String.fromCodePoint(ch);
    }
    if (nullIsUnset || ch === 0x2b || ch === 0x2d || ch === 0x3f || ch === 0x23 || ch === 0x25) {
      const rawEscapes = ch === 0x23 || ch === 0x25;
      if (nullIsUnset && rawEscapes) throw new WordSyntaxError(`unsupported modifier (${modifier}) in substitution`);
      let word: string;
      try {
        word = this.processStopOn(0x7d, rawEscapes).text;
      } catch (error) {
        if (error instanceof WordSyntaxError && this.peek() === EOF) throw new WordSyntaxError("syntax error: missing '}'");
        throw error;
      }
      const found = this.getEnv(name);
      if (found === undefined && this.skipUnsetEnv) return `\${${name}${modifier}${word}}`;
      if (found !== undefined && found.value === undefined) {
        if (ch !== 0x2b && ch !== 0x2d && ch !== 0x3f && ch !== 0x23 && ch !== 0x25) throw new WordSyntaxError(`unsupported modifier (${modifier}) in substitution`);
        return this.unknownValue(name, dollarStart);
      }
      const set = found !== undefined;
      const value = found?.value ?? '';
      switch (ch) {
        case 0x2d /* - */:
          return !set || (nullIsUnset && value === '') ? word : value;
        case 0x2b /* + */:
          return !set || (nullIsUnset && value === '') ? '' : word;
        case 0x3f /* ? */:
          if (!set) throw new WordSyntaxError(`${name}: ${word !== '' ? word : 'is not allowed to be unset'}`);
          if (nullIsUnset && value === '') throw new WordSyntaxError(`${name}: ${word !== '' ? word : 'is not allowed to be empty'}`);
          return value;
        case 0x25 /* % */:
        case 0x23 /* # */: {
          let pattern = word;
          let greedy = false;
          if (pattern.length > 0 && pattern.codePointAt(0) === ch) {
            greedy = true;
            pattern = pattern.slice(1);
          }
          return ch === 0x25 ? trimSuffix(pattern, value, greedy) : trimPrefix(pattern, value, greedy);
        }
        default:
          throw new WordSyntaxError(`unsupported modifier (${modifier}) in substitution`);
      }
    }
    if (ch === 0x2f /* / */) {
      const replaceAll = this.peek() === 0x2f;
      if (replaceAll) this.next();
      let pattern: string;
      let replacement: string;
      try {
        pattern = this.processStopOn(0x2f, true).text;
      } catch (error) {
        if (error instanceof WordSyntaxError && this.peek() === EOF) throw new WordSyntaxError("syntax error: missing '/' in ${}");
        throw error;
      }
      try {
        replacement = this.processStopOn(0x7d, true).text;
      } catch (error) {
        if (error instanceof WordSyntaxError && this.peek() === EOF) throw new WordSyntaxError("syntax error: missing '}'");
        throw error;
      }
      const found = this.getEnv(name);
      if (found === undefined && this.skipUnsetEnv) return `\${${name}/${pattern}/${replacement}}`;
      if (found !== undefined && found.value === undefined) return this.unknownValue(name, dollarStart);
      const value = found?.value ?? '';
      const regex = shellPatternToRegex(pattern, true, false, replaceAll);
      if (replaceAll) return value.replace(regex, () => replacement);
      const match = regex.exec(value);
      return match ? value.slice(0, match.index) + replacement + value.slice(match.index + match[0].length) : value;
    }
    throw new WordSyntaxError(`unsupported modifier (${modifier}) in substitution`);
  }

  /** The expansion as written, recorded as unknown. */
  private unknownValue(name: string, dollarStart: number): string {
    this.unknown.push(name);
    let text = '';
    for (let i = dollarStart; i < this.position; i++) text += String.fromCodePoint(this.chars[i]!);
    return text;
  }

  private processName(): string {
    let name = '';
    while (this.peek() !== EOF) {
      const ch = this.peek();
      if (name.length === 0 && isDigit(ch)) {
        while (this.peek() !== EOF && isDigit(this.peek())) name += String.fromCodePoint(this.next());
        return name;
      }
      if (name.length === 0 && isSpecialParameter(ch)) return String.fromCodePoint(this.next());
      if (!isLetter(ch) && !isDigit(ch) && ch !== 0x5f) break;
      name += String.fromCodePoint(this.next());
    }
    return name;
  }

  private processPossibleHeredoc(): string {
    this.next();
    if (this.peek() !== 0x3c) return '<';
    this.next();
    let space = '';
    while (this.peek() === 0x09 || this.peek() === 0x0d || this.peek() === 0x20) space += String.fromCodePoint(this.next());
    return `<<${space}`;
  }

  private getEnv(name: string): { readonly value: string | undefined } | undefined {
    this.used.add(name);
    return this.lookup(name);
  }
}

/**
 * BuildKit's convertShellPatternToRegex: `*` and `?` wildcards, `\` escapes, no bracket expressions. Go's regexp is
 * leftmost-first like JavaScript's, so the same expression matches the same text.
 */
function shellPatternToRegex(pattern: string, greedy: boolean, anchored: boolean, global = false): RegExp {
  let out = anchored ? '^' : '';
  const star = greedy ? '[\\s\\S]*' : '[\\s\\S]*?';
  const chars = [...pattern];
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i]!;
    if (ch === '*') {
      out += star;
      continue;
    }
    if (ch === '?') {
      out += '[\\s\\S]';
      continue;
    }
    if (ch === '\\') {
      const next = chars[i + 1];
      if (next === '}' || next === '/') continue;
      i++;
      if (next !== '*' && next !== '?' && next !== '\\') throw new WordSyntaxError(`invalid pattern (${pattern}) in substitution: invalid escape '\\${next ?? ''}'`);
      out += `\\${next}`;
      continue;
    }
    out += /[[\]{}.+()|^$]/.test(ch) ? `\\${ch}` : ch;
  }
  return new RegExp(out, global ? 'gu' : 'u');
}

function trimPrefix(pattern: string, value: string, greedy: boolean): string {
  const match = shellPatternToRegex(pattern, greedy, true).exec(value);
  return match ? value.slice(match[0].length) : value;
}

function reversePattern(pattern: string): string {
  const chars = [...pattern];
  const out: string[] = new Array<string>(chars.length);
  const last = chars.length - 1;
  for (let i = 0; i <= last;) {
    const ch = chars[i]!;
    if (ch === '\\' && i !== last) {
      out[last - i - 1] = ch;
      out[last - i] = chars[i + 1]!;
      i += 2;
    } else {
      out[last - i] = ch;
      i++;
    }
  }
  return out.join('');
}

function trimSuffix(pattern: string, value: string, greedy: boolean): string {
  const reversed = [...value].reverse().join('');
  return [...trimPrefix(reversePattern(pattern), reversed, greedy)].reverse().join('');
}

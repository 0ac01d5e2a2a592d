/**
 * Bash brace expansion on a shell word as written: `kernel-{,core-}5.14.0.rpm` gives `kernel-5.14.0.rpm` and
 * `kernel-core-5.14.0.rpm`; `{1..3}`, `{01..10..3}` and `{a..e}` are sequences. As in bash, braces inside quotes,
 * escaped braces and `${...}` do not count, a `{` without a top-level comma or a valid sequence is literal, and the
 * quotes of the word stay in each result (quote removal comes after). Results are capped, so a hostile word cannot
 * blow up the lint.
 */

export const MAX_BRACE_RESULTS = 256;

/** The words bash makes of `raw`; `[raw]` when nothing expands. */
export function expandBraces(raw: string): string[] {
  if (!raw.includes('{')) return [raw];
  const results: string[] = [];
  expandInto(raw, results);
  return results.length > 0 ? results : [raw];
}

function expandInto(word: string, out: string[]): void {
  if (out.length >= MAX_BRACE_RESULTS) return;
  const group = findGroup(word);
  if (!group) {
    out.push(word);
    return;
  }
  const prefix = word.slice(0, group.open);
  const suffix = word.slice(group.close + 1);
  for (const alternative of group.alternatives) {
    expandInto(prefix + alternative + suffix, out);
    if (out.length >= MAX_BRACE_RESULTS) return;
  }
}

/**
 * The offset after a quoted string, escape, `${...}`, `$(...)` or backquoted part starting at `i`, or `i` when none
 * starts there. Brace characters inside these parts are not brace expansion.
 */
function skipProtected(word: string, i: number): number {
  const ch = word[i];
  if (ch === '\\') return Math.min(i + 2, word.length);
  if (ch === "'") {
    const close = word.indexOf("'", i + 1);
    return close === -1 ? word.length : close + 1;
  }
  if (ch === '"' || ch === '`') {
    let j = i + 1;
    while (j < word.length && word[j] !== ch) j += word[j] === '\\' ? 2 : 1;
    return Math.min(j + 1, word.length);
  }
  if (ch === '$' && (word[i + 1] === '{' || word[i + 1] === '(')) {
    const open = word[i + 1]!;
    const close = open === '{' ? '}' : ')';
    let depth = 0;
    let j = i + 1;
    while (j < word.length) {
      const skipped = word[j] === open || word[j] === close ? j : skipProtected(word, j);
      if (skipped !== j) {
        j = skipped;
        continue;
      }
      if (word[j] === open) depth++;
      else if (word[j] === close && --depth === 0) return j + 1;
      j++;
    }
    return word.length;
  }
  return i;
}

function findGroup(word: string): { open: number; close: number; alternatives: string[] } | undefined {
  let i = 0;
  while (i < word.length) {
    const skipped = skipProtected(word, i);
    if (skipped !== i) {
      i = skipped;
      continue;
    }
    if (word[i] === '{') {
      const group = groupAt(word, i);
      if (group) return group;
    }
    i++;
  }
  return undefined;
}

function groupAt(word: string, open: number): { open: number; close: number; alternatives: string[] } | undefined {
  let depth = 0;
  const commas: number[] = [];
  let i = open;
  while (i < word.length) {
    const skipped = skipProtected(word, i);
    if (skipped !== i) {
      i = skipped;
      continue;
    }
    const ch = word[i];
    if (ch === '{') depth++;
    else if (ch === ',' && depth === 1) commas.push(i);
    else if (ch === '}' && --depth === 0) {
      if (commas.length > 0) {
        const alternatives: string[] = [];
        let start = open + 1;
        for (const comma of commas) {
          alternatives.push(word.slice(start, comma));
          start = comma + 1;
        }
        alternatives.push(word.slice(start, i));
        return { open, close: i, alternatives };
      }
      const sequence = sequenceOf(word.slice(open + 1, i));
      return sequence ? { open, close: i, alternatives: sequence } : undefined;
    }
    i++;
  }
  return undefined;
}

/** `1..5`, `05..1..2`, `a..e`, `z..a..2`; undefined when the text is not a sequence expression. */
function sequenceOf(inner: string): string[] | undefined {
  const numeric = /^([+-]?\d+)\.\.([+-]?\d+)(?:\.\.([+-]?\d+))?$/.exec(inner);
  const letters = numeric ? undefined : /^([A-Za-z])\.\.([A-Za-z])(?:\.\.([+-]?\d+))?$/.exec(inner);
  const match = numeric ?? letters;
  if (!match) return undefined;
  const [, fromText, toText, stepText] = match;
  const from = numeric ? Number(fromText) : fromText!.charCodeAt(0);
  const to = numeric ? Number(toText) : toText!.charCodeAt(0);
  const step = Math.abs(Number(stepText ?? 1)) || 1;
  // Bash pads to the wider end when either end is written with a leading zero.
  const padded = numeric && [fromText!, toText!].some((text) => /^[+-]?0\d/.test(text));
  const width = padded ? Math.max(fromText!.replace(/^[+-]/, '').length, toText!.replace(/^[+-]/, '').length) : 0;
  const values: string[] = [];
  const direction = from <= to ? 1 : -1;
  for (let v = from; direction > 0 ? v <= to : v >= to; v += direction * step) {
    if (!numeric) values.push(String.fromCharCode(v));
    else values.push(v < 0 ? `-${String(-v).padStart(width, '0')}` : String(v).padStart(width, '0'));
    if (values.length >= MAX_BRACE_RESULTS) break;
  }
  return values;
}

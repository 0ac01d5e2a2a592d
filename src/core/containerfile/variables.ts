/** Lookup result: undefined when the variable is not declared at all; `{ value: undefined }` when declared without a default. */
export type VariableLookup = (name: string) => { readonly value: string | undefined } | undefined;

export interface Expansion {
  /** The expanded text, or undefined when a variable without a value was needed. */
  readonly value: string | undefined;
  /** Variables that had no value and no `:-default`. */
  readonly unresolved: readonly string[];
  /** Every variable referenced. */
  readonly used: readonly string[];
}

/**
 * Dockerfile variable substitution as the builder does it for FROM and other instructions: `$VAR`, `${VAR}`,
 * `${VAR:-default}`, `${VAR-default}`, `${VAR:+alt}`, `${VAR+alt}`, with `\$` as a literal dollar.
 */
export function expandVariables(text: string, lookup: VariableLookup): Expansion {
  if (!text.includes('$')) return { value: text, unresolved: [], used: [] };
  const unresolved: string[] = [];
  const used: string[] = [];
  let out = '';
  let i = 0;
  while (i < text.length) {
    const ch = text[i]!;
    if (ch === '\\' && text[i + 1] === '$') {
      out += '$';
      i += 2;
      continue;
    }
    if (ch !== '$') {
      out += ch;
      i++;
      continue;
    }
    if (text[i + 1] === '{') {
      const close = text.indexOf('}', i + 2);
      if (close === -1) {
        out += text.slice(i);
        break;
      }
      const inner = text.slice(i + 2, close);
      const match = /^([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-+])(.*))?$/s.exec(inner);
      if (!match) {
        out += text.slice(i, close + 1);
        i = close + 1;
        continue;
      }
      const [, name, operator, word = ''] = match;
      used.push(name!);
      const declared = lookup(name!);
      const value = declared?.value;
      const isSet = value !== undefined && (operator?.startsWith(':') ? value !== '' : true);
      if (operator === ':-' || operator === '-') {
        out += isSet ? value : word;
      } else if (operator === ':+' || operator === '+') {
        out += isSet ? word : '';
      } else if (value !== undefined) {
        out += value;
      } else {
        unresolved.push(name!);
      }
      i = close + 1;
      continue;
    }
    const simple = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(i + 1));
    if (!simple) {
      out += ch;
      i++;
      continue;
    }
    const name = simple[0];
    used.push(name);
    const value = lookup(name)?.value;
    if (value !== undefined) out += value;
    else unresolved.push(name);
    i += 1 + name.length;
  }
  return { value: unresolved.length > 0 ? undefined : out, unresolved, used };
}

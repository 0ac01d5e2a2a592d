import { readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * The Containerfile snippets as text: each body with every placeholder at its default, and the OpenShift release it
 * is written for. Used by the snippet test; also a source of realistic seeds for fuzzing the linter.
 */

const ROOT = path.join(__dirname, '..', '..');
export const SNIPPETS_FILE = path.join(ROOT, 'snippets', 'containerfile.code-snippets');

export interface Snippet {
  readonly prefix: string | string[];
  readonly body: string | string[];
  readonly description?: string;
}

/** The OpenShift release each snippet is written for; every snippet must be listed. */
export const TARGET_VERSIONS: Readonly<Record<string, string>> = {
  'RHCOS layering: hotfix (override replace)': '4.14',
  'RHCOS layering: RHEL package with a service': '4.16',
  'RHCOS layering: third-party package (EPEL)': '4.15',
  'RHCOS layering: kernel override': '4.14',
  'RHCOS layering: dnf install (4.18+)': '4.18',
  'RHCOS layering: on-cluster (MachineOSConfig)': '4.18',
  'RHCOS layering: service with its user and state directory (4.18+)': '4.19',
};

/**
 * Expands a VS Code snippet body the way inserting it and accepting every default does: `${1:default}` -> default
 * (placeholders may nest), `$1`/`${1}`/`$0` -> '', `${1|a,b|}` -> a, `$VAR`/`${VAR:default}` -> default, and the
 * escapes `\$`, `\}`, `\\` -> the character.
 */
export function expandSnippet(body: string): string {
  let i = 0;
  const parse = (inPlaceholder: boolean): string => {
    let out = '';
    while (i < body.length) {
      const ch = body[i]!;
      if (ch === '\\' && i + 1 < body.length && '$}\\,|'.includes(body[i + 1]!)) {
        out += body[i + 1];
        i += 2;
      } else if (inPlaceholder && ch === '}') {
        return out;
      } else if (ch === '$' && /[0-9A-Za-z_]/.test(body[i + 1] ?? '')) {
        i++;
        while (/[0-9A-Za-z_]/.test(body[i] ?? '')) i++;
      } else if (ch === '$' && body[i + 1] === '{') {
        i += 2;
        while (/[0-9A-Za-z_]/.test(body[i] ?? '')) i++;
        if (body[i] === ':') {
          i++;
          out += parse(true);
          i++;
        } else if (body[i] === '|') {
          const close = body.indexOf('|}', i + 1);
          out += body.slice(i + 1, close).split(',')[0];
          i = close + 2;
        } else if (body[i] === '}') {
          i++;
        } else {
          throw new Error(`unsupported snippet syntax at ${i}: ${body.slice(i, i + 20)}`);
        }
      } else {
        out += ch;
        i++;
      }
    }
    if (inPlaceholder) throw new Error('unterminated placeholder');
    return out;
  };
  return parse(false);
}

export function bodyText(snippet: Snippet): string {
  return Array.isArray(snippet.body) ? snippet.body.join('\n') : snippet.body;
}


export function readSnippets(): Record<string, Snippet> {
  return JSON.parse(readFileSync(SNIPPETS_FILE, 'utf8')) as Record<string, Snippet>;
}

/** Every snippet expanded with its defaults, with its target version. */
export function snippetSeeds(): { name: string; version: string | undefined; text: string }[] {
  return Object.entries(readSnippets()).map(([name, snippet]) => ({ name, version: TARGET_VERSIONS[name], text: `${expandSnippet(bodyText(snippet))}\n` }));
}

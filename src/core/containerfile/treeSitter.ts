import { expandArgumentBraces, type ShellCommand, type ShellParser, type ShellRedirect, type ShellScript, type ShellWord } from './shell';

/**
 * The full shell parser: tree-sitter-bash compiled to WASM, for the RUN bodies the fast lexer in shell.ts refuses.
 * Loaded only when such a body appears (shell.ts loadTreeSitterShellParser); it gives the same commands and words.
 */

/** The subset of web-tree-sitter's node API this module reads. */
interface SyntaxNode {
  readonly type: string;
  readonly text: string;
  readonly startIndex: number;
  readonly endIndex: number;
  readonly parent: SyntaxNode | null;
  readonly children: readonly (SyntaxNode | null)[];
  readonly namedChildren: readonly (SyntaxNode | null)[];
  readonly hasError: boolean;
  childForFieldName(name: string): SyntaxNode | null;
  childrenForFieldName(name: string): (SyntaxNode | null)[];
  descendantsOfType(type: string): (SyntaxNode | null)[];
  equals(other: SyntaxNode): boolean;
}

interface Tree {
  readonly rootNode: SyntaxNode;
  delete(): void;
}

export interface TreeSitterBackend {
  parse(source: string): Tree | null;
}

export class TreeSitterShellParser implements ShellParser {
  constructor(private readonly backend: TreeSitterBackend) {}

  parse(source: string): ShellScript {
    const tree = this.backend.parse(source);
    if (!tree) return { commands: [], hasSyntaxError: true };
    try {
      const commands: MutableCommand[] = [];
      for (const node of tree.rootNode.descendantsOfType('command')) {
        const command = node && commandFromNode(node, source);
        if (command) commands.push(command);
      }
      commands.sort((a, b) => a.start - b.start);
      for (const redirect of tree.rootNode.descendantsOfType('file_redirect')) {
        // Redirections written inside a command (before its name) were read with the command.
        if (redirect && redirect.parent?.type !== 'command') attachRedirect(redirect, commands);
      }
      return { commands: commands.map(expandArgumentBraces), hasSyntaxError: tree.rootNode.hasError };
    } finally {
      tree.delete();
    }
  }
}

interface MutableCommand extends ShellCommand {
  readonly args: ShellWord[];
  readonly redirects: ShellRedirect[];
  end: number;
}

function commandFromNode(node: SyntaxNode, source: string): MutableCommand | undefined {
  const nameNode = node.childForFieldName('name');
  const nameWordNode = nameNode?.namedChildren[0] ?? nameNode;
  if (!nameWordNode) return undefined;
  const name = wordFromNode(nameWordNode);
  const args: ShellWord[] = [];
  for (const child of node.childrenForFieldName('argument')) {
    if (!child) continue;
    const word = wordFromNode(child);
    const previous = args[args.length - 1];
    // tree-sitter-bash splits some words at a brace (`$URL/kernel-{,core-}$V.rpm` becomes two arguments); bash
    // reads text without a blank in between as one word.
    if (previous && previous.end === word.start) args[args.length - 1] = joinWords(previous, word, source);
    else args.push(word);
  }
  const assignments: string[] = [];
  let start = name.start;
  const redirects: ShellRedirect[] = [];
  for (const child of node.namedChildren) {
    if (!child) continue;
    if (child.type === 'variable_assignment') {
      assignments.push(child.text);
      start = Math.min(start, child.startIndex);
    } else if (child.type === 'file_redirect') {
      redirects.push(redirectFromNode(child).redirect);
    }
  }
  const last = args.length > 0 ? args[args.length - 1]! : name;
  return { name, args, assignments, redirects, start, end: last.end };
}

/**
 * tree-sitter-bash hangs a trailing redirection on the whole `a && b > f` list or `a | b > f` pipeline, nests the ones
 * after a heredoc start inside the heredoc node, and reads `echo a > f b` as two destinations. Bash applies a
 * redirection to the last simple command before it and treats extra words as that command's arguments; so do we.
 */
function attachRedirect(redirectNode: SyntaxNode, commands: MutableCommand[]): void {
  let container: SyntaxNode | null = redirectNode.parent;
  while (container && container.type !== 'redirected_statement' && container.type !== 'program') container = container.parent;
  const from = container?.startIndex ?? 0;
  let owner: MutableCommand | undefined;
  for (const command of commands) {
    if (command.start >= from && command.end <= redirectNode.startIndex) owner = command;
  }
  if (!owner) return;
  const { redirect, extraWords } = redirectFromNode(redirectNode);
  owner.redirects.push(redirect);
  if (extraWords.length > 0) {
    owner.args.push(...extraWords);
    owner.end = extraWords[extraWords.length - 1]!.end;
  }
}

function redirectFromNode(node: SyntaxNode): { redirect: ShellRedirect; extraWords: ShellWord[] } {
  let operator = '>';
  for (const child of node.children) {
    if (child && !isNamedRedirectPart(child.type) && /^[<>&|]+$/.test(child.type)) {
      operator = child.type;
      break;
    }
  }
  const destinations = node.childrenForFieldName('destination').filter((d): d is SyntaxNode => d !== null).map(wordFromNode);
  return { redirect: { operator, target: destinations[0] }, extraWords: destinations.slice(1) };
}

function isNamedRedirectPart(type: string): boolean {
  return type === 'file_descriptor' || type === 'word' || type === 'number';
}

function joinWords(first: ShellWord, second: ShellWord, source: string): ShellWord {
  const value = first.value !== undefined && second.value !== undefined ? first.value + second.value : undefined;
  return { raw: source.slice(first.start, second.end), value, quoted: first.quoted || second.quoted, start: first.start, end: second.end };
}

function wordFromNode(node: SyntaxNode): ShellWord {
  const part = valueOfNode(node);
  return { raw: node.text, value: part.value, quoted: part.quoted, start: node.startIndex, end: node.endIndex };
}

function valueOfNode(node: SyntaxNode): { value: string | undefined; quoted: boolean } {
  switch (node.type) {
    case 'word':
    case 'number':
    case 'brace_expression':
    case 'command_name':
      return { value: node.text.replace(/\\(.)/gs, '$1'), quoted: false };
    case 'raw_string':
      return { value: node.text.slice(1, -1), quoted: true };
    case 'string': {
      for (const child of node.namedChildren) if (child && child.type !== 'string_content') return { value: undefined, quoted: true };
      return { value: node.text.slice(1, -1).replace(/\\(["\\$`])/g, '$1'), quoted: true };
    }
    case 'concatenation': {
      let value = '';
      let quoted = false;
      let literal = true;
      let cursor = node.startIndex;
      for (const child of node.children) {
        if (!child) continue;
        // Unnamed pieces between named children (such as a bare `{` or `,`) are literal text.
        if (child.startIndex > cursor) value += node.text.slice(cursor - node.startIndex, child.startIndex - node.startIndex);
        const part = valueOfNode(child);
        quoted ||= part.quoted;
        if (part.value === undefined) literal = false;
        else value += part.value;
        cursor = child.endIndex;
      }
      if (cursor < node.endIndex) value += node.text.slice(cursor - node.startIndex);
      return { value: literal ? value : undefined, quoted };
    }
    default:
      if (node.namedChildren.length === 0 && /^[^$`]*$/.test(node.text) && !node.type.includes('expansion')) {
        return { value: node.text, quoted: false };
      }
      return { value: undefined, quoted: false };
  }
}

/**
 * Loads web-tree-sitter and the bash grammar from `wasmDirectory` (the bundle ships both .wasm files next to it),
 * falling back to node_modules when running from source.
 */
export async function loadTreeSitterShellParser(wasmDirectory?: string): Promise<ShellParser> {
  // require, not import: the ESM build of web-tree-sitter reads import.meta.url, which is empty in a CommonJS bundle.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const treeSitter = require('web-tree-sitter') as typeof import('web-tree-sitter');
  const path = await import('node:path');
  const fs = await import('node:fs');
  const locate = (file: string, fromNodeModules: () => string): string => {
    const candidates = [wasmDirectory, __dirname].filter((dir): dir is string => Boolean(dir)).map((dir) => path.join(dir, file));
    for (const candidate of candidates) if (fs.existsSync(candidate)) return candidate;
    return fromNodeModules();
  };
  const runtimeWasm = locate('web-tree-sitter.wasm', () => require.resolve('web-tree-sitter/web-tree-sitter.wasm'));
  const bashWasm = locate('tree-sitter-bash.wasm', () =>
    path.join(path.dirname(require.resolve('tree-sitter-bash/package.json')), 'tree-sitter-bash.wasm'));
  await treeSitter.Parser.init({ locateFile: () => runtimeWasm });
  const bash = await treeSitter.Language.load(bashWasm);
  const parser = new treeSitter.Parser();
  parser.setLanguage(bash);
  return new TreeSitterShellParser(parser as unknown as TreeSitterBackend);
}

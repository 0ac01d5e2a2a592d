/**
 * Reading YAML files that hold MachineConfigs and MachineOSConfigs, with exact source ranges. Parsed as YAML 1.1, the
 * way `oc`/`kubectl` read them (sigs.k8s.io/yaml over go-yaml: `0644` is octal 420, `yes` is true). A `kind: List`
 * (what `oc get mc -o yaml` prints) contributes its items. Pure: no file system, no editor.
 */
import * as path from 'node:path';
import { isMap, isScalar, isSeq, parseAllDocuments, type Document, type Node, type Pair, type Scalar, type YAMLMap } from 'yaml';
import type { MachineConfigFacts } from '../rules/types';
import { LineIndex, type Range } from '../text';
import { containerfileOfHeader } from './machineconfig';
import { ROLE_LABEL } from './names';

export const MCO_GROUP = 'machineconfiguration.openshift.io';
export const GENERATED_BY_CONTROLLER_ANNOTATION = 'machineconfiguration.openshift.io/generated-by-controller-version';
/** Files larger than this are not analysed (a MachineConfig is limited to ~1.5 MB rendered). */
export const MAX_YAML_BYTES = 4 * 1024 * 1024;

const KIND_LINE = /^[ \t-]*kind:[ \t]*["']?(?:MachineConfig|MachineOSConfig)["']?[ \t]*(?:#.*)?$/m;

export type ObjectKind = 'MachineConfig' | 'MachineOSConfig';

/** One MachineConfig or MachineOSConfig in a file: a document, or an item of a `kind: List`. */
export interface YamlObject {
  readonly kind: ObjectKind;
  readonly apiVersion: string | undefined;
  readonly root: YAMLMap;
  readonly document: Document.Parsed;
  readonly documentIndex: number;
  /** The leading comment of the document (for items of a List, only the first item gets it). */
  readonly headerComment: string | undefined;
}

export interface YamlSyntaxError {
  readonly message: string;
  readonly range: Range;
}

export interface ParsedYamlFile {
  readonly text: string;
  readonly lines: LineIndex;
  readonly objects: readonly YamlObject[];
  /** Parse errors of documents that are (or look like) MachineConfigs or MachineOSConfigs. */
  readonly errors: readonly YamlSyntaxError[];
  /** Why the file was not analysed, when it was not (too large). */
  readonly skipped?: string;
}

/** Quick test before parsing: does the text mention a MachineConfig or MachineOSConfig kind? */
export function mentionsMachineConfigKinds(text: string): boolean {
  return KIND_LINE.test(text);
}

export function parseMachineConfigYaml(text: string): ParsedYamlFile {
  const lines = new LineIndex(text);
  if (text.length > MAX_YAML_BYTES) {
    return { text, lines, objects: [], errors: [], skipped: `the file is ${(text.length / 1048576).toFixed(1)} MB; files over ${MAX_YAML_BYTES / 1048576} MB are not checked` };
  }
  if (!mentionsMachineConfigKinds(text)) return { text, lines, objects: [], errors: [] };
  let documents: Document.Parsed[];
  try {
    documents = [...parseAllDocuments(text, { version: '1.1', prettyErrors: false, uniqueKeys: true, keepSourceTokens: false })] as Document.Parsed[];
  } catch (error) {
    return { text, lines, objects: [], errors: [{ message: `The YAML could not be read: ${String(error)}`, range: lines.rangeOf(0, 0) }] };
  }
  const objects: YamlObject[] = [];
  const errors: YamlSyntaxError[] = [];
  documents.forEach((document, documentIndex) => {
    const root = document.contents;
    const found: YamlObject[] = [];
    if (isMap(root)) {
      const kind = scalarString(root.get('kind', true));
      if (kind === 'MachineConfig' || kind === 'MachineOSConfig') {
        found.push({ kind, apiVersion: scalarString(root.get('apiVersion', true)), root, document, documentIndex, headerComment: leadingComment(document) });
      } else if (kind === 'List' || kind === 'MachineConfigList' || kind === 'MachineOSConfigList') {
        const items = root.get('items', true);
        if (isSeq(items)) {
          items.items.forEach((item, i) => {
            if (!isMap(item)) return;
            const itemKind = scalarString(item.get('kind', true)) ?? (kind === 'MachineConfigList' ? 'MachineConfig' : kind === 'MachineOSConfigList' ? 'MachineOSConfig' : undefined);
            if (itemKind !== 'MachineConfig' && itemKind !== 'MachineOSConfig') return;
            found.push({ kind: itemKind, apiVersion: scalarString(item.get('apiVersion', true)), root: item, document, documentIndex, headerComment: i === 0 ? leadingComment(document) : undefined });
          });
        }
      }
    }
    objects.push(...found);
    const documentText = documentSource(text, document);
    if (document.errors.length > 0 && (found.length > 0 || mentionsMachineConfigKinds(documentText))) {
      for (const error of document.errors) {
        errors.push({ message: error.message.replace(/\s+at line \d+, column \d+:?[\s\S]*$/, ''), range: lines.rangeOf(error.pos[0], Math.max(error.pos[1], error.pos[0])) });
      }
    }
  });
  return { text, lines, objects, errors };
}

/** A document's leading comment: yaml puts it on the document, or (after `---`) on the document's root node. */
export function leadingComment(document: Document.Parsed): string | undefined {
  return document.commentBefore ?? (document.contents as { commentBefore?: string | null } | null)?.commentBefore ?? undefined;
}

function documentSource(text: string, document: Document.Parsed): string {
  const range = document.range;
  return range ? text.slice(range[0], range[2]) : text;
}

export function scalarString(node: unknown): string | undefined {
  return isScalar(node) && typeof node.value === 'string' ? node.value : undefined;
}

/** The node at `keys` under `root` (maps only), or undefined. */
export function nodeAt(root: YAMLMap, keys: readonly (string | number)[]): Node | undefined {
  let current: unknown = root;
  for (const key of keys) {
    if (typeof key === 'number') {
      if (!isSeq(current)) return undefined;
      current = current.items[key];
    } else {
      if (!isMap(current)) return undefined;
      current = current.get(key, true);
    }
  }
  return (current ?? undefined) as Node | undefined;
}

/** The key/value pair for `key` in a map node, for ranges of the key itself. */
export function pairOf(map: unknown, key: string): Pair | undefined {
  if (!isMap(map)) return undefined;
  return map.items.find((pair) => isScalar(pair.key) && pair.key.value === key) as Pair | undefined;
}

/** Offsets `[start, end)` of a node's value (for a quoted scalar, quotes included). */
export function nodeOffsets(node: Node | undefined | null): [number, number] | undefined {
  const range = node?.range;
  return range ? [range[0], range[1]] : undefined;
}

/** Offsets of a scalar's text without its quotes, when it has no escapes (an image reference, a name). */
export function unquotedOffsets(text: string, node: Scalar): [number, number] | undefined {
  const range = node.range;
  if (!range) return undefined;
  const [start, end] = [range[0], range[1]];
  if (node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE') {
    const inner = text.slice(start + 1, end - 1);
    return typeof node.value === 'string' && inner === node.value ? [start + 1, end - 1] : undefined;
  }
  return node.type === 'PLAIN' ? [start, end] : undefined;
}

/** What the rules and other files need to know about a MachineConfig. */
export interface WorkspaceMachineConfig extends MachineConfigFacts {
  /** Carries `generated-by-controller-version` (the MCO made it); from 4.21 ignored for osImageURL overrides. */
  readonly generatedByController?: boolean;
  /** A rendered MachineConfig (`rendered-<pool>-<hash>`, owned by a pool): the merge result, not an input to it. */
  readonly rendered?: boolean;
}

export function machineConfigFacts(object: YamlObject, location: string | undefined, source: 'workspace' | 'cluster' = 'workspace'): WorkspaceMachineConfig | undefined {
  if (object.kind !== 'MachineConfig') return undefined;
  const root = object.root;
  const name = scalarString(nodeAt(root, ['metadata', 'name'])) ?? '';
  const pool = scalarString(nodeAt(root, ['metadata', 'labels', ROLE_LABEL]));
  const extensionsNode = nodeAt(root, ['spec', 'extensions']);
  const extensions = isSeq(extensionsNode) ? extensionsNode.items.map(scalarString).filter((e): e is string => e !== undefined) : [];
  const kernelType = scalarString(nodeAt(root, ['spec', 'kernelType']));
  const osImageURL = scalarString(nodeAt(root, ['spec', 'osImageURL']));
  const annotations = nodeAt(root, ['metadata', 'annotations']);
  const generatedByController = isMap(annotations) && annotations.has(GENERATED_BY_CONTROLLER_ANNOTATION);
  const owners = nodeAt(root, ['metadata', 'ownerReferences']);
  const ownedByPool = isSeq(owners) && owners.items.some((owner) => isMap(owner) && scalarString(owner.get('kind', true)) === 'MachineConfigPool');
  const rendered = ownedByPool || (name.startsWith('rendered-') && generatedByController);
  const header = containerfileOfHeader(object.headerComment);
  const containerfile = header && location ? path.resolve(path.dirname(location), header) : undefined;
  return {
    name,
    pool,
    extensions,
    kernelType: kernelType === '' ? undefined : kernelType,
    osImageURL: osImageURL === '' ? undefined : osImageURL,
    source,
    ...(location ? { location } : {}),
    ...(containerfile ? { containerfile } : {}),
    ...(generatedByController ? { generatedByController } : {}),
    ...(rendered ? { rendered } : {}),
  };
}

/** Every MachineConfig of a YAML text, as facts (what the workspace index publishes). */
export function machineConfigFactsOfText(text: string, location: string | undefined): WorkspaceMachineConfig[] {
  return parseMachineConfigYaml(text).objects.map((object) => machineConfigFacts(object, location)).filter((f): f is WorkspaceMachineConfig => f !== undefined);
}

// ---------------------------------------------------------------------------------------------------------------
// Where each character of a scalar's value sits in the source, so findings inside embedded content (a Containerfile
// in a MachineOSConfig) land exactly on the YAML text.

/** For each UTF-16 unit of the value: the source offsets `[start, end)` it came from. */
export interface ScalarSourceMap {
  readonly starts: readonly number[];
  readonly ends: readonly number[];
}

/**
 * The source map of a string scalar: exact for literal blocks (`|`), double- and single-quoted and plain scalars;
 * undefined for folded blocks (`>`) or when our reading does not reproduce the parser's value.
 */
export function scalarSourceMap(text: string, node: Scalar): ScalarSourceMap | undefined {
  if (typeof node.value !== 'string' || !node.range) return undefined;
  let map: { chars: string[]; starts: number[]; ends: number[] } | undefined;
  switch (node.type) {
    case 'BLOCK_LITERAL':
      map = literalBlock(text, node.range[0], node.range[1]);
      break;
    case 'QUOTE_DOUBLE':
      map = flowScalar(text, node.range[0] + 1, node.range[1] - 1, 'double');
      break;
    case 'QUOTE_SINGLE':
      map = flowScalar(text, node.range[0] + 1, node.range[1] - 1, 'single');
      break;
    case 'PLAIN':
      map = flowScalar(text, node.range[0], node.range[1], 'plain');
      break;
    default:
      return undefined;
  }
  if (!map) return undefined;
  const built = map.chars.join('');
  const value = node.value;
  // Chomping only changes trailing line breaks; everything before them must match exactly.
  if (built.replace(/\n+$/, '') !== value.replace(/\n+$/, '')) return undefined;
  const starts = map.starts.slice(0, value.length);
  const ends = map.ends.slice(0, value.length);
  const last = map.ends[map.ends.length - 1] ?? node.range[0];
  while (starts.length < value.length) {
    starts.push(last);
    ends.push(last);
  }
  return { starts, ends };
}

function literalBlock(text: string, start: number, end: number): { chars: string[]; starts: number[]; ends: number[] } | undefined {
  const headerEnd = text.indexOf('\n', start);
  if (headerEnd < 0 || headerEnd >= end) return { chars: [], starts: [], ends: [] };
  const header = text.slice(start, headerEnd).replace(/\s+#.*$/, '').trim();
  if (!/^\|[+-]?$/.test(header)) return undefined; // an explicit indentation indicator: not worth guessing
  const chars: string[] = [];
  const starts: number[] = [];
  const ends: number[] = [];
  let indent: number | undefined;
  let lineStart = headerEnd + 1;
  while (lineStart < end) {
    let lineEnd = text.indexOf('\n', lineStart);
    if (lineEnd < 0 || lineEnd > end) lineEnd = end;
    let contentEnd = lineEnd;
    if (text[contentEnd - 1] === '\r') contentEnd--;
    const line = text.slice(lineStart, contentEnd);
    if (indent === undefined && line.trim() !== '') indent = /^ */.exec(line)![0].length;
    if (indent !== undefined && line.length > indent) {
      for (let i = lineStart + indent; i < contentEnd; i++) {
        chars.push(text[i]!);
        starts.push(i);
        ends.push(i + 1);
      }
    }
    if (lineEnd < end || text[lineEnd] === '\n') {
      chars.push('\n');
      starts.push(contentEnd);
      ends.push(Math.min(lineEnd + 1, text.length));
    }
    lineStart = lineEnd + 1;
  }
  return { chars, starts, ends };
}

const DOUBLE_ESCAPES: Readonly<Record<string, string>> = {
  '0': '\0', a: '\x07', b: '\b', t: '\t', '\t': '\t', n: '\n', v: '\v', f: '\f', r: '\r', e: '\x1b', ' ': ' ', '"': '"',
  '/': '/', '\\': '\\', N: '\x85', _: '\xa0', L: '\u2028', P: '\u2029',
};
const HEX_ESCAPES: Readonly<Record<string, number>> = { x: 2, u: 4, U: 8 };

/** Flow scalars (double, single, plain) with YAML line folding: one break is a space, n breaks are n-1 newlines. */
function flowScalar(text: string, start: number, end: number, style: 'double' | 'single' | 'plain'): { chars: string[]; starts: number[]; ends: number[] } | undefined {
  const chars: string[] = [];
  const starts: number[] = [];
  const ends: number[] = [];
  /** Literal spaces/tabs emitted since the last other character: dropped if a line break follows. */
  let trailingWhitespace = 0;
  const emit = (value: string, from: number, to: number, isWhitespace = false) => {
    for (const unit of value.split('')) {
      chars.push(unit);
      starts.push(from);
      ends.push(to);
    }
    trailingWhitespace = isWhitespace ? trailingWhitespace + value.length : 0;
  };
  let i = start;
  while (i < end) {
    const c = text[i]!;
    if (c === '\r' || c === '\n') {
      // Fold: drop trailing whitespace, count the breaks, skip leading whitespace of the next content line.
      chars.length -= trailingWhitespace;
      starts.length -= trailingWhitespace;
      ends.length -= trailingWhitespace;
      trailingWhitespace = 0;
      const breakAt = i;
      let breaks = 0;
      while (i < end && (text[i] === '\n' || text[i] === '\r' || text[i] === ' ' || text[i] === '\t')) {
        if (text[i] === '\n') breaks++;
        i++;
      }
      if (breaks <= 1) emit(' ', breakAt, i);
      else for (let b = 1; b < breaks; b++) emit('\n', breakAt, i);
      trailingWhitespace = 0;
      continue;
    }
    if (style === 'double' && c === '\\') {
      const next = text[i + 1];
      if (next === undefined) return undefined;
      if (next === '\n' || next === '\r') {
        // An escaped line break joins the lines; the next line's leading whitespace goes too.
        i += next === '\r' && text[i + 2] === '\n' ? 3 : 2;
        while (i < end && (text[i] === ' ' || text[i] === '\t')) i++;
        trailingWhitespace = 0;
        continue;
      }
      const simple = DOUBLE_ESCAPES[next];
      if (simple !== undefined) {
        emit(simple, i, i + 2);
        i += 2;
        continue;
      }
      const digits = HEX_ESCAPES[next];
      if (digits === undefined) return undefined;
      const hex = text.slice(i + 2, i + 2 + digits);
      if (!/^[0-9a-fA-F]+$/.test(hex) || hex.length !== digits) return undefined;
      emit(String.fromCodePoint(parseInt(hex, 16)), i, i + 2 + digits);
      i += 2 + digits;
      continue;
    }
    if (style === 'single' && c === "'" && text[i + 1] === "'") {
      emit("'", i, i + 2);
      i += 2;
      continue;
    }
    emit(c, i, i + 1, c === ' ' || c === '\t');
    i++;
  }
  if (style === 'plain') {
    chars.length -= trailingWhitespace;
    starts.length -= trailingWhitespace;
    ends.length -= trailingWhitespace;
  }
  return { chars, starts, ends };
}

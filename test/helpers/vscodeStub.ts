import { readFileSync, watch, type FSWatcher } from 'node:fs';
import Module from 'node:module';
import path from 'node:path';
import { EXTENSION_MODE } from './fakeVscode';

/**
 * A working stand-in for the parts of the `vscode` API the cluster features use: events, configuration, status bar
 * items, a tree view, file watchers (real, on fs.watch), text documents, messages answered by the test, commands and
 * the clipboard. It lets the explorer, its commands and the status bar run against the simulator in plain Node, with
 * the real code paths; what VS Code itself renders is the e2e suite's job.
 */

type Listener<T> = (value: T) => unknown;

export class EventEmitter<T> {
  private listeners = new Set<Listener<T>>();
  readonly event = (listener: Listener<T>): { dispose(): void } => {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  };
  fire(value: T): void {
    for (const listener of [...this.listeners]) listener(value);
  }
  dispose(): void {
    this.listeners.clear();
  }
}

class Disposable {
  static from(...items: { dispose(): unknown }[]): Disposable {
    return new Disposable(() => items.forEach((i) => i.dispose()));
  }
  constructor(private readonly fn: () => unknown) {}
  dispose(): void {
    this.fn();
  }
}

class ThemeColor {
  constructor(readonly id: string) {}
}
class ThemeIcon {
  constructor(readonly id: string, readonly color?: ThemeColor) {}
}
class MarkdownString {
  isTrusted = false;
  constructor(readonly value = '', readonly supportThemeIcons = false) {}
}
class TreeItem {
  id?: string;
  description?: string;
  tooltip?: unknown;
  iconPath?: unknown;
  contextValue?: string;
  command?: unknown;
  constructor(readonly label: string, readonly collapsibleState = 0) {}
}
class Position {
  constructor(readonly line: number, readonly character: number) {}
}
class Range {
  readonly start: Position;
  readonly end: Position;
  constructor(a: number | Position, b: number | Position, c?: number, d?: number) {
    this.start = typeof a === 'number' ? new Position(a, b as number) : a;
    this.end = typeof a === 'number' ? new Position(c!, d!) : (b as Position);
  }
  get isEmpty(): boolean {
    return this.start.line === this.end.line && this.start.character === this.end.character;
  }
}
class Selection extends Range {}
class CodeLens {
  constructor(readonly range: Range, readonly command?: unknown) {}
}
class RelativePattern {
  constructor(readonly base: { fsPath: string } | string, readonly pattern: string) {}
}

export interface StubUri {
  readonly scheme: string;
  readonly path: string;
  readonly fsPath: string;
  toString(): string;
}

function makeUri(scheme: string, uriPath: string): StubUri {
  return { scheme, path: uriPath, fsPath: uriPath, toString: () => (scheme === 'file' ? `file://${uriPath}` : `${scheme}:${uriPath}`) };
}

const Uri = {
  file: (fsPath: string) => makeUri('file', fsPath),
  from: (c: { scheme: string; path: string }) => makeUri(c.scheme, c.path),
  parse: (text: string) => {
    const [scheme, ...rest] = text.split(':');
    return makeUri(scheme!, rest.join(':'));
  },
  joinPath: (base: StubUri, ...parts: string[]) => makeUri(base.scheme, path.join(base.path, ...parts)),
};
// `instanceof vscode.Uri` checks in the code under test.
Object.defineProperty(Uri, Symbol.hasInstance, { value: (value: unknown) => typeof value === 'object' && value !== null && 'scheme' in value && 'fsPath' in value });

export interface StubDocument {
  readonly uri: StubUri;
  languageId: string;
  getText(): string;
}

export interface Message {
  readonly level: 'info' | 'warning' | 'error';
  readonly text: string;
  readonly detail?: string;
  readonly modal: boolean;
  readonly items: readonly string[];
}

export interface VscodeStub {
  readonly settings: Map<string, unknown>;
  readonly contextKeys: Map<string, unknown>;
  readonly commands: Map<string, (...args: unknown[]) => unknown>;
  readonly messages: Message[];
  readonly logLines: string[];
  readonly statusBarItems: { id: string; text: string; tooltip?: unknown; visible: boolean }[];
  readonly revealed: unknown[];
  clipboard: string;
  /** Answers the next message with a button (or undefined = dismissed); checked in order. */
  answers: ((message: Message) => string | undefined)[];
  /** Answers the next quick pick. */
  pickAnswers: ((items: readonly { label: string }[]) => unknown)[];
  readonly configurationChanged: EventEmitter<{ affectsConfiguration(section: string): boolean }>;
  readonly contentProviders: Map<string, { provideTextDocumentContent(uri: StubUri): Promise<string> | string }>;
  activeDocument: StubDocument | undefined;
  readonly module: Record<string, unknown>;
  executeCommand(id: string, ...args: unknown[]): Promise<unknown>;
  uninstall(): void;
}

export function installVscodeStub(): VscodeStub {
  const settings = new Map<string, unknown>();
  const contextKeys = new Map<string, unknown>();
  const commands = new Map<string, (...args: unknown[]) => unknown>();
  const messages: Message[] = [];
  const logLines: string[] = [];
  const statusBarItems: VscodeStub['statusBarItems'] = [];
  const revealed: unknown[] = [];
  const configurationChanged = new EventEmitter<{ affectsConfiguration(section: string): boolean }>();
  const contentProviders = new Map<string, { provideTextDocumentContent(uri: StubUri): Promise<string> | string }>();
  const watchers: FSWatcher[] = [];
  const noEvent = new EventEmitter<unknown>().event;

  const stub = {
    settings, contextKeys, commands, messages, logLines, statusBarItems, revealed, clipboard: '', answers: [], pickAnswers: [],
    configurationChanged, contentProviders, activeDocument: undefined,
  } as unknown as VscodeStub & { clipboard: string; activeDocument: StubDocument | undefined };

  const show = (level: Message['level']) => async (text: string, ...rest: unknown[]): Promise<string | undefined> => {
    const options = rest[0] && typeof rest[0] === 'object' ? (rest.shift() as { modal?: boolean; detail?: string }) : {};
    const message: Message = { level, text, detail: options.detail, modal: options.modal === true, items: rest.filter((r): r is string => typeof r === 'string') };
    messages.push(message);
    const answer = stub.answers.shift();
    return answer ? answer(message) : undefined;
  };

  const log = (level: string) => (text: string) => logLines.push(`[${level}] ${text}`);

  const module: Record<string, unknown> = {
    EventEmitter, Disposable, ThemeColor, ThemeIcon, MarkdownString, TreeItem, Position, Range, Selection, CodeLens, RelativePattern, Uri,
    TreeItemCollapsibleState: { None: 0, Collapsed: 1, Expanded: 2 },
    StatusBarAlignment: { Left: 1, Right: 2 },
    ProgressLocation: { Window: 10, Notification: 15 },
    DiagnosticSeverity: { Error: 0, Warning: 1, Information: 2, Hint: 3 },
    ExtensionMode: EXTENSION_MODE,
    CodeActionKind: { QuickFix: { value: 'quickfix', append: () => ({}) }, Source: { value: 'source', append: () => ({}) } },
    workspace: {
      isTrusted: true,
      get textDocuments() {
        return stub.activeDocument ? [stub.activeDocument] : [];
      },
      getConfiguration: (section: string) => ({
        get: (key: string, fallback?: unknown) => (settings.has(`${section}.${key}`) ? settings.get(`${section}.${key}`) : fallback),
        has: (key: string) => settings.has(`${section}.${key}`),
      }),
      onDidChangeConfiguration: configurationChanged.event,
      onDidOpenTextDocument: noEvent,
      onDidCloseTextDocument: noEvent,
      onDidChangeTextDocument: noEvent,
      onDidSaveTextDocument: noEvent,
      createFileSystemWatcher: (pattern: RelativePattern | string) => {
        const changed = new EventEmitter<StubUri>();
        const created = new EventEmitter<StubUri>();
        const deleted = new EventEmitter<StubUri>();
        // A workspace glob (no workspace here): a watcher that never fires.
        if (typeof pattern === 'string') return { onDidChange: changed.event, onDidCreate: created.event, onDidDelete: deleted.event, dispose: () => undefined };
        const dir = typeof pattern.base === 'string' ? pattern.base : pattern.base.fsPath;
        let watcher: FSWatcher | undefined;
        try {
          watcher = watch(dir, (_event, file) => {
            if (file === pattern.pattern) changed.fire(makeUri('file', path.join(dir, file)));
          });
          watchers.push(watcher);
        } catch {
          // the folder does not exist: nothing to watch
        }
        return { onDidChange: changed.event, onDidCreate: created.event, onDidDelete: deleted.event, dispose: () => watcher?.close() };
      },
      registerTextDocumentContentProvider: (scheme: string, provider: { provideTextDocumentContent(uri: StubUri): Promise<string> | string }) => {
        contentProviders.set(scheme, provider);
        return new Disposable(() => contentProviders.delete(scheme));
      },
      openTextDocument: async (uri: StubUri) => {
        const provider = contentProviders.get(uri.scheme);
        const text = provider ? await provider.provideTextDocumentContent(uri) : readFileSync(uri.fsPath, 'utf8');
        return { uri, languageId: uri.path.endsWith('.yaml') ? 'yaml' : 'plaintext', getText: () => text };
      },
      asRelativePath: (uri: StubUri | string) => (typeof uri === 'string' ? uri : path.basename(uri.fsPath)),
      findFiles: async () => [],
      workspaceFolders: undefined,
    },
    window: {
      get activeTextEditor() {
        return stub.activeDocument ? { document: stub.activeDocument } : undefined;
      },
      visibleTextEditors: [],
      onDidChangeActiveTextEditor: noEvent,
      onDidChangeVisibleTextEditors: noEvent,
      createOutputChannel: () => ({ info: log('info'), warn: log('warn'), error: log('error'), debug: log('debug'), trace: log('trace'), appendLine: log('line'), show: () => undefined, dispose: () => undefined }),
      createStatusBarItem: (id: string) => {
        const item = { id, text: '', tooltip: undefined as unknown, visible: false, name: '', command: undefined as unknown, backgroundColor: undefined as unknown, show: () => void (item.visible = true), hide: () => void (item.visible = false), dispose: () => undefined };
        statusBarItems.push(item);
        return item;
      },
      createTreeView: () => ({ visible: false, onDidChangeVisibility: noEvent, reveal: async (element: unknown) => void revealed.push(element), dispose: () => undefined }),
      showInformationMessage: show('info'),
      showWarningMessage: show('warning'),
      showErrorMessage: show('error'),
      showQuickPick: async (items: readonly { label: string }[] | Promise<readonly { label: string }[]>) => {
        const list = await items;
        const answer = stub.pickAnswers.shift();
        return answer ? answer(list) : undefined;
      },
      showTextDocument: async (document: StubDocument) => {
        stub.activeDocument = document;
        return { document };
      },
      withProgress: async (_options: unknown, task: (progress: unknown) => Promise<unknown>) => task({ report: () => undefined }),
    },
    commands: {
      registerCommand: (id: string, handler: (...args: unknown[]) => unknown) => {
        commands.set(id, handler);
        return new Disposable(() => commands.delete(id));
      },
      executeCommand: async (id: string, ...args: unknown[]) => {
        if (id === 'setContext') {
          contextKeys.set(String(args[0]), args[1]);
          return undefined;
        }
        return commands.get(id)?.(...args);
      },
    },
    languages: {
      registerCodeLensProvider: () => new Disposable(() => undefined),
      registerCodeActionsProvider: () => new Disposable(() => undefined),
      registerHoverProvider: () => new Disposable(() => undefined),
      createDiagnosticCollection: () => ({ set: () => undefined, delete: () => undefined, clear: () => undefined, dispose: () => undefined }),
      match: () => 0,
      setTextDocumentLanguage: async (document: StubDocument, languageId: string) => {
        document.languageId = languageId;
        return document;
      },
    },
    env: {
      clipboard: {
        writeText: async (text: string) => void (stub.clipboard = text),
        readText: async () => stub.clipboard,
      },
    },
    l10n: { t: (text: string) => text },
  };
  Object.assign(stub, {
    module,
    executeCommand: (id: string, ...args: unknown[]) => (module.commands as { executeCommand: (id: string, ...a: unknown[]) => Promise<unknown> }).executeCommand(id, ...args),
  });

  const moduleApi = Module as unknown as { _load: (request: string, ...rest: unknown[]) => unknown };
  const originalLoad = moduleApi._load;
  moduleApi._load = function (request: string, ...rest: unknown[]) {
    if (request === 'vscode') return module;
    return originalLoad.call(this, request, ...rest);
  };
  stub.uninstall = () => {
    moduleApi._load = originalLoad;
    for (const watcher of watchers) watcher.close();
  };
  return stub;
}

/** An ExtensionContext with working mementos. */
/** An ExtensionContext for activate(); in Test mode (as the suites run it) activate() returns the services. */
export function stubExtensionContext(extensionPath: string, extensionMode: number = EXTENSION_MODE.Test): Record<string, unknown> & { subscriptions: { dispose(): unknown }[] } {
  const memento = new Map<string, unknown>();
  const state = { get: (key: string, fallback?: unknown) => (memento.has(key) ? memento.get(key) : fallback), update: async (key: string, value: unknown) => void memento.set(key, value), keys: () => [...memento.keys()] };
  return {
    subscriptions: [],
    extensionPath,
    extensionUri: makeUri('file', extensionPath),
    extension: { packageJSON: { version: '0.0.0-test' }, id: 'rhcos-layering-dev.rhcos-layering' },
    extensionMode,
    globalState: state,
    workspaceState: state,
  };
}

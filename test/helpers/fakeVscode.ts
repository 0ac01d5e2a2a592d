import Module from 'node:module';

/**
 * Just enough of the `vscode` module to run activate() of the built extension in plain Node: every member is a
 * harmless stand-in (a callable, constructible proxy that returns itself), except the few whose values activation
 * branches on. For checks that need no editor, such as "activation does not load the Kubernetes client".
 */

type AnyFunction = (...args: unknown[]) => unknown;

const NAMESPACE_MEMBERS = [
  'languages', 'env', 'extensions', 'l10n', 'tasks', 'debug', 'scm', 'tests', 'authentication', 'notebooks', 'chat', 'lm',
  'EventEmitter', 'Disposable', 'CancellationTokenSource', 'ThemeIcon', 'ThemeColor', 'MarkdownString', 'TreeItem', 'TreeItemCollapsibleState',
  'StatusBarAlignment', 'Range', 'Position', 'Selection', 'Location', 'Diagnostic', 'DiagnosticSeverity', 'DiagnosticTag',
  'DiagnosticRelatedInformation', 'CodeAction', 'CodeActionKind', 'CodeActionTriggerKind', 'CodeLens', 'RelativePattern', 'ProgressLocation',
  'WorkspaceEdit', 'TextEdit', 'Hover', 'SnippetString', 'CompletionItem', 'CompletionItemKind', 'ViewColumn', 'ConfigurationTarget',
  'FileType', 'FileSystemError', 'EndOfLine', 'TextEditorRevealType', 'OverviewRulerLane', 'DecorationRangeBehavior', 'QuickPickItemKind',
  'LogLevel', 'UIKind', 'TreeItemCheckboxState', 'DocumentLink', 'SymbolKind', 'DocumentSymbol', 'FoldingRange',
];

function stand(name: string): unknown {
  const target = function () {} as unknown as AnyFunction;
  const handler: ProxyHandler<AnyFunction> = {
    get(_t, key) {
      if (key === 'then') return undefined; // not a thenable
      if (key === Symbol.toPrimitive) return () => '';
      if (key === Symbol.iterator) return function* () {};
      if (key === 'dispose') return () => undefined;
      if (key === 'toString') return () => `[fake vscode ${name}]`;
      return stand(`${name}.${String(key)}`);
    },
    set: () => true,
    defineProperty: () => true,
    apply: () => stand(`${name}()`),
    construct: () => stand(`new ${name}`) as object,
  };
  return new Proxy(target, handler);
}

export interface FakeVscode {
  readonly module: Record<string, unknown>;
  readonly registeredCommands: string[];
  readonly contextKeys: Map<string, unknown>;
  uninstall(): void;
}

export function installFakeVscode(): FakeVscode {
  const registeredCommands: string[] = [];
  const contextKeys = new Map<string, unknown>();
  const disposable = { dispose: () => undefined };
  const event = () => disposable;
  const uri = (fsPath: string) => ({ fsPath, path: fsPath, scheme: 'file', toString: () => `file://${fsPath}` });
  const overrides: Record<string, unknown> = {
    Uri: {
      file: uri,
      joinPath: (base: { fsPath: string }, ...parts: string[]) => uri([base.fsPath, ...parts].join('/')),
      from: (c: { path: string }) => uri(c.path),
      parse: (s: string) => uri(s),
    },
    workspace: new Proxy({
      isTrusted: true,
      textDocuments: [],
      getConfiguration: () => ({ get: (_key: string, fallback: unknown) => fallback, has: () => false, inspect: () => undefined, update: async () => undefined }),
      onDidChangeConfiguration: event,
      onDidOpenTextDocument: event,
      onDidCloseTextDocument: event,
      onDidChangeTextDocument: event,
      onDidSaveTextDocument: event,
      onDidGrantWorkspaceTrust: event,
      workspaceFolders: undefined,
    }, { get: (t, k) => (k in t ? (t as Record<string | symbol, unknown>)[k] : stand(`workspace.${String(k)}`)) }),
    window: new Proxy({
      activeTextEditor: undefined,
      visibleTextEditors: [],
      onDidChangeActiveTextEditor: event,
      onDidChangeVisibleTextEditors: event,
      createTreeView: () => ({ visible: false, onDidChangeVisibility: event, onDidChangeSelection: event, onDidExpandElement: event, onDidCollapseElement: event, dispose: () => undefined, reveal: async () => undefined }),
    }, { get: (t, k) => (k in t ? (t as Record<string | symbol, unknown>)[k] : stand(`window.${String(k)}`)) }),
    // activate() compares context.extensionMode with it: the values must be real.
    ExtensionMode: EXTENSION_MODE,
    commands: {
      registerCommand: (id: string) => {
        registeredCommands.push(id);
        return disposable;
      },
      executeCommand: async (id: string, ...args: unknown[]) => {
        if (id === 'setContext') contextKeys.set(String(args[0]), args[1]);
        return undefined;
      },
    },
  };
  // esbuild's `import * as vscode` copies the module's own keys, so every name the code uses must be an own key.
  for (const name of NAMESPACE_MEMBERS) if (!(name in overrides)) overrides[name] = stand(name);
  const fake = new Proxy(overrides, { get: (t, k) => (k in t ? t[k as string] : stand(String(k))) });
  const moduleApi = Module as unknown as { _load: (request: string, ...rest: unknown[]) => unknown };
  const originalLoad = moduleApi._load;
  moduleApi._load = function (request: string, ...rest: unknown[]) {
    if (request === 'vscode') return fake;
    return originalLoad.call(this, request, ...rest);
  };
  return {
    module: fake,
    registeredCommands,
    contextKeys,
    uninstall: () => {
      moduleApi._load = originalLoad;
    },
  };
}

/** vscode.ExtensionMode's values. */
export const EXTENSION_MODE = { Production: 1, Development: 2, Test: 3 } as const;

/** A minimal ExtensionContext for activate(); Production unless told (an installed extension). */
export function fakeExtensionContext(extensionPath: string, options: { version?: string; extensionMode?: number } = {}): Record<string, unknown> {
  const { version = '0.0.0', extensionMode = EXTENSION_MODE.Production } = options;
  const memento = new Map<string, unknown>();
  const state = { get: (key: string, fallback?: unknown) => (memento.has(key) ? memento.get(key) : fallback), update: async (key: string, value: unknown) => void memento.set(key, value), keys: () => [...memento.keys()] };
  return {
    subscriptions: [] as { dispose(): void }[],
    extensionPath,
    extensionUri: { fsPath: extensionPath, path: extensionPath, scheme: 'file' },
    extension: { packageJSON: { version }, id: 'rhcos-layering-dev.rhcos-layering' },
    extensionMode,
    globalState: state,
    workspaceState: state,
    globalStorageUri: { fsPath: extensionPath },
    logUri: { fsPath: extensionPath },
  };
}

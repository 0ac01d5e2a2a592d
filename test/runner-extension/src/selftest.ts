// Test doubles for the harness's own tests (test/e2e/scenarios/harness-selftest.e2e.ts): they put known content in
// the Problems panel, a hover, a tree view, a modal dialog and notifications, so the Playwright helpers that read
// those are proven before the real extension has any of them.
import * as vscode from 'vscode';
import type { SelftestDiagnostic, SelftestTreeNode } from './protocol';

const SEVERITY: Record<SelftestDiagnostic['severity'], vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  information: vscode.DiagnosticSeverity.Information,
  hint: vscode.DiagnosticSeverity.Hint,
};

class SelftestTree implements vscode.TreeDataProvider<SelftestTreeNode> {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;
  private roots: SelftestTreeNode[] = [];

  set(roots: SelftestTreeNode[]): void {
    this.roots = roots;
    this.changed.fire();
  }

  getTreeItem(node: SelftestTreeNode): vscode.TreeItem {
    const item = new vscode.TreeItem(node.label, node.children?.length ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.None);
    if (node.description) item.description = node.description;
    return item;
  }

  getChildren(node?: SelftestTreeNode): SelftestTreeNode[] {
    return node ? (node.children ?? []) : this.roots;
  }
}

export function registerSelftest(context: vscode.ExtensionContext): void {
  const diagnostics = vscode.languages.createDiagnosticCollection('rhcos-layering-e2e-selftest');
  const tree = new SelftestTree();
  let lastAnswer: string | undefined;
  let lastAnswered = 0;

  context.subscriptions.push(
    diagnostics,
    vscode.window.registerTreeDataProvider('rhcosLayeringE2e.selftestTree', tree),

    // args: uri, SelftestDiagnostic[]  (an empty list clears)
    vscode.commands.registerCommand('rhcosLayeringE2e.selftest.setDiagnostics', (uri: vscode.Uri, items: SelftestDiagnostic[]) => {
      diagnostics.set(
        uri,
        items.map((item) => {
          const diagnostic = new vscode.Diagnostic(new vscode.Range(item.line, item.startCharacter, item.line, item.endCharacter), item.message, SEVERITY[item.severity]);
          diagnostic.source = item.source ?? 'rhcos-layering-e2e-selftest';
          if (item.code) diagnostic.code = item.code;
          return diagnostic;
        }),
      );
    }),

    // Hovers over any word in files under a folder named harness-selftest.
    vscode.languages.registerHoverProvider({ pattern: '**/harness-selftest/**' }, {
      provideHover(document, position) {
        const range = document.getWordRangeAtPosition(position);
        if (!range) return undefined;
        return new vscode.Hover(new vscode.MarkdownString(`**E2E hover** for \`${document.getText(range)}\` at ${position.line + 1}:${position.character + 1}`), range);
      },
    }),

    // args: SelftestTreeNode[]; shows the tree in the Explorer (empty list hides it).
    vscode.commands.registerCommand('rhcosLayeringE2e.selftest.showTree', async (roots: SelftestTreeNode[]) => {
      tree.set(roots);
      await vscode.commands.executeCommand('setContext', 'rhcosLayeringE2e.selftestTree', roots.length > 0);
    }),

    // args: message, buttons. Resolves with the chosen button (undefined for Cancel). Call with wait=false on the bridge.
    vscode.commands.registerCommand('rhcosLayeringE2e.selftest.modal', async (message: string, buttons: string[]) => {
      const answer = await vscode.window.showWarningMessage(message, { modal: true, detail: 'Shown by the e2e runner to test the harness.' }, ...buttons);
      lastAnswer = answer;
      lastAnswered++;
      return answer;
    }),
    vscode.commands.registerCommand('rhcosLayeringE2e.selftest.lastModalAnswer', () => ({ answer: lastAnswer, count: lastAnswered })),

    // args: message, kind ('info' | 'warning' | 'error'), buttons? Not awaited: returns at once.
    vscode.commands.registerCommand('rhcosLayeringE2e.selftest.notify', (message: string, kind: 'info' | 'warning' | 'error' = 'info', buttons: string[] = []) => {
      const show = kind === 'error' ? vscode.window.showErrorMessage : kind === 'warning' ? vscode.window.showWarningMessage : vscode.window.showInformationMessage;
      void show(message, ...buttons);
    }),
  );
}

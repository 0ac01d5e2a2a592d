import * as vscode from 'vscode';

export function activate(context: vscode.ExtensionContext): void {
  const log = vscode.window.createOutputChannel('RHCOS Image Layering', { log: true });
  context.subscriptions.push(log);
  log.info('RHCOS Image Layering activated');
}

export function deactivate(): void {}

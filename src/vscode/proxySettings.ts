import * as vscode from 'vscode';
import { withEditorProxy } from '../core/proxyEnvironment';

/**
 * The proxy variables the Go tools read (HTTPS_PROXY, NO_PROXY…), with VS Code's `http.proxy` and `http.noProxy`
 * applied, for cluster and registry requests alike.
 */
export function editorProxyEnvironment(): NodeJS.ProcessEnv {
  const http = vscode.workspace.getConfiguration('http');
  const noProxy = http.get<unknown>('noProxy', []);
  return withEditorProxy(process.env, {
    proxy: String(http.get<unknown>('proxy', '') ?? ''),
    noProxy: Array.isArray(noProxy) ? noProxy.filter((entry): entry is string => typeof entry === 'string') : [],
  });
}

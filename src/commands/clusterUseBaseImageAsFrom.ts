import * as vscode from 'vscode';
import { baseImageEdit } from '../core/cluster/baseImageEdit';
import { clusterBaseImage } from '../vscode/cluster/commandSupport';
import type { ExtensionCommand } from './types';

/** Makes the active Containerfile build on the cluster's base image (rewrites the FROM its final stage builds on). */
export const clusterUseBaseImageAsFrom: ExtensionCommand = {
  id: 'rhcosLayering.cluster.useBaseImageAsFrom',
  async run(services) {
    const editor = vscode.window.activeTextEditor ?? vscode.window.visibleTextEditors.find((e) => e.document.languageId === 'dockerfile');
    if (!editor || editor.document.languageId !== 'dockerfile') {
      void vscode.window.showInformationMessage('Open a Containerfile in the editor first: its FROM is set to the cluster\'s base image.');
      return;
    }
    const found = await clusterBaseImage(services.cluster.explorer, 'use the base image');
    if (!found) return;
    const { image } = found;
    const { edit, replaced, variables } = baseImageEdit(editor.document.getText(), image);
    if (replaced === image) {
      void vscode.window.showInformationMessage('The Containerfile already builds on the cluster\'s base image.');
      return;
    }
    if (variables.length > 0) {
      const replace = 'Replace';
      const choice = await vscode.window.showWarningMessage(
        `The FROM uses ${variables.map((v) => `\${${v}}`).join(', ')}. Replace "${replaced}" with the literal image ${image}?`,
        { modal: true },
        replace,
      );
      if (choice !== replace) return;
    }
    const range = new vscode.Range(edit.range.start.line, edit.range.start.character, edit.range.end.line, edit.range.end.character);
    await editor.edit((builder) => (range.isEmpty ? builder.insert(range.start, edit.newText) : builder.replace(range, edit.newText)));
    editor.selection = new vscode.Selection(range.start, range.start);
    editor.revealRange(range);
  },
};

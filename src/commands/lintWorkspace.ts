import * as vscode from 'vscode';
import { CONTAINERFILE_GLOB } from '../core/containerfileNames';
import type { ExtensionCommand } from './types';

/** Opens (without showing) every Containerfile in the workspace so the Problems panel lists their findings. */
export const lintWorkspace: ExtensionCommand = {
  id: 'rhcosLayering.lintWorkspace',
  async run(services) {
    const files = await vscode.workspace.findFiles(CONTAINERFILE_GLOB, '**/{node_modules,.git}/**', 2000);
    let linted = 0;
    await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: 'Linting Containerfiles' }, async () => {
      for (const uri of files) {
        const document = await vscode.workspace.openTextDocument(uri);
        if (document.languageId !== 'dockerfile') await vscode.languages.setTextDocumentLanguage(document, 'dockerfile');
        const result = await services.diagnostics.lintNow(document);
        if (result?.layeringReason) linted++;
      }
    });
    services.log.info(`Linted ${linted} layering Containerfile(s) of ${files.length} found in the workspace.`);
    void vscode.window.showInformationMessage(`Linted ${linted} layering Containerfile${linted === 1 ? '' : 's'} (of ${files.length} Containerfiles). See the Problems panel.`);
  },
};

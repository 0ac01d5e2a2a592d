import * as vscode from 'vscode';
import { pinToDigest as pinCore, registryOptions, type PinPlan, type PinTarget } from '../core/openshift/layerFlow';
import type { Range } from '../core/text';
import { showProblem, withCancellableProgress } from '../vscode/commandHelpers';
import { toVsRange } from '../vscode/containerfileDiagnostics';
import { editorProxyEnvironment } from '../vscode/proxySettings';
import { readKeepTag, readRegistrySettings } from '../vscode/registrySettings';
import type { ExtensionCommand } from './types';

/**
 * Quick fix "Pin to digest": (uri, range, image[, { target }]) from the code actions. Resolves the tag through the
 * registry (progress, cancellable), then replaces the image at `range` only if the text there is still `image`.
 * In a Containerfile `rhcosLayering.pinDigest.keepTag` decides between `repo:tag@sha256:…` and `repo@sha256:…`;
 * in osImageURL the tag always goes (rpm-ostree refuses both).
 */
export const pinToDigest: ExtensionCommand = {
  id: 'rhcosLayering.pinToDigest',
  async run(services, uriArg, rangeArg, imageArg, optionsArg) {
    const uri = uriArg instanceof vscode.Uri ? uriArg : vscode.window.activeTextEditor?.document.uri;
    const active = vscode.window.activeTextEditor?.document;
    const range = asRange(rangeArg) ?? (active && active.uri.toString() === uri?.toString() ? fromNotDigestRange(services.diagnostics.resultFor(active)) : undefined);
    if (!uri || !range) {
      void vscode.window.showInformationMessage('Pin to digest works on a FROM line or an osImageURL: use the quick fix (Ctrl+.) on the underlined image.');
      return undefined;
    }
    const document = await vscode.workspace.openTextDocument(uri);
    const image = typeof imageArg === 'string' ? imageArg : document.getText(toVsRange(range));
    const requested = (optionsArg as { target?: PinTarget } | undefined)?.target;
    const target: PinTarget = requested ?? (document.languageId === 'yaml' ? 'osImageURL' : 'containerfile');
    const plan: PinPlan = { image, range, keepTag: target === 'containerfile' && readKeepTag(uri), target };

    const { value: result, cancelled } = await withCancellableProgress(`Resolving ${image} to its digest`, (signal) => {
      const options = registryOptions(readRegistrySettings(uri), { session: services.registrySession, signal, proxyEnv: editorProxyEnvironment() });
      return pinCore(plan, options, () => document.getText(toVsRange(range)));
    });
    if (cancelled) return undefined;
    if (!result.ok) {
      const settings = 'Open Registry Settings';
      const choice = await showProblem(result.problem, services.log, settings);
      if (choice === settings) await vscode.commands.executeCommand('workbench.action.openSettings', 'rhcosLayering.registry');
      return undefined;
    }
    const edit = new vscode.WorkspaceEdit();
    edit.replace(uri, toVsRange(result.value.edit.range), result.value.edit.newText);
    const applied = await vscode.workspace.applyEdit(edit);
    if (!applied) void vscode.window.showErrorMessage(`Could not write the digest into ${vscode.workspace.asRelativePath(uri)}; the file may be read-only.`);
    services.log.info(`Pinned ${image} to ${result.value.resolved.digest} in ${uri.fsPath}.`);
    return result.value.edit.newText;
  },
};

function asRange(value: unknown): Range | undefined {
  const r = value as { start?: { line?: unknown; character?: unknown }; end?: { line?: unknown; character?: unknown } } | undefined;
  if (!r || typeof r.start?.line !== 'number' || typeof r.start.character !== 'number' || typeof r.end?.line !== 'number' || typeof r.end.character !== 'number') return undefined;
  return { start: { line: r.start.line, character: r.start.character }, end: { line: r.end.line, character: r.end.character } };
}

/** From the command palette: the active Containerfile's from-not-digest finding, if any. */
function fromNotDigestRange(result: { findings: readonly { ruleId: string; range: Range }[] } | undefined): Range | undefined {
  return result?.findings.find((f) => f.ruleId === 'from-not-digest')?.range;
}

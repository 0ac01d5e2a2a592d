import * as path from 'node:path';
import * as vscode from 'vscode';
import { buildAndPush as buildAndPushCore, type BuildProgress } from '../core/build/build';
import { editorProxyEnvironment } from '../vscode/proxySettings';
import { stateKeys } from '../core/openshift/generateFlow';
import { buildSpecFor, pushDestinationProblem } from '../core/openshift/layerFlow';
import { containerfileFromArgs, showProblem } from '../vscode/commandHelpers';
import { readBuildSettings, readRegistrySettings } from '../vscode/registrySettings';
import type { GenerateFromPush } from './generateMachineConfig';
import { workspaceTrust } from '../vscode/trust';
import type { ExtensionCommand } from './types';

const TITLE = 'Build and Push Layered Image';
let buildOutput: vscode.OutputChannel | undefined;

/**
 * Builds the Containerfile with podman or buildah (rhcosLayering.build.*), pushes it with --digestfile, and offers to
 * generate the MachineConfig for exactly that digest. Runs a tool, so it needs a trusted workspace. The output
 * streams to the "RHCOS Image Layering: Build" channel; progress follows the STEP lines; Cancel stops the tool.
 */
export const buildAndPush: ExtensionCommand = {
  id: 'rhcosLayering.buildAndPush',
  requiresTrust: true,
  async run(services, uriArg) {
    const uri = await containerfileFromArgs(uriArg, TITLE);
    if (!uri) return undefined;
    if (uri.scheme !== 'file') {
      void vscode.window.showErrorMessage(`${TITLE}: ${uri.toString()} is not a local file; building needs the Containerfile on disk.`);
      return undefined;
    }
    const document = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
    if (document?.isDirty && !(await document.save())) return undefined;
    const state = services.extension.workspaceState;
    const key = uri.toString();
    const image = await vscode.window.showInputBox({
      title: `${TITLE}: destination`,
      prompt: 'Where to push the image (a tag in a registry the cluster can pull from)',
      value: state.get<string>(stateKeys.pushImage(key), ''),
      placeHolder: 'quay.io/org/rhcos-custom:1.0',
      ignoreFocusOut: true,
      validateInput: (text) => pushDestinationProblem(text),
    });
    if (image === undefined) return undefined;
    await state.update(stateKeys.pushImage(key), image.trim());

    const build = readBuildSettings();
    const spec = buildSpecFor({ containerfile: uri.fsPath, contextDir: path.dirname(uri.fsPath), image: image.trim() }, build, readRegistrySettings(uri));
    buildOutput ??= vscode.window.createOutputChannel('RHCOS Image Layering: Build');
    const output = buildOutput;
    output.clear();
    output.show(true);
    output.appendLine(`$ ${spec.tool} ${spec.tool === 'buildah' ? 'bud' : 'build'} -f ${spec.containerfile} -t ${spec.image}${spec.authFile ? ' --authfile …' : ''} ${spec.contextDir}`);

    const result = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Building ${spec.image} with ${spec.tool}`, cancellable: true },
      async (progress, token) => {
        const controller = new AbortController();
        const subscription = token.onCancellationRequested(() => controller.abort());
        let lastStep = 0;
        try {
          return await buildAndPushCore(spec, {
            trust: workspaceTrust,
            signal: controller.signal,
            // VS Code's http.proxy reaches podman/buildah as the proxy variables they read.
            env: editorProxyEnvironment(),
            onLine: (line) => output.appendLine(line),
            onProgress: (p: BuildProgress) => {
              if (p.phase === 'build') {
                const increment = p.total ? ((p.step - lastStep) / p.total) * 80 : undefined;
                lastStep = p.step;
                progress.report({ message: `STEP ${p.step}${p.total ? `/${p.total}` : ''}: ${p.instruction}`, ...(increment ? { increment } : {}) });
              } else if (p.phase === 'push') {
                progress.report({ message: `pushing: ${p.message}` });
              }
            },
          });
        } finally {
          subscription.dispose();
        }
      },
    );
    if (!result.ok) {
      output.appendLine(`\n${result.problem.what}: ${result.problem.why}`);
      if (/cancelled/.test(result.problem.what)) {
        void vscode.window.showInformationMessage(result.problem.what);
        return undefined;
      }
      const settings = 'Open Build Settings';
      const choice = await showProblem(result.problem, services.log, settings);
      if (choice === settings) await vscode.commands.executeCommand('workbench.action.openSettings', 'rhcosLayering.build');
      return undefined;
    }
    const pushed = result.value;
    output.appendLine(`\nPushed ${pushed.pinnedReference} (build ${Math.round(pushed.buildMs / 1000)} s, push ${Math.round(pushed.pushMs / 1000)} s).`);
    services.log.info(`Built and pushed ${pushed.pinnedReference}.`);
    const generate = 'Generate MachineConfig';
    const copy = 'Copy Reference';
    const choice = await vscode.window.showInformationMessage(`Pushed ${pushed.pinnedReference}.`, generate, copy);
    if (choice === copy) await vscode.env.clipboard.writeText(pushed.pinnedReference);
    if (choice === generate) {
      const fromPush: GenerateFromPush = { image: spec.image, digest: pushed.digest, tool: spec.tool };
      await vscode.commands.executeCommand('rhcosLayering.generateMachineConfig', uri, fromPush);
    }
    return pushed;
  },
};

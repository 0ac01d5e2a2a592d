import * as vscode from 'vscode';
import {
  headerPath, machineOSConfigFilePath, outputDirectory, poolChoices, poolInputProblem, pushSpecInputProblem, secretInputProblem, stateKeys,
} from '../core/openshift/generateFlow';
import { generateMachineOSConfig as generateCore } from '../core/openshift/machineosconfig';
import { argumentText, containerfileFromArgs, openBeside, showProblem, writeFilesAsking } from '../vscode/commandHelpers';
import { readMachineConfigOutputDirectory } from '../vscode/registrySettings';
import { readLintSettings } from '../vscode/settings';
import type { ExtensionCommand, Services } from './types';

const TITLE = 'Generate MachineOSConfig';

/** Optional second argument, for scripted use: each field given skips its prompt (`pullSecret: ''` means none). */
export interface GenerateMachineOSConfigOptions {
  readonly pool?: string;
  readonly pushSpec?: string;
  readonly pushSecret?: string;
  readonly pullSecret?: string;
}

/**
 * On-cluster layering (4.18+): one v1 MachineOSConfig for the chosen pool, with the Containerfile (its unsaved text)
 * rewritten so its final stage is FROM configs AS final (builder stages stay). Refuses, with the reason, content that
 * cannot work appended to the MCO's build or is over the API's length limit.
 */
export const generateMachineOSConfig: ExtensionCommand = {
  id: 'rhcosLayering.generateMachineOSConfig',
  async run(services, uriArg, optionsArg) {
    const uri = await containerfileFromArgs(uriArg, TITLE);
    if (!uri) return undefined;
    const options = asOptions(optionsArg);
    const document = await vscode.workspace.openTextDocument(uri);
    const state = services.extension.workspaceState;
    const key = uri.toString();
    const targetVersion = services.lintContext.targetVersion(readLintSettings(uri).targetVersion);

    const pool = options.pool ?? (await pickPool(services, state.get<string[]>(stateKeys.pools(key), []).slice(0, 1)));
    if (pool === undefined) return undefined;
    const pushSpec = options.pushSpec ?? (await vscode.window.showInputBox({
      title: `${TITLE}: push location`,
      prompt: 'Where the cluster pushes the built image (a tag; the MCO records the digest)',
      value: state.get<string>(stateKeys.pushSpec(key), 'image-registry.openshift-image-registry.svc:5000/openshift-machine-config-operator/os-image:latest'),
      ignoreFocusOut: true,
      validateInput: pushSpecInputProblem,
    }));
    if (pushSpec === undefined) return undefined;
    const pushSecret = options.pushSecret ?? (await vscode.window.showInputBox({
      title: `${TITLE}: push secret`,
      prompt: 'Secret in openshift-machine-config-operator with push rights to that location',
      placeHolder: 'builder-dockercfg-xxxxx',
      ignoreFocusOut: true,
      validateInput: (text) => secretInputProblem(text, false),
    }));
    if (pushSecret === undefined) return undefined;
    const pullSecret = options.pullSecret ?? (await vscode.window.showInputBox({
      title: `${TITLE}: base image pull secret (optional)`,
      prompt: 'Secret to pull the base image; leave empty to use the cluster\'s global pull secret',
      ignoreFocusOut: true,
      validateInput: (text) => secretInputProblem(text, true),
    }));
    if (pullSecret === undefined) return undefined;
    await state.update(stateKeys.pushSpec(key), pushSpec.trim());

    const folder = vscode.workspace.getWorkspaceFolder(uri)?.uri.fsPath;
    const outDir = outputDirectory(uri.fsPath, readMachineConfigOutputDirectory(uri), folder);
    const generated = generateCore({
      pool,
      renderedImagePushSpec: pushSpec.trim(),
      renderedImagePushSecret: pushSecret.trim(),
      ...(pullSecret.trim() ? { baseImagePullSecret: pullSecret.trim() } : {}),
      containerfiles: [{ text: document.getText() }],
      targetVersion,
      containerfile: headerPath(outDir, uri.fsPath),
    });
    if (!generated.ok) return void showProblem(generated.problem, services.log);
    const written = await writeFilesAsking([{ uri: vscode.Uri.file(machineOSConfigFilePath(outDir, pool)), text: generated.value.yaml }]);
    if (!written || written.length === 0) return undefined;
    for (const note of generated.value.notes) services.log.info(`MachineOSConfig ${pool}: ${note}`);
    await openBeside(written);
    if (generated.value.notes.length > 0) void vscode.window.showInformationMessage(generated.value.notes.join(' '));
    return written;
  },
};

function asOptions(value: unknown): GenerateMachineOSConfigOptions {
  if (!value || typeof value !== 'object') return {};
  const v = value as Record<string, unknown>;
  return {
    pool: argumentText(v.pool),
    pushSpec: argumentText(v.pushSpec),
    pushSecret: argumentText(v.pushSecret),
    pullSecret: typeof v.pullSecret === 'string' ? v.pullSecret.trim() : undefined,
  };
}

/** One pool (a MachineOSConfig is named like its pool): the cluster's pools when connected, else worker/master/another. */
async function pickPool(services: Services, lastPicked: readonly string[]): Promise<string | undefined> {
  const choices = poolChoices(services.pools.pools(), lastPicked);
  const picked = await vscode.window.showQuickPick(
    choices.map((c) => ({ label: c.label, description: c.description, other: !!c.other })),
    { title: `${TITLE}: pool`, placeHolder: 'One MachineOSConfig per pool; it is named like the pool', ignoreFocusOut: true },
  );
  if (!picked) return undefined;
  if (!picked.other) return picked.label;
  const custom = await vscode.window.showInputBox({ title: `${TITLE}: custom pool`, placeHolder: 'infra', ignoreFocusOut: true, validateInput: poolInputProblem });
  return custom === undefined ? undefined : custom.trim();
}

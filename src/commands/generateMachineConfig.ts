import * as path from 'node:path';
import * as vscode from 'vscode';
import { checkImageForOsImageUrl, generateMachineConfigs, type DigestSource } from '../core/openshift/machineconfig';
import {
  defaultName, describeNames, headerPath, imageInputProblem, machineConfigFilePath, nameInputProblem, outputDirectory, poolChoices,
  poolInputProblem, stateKeys,
} from '../core/openshift/generateFlow';
import { formatProblem } from '../core/problem';
import { argumentText, containerfileFromArgs, openBeside, resolveWithProgress, showProblem, writeFilesAsking } from '../vscode/commandHelpers';
import { readMachineConfigOutputDirectory } from '../vscode/registrySettings';
import type { ExtensionCommand, Services } from './types';

const TITLE = 'Generate MachineConfig';

/**
 * Optional second argument, for callers that already know the answers (and for scripted use): each field given
 * skips its prompt. "Build and Push" passes the image, the pushed digest and the tool, so the MachineConfig uses exactly
 * what was pushed.
 */
export interface GenerateOptions {
  readonly image?: string;
  /** With `image`: the digest to pin, from a push by `tool`. */
  readonly digest?: string;
  readonly tool?: string;
  readonly pools?: readonly string[];
  readonly name?: string;
}

/** What "Build and Push" passes. */
export type GenerateFromPush = Required<Pick<GenerateOptions, 'image' | 'digest' | 'tool'>>;

/**
 * Generate MachineConfig: pick pools, confirm the image (remembered per Containerfile), choose the name, resolve a tag
 * to its digest (or generate with the tag when the registry cannot say, which the YAML diagnostics then flag), write
 * one MachineConfig per pool next to the Containerfile and open them beside it.
 */
export const generateMachineConfig: ExtensionCommand = {
  id: 'rhcosLayering.generateMachineConfig',
  async run(services, uriArg, optionsArg) {
    const uri = await containerfileFromArgs(uriArg, TITLE);
    if (!uri) return undefined;
    const options = asOptions(optionsArg);
    const fromPush = options.image && options.digest && options.tool ? { image: options.image, digest: options.digest, tool: options.tool } : undefined;
    const state = services.extension.workspaceState;
    const key = uri.toString();

    const givenPools = options.pools?.filter((pool) => !poolInputProblem(pool));
    const pools = givenPools && givenPools.length > 0 ? [...givenPools] : await pickPools(services, state.get<string[]>(stateKeys.pools(key), []));
    if (!pools) return undefined;

    const image = options.image ?? (await vscode.window.showInputBox({
      title: `${TITLE}: image`,
      prompt: 'The layered image the nodes should run: registry/repository:tag (resolved to its digest) or …@sha256:<digest>',
      value: state.get<string>(stateKeys.image(key), ''),
      placeHolder: 'quay.io/org/rhcos-custom:1.0',
      ignoreFocusOut: true,
      validateInput: (text) => imageInputProblem(text),
    }));
    if (image === undefined) return undefined;

    const suggested = defaultName(pools, uri.fsPath);
    const name = options.name ?? await vscode.window.showInputBox({
      title: `${TITLE}: name`,
      prompt: pools.length > 1 ? `Name for the worker pool's MachineConfig; other pools get -<pool>: ${describeNames(pools, suggested)}` : 'Name of the MachineConfig',
      value: suggested,
      ignoreFocusOut: true,
      validateInput: (text) => nameInputProblem(text, pools) ?? (pools.length > 1 ? { message: describeNames(pools, text.trim()), severity: vscode.InputBoxValidationSeverity.Info } : undefined),
    });
    if (name === undefined) return undefined;
    await state.update(stateKeys.pools(key), pools);
    if (!fromPush) await state.update(stateKeys.image(key), image);

    const ref = checkImageForOsImageUrl(image);
    if (!ref.ok) return void showProblem(ref.problem, services.log);
    let digest: string | undefined = fromPush?.digest;
    let digestSource: DigestSource | undefined = fromPush ? { kind: 'build', tool: fromPush.tool } : undefined;
    if (!digest && !ref.value.digest) {
      const { result, cancelled } = await resolveWithProgress(image, uri, services.registrySession, services.log);
      if (cancelled) return undefined;
      if (result.ok) {
        digest = result.value.digest;
        digestSource = { kind: 'registry', tag: ref.value.tag ?? 'latest' };
      } else {
        const withTag = 'Generate with the Tag';
        const choice = await vscode.window.showWarningMessage(
          `${formatProblem(result.problem)}\nYou can still generate the MachineConfig with the tag; it is marked as not pinned.`,
          { modal: true },
          withTag,
        );
        services.log.warn(formatProblem(result.problem));
        if (choice !== withTag) return undefined;
        digestSource = { kind: 'unresolved', reason: result.problem.why };
      }
    }

    const folder = vscode.workspace.getWorkspaceFolder(uri)?.uri.fsPath;
    const outDir = outputDirectory(uri.fsPath, readMachineConfigOutputDirectory(uri), folder);
    const generated = generateMachineConfigs({
      image, pools, name: name.trim(), containerfile: headerPath(outDir, uri.fsPath), folderName: path.basename(path.dirname(uri.fsPath)),
      ...(digest ? { digest } : {}), ...(digestSource ? { digestSource } : {}),
    });
    if (!generated.ok) return void showProblem(generated.problem, services.log);

    const files = generated.value.map((mc) => ({ uri: vscode.Uri.file(machineConfigFilePath(outDir, mc.name)), text: mc.yaml }));
    const written = await writeFilesAsking(files);
    if (!written || written.length === 0) return undefined;
    services.log.info(`Wrote ${written.map((w) => w.fsPath).join(', ')} for ${image}${digest ? ` (${digest})` : ' (not pinned)'}.`);
    await openBeside(written);
    return written;
  },
};

function asOptions(value: unknown): GenerateOptions {
  if (!value || typeof value !== 'object') return {};
  const v = value as Record<string, unknown>;
  return {
    image: argumentText(v.image),
    digest: argumentText(v.digest),
    tool: argumentText(v.tool),
    pools: Array.isArray(v.pools) ? v.pools.filter((p): p is string => typeof p === 'string').map((p) => p.trim()) : undefined,
    name: argumentText(v.name),
  };
}

/** A multi-select of pools: the cluster's when connected, else worker/master plus "Another pool…". */
async function pickPools(services: Services, lastPicked: readonly string[]): Promise<string[] | undefined> {
  const choices = poolChoices(services.pools.pools(), lastPicked);
  const picked = await vscode.window.showQuickPick(
    choices.map((choice) => ({ label: choice.label, description: choice.description, picked: choice.picked, other: !!choice.other })),
    { title: `${TITLE}: pools`, placeHolder: 'One MachineConfig per pool: the MCO drains and reboots every node of each pool', canPickMany: true, ignoreFocusOut: true },
  );
  if (!picked || picked.length === 0) return undefined;
  const pools = picked.filter((p) => !p.other).map((p) => p.label);
  if (picked.some((p) => p.other)) {
    const custom = await vscode.window.showInputBox({
      title: `${TITLE}: custom pool`,
      prompt: 'Name of the MachineConfigPool (it must exist and, from 4.18, inherit from worker)',
      placeHolder: 'infra',
      ignoreFocusOut: true,
      validateInput: (text) => poolInputProblem(text),
    });
    if (custom === undefined) return undefined;
    pools.push(custom.trim());
  }
  return [...new Set(pools)];
}

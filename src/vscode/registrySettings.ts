import * as vscode from 'vscode';
import type { BuildTool } from '../core/build/build';
import type { BuildSettings, RegistrySettings } from '../core/openshift/layerFlow';
import { SECTION } from './settings';

/** `rhcosLayering.registry.*`. The auth file and certificate directory are machine-scoped: a workspace cannot point them elsewhere. */
export function readRegistrySettings(scope?: vscode.Uri): RegistrySettings {
  const config = vscode.workspace.getConfiguration(SECTION, scope);
  return {
    authFile: config.get<string>('registry.authFile', ''),
    insecureRegistries: config.get<string[]>('registry.insecureRegistries', []).filter((entry) => typeof entry === 'string'),
    timeoutSeconds: config.get<number>('registry.timeoutSeconds', 15),
    certDirectory: config.get<string>('registry.certDirectory', ''),
  };
}

/** `rhcosLayering.build.*` (machine-scoped: they name a program to run). */
export function readBuildSettings(): BuildSettings {
  const config = vscode.workspace.getConfiguration(SECTION);
  const tool = config.get<string>('build.tool', 'podman');
  return {
    tool: (tool === 'buildah' ? 'buildah' : 'podman') as BuildTool,
    toolPath: config.get<string>('build.toolPath', ''),
    extraArgs: config.get<string[]>('build.extraArgs', []).filter((arg) => typeof arg === 'string'),
  };
}

export function readMachineConfigOutputDirectory(scope?: vscode.Uri): string {
  return vscode.workspace.getConfiguration(SECTION, scope).get<string>('machineConfig.outputDirectory', '');
}

export function readKeepTag(scope?: vscode.Uri): boolean {
  return vscode.workspace.getConfiguration(SECTION, scope).get<boolean>('pinDigest.keepTag', true);
}

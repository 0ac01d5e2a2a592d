import { buildAndPush } from './buildAndPush';
import { generateMachineConfig } from './generateMachineConfig';
import { generateMachineOSConfig } from './generateMachineOSConfig';
import { lintWorkspace } from './lintWorkspace';
import { pinToDigest } from './pinToDigest';
import { showOutput } from './showOutput';
import { showRuleDocumentation } from './showRuleDocumentation';
import type { ExtensionCommand } from './types';

/** Every command the extension registers. package.json declares the same ids (a unit test keeps them in step). */
export const COMMANDS: readonly ExtensionCommand[] = [
  showRuleDocumentation,
  showOutput,
  lintWorkspace,
  generateMachineConfig,
  generateMachineOSConfig,
  pinToDigest,
  buildAndPush,
];

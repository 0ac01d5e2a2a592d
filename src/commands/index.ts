import { applyToCluster } from './applyToCluster';
import { buildAndPush } from './buildAndPush';
import { clusterCopyBaseImage } from './clusterCopyBaseImage';
import { clusterCopyVerifyCommands } from './clusterCopyVerifyCommands';
import { clusterOpenYaml } from './clusterOpenYaml';
import { clusterPausePool } from './clusterPausePool';
import { clusterRefresh } from './clusterRefresh';
import { clusterResumePool } from './clusterResumePool';
import { clusterRetry } from './clusterRetry';
import { clusterSwitchContext } from './clusterSwitchContext';
import { clusterUseBaseImageAsFrom } from './clusterUseBaseImageAsFrom';
import { generateMachineConfig } from './generateMachineConfig';
import { generateMachineOSConfig } from './generateMachineOSConfig';
import { lintWorkspace } from './lintWorkspace';
import { pinToDigest } from './pinToDigest';
import { rollBack } from './rollBack';
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
  applyToCluster,
  rollBack,
  clusterRefresh,
  clusterRetry,
  clusterSwitchContext,
  clusterOpenYaml,
  clusterCopyVerifyCommands,
  clusterPausePool,
  clusterResumePool,
  clusterCopyBaseImage,
  clusterUseBaseImageAsFrom,
];

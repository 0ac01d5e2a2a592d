import { baseImageMismatch } from './baseImageMismatch';
import { extensionPackage } from './extensionPackage';
import { fromNotDigest } from './fromNotDigest';
import { fromReleaseImage } from './fromReleaseImage';
import { fromUnknownBase } from './fromUnknownBase';
import { fromUnresolvedArg } from './fromUnresolvedArg';
import { forbiddenPath } from './forbiddenPath';
import { insecureRpmSource } from './insecureRpmSource';
import { kernelOverrideNeedsCliwrap } from './kernelOverrideNeedsCliwrap';
import { kernelRtPackage } from './kernelRtPackage';
import { missingCommitOrLint } from './missingCommitOrLint';
import { multipleKernels } from './multipleKernels';
import { noFrom } from './noFrom';
import { nonOsInstruction } from './nonOsInstruction';
import { nonRootUser } from './nonRootUser';
import { onClusterFromConfigs } from './onClusterFromConfigs';
import { outsideUsrEtc } from './outsideUsrEtc';
import { packageCacheLeft } from './packageCacheLeft';
import { parseError } from './parseError';
import { podmanPullInBuild } from './podmanPullInBuild';
import { secretInArgOrEnv } from './secretInArgOrEnv';
import { secretInImage } from './secretInImage';
import { sourceRpm } from './sourceRpm';
import { systemctlRuntime } from './systemctlRuntime';
import { useraddWithoutSysusers } from './useraddWithoutSysusers';
import { varContent } from './varContent';
import type { Rule } from './types';

/** Every rule, in the order their findings are listed when they share a position. */
export const RULES: readonly Rule[] = [
  parseError,
  noFrom,
  fromNotDigest,
  fromUnresolvedArg,
  fromReleaseImage,
  fromUnknownBase,
  kernelRtPackage,
  missingCommitOrLint,
  baseImageMismatch,
  extensionPackage,
  kernelOverrideNeedsCliwrap,
  sourceRpm,
  multipleKernels,
  packageCacheLeft,
  insecureRpmSource,
  onClusterFromConfigs,
  systemctlRuntime,
  varContent,
  forbiddenPath,
  outsideUsrEtc,
  nonOsInstruction,
  nonRootUser,
  secretInImage,
  secretInArgOrEnv,
  podmanPullInBuild,
  useraddWithoutSysusers,
];

const byId = new Map(RULES.map((rule) => [rule.id, rule]));

export function ruleById(id: string): Rule | undefined {
  return byId.get(id);
}

import { mcExtensionUnsupported } from './mcExtensionUnsupported';
import { mcFileMode } from './mcFileMode';
import { mcKernelDevelKernelType } from './mcKernelDevelKernelType';
import { mcKernelType } from './mcKernelType';
import { mcOsImageDuplicate } from './mcOsImageDuplicate';
import { mcOsImageInvalid } from './mcOsImageInvalid';
import { mcOsImageNotDigest } from './mcOsImageNotDigest';
import { mcRoleLabel } from './mcRoleLabel';
import { mcYamlSyntax } from './mcYamlSyntax';
import { moscApiVersion } from './moscApiVersion';
import { moscContainerfile } from './moscContainerfile';
import { moscPushSpec } from './moscPushSpec';
import { moscSpec } from './moscSpec';
import type { YamlRule } from './types';

/** Every rule over MachineConfig and MachineOSConfig YAML files. */
export const YAML_RULES: readonly YamlRule[] = [
  mcYamlSyntax,
  mcOsImageNotDigest,
  mcOsImageInvalid,
  mcOsImageDuplicate,
  mcRoleLabel,
  mcExtensionUnsupported,
  mcKernelType,
  mcKernelDevelKernelType,
  mcFileMode,
  moscSpec,
  moscPushSpec,
  moscContainerfile,
  moscApiVersion,
];

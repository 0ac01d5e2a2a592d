/**
 * What differs between OpenShift releases, in one table. Rules and generators ask here; nothing else hard-codes a
 * version. Each fact names its source in openshift/machine-config-operator (MCO) or openshift/api, as summarised in
 * the project's reference notes (MCO-FACTS.md).
 */

export const KNOWN_MINOR_VERSIONS = [12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23] as const;

/** The newest release the table describes as generally available; the default target without a cluster. */
export const LATEST_MINOR = 22;

export interface OpenShiftVersion {
  readonly major: 4;
  readonly minor: number;
}

export function parseOpenShiftVersion(text: string | undefined): OpenShiftVersion | undefined {
  const match = /^v?4\.(\d+)(?:\.\d+)?(?:[-+].*)?$/.exec((text ?? '').trim());
  if (!match) return undefined;
  return { major: 4, minor: Number(match[1]) };
}

export function formatVersion(version: OpenShiftVersion): string {
  return `4.${version.minor}`;
}

export const LATEST_VERSION: OpenShiftVersion = { major: 4, minor: LATEST_MINOR };

/**
 * `auto` (or an unparsable value) follows the connected cluster, else the latest known release.
 * A cluster newer than the table is treated as the newest release the table knows.
 */
export function resolveTargetVersion(setting: string | undefined, clusterVersion?: string): OpenShiftVersion {
  const explicit = setting && setting !== 'auto' ? parseOpenShiftVersion(setting) : undefined;
  const chosen = explicit ?? parseOpenShiftVersion(clusterVersion) ?? LATEST_VERSION;
  const newest = KNOWN_MINOR_VERSIONS[KNOWN_MINOR_VERSIONS.length - 1]!;
  return chosen.minor > newest ? { major: 4, minor: newest } : chosen;
}

interface ExtensionFact {
  readonly rpms: readonly string[];
  readonly fromMinor: number;
  readonly untilMinor?: number;
  /** RPMs added from a later release on. */
  readonly extraRpms?: { readonly fromMinor: number; readonly rpms: readonly string[] };
}

/**
 * `spec.extensions` names and the RPMs they install.
 * Source: MCO pkg/daemon/update.go getSupportedExtensions() (<= 4.15), pkg/controller/common/helpers.go
 * SupportedExtensions() (4.16+). wasm removed in release-4.22 (28f9c7246); openvswitch3.5-ipsec added to ipsec in
 * release-4.23 (098552cd5).
 */
const EXTENSIONS: Readonly<Record<string, ExtensionFact>> = {
  usbguard: { rpms: ['usbguard'], fromMinor: 10 },
  'kernel-devel': { rpms: ['kernel-devel', 'kernel-headers'], fromMinor: 10 },
  'sandboxed-containers': { rpms: ['kata-containers'], fromMinor: 10 },
  kerberos: { rpms: ['krb5-workstation', 'libkadm5'], fromMinor: 11 },
  ipsec: {
    rpms: ['NetworkManager-libreswan', 'libreswan'],
    fromMinor: 14,
    extraRpms: { fromMinor: 23, rpms: ['openvswitch3.5-ipsec'] },
  },
  wasm: { rpms: ['crun-wasm'], fromMinor: 14, untilMinor: 21 },
  sysstat: { rpms: ['sysstat'], fromMinor: 18 },
  'two-node-ha': { rpms: ['pacemaker', 'pcs', 'fence-agents-all'], fromMinor: 19 },
};

export type KernelType = 'default' | 'realtime' | '64k-pages';

/** Everything a rule or generator needs to know about one release. */
export interface VersionFacts {
  readonly version: OpenShiftVersion;
  readonly label: string;
  /** Extension name -> RPM names, for the extensions this release supports. */
  readonly extensions: ReadonlyMap<string, readonly string[]>;
  /** Valid `spec.kernelType` values. 64k-pages from 4.15 (MCO release-4.15 pkg/controller/common/constants.go). */
  readonly kernelTypes: readonly KernelType[];
  /**
   * The last step of a layering build in the docs: `ostree container commit` up to 4.18 (the 4.18 docs still end with
   * it), `bootc container lint` from 4.19 (openshift-docs PR 96758, OCPBUGS-59846).
   */
  readonly finalBuildStep: 'ostree container commit' | 'bootc container lint';
  /** Kernel `override replace` needs `rpm-ostree cliwrap install-to-root /` in the 4.13-4.16 docs; dropped in 4.17. */
  readonly kernelOverrideNeedsCliwrap: boolean;
  /** MachineOSConfig API for on-cluster layering: v1alpha1 Tech Preview in 4.16/4.17, v1 GA from 4.18. */
  readonly onClusterLayering: 'none' | 'v1alpha1' | 'v1';
  /** How MachineConfigs that set osImageURL for one pool are ordered; the last one wins (MCO MergeMachineConfigs). */
  readonly osImageUrlMergeOrder: 'name' | 'worker-role-first';
  /** From release-4.21, MCs annotated generated-by-controller-version are ignored for osImageURL overrides. */
  readonly ignoresGeneratedMachineConfigsForOsImage: boolean;
  /** The render controller logs a warning for a tag in osImageURL from release-4.18. */
  readonly warnsOnOsImageTag: boolean;
}

const factsCache = new Map<number, VersionFacts>();

export function factsFor(version: OpenShiftVersion): VersionFacts {
  const cached = factsCache.get(version.minor);
  if (cached) return cached;
  const minor = version.minor;
  const extensions = new Map<string, readonly string[]>();
  for (const [name, fact] of Object.entries(EXTENSIONS)) {
    if (minor < fact.fromMinor || (fact.untilMinor !== undefined && minor > fact.untilMinor)) continue;
    const extra = fact.extraRpms && minor >= fact.extraRpms.fromMinor ? fact.extraRpms.rpms : [];
    extensions.set(name, [...fact.rpms, ...extra]);
  }
  const facts: VersionFacts = {
    version,
    label: formatVersion(version),
    extensions,
    kernelTypes: minor >= 15 ? ['default', 'realtime', '64k-pages'] : ['default', 'realtime'],
    finalBuildStep: minor >= 19 ? 'bootc container lint' : 'ostree container commit',
    kernelOverrideNeedsCliwrap: minor >= 13 && minor <= 16,
    onClusterLayering: minor >= 18 ? 'v1' : minor >= 16 ? 'v1alpha1' : 'none',
    osImageUrlMergeOrder: minor >= 15 ? 'worker-role-first' : 'name',
    ignoresGeneratedMachineConfigsForOsImage: minor >= 21,
    warnsOnOsImageTag: minor >= 18,
  };
  factsCache.set(minor, facts);
  return facts;
}

/** The extension whose RPMs include `rpmName` at this release, if any. */
export function extensionProviding(facts: VersionFacts, rpmName: string): string | undefined {
  for (const [extension, rpms] of facts.extensions) if (rpms.includes(rpmName)) return extension;
  return undefined;
}

/**
 * The kernel flavour an RPM belongs to. The MCO installs kernel-rt-* for `kernelType: realtime` and kernel-64k-* for
 * `64k-pages` (MCO pkg/daemon/update.go); `kernel-rt` itself is a meta-package that pulls the same RPMs in.
 */
export function kernelTypeOfPackage(rpmName: string): KernelType | undefined {
  if (/^kernel-rt(?:-|$)/.test(rpmName)) return 'realtime';
  if (/^kernel-64k(?:-|$)/.test(rpmName)) return '64k-pages';
  if (/^kernel(?:-core|-modules|-modules-core|-modules-extra)?$/.test(rpmName)) return 'default';
  return undefined;
}

/** RPMs that each provide a kernel image, i.e. installing one of them next to the base kernel gives two kernels. */
export function isKernelImagePackage(rpmName: string): boolean {
  return /^kernel(?:-rt|-64k|-debug|-rt-debug|-64k-debug)?-core$/.test(rpmName) || /^kernel(?:-rt|-64k|-debug)?$/.test(rpmName);
}

import { factsFor } from '../../src/core/openshift/versions';
// What the simulator needs to know per OpenShift minor version. Facts come from
// ../shared/reference/MCO-FACTS.md (sections noted); patch levels and the Kubernetes mapping are the
// published OpenShift release pairing (4.N ships Kubernetes 1.(N+13)).

export interface VersionInfo {
  minor: number; // 4.<minor>
  release: string; // full release, e.g. 4.18.12
  previousRelease: string; // what the cluster was upgraded from
  kube: { major: string; minor: string; gitVersion: string };
  /** Extensions the MCO accepts (MCO-FACTS §1). */
  extensions: string[];
  /** Kernel types the render controller accepts (MCO-FACTS §1). */
  kernelTypes: string[];
  /** 4.15+: worker-role MCs are merged first, then the pool's own (MCO-FACTS §2). */
  workerRoleFirst: boolean;
  /** 4.21+: MCs annotated generated-by-controller-version do not override osImageURL (MCO-FACTS §2). */
  ignoreGeneratedImageOverrides: boolean;
  /** Pool condition messages say "MachineConfig <name>" from 4.14 on (samples 4.14.1-*). */
  poolMessageSaysMachineConfig: boolean;
  /** post-config-action: Rebooting annotation exists from 4.15 (MCO-FACTS §3). */
  postConfigAction: boolean;
  /** The ConfigMap's osImageURL (machine-os-content) is empty from 4.15 (MCO-FACTS §5). */
  legacyOsImageUrl: boolean;
  /** machine-os-content / rhel-coreos tag names in the ConfigMap (MCO-FACTS §5). */
  rhcosTag: string;
  /** MachineOSConfig/MachineOSBuild served as v1 (MCO-FACTS §6). */
  onClusterLayeringV1: boolean;
  /** Render-time extension validation (MCO-FACTS §1: main validates at render; older only in the daemon). */
  renderValidatesExtensions: boolean;
  ignitionVersion: string;
}

const PATCH: Record<number, [string, string]> = {
  12: ['4.12.70', '4.12.68'],
  13: ['4.13.54', '4.13.52'],
  14: ['4.14.48', '4.14.45'],
  15: ['4.15.46', '4.15.44'],
  16: ['4.16.38', '4.16.36'],
  17: ['4.17.25', '4.17.23'],
  18: ['4.18.12', '4.18.10'],
  19: ['4.19.9', '4.19.7'],
  20: ['4.20.2', '4.20.0'],
  21: ['4.21.1', '4.21.0'],
  22: ['4.22.0', '4.21.1'],
};

const KUBE_PATCH: Record<number, number> = { 25: 16, 26: 15, 27: 16, 28: 15, 29: 14, 30: 12, 31: 7, 32: 6, 33: 5, 34: 2, 35: 1 };

export const SUPPORTED_MINORS = Object.keys(PATCH).map(Number);

export function versionInfo(version: string): VersionInfo {
  const m = /^4\.(\d+)(?:\.(\d+))?$/.exec(version.trim());
  if (!m) throw new Error(`unsupported OpenShift version "${version}" (expected 4.12 … 4.22)`);
  const minor = Number(m[1]);
  const patch = PATCH[minor];
  if (!patch) throw new Error(`unsupported OpenShift version "${version}" (expected 4.12 … 4.22)`);
  const release = m[2] !== undefined ? version.trim() : patch[0];
  const kubeMinor = minor + 13;
  // The same fact table the linter uses, so the simulated MCO and the rules cannot disagree.
  const facts = factsFor({ major: 4, minor });
  return {
    minor,
    release,
    previousRelease: patch[1],
    kube: { major: '1', minor: String(kubeMinor), gitVersion: `v1.${kubeMinor}.${KUBE_PATCH[kubeMinor] ?? 0}` },
    extensions: [...facts.extensions.keys()],
    kernelTypes: ['', ...facts.kernelTypes],
    workerRoleFirst: facts.osImageUrlMergeOrder === 'worker-role-first',
    ignoreGeneratedImageOverrides: facts.ignoresGeneratedMachineConfigsForOsImage,
    poolMessageSaysMachineConfig: minor >= 14,
    postConfigAction: minor >= 15,
    legacyOsImageUrl: minor <= 14,
    rhcosTag: minor === 12 ? 'rhel-coreos-8' : 'rhel-coreos',
    onClusterLayeringV1: facts.onClusterLayering === 'v1',
    renderValidatesExtensions: minor >= 18,
    ignitionVersion: minor <= 13 ? '3.2.0' : '3.4.0',
  };
}

import { globToRegExp } from '../glob';
/**
 * Which images count as CoreOS/bootc bases, and what kind each is: the OS images we know by name, plus the
 * repositories listed in the `rhcosLayering.lint.baseImages` setting.
 */

export type BaseImageKind =
  | 'rhel-coreos'
  | 'release-payload'
  | 'fedora-coreos'
  | 'centos-stream-coreos'
  | 'bootc'
  | 'fedora-atomic'
  | 'on-cluster-configs'
  | 'configured';

/**
 * Extra repositories (with `*` wildcards) that count as bases, from `rhcosLayering.lint.baseImages`: a company's own
 * base image built on rhel-coreos, for example. The images below are known without it.
 */
export const DEFAULT_BASE_IMAGE_PATTERNS: readonly string[] = [];

/** Release payloads: what `oc adm upgrade --to-image` takes, not an OS image (the 4.13 docs' mistake, OCPBUGS-33598). */
const RELEASE_PAYLOAD = [
  /(?:^|\/)ocp-release(?:-nightly)?$/,
  /^registry\.ci\.openshift\.org\/ocp(?:-[a-z0-9]+)?\/release(?:-[a-z0-9]+)?$/,
  /^quay\.io\/openshift\/okd$/,
  /^quay\.io\/okd\/scos-release$/,
  /(?:^|\/)origin-release$/,
];

/**
 * The OS images a layered image can build on, by repository. Sources: the rhel-coreos image of a release
 * (`oc adm release info --image-for rhel-coreos`, pulled from quay.io/openshift-release-dev/ocp-v4.0-art-dev; CI
 * builds in registry.ci.openshift.org/ocp/<version> and the MCO's in-cluster copies); OKD's Fedora CoreOS and
 * CentOS Stream CoreOS (quay.io/okd/centos-stream-coreos-9, scos-*); the bootc bases (fedora-bootc in
 * registry.fedoraproject.org and quay.io/fedora, centos-bootc in quay.io/centos-bootc, rhel-bootc in registry.redhat.io);
 * Fedora Atomic desktops (quay.io/fedora-ostree-desktops/*, quay.io/fedora/fedora-silverblue and siblings) and the
 * Universal Blue images built on them (ghcr.io/ublue-os/*).
 */
const KIND_PATTERNS: readonly (readonly [RegExp, BaseImageKind])[] = [
  [/(?:^|\/)ocp-v4\.0-art-dev$/, 'rhel-coreos'],
  [/(?:^|\/)rhel-coreos(?:-\d+)?(?:-extensions)?$/, 'rhel-coreos'],
  [/^image-registry\.openshift-image-registry\.svc:5000\/openshift-machine-config-operator\//, 'rhel-coreos'],
  [/^registry\.ci\.openshift\.org\/ocp\/\d+\.\d+(?:-[\w.-]+)?$/, 'rhel-coreos'],
  [/(?:^|\/)fedora-coreos$/, 'fedora-coreos'],
  [/^quay\.io\/coreos-assembler\/fcos$/, 'fedora-coreos'],
  [/(?:^|\/)(?:centos-stream-coreos|stream-coreos)(?:-\d+)?$/, 'centos-stream-coreos'],
  [/^quay\.io\/okd\/scos(?:-[\w.-]+)?$/, 'centos-stream-coreos'],
  [/(?:^|\/)(?:fedora|centos|rhel)-bootc(?:-dev)?$/, 'bootc'],
  [/^quay\.io\/fedora-ostree-desktops\/[\w.-]+$/, 'fedora-atomic'],
  [/^quay\.io\/fedora\/fedora-(?:silverblue|kinoite|sericea|onyx|iot|[a-z]+-atomic)$/, 'fedora-atomic'],
  [/^ghcr\.io\/ublue-os\/[\w.-]+$/, 'fedora-atomic'],
];

export interface BaseImageClassifier {
  /** The kind of base `repository` (no tag, no digest) is, or undefined when it is no known CoreOS/bootc base. */
  classify(repository: string): BaseImageKind | undefined;
}

export function createBaseImageClassifier(patterns: readonly string[] = DEFAULT_BASE_IMAGE_PATTERNS): BaseImageClassifier {
  const configured = patterns.filter((p) => p.trim() !== '').map((p) => globToRegExp(p.trim().toLowerCase()));
  return {
    classify(repository: string): BaseImageKind | undefined {
      const repo = repository.toLowerCase();
      if (repo === 'configs') return 'on-cluster-configs';
      if (RELEASE_PAYLOAD.some((re) => re.test(repo))) return 'release-payload';
      const known = KIND_PATTERNS.find(([re]) => re.test(repo))?.[1];
      if (known) return known;
      return configured.some((re) => re.test(repo)) ? 'configured' : undefined;
    },
  };
}

export function isReleasePayload(repository: string): boolean {
  return RELEASE_PAYLOAD.some((re) => re.test(repository.toLowerCase()));
}


export const BASE_IMAGE_KIND_DESCRIPTIONS: Readonly<Record<BaseImageKind, string>> = {
  'rhel-coreos': 'RHEL CoreOS, the OS image OpenShift nodes run',
  'release-payload': 'an OpenShift release payload, not an OS image',
  'fedora-coreos': 'Fedora CoreOS (OKD)',
  'centos-stream-coreos': 'CentOS Stream CoreOS (OKD/SCOS)',
  bootc: 'a bootc base image',
  'fedora-atomic': 'a Fedora Atomic desktop or Universal Blue image (bootc)',
  'on-cluster-configs': 'the `configs` stage the MCO builds for on-cluster layering',
  configured: 'a base listed in rhcosLayering.lint.baseImages',
};

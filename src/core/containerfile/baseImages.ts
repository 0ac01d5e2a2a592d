import { globToRegExp } from '../glob';
/**
 * Which images count as CoreOS/bootc bases, and what kind each is. The repository patterns are a setting
 * (`rhcosLayering.lint.baseImages`); the kinds come from what we know of OpenShift's image names.
 */

export type BaseImageKind =
  | 'rhel-coreos'
  | 'release-payload'
  | 'fedora-coreos'
  | 'centos-stream-coreos'
  | 'bootc'
  | 'on-cluster-configs'
  | 'configured';

export const DEFAULT_BASE_IMAGE_PATTERNS: readonly string[] = [
  'quay.io/openshift-release-dev/ocp-v4.0-art-dev',
  'quay.io/openshift-release-dev/ocp-release',
  'registry.ci.openshift.org/ocp/*',
  'image-registry.openshift-image-registry.svc:5000/openshift-machine-config-operator/*',
  '*/rhel-coreos*',
  '*/ocp-v4.0-art-dev*',
  'quay.io/fedora/fedora-coreos',
  'quay.io/fedora/fedora-bootc',
  'quay.io/centos-bootc/centos-bootc',
  'registry.redhat.io/rhel9/rhel-bootc',
  'registry.redhat.io/rhel10/rhel-bootc',
];

/** Release payloads: what `oc adm upgrade --to-image` takes, not an OS image (the 4.13 docs' mistake, OCPBUGS-33598). */
const RELEASE_PAYLOAD = [
  /(?:^|\/)ocp-release(?:-nightly)?$/,
  /^registry\.ci\.openshift\.org\/ocp(?:-[a-z0-9]+)?\/release(?:-[a-z0-9]+)?$/,
  /^quay\.io\/openshift\/okd$/,
  /^quay\.io\/okd\/scos-release$/,
  /(?:^|\/)origin-release$/,
];

const KIND_PATTERNS: readonly (readonly [RegExp, BaseImageKind])[] = [
  [/(?:^|\/)ocp-v4\.0-art-dev$/, 'rhel-coreos'],
  [/(?:^|\/)rhel-coreos(?:-\d+)?(?:-extensions)?$/, 'rhel-coreos'],
  [/^image-registry\.openshift-image-registry\.svc:5000\/openshift-machine-config-operator\//, 'rhel-coreos'],
  [/(?:^|\/)fedora-coreos$/, 'fedora-coreos'],
  [/(?:^|\/)(?:centos-stream-coreos|stream-coreos)(?:-\d+)?$/, 'centos-stream-coreos'],
  [/(?:^|\/)(?:fedora|centos|rhel)-bootc$/, 'bootc'],
  [/^registry\.ci\.openshift\.org\/ocp\/\d+\.\d+(?:-[\w.-]+)?$/, 'rhel-coreos'],
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
      if (!configured.some((re) => re.test(repo))) return undefined;
      return KIND_PATTERNS.find(([re]) => re.test(repo))?.[1] ?? 'configured';
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
  'on-cluster-configs': 'the `configs` stage the MCO builds for on-cluster layering',
  configured: 'a base listed in rhcosLayering.lint.baseImages',
};

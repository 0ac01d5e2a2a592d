// The initial cluster: namespaces, the base-image ConfigMap, ClusterVersion, the MCO's base
// MachineConfigs, pools and nodes. Shapes follow the real dumps in ../shared/reference/samples;
// when those are present, the base MachineConfigs carry the Ignition content of the sample rendered
// config and nodes take their capacity and runtime details from the sample nodes.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { VersionInfo } from './versions';
import { type KObj, Rng, fakeDigest, nowIso, sha256 } from './util';

export const MC = 'machineconfiguration.openshift.io';
export const MCO_NAMESPACE = 'openshift-machine-config-operator';
export const OSIMAGEURL_CONFIGMAP = 'machine-config-osimageurl';

export interface PoolOptions {
  name: string;
  /** Node count for this pool; default: master 3, custom pools 10% of the rest, worker the remainder. */
  nodes?: number;
  maxUnavailable?: number | string;
  paused?: boolean;
}

export interface SeedOptions {
  nodes: number;
  pools: PoolOptions[];
  version: VersionInfo;
  seed: string | number;
  samplesDir?: string;
}

export interface SeedNode {
  obj: KObj;
  pool: string;
}

export interface Seed {
  namespaces: KObj[];
  configMaps: KObj[];
  clusterVersion: KObj;
  machineConfigs: KObj[];
  pools: KObj[];
  nodes: SeedNode[];
  notes: string[];
  createdAt: string;
}

interface SampleData {
  ignition?: KObj;
  kernelArguments?: string[];
  nodeStatus?: KObj;
}

function loadSamples(dir: string | undefined, notes: string[]): SampleData {
  const out: SampleData = {};
  if (!dir) {
    notes.push('samples: not configured, using built-in seed objects');
    return out;
  }
  const rendered = join(dir, 'rendered-worker-5b645238ec6779bf2989f292e021967d.yaml');
  const nodes = join(dir, 'ocpbugs-60768-node.yaml');
  try {
    if (existsSync(rendered)) {
      const mc = parseYaml(readFileSync(rendered, 'utf8')) as KObj;
      out.ignition = mc.spec?.config;
      out.kernelArguments = mc.spec?.kernelArguments;
    } else notes.push(`samples: ${rendered} missing, using built-in Ignition content`);
    if (existsSync(nodes)) {
      const list = JSON.parse(readFileSync(nodes, 'utf8')) as KObj;
      const worker = (list.items as KObj[]).find((n) => 'node-role.kubernetes.io/worker' in (n.metadata?.labels ?? {})) ?? list.items[0];
      out.nodeStatus = worker?.status;
    } else notes.push(`samples: ${nodes} missing, using built-in node status`);
  } catch (err) {
    notes.push(`samples: could not read (${(err as Error).message}), using built-in seed objects`);
  }
  return out;
}

const dataUrl = (text: string) => `data:,${encodeURIComponent(text)}`;

function builtinIgnition(version: VersionInfo): KObj {
  const file = (path: string, text: string, mode = 420) => ({ contents: { source: dataUrl(text) }, mode, overwrite: true, path });
  return {
    ignition: { version: version.ignitionVersion },
    passwd: { users: [{ name: 'core', sshAuthorizedKeys: ['ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBFakeSimulatorKey admin@example.com'] }] },
    storage: {
      files: [
        file('/etc/kubernetes/kubelet.conf', 'kind: KubeletConfiguration\napiVersion: kubelet.config.k8s.io/v1beta1\ncgroupDriver: systemd\nmaxPods: 250\n'),
        file('/etc/crio/crio.conf.d/00-default', '[crio]\ninternal_wipe = true\n[crio.runtime]\nselinux = true\nconmon_cgroup = "pod"\n'),
        file('/etc/containers/registries.conf', 'unqualified-search-registries = ["registry.access.redhat.com", "docker.io"]\nshort-name-mode = ""\n'),
        file('/etc/containers/policy.json', '{"default":[{"type":"insecureAcceptAnything"}]}\n'),
        file('/etc/sysctl.d/inotify.conf', 'fs.inotify.max_user_watches = 65536\nfs.inotify.max_user_instances = 8192\n'),
        file('/etc/NetworkManager/conf.d/01-ipv6.conf', '[connection]\nipv6.dhcp-duid=ll\nipv6.dhcp-iaid=mac\n'),
        file('/usr/local/bin/mco-hostname', '#!/bin/bash\n# set the hostname from the cloud metadata\n', 493),
      ],
    },
    systemd: {
      units: [
        { name: 'kubelet.service', enabled: true, contents: '[Unit]\nDescription=Kubernetes Kubelet\nWants=rpc-statd.service crio.service\nAfter=crio.service\n[Service]\nExecStart=/usr/bin/kubelet --config=/etc/kubernetes/kubelet.conf\nRestart=always\n[Install]\nWantedBy=multi-user.target\n' },
        { name: 'crio.service', dropins: [{ name: '10-mco-default-madv.conf', contents: '[Service]\nEnvironment="GODEBUG=madvdontneed=1"\n' }] },
        { name: 'machine-config-daemon-firstboot.service', enabled: true, contents: '[Unit]\nDescription=Machine Config Daemon Firstboot\n[Service]\nType=oneshot\nExecStart=/run/bin/machine-config-daemon firstboot-complete-machineconfig\n[Install]\nWantedBy=multi-user.target\n' },
        { name: 'zincati.service', mask: true },
      ],
    },
  };
}

/** Splits an Ignition config over the MCO's base MachineConfigs the way the real controllers own the content. */
function splitIgnition(ign: KObj, version: VersionInfo): Record<string, KObj> {
  const base = { ignition: { version: version.ignitionVersion } };
  const files: KObj[] = ign.storage?.files ?? [];
  const units: KObj[] = ign.systemd?.units ?? [];
  const pick = (pred: (path: string) => boolean) => files.filter((f) => pred(f.path));
  const registries = (p: string) => p === '/etc/containers/registries.conf';
  const crio = (p: string) => p.startsWith('/etc/crio/');
  const kubelet = (p: string) => p === '/etc/kubernetes/kubelet.conf';
  const rest = pick((p) => !registries(p) && !crio(p) && !kubelet(p));
  return {
    '00': { ...base, storage: { files: rest }, systemd: { units: units.filter((u) => u.name !== 'kubelet.service') } },
    '01-container-runtime': { ...base, storage: { files: pick(crio) } },
    '01-kubelet': { ...base, storage: { files: pick(kubelet) }, systemd: { units: units.filter((u) => u.name === 'kubelet.service') } },
    '97-generated-kubelet': { ...base },
    '98-generated-kubelet': { ...base },
    '99-generated-registries': { ...base, storage: { files: pick(registries) } },
    '99-ssh': { ...base, passwd: ign.passwd ?? { users: [] } },
  };
}

/** A small fieldsV1 shape of an object, enough to look like a real managedFields entry. */
export function fieldsOf(value: unknown, depth = 0): KObj {
  if (value === null || typeof value !== 'object' || Array.isArray(value) || depth > 3) return {};
  const out: KObj = {};
  for (const [k, v] of Object.entries(value)) {
    if (depth === 0 && (k === 'apiVersion' || k === 'kind')) continue;
    if (depth === 1 && ['name', 'namespace', 'uid', 'resourceVersion', 'creationTimestamp', 'generation', 'managedFields'].includes(k)) continue;
    out[`f:${k}`] = fieldsOf(v, depth + 1);
  }
  if (depth > 0 && Object.keys(out).length) out['.'] = {};
  return out;
}

export function managedEntry(manager: string, apiVersion: string, time: string, fields: KObj, operation = 'Update', subresource?: string): KObj {
  const e: KObj = { apiVersion, fieldsType: 'FieldsV1', fieldsV1: fields, manager, operation, time };
  if (subresource) e.subresource = subresource;
  return e;
}

function rhcosStrings(v: VersionInfo): { osImage: string; kernel: string; crio: string } {
  const kube = Number(v.kube.minor);
  const crio = `cri-o://1.${kube}.${Math.max(1, Number(v.kube.gitVersion.split('.')[2]) - 1)}-3.rhaos4.${v.minor}.git${sha256(v.release).slice(0, 7)}.el9`;
  if (v.minor >= 19) return { osImage: 'Red Hat Enterprise Linux CoreOS 9.6.20250811-0 (Plow)', kernel: '5.14.0-570.35.1.el9_6.x86_64', crio };
  const rhel = v.minor === 12 ? '86' : v.minor <= 15 ? '92' : '94';
  const kernel = v.minor === 12 ? '4.18.0-372.91.1.el8_6.x86_64' : v.minor <= 15 ? '5.14.0-284.104.1.el9_2.x86_64' : '5.14.0-427.65.1.el9_4.x86_64';
  return { osImage: `Red Hat Enterprise Linux CoreOS 4${v.minor}.${rhel}.202504081327-0 (Plow)`, kernel, crio: v.minor === 12 ? crio.replace('.el9', '.el8') : crio };
}

export function baseImages(v: VersionInfo): { base: string; extensions: string; legacy: string } {
  const repo = 'quay.io/openshift-release-dev/ocp-v4.0-art-dev';
  return {
    base: `${repo}@${fakeDigest(`${v.rhcosTag}:${v.release}`)}`,
    extensions: `${repo}@${fakeDigest(`${v.rhcosTag}-extensions:${v.release}`)}`,
    legacy: `${repo}@${fakeDigest(`machine-os-content:${v.release}`)}`,
  };
}

export function releaseImage(release: string): string {
  return `quay.io/openshift-release-dev/ocp-release@${fakeDigest(`ocp-release:${release}`)}`;
}

/** How many nodes each pool gets. */
export function distribute(total: number, pools: PoolOptions[]): Map<string, number> {
  const counts = new Map<string, number>();
  const master = pools.find((p) => p.name === 'master')?.nodes ?? Math.min(3, total);
  counts.set('master', master);
  let rest = Math.max(0, total - master);
  const custom = pools.filter((p) => p.name !== 'master' && p.name !== 'worker');
  for (const p of custom) {
    const n = p.nodes ?? Math.min(rest, Math.max(1, Math.round((total - master) * 0.1)));
    counts.set(p.name, n);
    rest = Math.max(0, rest - n);
  }
  counts.set('worker', pools.find((p) => p.name === 'worker')?.nodes ?? rest);
  return counts;
}

export function buildSeed(opts: SeedOptions): Seed {
  const notes: string[] = [];
  const rng = new Rng(opts.seed);
  const v = opts.version;
  const samples = loadSamples(opts.samplesDir, notes);
  const created = new Date(Date.now() - 47 * 24 * 3600 * 1000);
  const createdAt = created.toISOString().replace(/\.\d{3}Z$/, 'Z');
  const at = (minutes: number) => new Date(created.getTime() + minutes * 60000).toISOString().replace(/\.\d{3}Z$/, 'Z');
  const controllerVersion = sha256(`mco:${v.release}`).slice(0, 40);
  const images = baseImages(v);

  const namespaces = ['default', 'kube-system', 'kube-public', 'openshift', 'openshift-config', 'openshift-config-managed', 'openshift-machine-api', MCO_NAMESPACE].map((name) => ({
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: {
      name,
      uid: rng.uuid(),
      creationTimestamp: createdAt,
      labels: { 'kubernetes.io/metadata.name': name, ...(name.startsWith('openshift') ? { 'openshift.io/cluster-monitoring': 'true' } : {}) },
      annotations: name.startsWith('openshift') ? { 'openshift.io/sa.scc.mcs': 's0:c1,c0', 'openshift.io/sa.scc.uid-range': '1000000000/10000' } : {},
      managedFields: [managedEntry('cluster-version-operator', 'v1', createdAt, { 'f:metadata': { 'f:labels': { '.': {} } } })],
    },
    spec: { finalizers: ['kubernetes'] },
    status: { phase: 'Active' },
  }));

  const cmData = {
    baseOSContainerImage: images.base,
    baseOSExtensionsContainerImage: images.extensions,
    osImageURL: v.legacyOsImageUrl ? images.legacy : '',
    releaseVersion: v.release,
  };
  const configMaps = [
    {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: {
        name: OSIMAGEURL_CONFIGMAP,
        namespace: MCO_NAMESPACE,
        uid: rng.uuid(),
        creationTimestamp: createdAt,
        annotations: { 'include.release.openshift.io/self-managed-high-availability': 'true', 'include.release.openshift.io/single-node-developer': 'true' },
        managedFields: [managedEntry('cluster-version-operator', 'v1', at(30), fieldsOf({ data: cmData, metadata: { annotations: {} } }))],
      },
      data: cmData,
    },
  ];

  const clusterVersion = {
    apiVersion: 'config.openshift.io/v1',
    kind: 'ClusterVersion',
    metadata: {
      name: 'version',
      uid: rng.uuid(),
      creationTimestamp: createdAt,
      generation: 3,
      managedFields: [managedEntry('cluster-version-operator', 'config.openshift.io/v1', at(40), { 'f:status': { '.': {}, 'f:conditions': {}, 'f:desired': {}, 'f:history': {} } }, 'Update', 'status')],
    },
    spec: { channel: `stable-4.${v.minor}`, clusterID: rng.uuid() },
    status: {
      availableUpdates: null,
      capabilities: { enabledCapabilities: ['Build', 'Console', 'ImageRegistry', 'Insights', 'MachineAPI', 'marketplace', 'OperatorLifecycleManager'], knownCapabilities: [] },
      conditions: [
        { lastTransitionTime: at(40), message: `Done applying ${v.release}`, status: 'True', type: 'Available' },
        { lastTransitionTime: at(40), status: 'False', type: 'Failing' },
        { lastTransitionTime: at(2000), message: `Cluster version is ${v.release}`, status: 'False', type: 'Progressing' },
        { lastTransitionTime: at(35), status: 'True', type: 'RetrievedUpdates' },
      ],
      desired: { channels: [`candidate-4.${v.minor}`, `fast-4.${v.minor}`, `stable-4.${v.minor}`], image: releaseImage(v.release), version: v.release },
      history: [
        { completionTime: at(2000), image: releaseImage(v.release), startedTime: at(1900), state: 'Completed', verified: true, version: v.release },
        { completionTime: at(40), image: releaseImage(v.previousRelease), startedTime: createdAt, state: 'Completed', verified: false, version: v.previousRelease },
      ],
      observedGeneration: 3,
      versionHash: sha256(v.release).slice(0, 11) + '=',
    },
  };

  // Base MachineConfigs for master and worker, as the template controller and the installer create them.
  const ignition = samples.ignition ?? builtinIgnition(v);
  const parts = splitIgnition(ignition, v);
  const machineConfigs: KObj[] = [];
  const controllerConfigRef = { apiVersion: `${MC}/v1`, blockOwnerDeletion: true, controller: true, kind: 'ControllerConfig', name: 'machine-config-controller', uid: rng.uuid() };
  for (const role of ['master', 'worker']) {
    for (const [suffix, config] of Object.entries(parts)) {
      const name = suffix === '00' ? `00-${role}` : suffix.startsWith('01') ? `01-${role}-${suffix.slice(3)}` : `${suffix.slice(0, 2)}-${role}-${suffix.slice(3)}`;
      const generated = suffix !== '99-ssh';
      const roleConfig =
        role === 'master' && suffix === '00'
          ? { ...config, storage: { files: [...(config.storage?.files ?? []), { contents: { source: dataUrl('#!/bin/bash\n# recreate the localhost kubeconfig from the node-system-admin certificate\n') }, mode: 493, overwrite: true, path: '/usr/local/bin/recover-kubeconfig.sh' }] } }
          : config;
      const spec: KObj = { config: roleConfig, extensions: [], fips: false, kernelArguments: suffix === '00' ? (samples.kernelArguments ?? ['systemd.unified_cgroup_hierarchy=1', 'cgroup_no_v1="all"', 'psi=1']) : [], kernelType: '', osImageURL: '' };
      if (!generated) {
        delete spec.extensions;
        delete spec.fips;
        delete spec.kernelType;
        spec.kernelArguments = null;
      }
      machineConfigs.push({
        apiVersion: `${MC}/v1`,
        kind: 'MachineConfig',
        metadata: {
          name,
          uid: rng.uuid(),
          generation: 1,
          creationTimestamp: at(generated ? 3 : 1),
          labels: { 'machineconfiguration.openshift.io/role': role },
          ...(generated
            ? { annotations: { 'machineconfiguration.openshift.io/generated-by-controller-version': controllerVersion }, ownerReferences: [controllerConfigRef] }
            : {}),
          managedFields: [managedEntry(generated ? 'machine-config-controller' : 'cluster-bootstrap', `${MC}/v1`, at(3), fieldsOf({ metadata: { labels: { x: '' } }, spec }))],
        },
        spec,
      });
    }
  }

  // Pools.
  const poolNames = ['master', 'worker', ...opts.pools.map((p) => p.name).filter((n) => n !== 'master' && n !== 'worker')];
  const pools = poolNames.map((name) => {
    const o = opts.pools.find((p) => p.name === name);
    const builtIn = name === 'master' || name === 'worker';
    const spec: KObj = {
      machineConfigSelector: builtIn
        ? { matchLabels: { 'machineconfiguration.openshift.io/role': name } }
        : { matchExpressions: [{ key: 'machineconfiguration.openshift.io/role', operator: 'In', values: ['worker', name] }] },
      nodeSelector: { matchLabels: { [`node-role.kubernetes.io/${name}`]: '' } },
      paused: o?.paused ?? false,
    };
    if (o?.maxUnavailable !== undefined) spec.maxUnavailable = o.maxUnavailable;
    return {
      apiVersion: `${MC}/v1`,
      kind: 'MachineConfigPool',
      metadata: {
        name,
        uid: rng.uuid(),
        generation: 2,
        creationTimestamp: at(builtIn ? 3 : 600),
        labels: {
          ...(builtIn ? { 'machineconfiguration.openshift.io/mco-built-in': '' } : {}),
          ...(name === 'master' ? { 'operator.machineconfiguration.openshift.io/required-for-upgrade': '' } : {}),
          [`pools.operator.machineconfiguration.openshift.io/${name}`]: '',
        },
        managedFields: [
          managedEntry(builtIn ? 'machine-config-operator' : 'kubectl-create', `${MC}/v1`, at(3), fieldsOf({ metadata: { labels: { x: '' } }, spec: { machineConfigSelector: {}, nodeSelector: {}, paused: false } })),
          managedEntry('machine-config-controller', `${MC}/v1`, at(4), { 'f:spec': { 'f:configuration': { '.': {}, 'f:name': {}, 'f:source': {} } } }),
          managedEntry('machine-config-controller', `${MC}/v1`, at(40), { 'f:status': { '.': {}, 'f:conditions': {}, 'f:configuration': {}, 'f:machineCount': {}, 'f:observedGeneration': {} } }, 'Update', 'status'),
        ],
      },
      spec,
      status: {},
    };
  });

  // Nodes.
  const counts = distribute(opts.nodes, opts.pools);
  const status = rhcosStrings(v);
  const sampleStatus = samples.nodeStatus;
  const used = new Set<string>();
  const nodes: SeedNode[] = [];
  const zones = ['us-east-2a', 'us-east-2b', 'us-east-2c'];
  const fieldsCache = new Map<string, KObj>();
  let index = 0;
  for (const pool of poolNames) {
    const n = counts.get(pool) ?? 0;
    for (let i = 0; i < n; i++, index++) {
      let ip: string;
      do ip = `10.0.${rng.int(256)}.${1 + rng.int(254)}`;
      while (used.has(ip));
      used.add(ip);
      const host = `ip-${ip.replace(/\./g, '-')}`;
      const name = `${host}.us-east-2.compute.internal`;
      const zone = zones[index % 3]!;
      const master = pool === 'master';
      const instance = master ? 'm6i.2xlarge' : 'm6i.xlarge';
      const labels: Record<string, string> = {
        'beta.kubernetes.io/arch': 'amd64',
        'beta.kubernetes.io/instance-type': instance,
        'beta.kubernetes.io/os': 'linux',
        'failure-domain.beta.kubernetes.io/region': 'us-east-2',
        'failure-domain.beta.kubernetes.io/zone': zone,
        'kubernetes.io/arch': 'amd64',
        'kubernetes.io/hostname': host,
        'kubernetes.io/os': 'linux',
        ...(master ? { 'node-role.kubernetes.io/control-plane': '', 'node-role.kubernetes.io/master': '' } : { 'node-role.kubernetes.io/worker': '' }),
        ...(pool !== 'master' && pool !== 'worker' ? { [`node-role.kubernetes.io/${pool}`]: '' } : {}),
        'node.kubernetes.io/instance-type': instance,
        'node.openshift.io/os_id': 'rhcos',
        'topology.ebs.csi.aws.com/zone': zone,
        'topology.kubernetes.io/region': 'us-east-2',
        'topology.kubernetes.io/zone': zone,
      };
      const ts = at(master ? 1 : 20 + (index % 50));
      const cond = (type: string, st: string, reason: string, message: string) => ({ lastHeartbeatTime: nowIso(), lastTransitionTime: ts, message, reason, status: st, type });
      const capacity = master
        ? { cpu: '8', 'ephemeral-storage': '125293548Ki', 'hugepages-1Gi': '0', 'hugepages-2Mi': '0', memory: '32386472Ki', pods: '250' }
        : (sampleStatus?.capacity ?? { cpu: '4', 'ephemeral-storage': '125293548Ki', 'hugepages-1Gi': '0', 'hugepages-2Mi': '0', memory: '16085872Ki', pods: '250' });
      const allocatable = master
        ? { cpu: '7500m', 'ephemeral-storage': '114396791822', 'hugepages-1Gi': '0', 'hugepages-2Mi': '0', memory: '31235496Ki', pods: '250' }
        : (sampleStatus?.allocatable ?? { cpu: '3500m', 'ephemeral-storage': '114396791822', 'hugepages-1Gi': '0', 'hugepages-2Mi': '0', memory: '14934896Ki', pods: '250' });
      const roleKey = pool;
      let fields = fieldsCache.get(roleKey);
      if (!fields) {
        const roleLabels = Object.fromEntries(Object.entries(labels).filter(([k]) => k.startsWith('node-role.kubernetes.io/')));
        fields = fieldsOf({ metadata: { labels: roleLabels } });
        fieldsCache.set(roleKey, fields);
      }
      const obj: KObj = {
        apiVersion: 'v1',
        kind: 'Node',
        metadata: {
          name,
          uid: rng.uuid(),
          creationTimestamp: ts,
          labels,
          annotations: {
            'csi.volume.kubernetes.io/nodeid': `{"ebs.csi.aws.com":"i-0${rng.hex(16)}"}`,
            'k8s.ovn.org/host-cidrs': `["${ip}/16"]`,
            'k8s.ovn.org/node-primary-ifaddr': `{"ipv4":"${ip}/16"}`,
            'k8s.ovn.org/zone-name': name,
            'machine.openshift.io/machine': `openshift-machine-api/sim-${rng.hex(5)}-${pool}-${zone}-${rng.hex(5)}`,
            'machineconfiguration.openshift.io/controlPlaneTopology': 'HighlyAvailable',
            'machineconfiguration.openshift.io/lastSyncedControllerConfigResourceVersion': '31337',
            'volumes.kubernetes.io/controller-managed-attach-detach': 'true',
          },
          managedFields: [
            managedEntry('kubelet', 'v1', ts, { 'f:metadata': { 'f:annotations': { '.': {}, 'f:volumes.kubernetes.io/controller-managed-attach-detach': {} }, 'f:labels': { '.': {}, 'f:kubernetes.io/arch': {}, 'f:kubernetes.io/hostname': {}, 'f:kubernetes.io/os': {}, 'f:node.openshift.io/os_id': {} } }, 'f:spec': { 'f:providerID': {} } }),
            managedEntry('machine-config-daemon', 'v1', at(60), {
              'f:metadata': { 'f:annotations': { 'f:machineconfiguration.openshift.io/currentConfig': {}, 'f:machineconfiguration.openshift.io/state': {}, 'f:machineconfiguration.openshift.io/reason': {}, 'f:machineconfiguration.openshift.io/desiredDrain': {} } },
            }),
            managedEntry('machine-config-controller', 'v1', at(60), {
              'f:metadata': { 'f:annotations': { 'f:machineconfiguration.openshift.io/desiredConfig': {}, 'f:machineconfiguration.openshift.io/lastAppliedDrain': {} }, ...fields['f:metadata'] },
              'f:spec': { 'f:taints': {}, 'f:unschedulable': {} },
            }),
            managedEntry('kubelet', 'v1', at(60), { 'f:status': { 'f:conditions': { 'k:{"type":"Ready"}': { 'f:lastHeartbeatTime': {}, 'f:status': {} } }, 'f:nodeInfo': { 'f:bootID': {} } } }, 'Update', 'status'),
          ],
        },
        spec: {
          providerID: `aws:///${zone}/i-0${rng.hex(16)}`,
          ...(master ? { taints: [{ effect: 'NoSchedule', key: 'node-role.kubernetes.io/master' }] } : {}),
        },
        status: {
          addresses: [
            { address: ip, type: 'InternalIP' },
            { address: name, type: 'Hostname' },
            { address: name, type: 'InternalDNS' },
          ],
          allocatable,
          capacity,
          conditions: [
            cond('MemoryPressure', 'False', 'KubeletHasSufficientMemory', 'kubelet has sufficient memory available'),
            cond('DiskPressure', 'False', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'),
            cond('PIDPressure', 'False', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'),
            cond('Ready', 'True', 'KubeletReady', 'kubelet is posting ready status'),
          ],
          daemonEndpoints: sampleStatus?.daemonEndpoints ?? { kubeletEndpoint: { Port: 10250 } },
          nodeInfo: {
            architecture: 'amd64',
            bootID: rng.uuid(),
            containerRuntimeVersion: status.crio,
            kernelVersion: status.kernel,
            kubeProxyVersion: '',
            kubeletVersion: v.kube.gitVersion,
            machineID: rng.hex(32),
            operatingSystem: 'linux',
            osImage: status.osImage,
            systemUUID: `ec2${rng.hex(5)}-${rng.hex(4)}-${rng.hex(4)}-${rng.hex(4)}-${rng.hex(12)}`,
          },
          ...(sampleStatus?.runtimeHandlers ? { runtimeHandlers: sampleStatus.runtimeHandlers } : {}),
        },
      };
      nodes.push({ obj, pool });
    }
  }

  return { namespaces, configMaps, clusterVersion, machineConfigs, pools, nodes, notes, createdAt };
}

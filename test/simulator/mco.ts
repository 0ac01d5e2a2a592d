// The Machine Config Operator, simulated: the render controller (MachineConfigs → rendered-<pool>-<hash>),
// the node controller (maxUnavailable, candidates, pool status exactly as MCO-FACTS §4 and the MCO's
// node/status.go compute it), the machine-config-daemon and drain controller on each node (Working,
// drain, reboot, uncordon, Done), on-cluster layering builds, and faults that degrade nodes.
import type { ClusterApi } from './api';
import { MCO_NAMESPACE, MC, OSIMAGEURL_CONFIGMAP, baseImages } from './seed';
import type { Entry, Store, StoreEvent } from './store';
import type { ResourceDef } from './resources';
import type { VersionInfo } from './versions';
import { ApiError, type KObj, canonicalJson, deepEqual, goQuote, matchesLabelSelector, md5, nowIso, sha256, status as statusBody } from './util';

const A = 'machineconfiguration.openshift.io/';
export const ANN = {
  current: `${A}currentConfig`,
  desired: `${A}desiredConfig`,
  state: `${A}state`,
  reason: `${A}reason`,
  desiredDrain: `${A}desiredDrain`,
  lastAppliedDrain: `${A}lastAppliedDrain`,
  postConfigAction: `${A}post-config-action`,
  currentImage: `${A}currentImage`,
  desiredImage: `${A}desiredImage`,
  generatedBy: `${A}generated-by-controller-version`,
  releaseImageVersion: `${A}release-image-version`,
  overridden: `${A}os-image-url-overridden`,
  role: `${A}role`,
  currentMosb: `${A}current-machine-os-build`,
  rebuild: `${A}rebuild`,
} as const;

export const UNSCHEDULABLE_TAINT = 'node.kubernetes.io/unschedulable';

export type FaultKind = 'rebase' | 'drain' | 'unreconcilable';

export interface McoOptions {
  version: VersionInfo;
  stepMs: number;
  /** Extra ticks a drain takes. */
  drainSteps: number;
  /** Extra ticks a node stays down while rebooting. */
  rebootSteps: number;
  /** Ticks an on-cluster image build takes. */
  buildSteps: number;
  controllerVersion: string;
  log: (line: string) => void;
}

type Phase = 'working' | 'cordon' | 'drain' | 'drained' | 'apply' | 'down' | 'boot' | 'ready' | 'uncordon-request' | 'uncordon' | 'done';
const PHASES: Phase[] = ['working', 'cordon', 'drain', 'drained', 'apply', 'down', 'boot', 'ready', 'uncordon-request', 'uncordon', 'done'];

interface Task {
  node: string;
  pool: string;
  target: string;
  targetImage: string | undefined;
  phase: Phase;
  wait: number;
}

interface ArmedFault {
  kind: FaultKind;
  reason?: string;
}

interface Build {
  pool: string;
  mosc: string;
  mosb: string;
  renderedConfig: string;
  ticks: number;
  phase: 'pending' | 'prepared' | 'building' | 'done' | 'failed';
  fail?: boolean;
}

export interface RenderResult {
  name: string;
  spec: KObj;
  sources: string[];
  overridden: boolean;
}

export class Mco {
  private readonly store: Store;
  private readonly defs: Record<'nodes' | 'mc' | 'mcp' | 'cm' | 'mosc' | 'mosb', ResourceDef>;
  private readonly poolOf = new Map<string, string | null>();
  private readonly members = new Map<string, Set<string>>();
  private readonly tasks = new Map<string, Task>();
  private readonly armed = new Map<string, ArmedFault>();
  private readonly renderQueue = new Set<string>();
  private readonly dirty = new Set<string>();
  /** Pools to look at for new update candidates; a settled pool is not scanned until something in it changes. */
  private readonly scan = new Set<string>();
  private readonly builds = new Map<string, Build>(); // by pool
  private readonly failNextBuild = new Set<string>();
  /** Counts rebuild requests, so that a rebuild annotation with the same (or an empty) value still names a new build. */
  private rebuilds = 0;
  private readonly renderErrors = new Map<string, string>();
  /** Nodes whose unschedulable taint must follow spec.unschedulable (TaintNodesByCondition in kube-controller-manager). */
  private readonly taintSync = new Set<string>();
  /** Pools whose MachineOSConfig changed (a build to start), and MachineOSConfigs deleted (their builds to remove). */
  private readonly buildQueue = new Set<string>();
  private readonly mosbGc = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private kickTimer: NodeJS.Timeout | undefined;
  private writing = false;
  private stopped = true;
  readonly warnings: string[] = [];
  /** Called after every controller pass (writes inside a pass are not settled state). */
  private readonly settledListeners = new Set<() => void>();

  onSettled(listener: () => void): () => void {
    this.settledListeners.add(listener);
    return () => this.settledListeners.delete(listener);
  }

  constructor(
    api: ClusterApi,
    private readonly opts: McoOptions,
  ) {
    this.store = api.store;
    this.defs = {
      nodes: api.def('nodes', ''),
      mc: api.def('machineconfigs', MC),
      mcp: api.def('machineconfigpools', MC),
      cm: api.def('configmaps', ''),
      mosc: api.def('machineosconfigs', MC),
      mosb: api.def('machineosbuilds', MC),
    };
    this.store.onEvent((ev) => this.onEvent(ev));
    api.admission.push((op, def, obj) => this.admit(op, def, obj));
  }

  get stepMs(): number {
    return this.opts.stepMs;
  }
  set stepMs(ms: number) {
    this.opts.stepMs = Math.max(1, ms);
    if (!this.stopped) {
      this.stop();
      this.start();
    }
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    const loop = () => {
      if (this.stopped) return;
      try {
        this.tick();
      } catch (err) {
        this.opts.log(`mco: tick failed: ${(err as Error).stack ?? err}`);
      }
      this.timer = setTimeout(loop, this.opts.stepMs);
    };
    this.timer = setTimeout(loop, this.opts.stepMs);
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    if (this.kickTimer) clearTimeout(this.kickTimer);
    this.timer = this.kickTimer = undefined;
  }

  // -------------------------------------------------------------------------------------------
  // Admission: the 4.18+ ValidatingAdmissionPolicy on custom pools (MCO-FACTS §2).

  private admit(op: string, def: ResourceDef, obj: KObj): void {
    if (def !== this.defs.mcp || op === 'DELETE' || this.opts.version.minor < 18) return;
    const name = obj.metadata?.name;
    if (name === 'master' || name === 'worker') return;
    const sel = obj.spec?.machineConfigSelector;
    if (!matchesLabelSelector({ [ANN.role]: 'worker' }, sel)) {
      throw new ApiError(
        statusBody(
          422,
          'Invalid',
          `machineconfigpools.machineconfiguration.openshift.io "${name}" is forbidden: ValidatingAdmissionPolicy 'custom-machine-config-pool-selector' with binding 'custom-machine-config-pool-selector-binding' denied request: All custom MachineConfigPools must inherit from the worker pool and must have a machineConfigSelector that matches for a 'machineconfiguration.openshift.io/role: worker' label`,
          { name, group: MC, kind: 'MachineConfigPool' },
        ),
      );
    }
  }

  // -------------------------------------------------------------------------------------------
  // Reacting to changes (from clients and from ourselves).

  private onEvent(ev: StoreEvent): void {
    const def = ev.entry.def;
    if (def === this.defs.nodes) {
      const name = ev.entry.name;
      const oldPool = this.poolOf.get(name) ?? null;
      if (ev.type === 'DELETED') {
        this.setMembership(name, null);
        this.tasks.delete(name);
      } else if (ev.type === 'ADDED' || !deepEqual(ev.prev?.obj.metadata.labels, ev.entry.obj.metadata.labels)) {
        this.setMembership(name, this.primaryPool(ev.entry.obj));
      }
      if (oldPool) this.dirty.add(oldPool);
      const now = this.poolOf.get(name);
      if (now) this.dirty.add(now);
      if (ev.type !== 'DELETED') {
        const n = ev.entry.obj;
        const tainted = ((n.spec?.taints ?? []) as KObj[]).some((t) => t.key === UNSCHEDULABLE_TAINT);
        if (!!n.spec?.unschedulable !== tainted) this.taintSync.add(name);
      }
    } else if (def === this.defs.mc) {
      if (isRendered(ev.entry.obj)) return;
      for (const pool of this.pools()) {
        const sel = pool.obj.spec?.machineConfigSelector;
        if (matchesLabelSelector(ev.entry.obj.metadata.labels, sel) || (ev.prev && matchesLabelSelector(ev.prev.obj.metadata.labels, sel))) this.renderQueue.add(pool.name);
      }
    } else if (def === this.defs.mcp) {
      const name = ev.entry.name;
      if (ev.type === 'DELETED') {
        for (const n of this.members.get(name) ?? []) this.poolOf.set(n, null);
        this.members.delete(name);
        this.recomputeMembership();
        this.builds.delete(name);
        return;
      }
      const prev = ev.prev?.obj;
      const cur = ev.entry.obj;
      if (!prev || !deepEqual(prev.spec?.nodeSelector, cur.spec?.nodeSelector)) this.recomputeMembership();
      if (!prev || !deepEqual(prev.spec?.machineConfigSelector, cur.spec?.machineConfigSelector)) this.renderQueue.add(name);
      if (!prev || !deepEqual(prev.spec, cur.spec) || prev.metadata.generation !== cur.metadata.generation) this.dirty.add(name);
      if (prev && prev.spec?.configuration?.name !== cur.spec?.configuration?.name && this.moscFor(name)) this.buildQueue.add(name);
    } else if (def === this.defs.cm) {
      if (ev.entry.name === OSIMAGEURL_CONFIGMAP && ev.entry.namespace === MCO_NAMESPACE) for (const p of this.pools()) this.renderQueue.add(p.name);
    } else if (def === this.defs.mosc) {
      const pool = ev.entry.obj.spec?.machineConfigPool?.name ?? ev.entry.name;
      if (ev.type === 'DELETED') {
        this.builds.delete(pool);
        this.buildQueue.delete(pool);
        this.mosbGc.add(ev.entry.name);
        this.dirty.add(pool);
      } else {
        const prev = ev.prev?.obj;
        const cur = ev.entry.obj;
        const rebuild = cur.metadata.annotations?.[ANN.rebuild] !== undefined && prev?.metadata.annotations?.[ANN.rebuild] === undefined;
        if (!prev || !deepEqual(prev.spec, cur.spec) || rebuild) this.buildQueue.add(pool);
      }
    } else return;
    this.kick();
  }

  /** Flushes soon after a client's write, so statuses follow without waiting for the next step. */
  private kick(): void {
    if (this.writing || this.stopped || this.kickTimer) return;
    this.kickTimer = setTimeout(() => {
      this.kickTimer = undefined;
      try {
        this.flush();
      } catch (err) {
        this.opts.log(`mco: flush failed: ${(err as Error).stack ?? err}`);
      }
    }, 0);
  }

  private pools(): Entry[] {
    return this.store.list(this.defs.mcp);
  }

  private pool(name: string): Entry | undefined {
    return this.store.get(this.defs.mcp, undefined, name);
  }

  private moscFor(pool: string): Entry | undefined {
    if (!this.opts.version.onClusterLayeringV1) return undefined;
    return this.store.list(this.defs.mosc).find((e) => (e.obj.spec?.machineConfigPool?.name ?? e.name) === pool);
  }

  // -------------------------------------------------------------------------------------------
  // Pool membership (GetPoolsForNode): master wins; one custom pool beats worker; two custom pools is an error.

  primaryPool(node: KObj): string | null {
    const labels = node.metadata?.labels ?? {};
    const matching = this.pools()
      .filter((p) => matchesLabelSelector(labels, p.obj.spec?.nodeSelector))
      .map((p) => p.name);
    if (!matching.length) return null;
    if (matching.includes('master')) return 'master';
    const custom = matching.filter((n) => n !== 'worker');
    if (custom.length > 1) {
      const msg = `node ${node.metadata.name} belongs to ${custom.length} custom roles, cannot proceed with this Node`;
      if (!this.warnings.includes(msg)) this.warnings.push(msg);
      this.opts.log(`mco: ${msg}`);
      return null;
    }
    if (custom.length === 1) return custom[0]!;
    return matching.includes('worker') ? 'worker' : matching[0]!;
  }

  private setMembership(node: string, pool: string | null): void {
    const old = this.poolOf.get(node);
    if (old === pool && this.poolOf.has(node)) return;
    if (old) this.members.get(old)?.delete(node);
    if (pool) {
      let s = this.members.get(pool);
      if (!s) this.members.set(pool, (s = new Set()));
      s.add(node);
      this.dirty.add(pool);
    }
    if (old) this.dirty.add(old);
    this.poolOf.set(node, pool);
  }

  recomputeMembership(): void {
    for (const e of this.store.list(this.defs.nodes)) this.setMembership(e.name, this.primaryPool(e.obj));
    for (const p of this.pools()) this.dirty.add(p.name);
  }

  nodesIn(pool: string): Entry[] {
    const out: Entry[] = [];
    for (const n of this.members.get(pool) ?? []) {
      const e = this.store.get(this.defs.nodes, undefined, n);
      if (e) out.push(e);
    }
    return out.sort((a, b) => (a.name < b.name ? -1 : 1));
  }

  poolOfNode(node: string): string | null {
    return this.poolOf.get(node) ?? null;
  }

  // -------------------------------------------------------------------------------------------
  // Render controller.

  private baseImageDefaults(): { base: string; extensions: string } {
    const cm = this.store.get(this.defs.cm, MCO_NAMESPACE, OSIMAGEURL_CONFIGMAP)?.obj.data;
    const fallback = baseImages(this.opts.version);
    return { base: cm?.baseOSContainerImage || fallback.base, extensions: cm?.baseOSExtensionsContainerImage || fallback.extensions };
  }

  /** MergeMachineConfigs, per version (MCO-FACTS §1, §2). Throws a render error message. */
  renderPool(poolObj: KObj): RenderResult {
    const v = this.opts.version;
    const pool = poolObj.metadata.name as string;
    const selector = poolObj.spec?.machineConfigSelector;
    let mcs = this.store
      .list(this.defs.mc)
      .map((e) => e.obj)
      .filter((mc) => !isRendered(mc) && matchesLabelSelector(mc.metadata.labels, selector));
    if (!mcs.length) throw new Error(`no MachineConfigs found matching selector ${selectorString(selector)}`);
    mcs.sort((a, b) => (a.metadata.name < b.metadata.name ? -1 : 1));
    if (v.workerRoleFirst) {
      const worker = mcs.filter((m) => m.metadata.labels?.[ANN.role] === 'worker');
      mcs = [...worker, ...mcs.filter((m) => m.metadata.labels?.[ANN.role] !== 'worker')];
    }
    for (const mc of mcs) {
      const kt = mc.spec?.kernelType ?? '';
      if (!v.kernelTypes.includes(kt)) throw new Error(`kernelType=${kt} is invalid`);
      if (v.renderValidatesExtensions && mc.spec?.config) {
        const bad = ((mc.spec?.extensions ?? []) as string[]).filter((x) => !v.extensions.includes(x));
        if (bad.length) throw new Error(`invalid extensions found: [${bad.join(' ')}]`);
      }
    }
    const defaults = this.baseImageDefaults();
    const files = new Map<string, KObj>();
    const units = new Map<string, KObj>();
    const users = new Map<string, KObj>();
    const kernelArguments: string[] = [];
    const extensions: string[] = [];
    let fips = false;
    let kernelType = 'default';
    let osImageURL = '';
    let extImage = '';
    for (const mc of mcs) {
      const spec = mc.spec ?? {};
      const cfg = spec.config ?? {};
      for (const f of (cfg.storage?.files ?? []) as KObj[]) files.set(f.path, f);
      for (const u of (cfg.systemd?.units ?? []) as KObj[]) units.set(u.name, { ...(units.get(u.name) ?? {}), ...u });
      for (const u of (cfg.passwd?.users ?? []) as KObj[]) {
        const prev = users.get(u.name);
        users.set(u.name, prev ? { ...prev, ...u, sshAuthorizedKeys: [...(prev.sshAuthorizedKeys ?? []), ...(u.sshAuthorizedKeys ?? [])] } : u);
      }
      kernelArguments.push(...((spec.kernelArguments ?? []) as string[]));
      for (const x of (spec.extensions ?? []) as string[]) if (!extensions.includes(x)) extensions.push(x);
      if (spec.fips) fips = true;
      if (spec.kernelType && spec.kernelType !== 'default') kernelType = spec.kernelType;
      const generated = mc.metadata.annotations?.[ANN.generatedBy] !== undefined;
      if (!(v.ignoreGeneratedImageOverrides && generated)) {
        if (spec.osImageURL) osImageURL = spec.osImageURL;
        if (spec.baseOSExtensionsContainerImage) extImage = spec.baseOSExtensionsContainerImage;
      }
    }
    if (extensions.includes('kernel-devel') && kernelType !== 'default') throw new Error(`installing kernel-devel extension is not supported with kernelType: ${kernelType}`);
    const overridden = osImageURL !== '' && osImageURL !== defaults.base;
    const config: KObj = { ignition: { version: v.ignitionVersion } };
    if (users.size) config.passwd = { users: [...users.values()] };
    config.storage = { files: [...files.values()] };
    config.systemd = { units: [...units.values()] };
    const spec = {
      baseOSExtensionsContainerImage: extImage || defaults.extensions,
      config,
      extensions,
      fips,
      kernelArguments,
      kernelType,
      osImageURL: osImageURL || defaults.base,
    };
    const hash = md5(canonicalJson(spec));
    return { name: `rendered-${pool}-${hash}`, spec, sources: mcs.map((m) => m.metadata.name), overridden };
  }

  renderedObject(poolObj: KObj, r: RenderResult, created = nowIso()): KObj {
    const annotations: Record<string, string> = {
      [ANN.generatedBy]: this.opts.controllerVersion,
      [ANN.releaseImageVersion]: this.opts.version.release,
    };
    if (r.overridden) annotations[ANN.overridden] = 'true';
    return {
      apiVersion: `${MC}/v1`,
      kind: 'MachineConfig',
      metadata: {
        name: r.name,
        uid: sha256(`uid:${r.name}`).replace(/^(.{8})(.{4})(.{3})(.{3})(.{12}).*$/, '$1-$2-4$3-8$4-$5'),
        generation: 1,
        creationTimestamp: created,
        annotations,
        ownerReferences: [{ apiVersion: `${MC}/v1`, blockOwnerDeletion: true, controller: true, kind: 'MachineConfigPool', name: poolObj.metadata.name, uid: poolObj.metadata.uid }],
        managedFields: [
          {
            apiVersion: `${MC}/v1`,
            fieldsType: 'FieldsV1',
            fieldsV1: { 'f:metadata': { 'f:annotations': { '.': {}, [`f:${ANN.generatedBy}`]: {}, [`f:${ANN.releaseImageVersion}`]: {} }, 'f:ownerReferences': {} }, 'f:spec': { '.': {}, 'f:config': {}, 'f:extensions': {}, 'f:fips': {}, 'f:kernelArguments': {}, 'f:kernelType': {}, 'f:osImageURL': {} } },
            manager: 'machine-config-controller',
            operation: 'Update',
            time: created,
          },
        ],
      },
      spec: r.spec,
    };
  }

  private doRender(poolName: string): void {
    const pool = this.pool(poolName);
    if (!pool) return;
    let r: RenderResult;
    try {
      r = this.renderPool(pool.obj);
    } catch (err) {
      const msg = `Failed to render configuration for pool ${poolName}: ${(err as Error).message}`;
      this.renderErrors.set(poolName, msg);
      this.opts.log(`mco: ${msg}`);
      this.dirty.add(poolName);
      return;
    }
    this.renderErrors.delete(poolName);
    if (!this.store.get(this.defs.mc, undefined, r.name)) {
      this.store.put(this.defs.mc, this.renderedObject(pool.obj, r));
      this.opts.log(`mco: rendered ${r.name} for pool ${poolName} from ${r.sources.length} MachineConfigs`);
    }
    const configuration = { name: r.name, source: r.sources.map((name) => ({ apiVersion: `${MC}/v1`, kind: 'MachineConfig', name })) };
    if (!deepEqual(pool.obj.spec?.configuration, configuration)) {
      const obj = structuredClone(pool.obj);
      obj.spec.configuration = configuration;
      obj.metadata.generation = Number(obj.metadata.generation ?? 1) + 1;
      touchManager(obj, 'machine-config-controller');
      this.store.put(this.defs.mcp, obj);
    }
    this.dirty.add(poolName);
  }

  // -------------------------------------------------------------------------------------------
  // Pool status (calculateStatus).

  /** The layered image nodes of the pool should run (on-cluster layering), if any. */
  private targetImage(pool: string): string | undefined {
    return this.moscFor(pool)?.obj.status?.currentImagePullSpec || undefined;
  }

  private nodeReady(node: KObj): boolean {
    for (const c of (node.status?.conditions ?? []) as KObj[]) {
      if (c.type === 'Ready' && c.status !== 'True') return false;
      if (c.type === 'DiskPressure' && c.status !== 'False') return false;
      if (c.type === 'NetworkUnavailable' && c.status !== 'False') return false;
    }
    return !node.spec?.unschedulable;
  }

  private isDone(node: KObj): boolean {
    const a = node.metadata.annotations ?? {};
    if (!a[ANN.current] || !a[ANN.desired]) return false;
    return a[ANN.current] === a[ANN.desired] && a[ANN.state] === 'Done' && (a[ANN.currentImage] ?? '') === (a[ANN.desiredImage] ?? '');
  }

  private isFailing(node: KObj): boolean {
    const a = node.metadata.annotations ?? {};
    if (a[ANN.current] === a[ANN.desired] && (a[ANN.currentImage] ?? '') === (a[ANN.desiredImage] ?? '')) return false;
    return a[ANN.state] === 'Degraded' || a[ANN.state] === 'Unreconcilable';
  }

  private isUnavailable(node: KObj): boolean {
    if (!this.nodeReady(node)) return true;
    if (this.isDone(node)) return false;
    return !this.isFailing(node);
  }

  private isUpdatedTo(node: KObj, target: string, image: string | undefined): boolean {
    const a = node.metadata.annotations ?? {};
    return this.isDone(node) && a[ANN.current] === target && (a[ANN.currentImage] ?? '') === (image ?? '');
  }

  private calculateStatus(pool: KObj, nodes: KObj[]): KObj {
    const v = this.opts.version;
    const target: string = pool.spec?.configuration?.name ?? '';
    const image = this.targetImage(pool.metadata.name);
    const cfgLabel = v.poolMessageSaysMachineConfig ? `MachineConfig ${target}` : target;
    let updated = 0;
    let ready = 0;
    let unavailable = 0;
    const degradedReasons: string[] = [];
    let degraded = 0;
    for (const n of nodes) {
      const up = this.isUpdatedTo(n, target, image);
      if (up) updated++;
      if (up && this.nodeReady(n)) ready++;
      if (this.isUnavailable(n)) unavailable++;
      const a = n.metadata.annotations ?? {};
      if (a[ANN.desired] && (a[ANN.state] === 'Degraded' || a[ANN.state] === 'Unreconcilable')) {
        degraded++;
        if (a[ANN.reason]) degradedReasons.push(`Node ${n.metadata.name} is reporting: ${goQuote(a[ANN.reason])}`);
      }
    }
    const machineCount = nodes.length;
    const old = pool.status ?? {};
    const st: KObj = {
      conditions: structuredClone(old.conditions ?? []),
      configuration: old.configuration ?? pool.spec?.configuration ?? {},
      degradedMachineCount: degraded,
      machineCount,
      observedGeneration: pool.metadata.generation ?? 1,
      readyMachineCount: ready,
      unavailableMachineCount: unavailable,
      updatedMachineCount: updated,
    };
    const set = (type: string, s: 'True' | 'False', reason: string, message: string) => setCondition(st.conditions, type, s, reason, message);
    const renderError = this.renderErrors.get(pool.metadata.name);
    set('RenderDegraded', renderError ? 'True' : 'False', renderError ? 'RenderFailure' : '', renderError ?? '');
    const allUpdated = updated === machineCount && ready === machineCount && unavailable === 0;
    if (allUpdated) {
      const msg = v.poolMessageSaysMachineConfig && image ? `All nodes are updated with ${cfgLabel} / Image ${image}` : `All nodes are updated with ${cfgLabel}`;
      set('Updated', 'True', '', msg);
      set('Updating', 'False', '', '');
      if (target) st.configuration = structuredClone(pool.spec.configuration);
    } else {
      set('Updated', 'False', '', '');
      if (pool.spec?.paused) set('Updating', 'False', '', `Pool is paused; will not update to ${target}`);
      else set('Updating', 'True', '', `All nodes are updating to ${cfgLabel}`);
    }
    if (degraded > 0) set('NodeDegraded', 'True', `${degraded} nodes are reporting degraded status on sync`, degradedReasons.join(', '));
    else set('NodeDegraded', 'False', '', '');
    const build = this.builds.get(pool.metadata.name);
    let imageBuildDegraded = false;
    if (this.opts.version.onClusterLayeringV1 && (build || st.conditions.some((c: KObj) => c.type === 'ImageBuildDegraded'))) {
      imageBuildDegraded = build?.phase === 'failed';
      set(
        'ImageBuildDegraded',
        imageBuildDegraded ? 'True' : 'False',
        imageBuildDegraded ? 'BuildFailed' : '',
        imageBuildDegraded ? `Failed to build OS image for pool ${pool.metadata.name} (MachineOSBuild: ${build!.mosb}): Failed: Build Failed` : '',
      );
    }
    set('Degraded', degraded > 0 || renderError || imageBuildDegraded ? 'True' : 'False', '', '');
    return st;
  }

  private syncStatus(poolName: string): void {
    const pool = this.pool(poolName);
    if (!pool) return;
    const nodes = this.nodesIn(poolName).map((e) => e.obj);
    const st = this.calculateStatus(pool.obj, nodes);
    if (deepEqual(st, pool.obj.status)) return;
    const obj = { ...pool.obj, status: st, metadata: { ...pool.obj.metadata } };
    touchManager(obj, 'machine-config-controller', 'status');
    this.store.put(this.defs.mcp, obj);
  }

  // -------------------------------------------------------------------------------------------
  // Node controller: pick candidates within maxUnavailable (getCandidateMachines).

  maxUnavailable(pool: KObj, count: number): number {
    const mu = pool.spec?.maxUnavailable;
    if (mu === undefined || mu === null) return 1;
    if (typeof mu === 'number') return Math.max(1, mu);
    const m = /^(\d+)%$/.exec(String(mu));
    if (m) return Math.max(1, Math.floor((Number(m[1]) * count) / 100));
    const n = Number(mu);
    return Number.isFinite(n) && n > 0 ? n : 1;
  }

  private selectCandidates(poolName: string): void {
    const pool = this.pool(poolName);
    if (!pool || pool.obj.spec?.paused) return;
    const target: string | undefined = pool.obj.spec?.configuration?.name;
    if (!target) return;
    const image = this.targetImage(poolName);
    const build = this.builds.get(poolName);
    if (build && build.phase !== 'done') return; // a layered pool waits for its image
    const nodes = this.nodesIn(poolName);
    const max = this.maxUnavailable(pool.obj, nodes.length);
    let unavailable = 0;
    let failingThis = 0;
    const candidates: Entry[] = [];
    for (const e of nodes) {
      const n = e.obj;
      if (this.isUnavailable(n)) unavailable++;
      const a = n.metadata.annotations ?? {};
      const desiredMatches = a[ANN.desired] === target && (a[ANN.desiredImage] ?? '') === (image ?? '');
      if (desiredMatches) {
        if (this.isFailing(n)) failingThis++;
        continue;
      }
      if (!this.tasks.has(e.name)) candidates.push(e);
    }
    if (unavailable >= max) return;
    let capacity = max - unavailable;
    if (failingThis >= capacity) return;
    capacity -= failingThis;
    for (const e of candidates.slice(0, capacity)) this.beginUpdate(e, poolName, target, image);
  }

  private beginUpdate(e: Entry, pool: string, target: string, image: string | undefined): void {
    const a = e.obj.metadata.annotations ?? {};
    this.writeNode(e.name, 'machine-config-controller', (n) => {
      n.metadata.annotations[ANN.desired] = target;
      if (image) n.metadata.annotations[ANN.desiredImage] = image;
      else delete n.metadata.annotations[ANN.desiredImage];
    });
    const sameConfig = a[ANN.current] === target && (a[ANN.currentImage] ?? '') === (image ?? '');
    // A degraded node sent back to the config it is on only needs to be uncordoned and marked Done.
    const phase: Phase = sameConfig ? 'uncordon-request' : 'working';
    this.tasks.set(e.name, { node: e.name, pool, target, targetImage: image, phase, wait: 0 });
    this.opts.log(`mco: pool ${pool}: node ${e.name} → ${target}${image ? ` / ${image}` : ''}`);
  }

  // -------------------------------------------------------------------------------------------
  // The daemon and drain controller on each node.

  private writeNode(name: string, manager: string, mutate: (n: KObj) => void, subresource?: string): void {
    const e = this.store.get(this.defs.nodes, undefined, name);
    if (!e) return;
    const obj = structuredClone(e.obj);
    obj.metadata.annotations ??= {};
    mutate(obj);
    touchManager(obj, manager, subresource);
    this.store.put(this.defs.nodes, obj);
  }

  private failureReason(kind: FaultKind, node: string, image: string, custom?: string): string {
    if (custom) return custom;
    if (kind === 'drain') return `failed to drain node: ${node} after 1 hour. Please see machine-config-controller logs for more information`;
    if (kind === 'unreconcilable') return `can't reconcile config ${this.currentOf(node)} with ${this.desiredOf(node)}: ignition Passwd Groups section contains changes: unreconcilable`;
    const [repo, ref] = image.includes('@') ? image.split('@') : [image.replace(/:[^/:]*$/, ''), image.split(':').pop()];
    return `failed to update OS to ${image} : error running rpm-ostree rebase --experimental ostree-unverified-registry:${image}: error: Creating importer: failed to invoke method OpenImage: failed to invoke method OpenImage: reading manifest ${ref} in ${repo}: manifest unknown: exit status 1`;
  }

  private currentOf(node: string): string {
    return this.store.get(this.defs.nodes, undefined, node)?.obj.metadata.annotations?.[ANN.current] ?? '';
  }
  private desiredOf(node: string): string {
    return this.store.get(this.defs.nodes, undefined, node)?.obj.metadata.annotations?.[ANN.desired] ?? '';
  }

  private osImageOf(rendered: string, layeredImage: string | undefined): string {
    if (layeredImage) return layeredImage;
    return this.store.get(this.defs.mc, undefined, rendered)?.obj.spec?.osImageURL ?? '';
  }

  private fail(task: Task, kind: FaultKind, reason?: string): void {
    const msg = this.failureReason(kind, task.node, this.osImageOf(task.target, task.targetImage), reason);
    this.writeNode(task.node, 'machine-config-daemon', (n) => {
      n.metadata.annotations[ANN.state] = kind === 'unreconcilable' ? 'Unreconcilable' : 'Degraded';
      n.metadata.annotations[ANN.reason] = msg.slice(0, 2000);
    });
    this.tasks.delete(task.node);
    this.armed.delete(task.node);
    this.opts.log(`mco: node ${task.node} degraded: ${msg}`);
  }

  private setReady(n: KObj, st: 'True' | 'False' | 'Unknown'): void {
    const now = nowIso();
    for (const c of n.status.conditions as KObj[]) {
      if (st === 'Unknown') {
        c.status = 'Unknown';
        c.reason = 'NodeStatusUnknown';
        c.message = 'Kubelet stopped posting node status.';
        c.lastTransitionTime = now;
        continue;
      }
      c.lastHeartbeatTime = now;
      if (c.type === 'Ready') {
        if (c.status !== st) c.lastTransitionTime = now;
        c.status = st;
        c.reason = st === 'True' ? 'KubeletReady' : 'KubeletNotReady';
        c.message =
          st === 'True'
            ? 'kubelet is posting ready status'
            : 'container runtime network not ready: NetworkReady=false reason:NetworkPluginNotReady message:Network plugin returns error: no CNI configuration file in /etc/kubernetes/cni/net.d/. Has your network provider started?';
      } else if (c.status === 'Unknown') {
        const fresh: Record<string, [string, string]> = {
          MemoryPressure: ['KubeletHasSufficientMemory', 'kubelet has sufficient memory available'],
          DiskPressure: ['KubeletHasNoDiskPressure', 'kubelet has no disk pressure'],
          PIDPressure: ['KubeletHasSufficientPID', 'kubelet has sufficient PID available'],
        };
        const f = fresh[c.type];
        if (f) Object.assign(c, { status: 'False', reason: f[0], message: f[1], lastTransitionTime: now });
      }
    }
  }

  private advance(task: Task): void {
    if (task.wait > 0) {
      task.wait--;
      return;
    }
    const armed = this.armed.get(task.node);
    const v = this.opts.version;
    const drain = (suffix: 'drain' | 'uncordon') => `${suffix}-${task.target}`;
    switch (task.phase) {
      case 'working':
        this.writeNode(task.node, 'machine-config-daemon', (n) => {
          n.metadata.annotations[ANN.state] = 'Working';
          n.metadata.annotations[ANN.reason] = '';
          n.metadata.annotations[ANN.desiredDrain] = drain('drain');
        });
        break;
      case 'cordon':
        this.writeNode(task.node, 'machine-config-controller', (n) => {
          n.spec.unschedulable = true;
          const taints = ((n.spec.taints ?? []) as KObj[]).filter((t) => t.key !== UNSCHEDULABLE_TAINT);
          taints.push({ effect: 'NoSchedule', key: UNSCHEDULABLE_TAINT, timeAdded: nowIso() });
          n.spec.taints = taints;
        });
        task.wait = this.opts.drainSteps;
        break;
      case 'drain':
        if (armed?.kind === 'drain') return this.fail(task, 'drain', armed.reason);
        break;
      case 'drained':
        this.writeNode(task.node, 'machine-config-controller', (n) => {
          n.metadata.annotations[ANN.lastAppliedDrain] = drain('drain');
        });
        break;
      case 'apply': {
        if (armed && armed.kind !== 'drain') return this.fail(task, armed.kind, armed.reason);
        if (!v.renderValidatesExtensions) {
          const exts: string[] = this.store.get(this.defs.mc, undefined, task.target)?.obj.spec?.extensions ?? [];
          const bad = exts.filter((x) => !v.extensions.includes(x));
          if (bad.length) return this.fail(task, 'rebase', `invalid extensions found: [${bad.join(' ')}]`);
        }
        if (v.postConfigAction) {
          this.writeNode(task.node, 'machine-config-daemon', (n) => {
            n.metadata.annotations[ANN.postConfigAction] = 'Rebooting';
          });
        }
        break;
      }
      case 'down':
        this.writeNode(
          task.node,
          'kube-controller-manager',
          (n) => {
            this.setReady(n, 'Unknown');
            const taints = ((n.spec.taints ?? []) as KObj[]).filter((t) => !t.key.startsWith('node.kubernetes.io/unreachable'));
            taints.push({ effect: 'NoSchedule', key: 'node.kubernetes.io/unreachable', timeAdded: nowIso() }, { effect: 'NoExecute', key: 'node.kubernetes.io/unreachable', timeAdded: nowIso() });
            n.spec.taints = taints;
          },
          'status',
        );
        task.wait = this.opts.rebootSteps;
        break;
      case 'boot':
        this.writeNode(
          task.node,
          'kubelet',
          (n) => {
            this.setReady(n, 'False');
            n.status.nodeInfo.bootID = sha256(`${task.node}:${Date.now()}:${Math.random()}`).replace(/^(.{8})(.{4})(.{4})(.{4})(.{12}).*$/, '$1-$2-$3-$4-$5');
            const taints = ((n.spec.taints ?? []) as KObj[]).filter((t) => !t.key.startsWith('node.kubernetes.io/unreachable') && t.key !== 'node.kubernetes.io/not-ready');
            taints.push({ effect: 'NoSchedule', key: 'node.kubernetes.io/not-ready', timeAdded: nowIso() });
            n.spec.taints = taints;
          },
          'status',
        );
        break;
      case 'ready':
        this.writeNode(
          task.node,
          'kubelet',
          (n) => {
            this.setReady(n, 'True');
            n.spec.taints = ((n.spec.taints ?? []) as KObj[]).filter((t) => t.key !== 'node.kubernetes.io/not-ready');
          },
          'status',
        );
        break;
      case 'uncordon-request':
        this.writeNode(task.node, 'machine-config-daemon', (n) => {
          delete n.metadata.annotations[ANN.postConfigAction];
          n.metadata.annotations[ANN.desiredDrain] = drain('uncordon');
        });
        break;
      case 'uncordon':
        this.writeNode(task.node, 'machine-config-controller', (n) => {
          delete n.spec.unschedulable;
          const taints = ((n.spec.taints ?? []) as KObj[]).filter((t) => t.key !== UNSCHEDULABLE_TAINT);
          if (taints.length) n.spec.taints = taints;
          else delete n.spec.taints;
          n.metadata.annotations[ANN.lastAppliedDrain] = drain('uncordon');
        });
        break;
      case 'done':
        this.writeNode(task.node, 'machine-config-daemon', (n) => {
          n.metadata.annotations[ANN.current] = task.target;
          n.metadata.annotations[ANN.state] = 'Done';
          n.metadata.annotations[ANN.reason] = '';
          if (task.targetImage) n.metadata.annotations[ANN.currentImage] = task.targetImage;
          else delete n.metadata.annotations[ANN.currentImage];
        });
        this.tasks.delete(task.node);
        this.opts.log(`mco: node ${task.node} is Done at ${task.target}`);
        return;
    }
    task.phase = PHASES[PHASES.indexOf(task.phase) + 1]!;
  }

  // -------------------------------------------------------------------------------------------
  // On-cluster layering: MachineOSConfig → MachineOSBuild → image → nodes.

  private startBuild(pool: string): void {
    const mosc = this.moscFor(pool);
    const poolObj = this.pool(pool)?.obj;
    const rendered = poolObj?.spec?.configuration?.name;
    if (!mosc || !rendered) return;
    const rebuild = mosc.obj.metadata.annotations?.[ANN.rebuild] !== undefined ? `rebuild-${++this.rebuilds}` : '';
    const mosbName = `${mosc.name}-${md5(`${rendered}:${canonicalJson(mosc.obj.spec)}:${rebuild}`)}`;
    const existing = this.builds.get(pool);
    if (existing?.mosb === mosbName && existing.phase !== 'failed') return;
    const build: Build = { pool, mosc: mosc.name, mosb: mosbName, renderedConfig: rendered, ticks: 0, phase: 'pending', fail: this.failNextBuild.delete(pool) };
    this.builds.set(pool, build);
    const now = nowIso();
    const cond = (type: string, st: string, reason: string, message: string) => ({ lastTransitionTime: now, message, reason, status: st, type });
    const mosb: KObj = {
      apiVersion: `${MC}/v1`,
      kind: 'MachineOSBuild',
      metadata: {
        name: mosbName,
        uid: sha256(`uid:${mosbName}:${now}`).replace(/^(.{8})(.{4})(.{3})(.{3})(.{12}).*$/, '$1-$2-4$3-8$4-$5'),
        generation: 1,
        creationTimestamp: now,
        labels: {
          [`${A}machine-os-config`]: mosc.name,
          [`${A}target-machine-config-pool`]: pool,
          [`${A}rendered-machine-config`]: rendered,
        },
        annotations: { [`${A}machine-os-config`]: mosc.name },
        ownerReferences: [{ apiVersion: `${MC}/v1`, kind: 'MachineOSConfig', name: mosc.name, uid: mosc.obj.metadata.uid, controller: true, blockOwnerDeletion: true }],
        managedFields: [{ apiVersion: `${MC}/v1`, fieldsType: 'FieldsV1', fieldsV1: { 'f:spec': {} }, manager: 'machine-os-builder', operation: 'Update', time: now }],
      },
      spec: { machineConfig: { name: rendered }, machineOSConfig: { name: mosc.name }, renderedImagePushSpec: mosc.obj.spec?.renderedImagePushSpec ?? '' },
      status: {
        conditions: [
          cond('Prepared', 'False', 'Prepared', 'Build not ready yet'),
          cond('Building', 'False', 'Building', 'Build not started'),
          cond('Succeeded', 'False', 'Prepared', 'Build not complete'),
          cond('Interrupted', 'False', 'Building', 'Build not interrupted'),
          cond('Failed', 'False', 'Prepared', 'Build not failed'),
        ],
      },
    };
    const old = this.store.get(this.defs.mosb, undefined, mosbName);
    if (old) this.store.remove(this.defs.mosb, undefined, mosbName);
    this.store.put(this.defs.mosb, mosb);
    const m = structuredClone(mosc.obj);
    m.metadata.annotations = { ...(m.metadata.annotations ?? {}), [ANN.currentMosb]: mosbName };
    delete m.metadata.annotations[ANN.rebuild];
    this.store.put(this.defs.mosc, m);
    this.dirty.add(pool);
    this.opts.log(`mco: pool ${pool}: building MachineOSBuild ${mosbName}`);
  }

  private advanceBuild(b: Build): void {
    if (b.phase === 'done' || b.phase === 'failed') return;
    b.ticks++;
    const e = this.store.get(this.defs.mosb, undefined, b.mosb);
    if (!e) {
      this.builds.delete(b.pool);
      return;
    }
    const obj = structuredClone(e.obj);
    const now = nowIso();
    const setCond = (type: string, st: string, reason: string, message: string) => setCondition(obj.status.conditions, type, st, reason, message, now);
    const job = { group: 'batch', name: `build-${b.mosb}`, namespace: MCO_NAMESPACE, resource: 'jobs' };
    if (b.phase === 'pending') {
      setCond('Prepared', 'True', 'Prepared', 'Build Prepared and Pending');
      obj.status.builder = { imageBuilderType: 'Job', job };
      obj.status.buildStart = now;
      b.phase = 'prepared';
    } else if (b.phase === 'prepared') {
      setCond('Building', 'True', 'Building', 'Image Build In Progress');
      b.phase = 'building';
    } else if (b.ticks >= this.opts.buildSteps) {
      setCond('Building', 'False', 'Building', 'Build Stopped');
      obj.status.buildEnd = now;
      if (b.fail) {
        setCond('Failed', 'True', 'BuildFailed', 'Build Failed');
        b.phase = 'failed';
      } else {
        const push: string = obj.spec.renderedImagePushSpec || 'image-registry.openshift-image-registry.svc:5000/openshift-machine-config-operator/os-image:latest';
        const repo = push.replace(/(:[^/:@]+)?$/, '');
        const digested = `${repo}@sha256:${sha256(`${b.mosb}:${push}`)}`;
        obj.status.digestedImagePushSpec = digested;
        setCond('Succeeded', 'True', 'Ready', 'Build Ready');
        b.phase = 'done';
        const mosc = this.store.get(this.defs.mosc, undefined, b.mosc);
        if (mosc) {
          const m = structuredClone(mosc.obj);
          m.status = {
            ...(m.status ?? {}),
            currentImagePullSpec: digested,
            machineOSBuild: { group: MC, name: b.mosb, resource: 'machineosbuilds' },
            observedGeneration: m.metadata.generation ?? 1,
            conditions: [{ lastTransitionTime: now, message: '', reason: 'Ready', status: 'True', type: 'Ready' }],
          };
          this.store.put(this.defs.mosc, m);
        }
        this.opts.log(`mco: pool ${b.pool}: build ${b.mosb} succeeded: ${digested}`);
      }
    } else return;
    this.store.put(this.defs.mosb, obj);
    this.dirty.add(b.pool);
  }

  // -------------------------------------------------------------------------------------------
  // The loop.

  flush(): void {
    this.writing = true;
    try {
      for (const name of [...this.taintSync]) {
        this.taintSync.delete(name);
        const n = this.store.get(this.defs.nodes, undefined, name)?.obj;
        if (!n) continue;
        const tainted = ((n.spec?.taints ?? []) as KObj[]).some((t) => t.key === UNSCHEDULABLE_TAINT);
        if (!!n.spec?.unschedulable === tainted) continue;
        this.writeNode(name, 'kube-controller-manager', (x) => {
          const taints = ((x.spec.taints ?? []) as KObj[]).filter((t) => t.key !== UNSCHEDULABLE_TAINT);
          if (x.spec.unschedulable) taints.push({ effect: 'NoSchedule', key: UNSCHEDULABLE_TAINT, timeAdded: nowIso() });
          if (taints.length) x.spec.taints = taints;
          else delete x.spec.taints;
        });
      }
      for (const p of [...this.renderQueue]) {
        this.renderQueue.delete(p);
        this.doRender(p);
      }
      for (const p of [...this.buildQueue]) {
        this.buildQueue.delete(p);
        this.startBuild(p);
      }
      for (const mosc of [...this.mosbGc]) {
        this.mosbGc.delete(mosc);
        for (const e of this.store.list(this.defs.mosb)) if (e.obj.spec?.machineOSConfig?.name === mosc) this.store.remove(this.defs.mosb, undefined, e.name);
      }
      for (const p of [...this.dirty]) {
        this.dirty.delete(p);
        this.scan.add(p);
        this.syncStatus(p);
      }
      this.dirty.clear();
    } finally {
      this.writing = false;
    }
    for (const l of [...this.settledListeners]) l();
  }

  tick(): void {
    this.writing = true;
    try {
      for (const p of [...this.renderQueue]) {
        this.renderQueue.delete(p);
        this.doRender(p);
      }
      for (const b of [...this.builds.values()]) this.advanceBuild(b);
      for (const t of [...this.tasks.values()]) this.advance(t);
      for (const p of [...this.scan]) {
        this.scan.delete(p);
        this.selectCandidates(p);
      }
    } finally {
      this.writing = false;
    }
    this.flush();
  }

  // -------------------------------------------------------------------------------------------
  // Bootstrap and faults.

  /** Renders every pool and fills in node annotations before nodes are stored (startup). */
  bootstrap(nodes: Array<{ obj: KObj }>, createdAt: string, previousRelease: string): void {
    this.writing = true;
    try {
      for (const pool of this.pools()) {
        const r = this.renderPool(pool.obj);
        // An older rendered config from before the last upgrade, as real clusters keep them.
        const olderSpec = { ...r.spec, osImageURL: r.spec.osImageURL.replace(/sha256:[0-9a-f]+/, `sha256:${sha256(`rhel-coreos:${previousRelease}`)}`) };
        const older: RenderResult = { ...r, spec: olderSpec, name: `rendered-${pool.name}-${md5(canonicalJson(olderSpec))}` };
        this.store.put(this.defs.mc, this.renderedObject(pool.obj, older, createdAt));
        this.store.put(this.defs.mc, this.renderedObject(pool.obj, r, new Date(Date.parse(createdAt) + 30 * 3600e3).toISOString().replace(/\.\d{3}Z$/, 'Z')));
        const obj = structuredClone(pool.obj);
        obj.spec.configuration = { name: r.name, source: r.sources.map((name) => ({ apiVersion: `${MC}/v1`, kind: 'MachineConfig', name })) };
        obj.status = {
          configuration: structuredClone(obj.spec.configuration),
          conditions: ['RenderDegraded', 'NodeDegraded', 'Degraded', 'Updated', 'Updating'].map((type) => ({ lastTransitionTime: createdAt, message: '', reason: '', status: 'False', type })),
        };
        this.store.put(this.defs.mcp, obj);
      }
      for (const n of nodes) {
        const pool = this.primaryPool(n.obj);
        const rendered = pool ? this.pool(pool)?.obj.spec.configuration.name : undefined;
        const a = n.obj.metadata.annotations;
        if (rendered) {
          a[ANN.current] = rendered;
          a[ANN.desired] = rendered;
          a[ANN.desiredDrain] = `uncordon-${rendered}`;
          a[ANN.lastAppliedDrain] = `uncordon-${rendered}`;
        }
        a[ANN.reason] = '';
        a[ANN.state] = 'Done';
        n.obj.metadata.annotations = Object.fromEntries(Object.entries(a).sort(([x], [y]) => (x < y ? -1 : 1)));
        this.store.put(this.defs.nodes, n.obj);
      }
      this.recomputeMembership();
      for (const p of this.pools()) {
        const obj = structuredClone(p.obj);
        const st = this.calculateStatus(obj, this.nodesIn(p.name).map((e) => e.obj));
        for (const c of st.conditions) c.lastTransitionTime = createdAt;
        obj.status = st;
        this.store.put(this.defs.mcp, obj);
      }
      this.dirty.clear();
      this.renderQueue.clear();
    } finally {
      this.writing = false;
    }
  }

  /**
   * Degrades nodes with the MCO's kind of reason. `when: 'auto'` fails a running update at the matching
   * step (drain or OS rebase) or arms the fault for the node's next update; `'now'` marks the node
   * Degraded at once.
   */
  degrade(nodes: string[], kind: FaultKind, opts: { when?: 'auto' | 'now'; reason?: string } = {}): void {
    this.writing = true;
    try {
      for (const node of nodes) {
        if (!this.store.get(this.defs.nodes, undefined, node)) throw new Error(`no such node: ${node}`);
        const task = this.tasks.get(node);
        const image = this.osImageOf(this.desiredOf(node), task?.targetImage);
        if (opts.when === 'now' || (task && PHASES.indexOf(task.phase) > PHASES.indexOf(kind === 'drain' ? 'drain' : 'apply'))) {
          const msg = this.failureReason(kind, node, image, opts.reason);
          this.tasks.delete(node);
          this.armed.delete(node);
          this.writeNode(node, 'machine-config-daemon', (n) => {
            n.metadata.annotations[ANN.state] = kind === 'unreconcilable' ? 'Unreconcilable' : 'Degraded';
            n.metadata.annotations[ANN.reason] = msg.slice(0, 2000);
          });
          this.opts.log(`mco: node ${node} degraded: ${msg}`);
        } else {
          this.armed.set(node, { kind, ...(opts.reason ? { reason: opts.reason } : {}) });
        }
        const pool = this.poolOf.get(node);
        if (pool) this.dirty.add(pool);
      }
    } finally {
      this.writing = false;
    }
    this.flush();
  }

  /** Clears faults; degraded nodes retry their update (which now succeeds). */
  recover(nodes: string[]): void {
    this.writing = true;
    try {
      for (const node of nodes) {
        this.armed.delete(node);
        const e = this.store.get(this.defs.nodes, undefined, node);
        if (!e) continue;
        const a = e.obj.metadata.annotations ?? {};
        if (a[ANN.state] !== 'Degraded' && a[ANN.state] !== 'Unreconcilable') continue;
        const pool = this.poolOf.get(node) ?? '';
        const same = a[ANN.current] === a[ANN.desired] && (a[ANN.currentImage] ?? '') === (a[ANN.desiredImage] ?? '');
        this.tasks.set(node, { node, pool, target: a[ANN.desired], targetImage: a[ANN.desiredImage], phase: same ? 'uncordon-request' : 'working', wait: 0 });
      }
    } finally {
      this.writing = false;
    }
  }

  failNextBuildFor(pool: string): void {
    this.failNextBuild.add(pool);
  }

  /** Nodes currently updating, with their step. */
  activeUpdates(): Array<{ node: string; pool: string; target: string; phase: string }> {
    return [...this.tasks.values()].map((t) => ({ node: t.node, pool: t.pool, target: t.target, phase: t.phase }));
  }

  armedFaults(): Array<{ node: string; kind: FaultKind }> {
    return [...this.armed.entries()].map(([node, f]) => ({ node, kind: f.kind }));
  }

  /** True while the pool has a render, status sync, build or node update still to do. */
  pending(pool: string): boolean {
    if (this.writing) return true; // observed from inside a controller step: not settled yet
    if (this.renderQueue.has(pool) || this.dirty.has(pool) || this.buildQueue.has(pool)) return true;
    const b = this.builds.get(pool);
    if (b && b.phase !== 'done' && b.phase !== 'failed') return true;
    for (const t of this.tasks.values()) if (t.pool === pool) return true;
    return false;
  }

  renderError(pool: string): string | undefined {
    return this.renderErrors.get(pool);
  }
}

export function isRendered(mc: KObj): boolean {
  return typeof mc.metadata?.name === 'string' && mc.metadata.name.startsWith('rendered-') && (mc.metadata.ownerReferences ?? []).some((o: KObj) => o.kind === 'MachineConfigPool');
}

function selectorString(sel: KObj | undefined): string {
  if (!sel) return '<nil>';
  const parts = Object.entries(sel.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`);
  for (const e of (sel.matchExpressions ?? []) as KObj[]) parts.push(`${e.key} ${String(e.operator).toLowerCase()} (${(e.values ?? []).join(',')})`);
  return parts.join(',');
}

/** SetMachineConfigPoolCondition: keeps lastTransitionTime unless the status changes. */
function setCondition(conditions: KObj[], type: string, st: string, reason: string, message: string, now = nowIso()): void {
  const i = conditions.findIndex((c) => c.type === type);
  const cur = i >= 0 ? conditions[i] : undefined;
  if (cur && cur.status === st && cur.reason === reason && cur.message === message) return;
  const next = { lastTransitionTime: cur && cur.status === st ? cur.lastTransitionTime : now, message, reason, status: st, type };
  if (i >= 0) conditions[i] = next;
  else conditions.push(next);
}

/** Bumps the time of a manager's managedFields entry, as a real Update by that manager would. */
function touchManager(obj: KObj, manager: string, subresource?: string): void {
  const list: KObj[] | undefined = obj.metadata.managedFields;
  if (!list) return;
  const now = nowIso();
  const i = list.findIndex((m) => m.manager === manager && (m.subresource ?? '') === (subresource ?? ''));
  const next = list.slice();
  if (i >= 0) next[i] = { ...list[i], time: now };
  else next.push({ apiVersion: obj.apiVersion, fieldsType: 'FieldsV1', fieldsV1: {}, manager, operation: 'Update', time: now, ...(subresource ? { subresource } : {}) });
  obj.metadata.managedFields = next;
}

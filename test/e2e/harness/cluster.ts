// One simulated OpenShift cluster (test/simulator) for the whole e2e run, and the code-server session that points at
// it: the in-editor cluster suite and the Playwright cluster scenarios share both. Started on first use (in a
// `before` hook, before the session starts), stopped by the root afterAll hook (hooks.ts).
//
//   describe('cluster', function () {
//     const cluster = useClusterSession();          // registers the before hook that starts the simulator
//     const workbench = useWorkbench(cluster.options);
//     it('...', async function () { cluster.simulator().faults.unreachable(5_000); ... });
//   });
import type { SessionOptions } from './code-server';
import type { Simulator } from '../../simulator';
import { startSimulator } from '../../simulator';

/**
 * master 3, worker 3, infra 2 (a small pool so a rollout is quick to watch), OpenShift 4.18, the simulator's default
 * pace (one controller step every 200 ms: a node takes about 2.6 s).
 */
export const CLUSTER_SHAPE = { nodes: 8, pools: ['worker', { name: 'infra', nodes: 2 }] as (string | { name: string; nodes: number })[], version: '4.18' };

/** What the in-editor suites learn about the simulator (RHCOS_E2E_SIMULATOR, JSON). */
export interface SimulatorInfo {
  readonly url: string;
  readonly version: string;
  readonly context: string;
  readonly contexts: readonly string[];
  /** Node names per pool. */
  readonly pools: Readonly<Record<string, readonly string[]>>;
  readonly baseOSContainerImage: string;
}

export const SIMULATOR_ENV = 'RHCOS_E2E_SIMULATOR';

let running: Promise<Simulator> | undefined;

export function sharedSimulator(): Promise<Simulator> {
  running ??= startSimulator({ ...CLUSTER_SHAPE, log: () => undefined });
  return running;
}

export async function stopSharedSimulator(): Promise<void> {
  const simulator = running;
  running = undefined;
  await (await simulator?.catch(() => undefined))?.stop();
}

export function simulatorInfo(simulator: Simulator): SimulatorInfo {
  const pools: Record<string, string[]> = {};
  for (const pool of simulator.list('machineconfigpools')) pools[pool.metadata.name] = simulator.nodesOf(pool.metadata.name).map((node) => node.metadata.name).sort();
  const osImageUrls = simulator.list('configmaps', 'openshift-machine-config-operator').find((cm) => cm.metadata.name === 'machine-config-osimageurl');
  return {
    url: simulator.url,
    version: simulator.version.release,
    context: 'admin',
    contexts: Object.keys(simulator.contexts),
    pools,
    baseOSContainerImage: osImageUrls?.data?.baseOSContainerImage ?? '',
  };
}

/** The session options of the cluster sessions, one object per variant, so that equal variants share one session. */
const clusterOptions = new Map<string, SessionOptions>();

/**
 * For a mocha describe(): before its session starts, starts the shared simulator and points the session at it
 * (KUBECONFIG, and RHCOS_E2E_SIMULATOR for the in-editor suites). Call it BEFORE useWorkbench(cluster.options).
 * `variant` changes other session options (e.g. { name: 'cluster-under-test', extensionMode: 'test' }); the
 * simulator is the same.
 */
export function useClusterSession(variant: Omit<SessionOptions, 'env'> & { name: string } = { name: 'cluster' }): { options: SessionOptions; simulator: () => Simulator } {
  const key = `${variant.name}@${variant.codeServerVersion ?? ''}`;
  let options = clusterOptions.get(key);
  if (!options) clusterOptions.set(key, (options = { ...variant }));
  const sessionOptions = options;
  let simulator: Simulator | undefined;
  before(async function () {
    this.timeout(Math.max(this.timeout(), 120_000));
    simulator = await sharedSimulator();
    sessionOptions.env = { KUBECONFIG: simulator.kubeconfigPath, [SIMULATOR_ENV]: JSON.stringify(simulatorInfo(simulator)) };
  });
  return {
    options: sessionOptions,
    simulator: () => {
      if (!simulator) throw new Error('The simulator starts in a before hook: use cluster.simulator() inside it()/hooks');
      return simulator;
    },
  };
}

import { loadKubeconfig, singleContextKubeconfig } from '../../../src/core/cluster/kubeconfig';
import type { InformerOptions } from '../../../src/core/cluster/informer';
import { ClusterSession, openSession } from '../../../src/core/cluster/session';
import type { TrustCheck } from '../../../src/core/trust';
import type { Simulator } from '../../simulator/index';

/** Informer timings for tests: the same state machine, with waits in milliseconds instead of seconds. */
export const FAST_INFORMER: Partial<InformerOptions> = {
  backoffInitialMs: 50,
  backoffMaxMs: 400,
  slowRetryMs: 400,
  watchdogMs: 3000,
  watchTimeoutSeconds: 300,
};

/** The trust check of a session the test itself drives: writes go ahead (what the extension does in a trusted workspace). */
export const TRUSTED: TrustCheck = () => undefined;

export const MC_GROUP = 'machineconfiguration.openshift.io';
export const CUSTOM_IMAGE = `quay.io/example/rhcos-layered@sha256:${'c'.repeat(64)}`;

/** The single-context kubeconfig the explorer would build for `context` of the simulator's kubeconfig. */
export async function contextYaml(kubeconfigPath: string, context: string): Promise<string> {
  const loaded = await loadKubeconfig({ explicitFile: kubeconfigPath });
  if (!loaded.ok) throw new Error(`kubeconfig: ${loaded.problem.what}: ${loaded.problem.why}`);
  const single = singleContextKubeconfig(loaded.value, context);
  if (!single.ok) throw new Error(`context: ${single.problem.what}: ${single.problem.why}`);
  return single.value;
}

export async function openTestSession(sim: Simulator, context = 'admin', options: { timeoutMs?: number; informer?: Partial<InformerOptions> } = {}): Promise<ClusterSession> {
  const yaml = await contextYaml(sim.kubeconfigPath, context);
  return sessionFromYaml(yaml, options);
}

export function sessionFromYaml(yaml: string, options: { timeoutMs?: number; informer?: Partial<InformerOptions>; env?: NodeJS.ProcessEnv } = {}): ClusterSession {
  const opened = openSession(yaml, { trust: TRUSTED, timeoutMs: options.timeoutMs ?? 5000, informer: { ...FAST_INFORMER, ...options.informer }, ...(options.env ? { env: options.env } : {}) });
  if (!opened.ok) throw new Error(`openSession: ${opened.problem.what}: ${opened.problem.why}`);
  return opened.value.start();
}

export function layeringMachineConfig(name: string, image = CUSTOM_IMAGE, role = 'worker'): Record<string, unknown> {
  return {
    apiVersion: `${MC_GROUP}/v1`,
    kind: 'MachineConfig',
    metadata: { name, labels: { 'machineconfiguration.openshift.io/role': role } },
    spec: { osImageURL: image },
  };
}

/** Records the Authorization tokens a simulator is asked to authenticate (by wrapping its token table's lookup). */
export function recordTokens(sim: Simulator): string[] {
  const seen: string[] = [];
  const users = sim.server.users;
  const get = users.get.bind(users);
  users.get = (token: string) => {
    seen.push(token);
    return get(token);
  };
  return seen;
}

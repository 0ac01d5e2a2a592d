import type { Problem } from '../problem';
import { problemFor } from './api';
import type { ResourceId, ResourceState, ResourceStatus } from './informer';
import { RESOURCE_IDS, RESOURCE_SPECS } from './resources';

/**
 * One judgement of a session from the status of each informer: is the cluster there at all, does it take our
 * credentials, is it OpenShift, and which resource types could not be read. The tree, the status bar and the CLI all
 * say what this says.
 */

export type ClusterState = 'connecting' | 'connected' | 'unreachable' | 'unauthorized' | 'credentials' | 'notOpenShift' | 'notMcoManaged';

export interface ResourceProblem {
  readonly resource: ResourceId;
  readonly state: ResourceState;
  readonly problem: Problem;
  /** The view still shows what it had for this type. */
  readonly stale: boolean;
  readonly retryAt: number | undefined;
}

export interface SessionHealth {
  readonly state: ClusterState;
  /** Why the cluster as a whole cannot be shown. */
  readonly problem: Problem | undefined;
  /** Resource types that cannot be read right now (while the rest is shown). */
  readonly resourceProblems: readonly ResourceProblem[];
  /** Every resource type has been listed or has failed at least once. */
  readonly settled: boolean;
  readonly retryAt: number | undefined;
}

export interface HealthTarget {
  readonly context: string;
  readonly server: string;
  readonly timeoutSeconds: number;
}

const REQUIRED: readonly ResourceId[] = ['pools', 'nodes'];

export function deriveHealth(statuses: Readonly<Record<ResourceId, ResourceStatus>>, target: HealthTarget): SessionHealth {
  const problemOf = (id: ResourceId): Problem | undefined => {
    const status = statuses[id];
    return status.error ? problemFor(status.error, { ...target, action: `list ${RESOURCE_SPECS[id].resource}` }) : undefined;
  };
  const resourceProblems: ResourceProblem[] = [];
  for (const id of RESOURCE_IDS) {
    const status = statuses[id];
    if (status.state === 'ok' || status.state === 'loading' || !status.error) continue;
    if (status.state === 'notServed' && RESOURCE_SPECS[id].optional) continue;
    resourceProblems.push({ resource: id, state: status.state, problem: problemOf(id)!, stale: status.synced, retryAt: status.retryAt });
  }
  const settled = RESOURCE_IDS.every((id) => statuses[id].synced || statuses[id].state !== 'loading');
  const retryAt = resourceProblems.reduce<number | undefined>((soonest, p) => (p.retryAt !== undefined && (soonest === undefined || p.retryAt < soonest) ? p.retryAt : soonest), undefined);
  const base = { resourceProblems, settled, retryAt };

  const firstIn = (state: ResourceState): ResourceId | undefined => RESOURCE_IDS.find((id) => statuses[id].state === state);
  const credentials = firstIn('credentials');
  if (credentials) return { ...base, state: 'credentials', problem: problemOf(credentials) };
  const unauthorized = firstIn('unauthorized');
  if (unauthorized) return { ...base, state: 'unauthorized', problem: problemOf(unauthorized) };
  if (statuses.pools.state === 'notServed') {
    // OpenShift without MachineConfigPools: a hosted control plane (HyperShift, ROSA with HCP). Wait for ClusterVersion
    // to tell before saying which.
    const clusterVersion = statuses.clusterVersion;
    if (clusterVersion.state === 'loading' && !clusterVersion.synced) return { ...base, state: 'connecting', problem: undefined };
    if (clusterVersion.synced) {
      return {
        ...base,
        state: 'notMcoManaged',
        problem: {
          what: `The nodes of ${target.server} are not managed by the Machine Config Operator`,
          why: 'the cluster is OpenShift (it serves ClusterVersion) but serves no MachineConfigPools, as on a hosted control plane (HyperShift, ROSA with HCP), where the MCO runs outside the cluster',
          next: 'Change the nodes\' OS image and configuration through their NodePool on the management cluster (spec.release.image; spec.config lists ConfigMaps holding MachineConfigs), or your provider\'s machine pool tools; MachineConfigs and MachineOSConfigs applied here have no effect.',
        },
      };
    }
    if (clusterVersion.state === 'notServed') {
      return {
        ...base,
        state: 'notOpenShift',
        problem: {
          what: `${target.server} is not an OpenShift 4 cluster`,
          why: 'it serves neither MachineConfigPools (the machineconfiguration.openshift.io API) nor ClusterVersion',
          next: 'Switch to the context of an OpenShift cluster.',
        },
      };
    }
    return {
      ...base,
      state: 'notMcoManaged',
      problem: {
        what: `${target.server} has no MachineConfigPools to show`,
        why: `it does not serve MachineConfigPools, and its ClusterVersion could not be read (${clusterVersion.error?.message ?? clusterVersion.state}) to tell whether it is OpenShift with a hosted control plane`,
        next: 'On a hosted control plane (HyperShift, ROSA with HCP) change the nodes through their NodePool on the management cluster; otherwise switch to the context of an OpenShift cluster.',
      },
    };
  }
  if (REQUIRED.every((id) => statuses[id].state === 'unreachable')) return { ...base, state: 'unreachable', problem: problemOf('pools') };
  if (REQUIRED.some((id) => !statuses[id].synced && statuses[id].state === 'loading')) return { ...base, state: 'connecting', problem: undefined };
  return { ...base, state: 'connected', problem: undefined };
}

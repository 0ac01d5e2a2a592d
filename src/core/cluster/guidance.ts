import type { NodeView } from './model';

/**
 * For a node the daemon marked Degraded or Unreconcilable: what the MCO is waiting for, and what to do, including
 * whether rolling the pool back gets the node out of it. From openshift/machine-config-operator (release-4.16 … main):
 * - pkg/daemon/drain.go: "failed to drain node: <node> after 1 hour…"; the drain controller keeps retrying;
 * - pkg/daemon/daemon.go: "unexpected on-disk state validating against <config>…": the daemon checks the files against
 *   the node's current config before it applies any other config (runPreflightConfigDriftCheck), so a new target
 *   fails the same way; /run/machine-config-daemon-force makes it skip that check once;
 * - pkg/daemon/update.go: "failed to update OS to <image> after retries…" (rpm-ostree rebase);
 * - pkg/daemon/daemon.go updateErrorState: Unreconcilable when a MachineConfig asks for a change it cannot make in place;
 * - pkg/controller/node/node_controller.go getAllCandidateMachines: a node whose desiredConfig is not the pool's target
 *   is given the target only when it is Ready and schedulable ("skipped during candidate selection as it is currently
 *   unscheduled"); a failing node that is, counts as available (layered_node_state.go IsUnavailableForUpdate, status.go
 *   isNodeUnavailable up to 4.18), one that is not counts against maxUnavailable and so holds the rest of the pool too.
 *   That decides whether a roll back (a new target config for the pool) reaches a failing node.
 */

export interface Guidance {
  /** What the MCO is waiting for, as a sentence. */
  readonly waitingFor: string;
  /** What the user can do next, as a sentence (may hold `oc` commands in backticks). */
  readonly next: string;
}

const MCO_NAMESPACE = 'openshift-machine-config-operator';

type Cause = 'drain' | 'onDisk' | 'osImage' | 'other';

function causeOf(reason: string): Cause {
  if (/failed to drain node/i.test(reason)) return 'drain';
  if (/unexpected on-disk state/i.test(reason)) return 'onDisk';
  if (/update OS|rpm-ostree|rebase|pull/i.test(reason)) return 'osImage';
  return 'other';
}

export function degradedGuidance(view: NodeView): Guidance | undefined {
  if (view.state !== 'Degraded' && view.state !== 'Unreconcilable') return undefined;
  const node = view.name;
  const target = view.targetConfig;
  // What keeps the node controller from giving this node a new config: it must be Ready and schedulable.
  const held = !view.schedulable ? 'cordoned' : view.notReadyReason ? `not ready: ${view.notReadyReason}` : undefined;
  const uncordon = `\`oc adm uncordon ${node}\``;
  const retarget = target === undefined ? ''
    : view.desiredConfig === target ? ` The node already has its pool's target ${target}, so the daemon keeps retrying that config; rolling the pool back gives the pool a new target${held ? `, which the node controller hands to this node only once it is schedulable and ready again (it is ${held})` : ', which the node controller then hands to this node (a failing node counts as available)'}.`
    : held ? ` Its pool now targets ${target} (after a roll back, say), but the node controller moves a node to a new config only when it is schedulable and ready, and this one is ${held}: it keeps retrying ${view.desiredConfig || 'its desired config'}, and counts against maxUnavailable, which holds the rest of the pool as well.`
    : ` Its pool now targets ${target}; the node controller moves this failing node there at its next sync (a failing node counts as available), and the daemon then applies that config instead.`;
  const stuckAfterRollBack = target !== undefined && view.desiredConfig !== target && held !== undefined;

  if (view.state === 'Unreconcilable') {
    return {
      waitingFor: `Nothing: the MCO will not apply a MachineConfig change it cannot make on a running node.${retarget}`,
      next: `Delete or revert the MachineConfig named in the reason; the node goes back to Done once its desired config no longer asks for that change.${stuckAfterRollBack ? ` If the pool already targets a config without it, ${uncordon} lets the node controller move the node there.` : ''}`,
    };
  }
  switch (causeOf(view.reason)) {
    case 'drain':
      return {
        waitingFor: `The drain of ${node} to finish: a pod on it cannot be evicted, usually because a PodDisruptionBudget allows no disruption. The drain controller retries by itself.${retarget}`,
        next: `Find the pod: \`oc get pdb -A\` (ALLOWED DISRUPTIONS 0) and \`oc logs -n ${MCO_NAMESPACE} deployment/machine-config-controller -c machine-config-controller | grep ${node}\`; scale the workload or relax its budget. Rolling back does not get past this: moving the node to any other OS image drains it too.`,
      };
    case 'onDisk':
      return {
        waitingFor: `The files on ${node} to match its current config again: a file the MCO manages was changed on the node, and the daemon checks the files against the current config before it applies any other.${retarget}`,
        next: `Restore the file, or let the daemon skip the check once: \`oc debug node/${node} -- chroot /host touch /run/machine-config-daemon-force\`. Rolling back alone does not help: the check runs before every update.`,
      };
    case 'osImage': {
      const image = view.desiredImage ?? 'the image named in the reason';
      return {
        waitingFor: `The OS image to be pulled and rebased onto; the daemon retries by itself.${retarget}`,
        next: stuckAfterRollBack
          ? `To let the roll back reach it, ${uncordon}: the node controller then gives it ${target} and the daemon rebases onto that image instead (it drains the node again first). To keep the new image instead, check that ${node} can pull ${image}: the pull secret, the registry and its certificate.`
          : `Check that ${node} can pull ${image}: the pull secret, the registry and its certificate (\`oc debug node/${node} -- chroot /host rpm-ostree status\` shows what it runs). To give up on the image, roll the pool back${held ? `, then ${uncordon} so the node controller can move the node to the rolled-back config` : ''}.`,
      };
    }
    default:
      return {
        waitingFor: `The machine-config-daemon on ${node} to get past the error in the reason; it retries by itself.${retarget}`,
        next: `Read the daemon's log: \`oc logs -n ${MCO_NAMESPACE} -c machine-config-daemon $(oc get pods -n ${MCO_NAMESPACE} -l k8s-app=machine-config-daemon --field-selector spec.nodeName=${node} -o name)\`.${stuckAfterRollBack ? ` Once the cause is understood, ${uncordon} lets the node controller move the node to ${target}.` : ''}`,
      };
  }
}

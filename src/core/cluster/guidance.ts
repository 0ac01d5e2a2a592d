import type { NodeView } from './model';

/**
 * For a node the daemon marked Degraded or Unreconcilable: what the MCO is waiting for, and what to do. The reasons
 * come from openshift/machine-config-operator (release-4.16 … main):
 * - pkg/daemon/drain.go: "failed to drain node: <node> after 1 hour…"; the drain controller keeps retrying;
 * - pkg/daemon/daemon.go: "unexpected on-disk state validating against <config>…"; /run/machine-config-daemon-force
 *   makes the daemon skip that check once;
 * - pkg/daemon/update.go: "failed to update OS to <image> after retries…" (rpm-ostree rebase);
 * - pkg/daemon/daemon.go updateErrorState: Unreconcilable when a MachineConfig asks for a change it cannot make in place;
 * - pkg/controller/common/layered_node_state.go IsUnavailableForUpdate: a failing node (current ≠ desired, Degraded)
 *   counts as available, so the node controller can move it to the pool's new target (that is how a roll back
 *   reaches it).
 */

export interface Guidance {
  /** What the MCO is waiting for, as a sentence. */
  readonly waitingFor: string;
  /** What the user can do next, as a sentence (may hold `oc` commands in backticks). */
  readonly next: string;
}

const MCO_NAMESPACE = 'openshift-machine-config-operator';

export function degradedGuidance(view: NodeView): Guidance | undefined {
  if (view.state !== 'Degraded' && view.state !== 'Unreconcilable') return undefined;
  const node = view.name;
  const target = view.targetConfig;
  const retargeted = target !== undefined && view.desiredConfig === target;
  const where = target === undefined ? ''
    : retargeted ? ` The node already targets its pool's config ${target} (a roll back has reached it), so the daemon keeps retrying that config.`
    : ` Its pool now targets ${target}; the node controller moves a failing node there by itself, and the daemon then tries that config instead.`;
  if (view.state === 'Unreconcilable') {
    return {
      waitingFor: `Nothing: the MCO will not apply a MachineConfig change it cannot make on a running node.${where}`,
      next: 'Delete or revert the MachineConfig named in the reason; the node goes back to Done once its desired config no longer asks for that change.',
    };
  }
  const reason = view.reason;
  if (/failed to drain node/i.test(reason)) {
    return {
      waitingFor: `The drain of ${node} to finish: a pod on it cannot be evicted, usually because a PodDisruptionBudget allows no disruption. The drain controller retries by itself.${where}`,
      next: `Find the pod: \`oc get pdb -A\` (ALLOWED DISRUPTIONS 0) and \`oc logs -n ${MCO_NAMESPACE} deployment/machine-config-controller -c machine-config-controller | grep ${node}\`; scale the workload or relax its budget.`,
    };
  }
  if (/unexpected on-disk state/i.test(reason)) {
    return {
      waitingFor: `The files on ${node} to match its current config again: a file the MCO manages was changed on the node.${where}`,
      next: `Restore the file, or let the daemon skip the check once: \`oc debug node/${node} -- chroot /host touch /run/machine-config-daemon-force\`.`,
    };
  }
  if (/update OS|rpm-ostree|rebase|pull/i.test(reason)) {
    const image = view.desiredImage ?? 'the image named in the reason';
    return {
      waitingFor: `The OS image to be pulled and rebased onto; the daemon retries by itself.${where}`,
      next: `Check that ${node} can pull ${image}: the pull secret, the registry and its certificate (\`oc debug node/${node} -- chroot /host rpm-ostree status\` shows what it runs). To give up on the image, roll the pool back.`,
    };
  }
  return {
    waitingFor: `The machine-config-daemon on ${node} to get past the error in the reason; it retries by itself.${where}`,
    next: `Read the daemon's log: \`oc logs -n ${MCO_NAMESPACE} -c machine-config-daemon $(oc get pods -n ${MCO_NAMESPACE} -l k8s-app=machine-config-daemon --field-selector spec.nodeName=${node} -o name)\`.`,
  };
}

import type { Condition, MachineConfigNodeObject } from './objects';

/**
 * A node's update, step by step, as the MCO itself reports it in the node's MachineConfigNode (4.19+). Who writes what
 * (openshift/machine-config-operator release-4.19 … main):
 * - the daemon, pkg/daemon/update.go and daemon.go: UpdatePrepared ("Update Compatible…"), AppliedFilesAndOS,
 *   RebootedNode (Unknown "Upgrade requires a reboot.", True "Node has rebooted"), Resumed, Updated;
 * - the drain controller, pkg/controller/drain/drain_controller.go: Cordoned, Drained, Uncordoned;
 * - pkg/upgrademonitor/upgrade_monitor.go: a step's condition is Unknown while it runs and True once done; each new
 *   update starts with all of them False ("NotYetOccurred"); when Updated turns True the others are set False with
 *   "Action during update to <config>: …". A message containing "Error:" is a failure: the drain controller writes
 *   its cordon, drain and uncordon failures so ("Error: Node Drain has not succeeded…"). (From release-4.22 the node controller
 *   counts a node whose NodeDegraded condition is True as degraded; the phase here comes from the annotations.)
 * Types: openshift/api machineconfiguration/v1/types_machineconfignode.go (StateProgress).
 */

export type StepStatus = 'done' | 'active' | 'failed' | 'pending';

export interface UpdateStep {
  /** The condition type, e.g. `Drained`. */
  readonly type: string;
  /** What the step is, for people: "drained". */
  readonly label: string;
  readonly status: StepStatus;
  /** When the condition last changed (RFC 3339), when it says something about this step. */
  readonly at: string | undefined;
  readonly message: string;
}

export interface UpdateProgress {
  readonly steps: readonly UpdateStep[];
  /** The step the node is at: the failed or running one, else the last one done; undefined before any. */
  readonly current: UpdateStep | undefined;
  /** The update finished (Updated=True). */
  readonly complete: boolean;
  readonly desiredConfig: string | undefined;
}

/** The steps shown, in the order the MCO goes through them. */
export const UPDATE_STEPS: readonly { readonly type: string; readonly label: string; readonly activeLabel: string }[] = [
  { type: 'UpdatePrepared', label: 'prepared', activeLabel: 'preparing' },
  { type: 'Drained', label: 'drained', activeLabel: 'draining' },
  { type: 'AppliedFilesAndOS', label: 'updated files and OS', activeLabel: 'updating files and OS' },
  { type: 'RebootedNode', label: 'rebooted', activeLabel: 'rebooting' },
  { type: 'Uncordoned', label: 'uncordoned', activeLabel: 'uncordoning' },
  { type: 'Resumed', label: 'resumed', activeLabel: 'resuming' },
  { type: 'Updated', label: 'complete', activeLabel: 'completing' },
];

const RESET_PREFIX = 'Action during update to ';

function stepStatus(condition: Condition | undefined, complete: boolean): StepStatus {
  if (!condition) return complete ? 'done' : 'pending';
  if (condition.message.includes('Error:')) return 'failed';
  if (condition.status === 'True') return 'done';
  if (condition.status === 'Unknown') return 'active';
  return complete && condition.message.startsWith(RESET_PREFIX) ? 'done' : 'pending';
}

export function updateProgress(mcn: MachineConfigNodeObject): UpdateProgress | undefined {
  if (mcn.conditions.length === 0) return undefined;
  const byType = new Map(mcn.conditions.map((c) => [c.type, c]));
  const complete = byType.get('Updated')?.status === 'True';
  const steps = UPDATE_STEPS.map(({ type, label, activeLabel }): UpdateStep => {
    const condition = byType.get(type);
    const status = stepStatus(condition, complete);
    // After completion the other steps were reset: their times are the reset's, not the step's.
    const at = status === 'done' && complete && type !== 'Updated' ? undefined : status === 'pending' ? undefined : condition?.lastTransitionTime;
    return { type, label: status === 'active' || status === 'failed' ? activeLabel : label, status, at, message: condition?.message ?? '' };
  });
  const current = steps.find((s) => s.status === 'failed') ?? steps.find((s) => s.status === 'active') ?? [...steps].reverse().find((s) => s.status === 'done');
  return { steps, current, complete, desiredConfig: mcn.desiredConfig && mcn.desiredConfig !== 'not-yet-set' ? mcn.desiredConfig : mcn.specDesiredConfig };
}

/** "drained 10:41:03", "updating files and OS since 10:41:07", "draining failed at 10:41:09". */
export function describeStep(step: UpdateStep, clock: (iso: string) => string): string {
  const time = step.at ? clock(step.at) : undefined;
  switch (step.status) {
    case 'failed':
      return `${step.label} failed${time ? ` at ${time}` : ''}`;
    case 'active':
      return `${step.label}${time ? ` since ${time}` : ''}`;
    case 'done':
      return `${step.label}${time ? ` ${time}` : ''}`;
    default:
      return `${step.label}: not yet`;
  }
}

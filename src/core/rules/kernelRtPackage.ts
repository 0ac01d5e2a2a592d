import { kernelTypeOfPackage } from '../openshift/versions';
import { finalStagePackages, quote } from './helpers';
import type { Rule, RuleFinding } from './types';

/**
 * The MCO switches kernels itself for `kernelType: realtime` (rpm-ostree override remove ... --install kernel-rt-*);
 * baking kernel-rt into the image conflicts with that and degrades the pool (MCO-FACTS section 1, docs section 9).
 */
export const kernelRtPackage: Rule = {
  id: 'kernel-rt-package',
  defaultSeverity: 'warning',
  summary: 'Installs kernel-rt RPMs, which conflict with `kernelType: realtime` MachineConfigs.',
  check(context) {
    const findings: RuleFinding[] = [];
    const realtimeConfigs = context.machineConfigs.filter((mc) => mc.kernelType === 'realtime' && poolMatches(mc.pool, context.pools));
    for (const { pkg } of finalStagePackages(context)) {
      if (pkg.effect !== 'install' || !pkg.name || kernelTypeOfPackage(pkg.name) !== 'realtime') continue;
      const conflict = realtimeConfigs[0];
      findings.push({
        message: conflict
          ? `${quote(pkg.name)} conflicts with MachineConfig ${conflict.name} (pool ${conflict.pool ?? '?'}), which sets kernelType: realtime: the MCO swaps kernels itself and the pool degrades. Remove the RPM from the image.`
          : `${quote(pkg.name)} is a realtime kernel RPM: use a MachineConfig with kernelType: realtime instead, or the MCO's kernel switch will conflict with the image.`,
        range: pkg.range,
        severity: conflict ? 'error' : undefined,
      });
    }
    return findings;
  },
};

export function poolMatches(pool: string | undefined, pools: readonly string[] | undefined): boolean {
  return pools === undefined || pool === undefined || pools.includes(pool);
}

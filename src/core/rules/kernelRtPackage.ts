import { isRun } from '../containerfile/model';
import { packageOperations, type PackageArgument } from '../containerfile/packages';
import { kernelTypeOfPackage } from '../openshift/versions';
import { finalChainStages, quote } from './helpers';
import { secondKernels } from './multipleKernels';
import type { Rule, RuleFinding } from './types';

/**
 * The MCO switches kernels itself for `kernelType: realtime` (rpm-ostree override remove ... --install kernel-rt-*);
 * baking kernel-rt into the image conflicts with that and degrades the pool (MCO-FACTS section 1, docs section 9).
 * One finding per RUN names every kernel-rt RPM it installs. An RPM that multiple-kernels already reports (a second
 * kernel next to the default one) is left to it: one problem, one finding.
 */
export const kernelRtPackage: Rule = {
  id: 'kernel-rt-package',
  defaultSeverity: 'warning',
  summary: 'Installs kernel-rt RPMs, which conflict with `kernelType: realtime` MachineConfigs.',
  check(context) {
    const findings: RuleFinding[] = [];
    const realtimeConfigs = context.machineConfigs.filter((mc) => mc.kernelType === 'realtime' && poolMatches(mc.pool, context.pools));
    const at = (pkg: PackageArgument): string => `${pkg.range.start.line}:${pkg.range.start.character}:${pkg.name}`;
    const secondKernelWords = new Set(secondKernels(context).map(({ pkg }) => at(pkg)));
    for (const run of finalChainStages(context).flatMap((stage) => stage.instructions.filter(isRun))) {
      const packages: PackageArgument[] = [];
      for (const operation of packageOperations(run)) {
        for (const pkg of operation.packages) {
          if (pkg.effect !== 'install' || !pkg.name || kernelTypeOfPackage(pkg.name) !== 'realtime') continue;
          if (secondKernelWords.has(at(pkg)) || packages.some((seen) => seen.name === pkg.name)) continue;
          packages.push(pkg);
        }
      }
      const first = packages[0];
      if (!first) continue;
      const names = packages.map((pkg) => quote(pkg.name!)).join(', ');
      const what = packages.length === 1 ? `${names} is a realtime kernel RPM` : `${names} are realtime kernel RPMs`;
      const conflict = realtimeConfigs[0];
      findings.push({
        message: conflict
          ? `${names} ${packages.length === 1 ? 'conflicts' : 'conflict'} with MachineConfig ${conflict.name} (pool ${conflict.pool ?? '?'}), which sets kernelType: realtime: the MCO swaps kernels itself and the pool degrades. Remove ${packages.length === 1 ? 'the RPM' : 'them'} from the image.`
          : `${what}: use a MachineConfig with kernelType: realtime instead, or the MCO's kernel switch will conflict with the image.`,
        range: first.range,
        severity: conflict ? 'error' : undefined,
      });
    }
    return findings;
  },
};

export function poolMatches(pool: string | undefined, pools: readonly string[] | undefined): boolean {
  return pools === undefined || pool === undefined || pools.includes(pool);
}

import { extensionProviding, kernelTypeOfPackage } from '../openshift/versions';
import { finalStagePackages, quote } from './helpers';
import { poolMatches } from './kernelRtPackage';
import type { Rule, RuleFinding } from './types';

/**
 * When a pool's MachineConfig lists an extension in `spec.extensions`, the MCO installs that extension's RPMs on top of
 * the pool's OS image itself; if the layered image already carries them, the install conflicts and the pool degrades
 * (openshift-docs coreos-layering: layering extension RPMs is "not recommended"; MCO-FACTS sections 1, 9, 10.4). The
 * RPM list per extension changes per release (versions.ts). Without such a MachineConfig the RPM is a warning: the
 * extension is the supported way to get it, and enabling the extension for the pool later would degrade it (the 4.13
 * docs layered libreswan before `ipsec` became an extension in 4.14). kernel-rt RPMs are kernel-rt-package's. In
 * on-cluster builds the MCO installs the extensions before this file runs, so the RPM is only redundant there.
 */
export const extensionPackage: Rule = {
  id: 'extension-package',
  defaultSeverity: 'warning',
  summary: 'Installs RPMs that an MCO extension provides; an error when a MachineConfig for the same pool enables that extension.',
  check(context) {
    const findings: RuleFinding[] = [];
    const reported = new Set<string>();
    for (const { operation, pkg } of finalStagePackages(context)) {
      if (pkg.effect !== 'install' || operation.action === 'replace' || !pkg.name) continue;
      if (kernelTypeOfPackage(pkg.name) === 'realtime') continue;
      const extension = extensionProviding(context.facts, pkg.name);
      if (!extension) continue;
      const conflict = context.machineConfigs.find((mc) => mc.extensions.includes(extension) && poolMatches(mc.pool, context.pools));
      const key = `${pkg.range.start.line}:${pkg.range.start.character}:${extension}`;
      if (reported.has(key)) continue;
      reported.add(key);
      const name = quote(pkg.name);
      if (!conflict) {
        findings.push({
          message: `${name} comes with the MCO extension ${quote(extension)} on OpenShift ${context.facts.label}: enable it with \`spec.extensions: [${extension}]\` in a MachineConfig instead. Layered here, it conflicts the day a MachineConfig enables the extension for this pool, and the pool degrades.`,
          range: pkg.range,
          severity: context.mode === 'on-cluster' ? 'info' : undefined,
        });
        continue;
      }
      const mc = `MachineConfig ${conflict.name} (pool ${conflict.pool ?? '?'})`;
      findings.push(context.mode === 'on-cluster'
        ? {
          message: `${name} is already in the image: ${mc} enables the extension ${quote(extension)}, which the on-cluster build installs before this file runs. Remove it from the Containerfile.`,
          range: pkg.range,
          severity: 'info',
        }
        : {
          message: `${name} conflicts with ${mc}, which enables the extension ${quote(extension)}: the MCO installs it on top of this image and the pool degrades. Remove the RPM from the Containerfile or the extension from the MachineConfig.`,
          range: pkg.range,
          severity: 'error',
        });
    }
    return findings;
  },
};

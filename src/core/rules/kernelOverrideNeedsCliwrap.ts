import { isRun } from '../containerfile/model';
import { packageOperations } from '../containerfile/packages';
import { finalChainStages, quote } from './helpers';
import { insertBeforeCommand } from './commandInsertions';
import type { Fix, Rule, RuleFinding } from './types';

const KERNEL_RPM = /^kernel(?:-core|-modules(?:-[a-z]+)*)?$/;
const CLIWRAP = 'rpm-ostree cliwrap install-to-root /';

/**
 * Replacing the kernel in a container build runs the kernel RPM's scripts, which need rpm-ostree's wrapped
 * `kernel-install`/`dracut` to generate the initramfs. The 4.13-4.16 docs therefore run
 * `rpm-ostree cliwrap install-to-root /` first (layering-examples replace-kernel). rpm-ostree later wrapped kernel-install
 * by itself (coreos/rpm-ostree#4950) and the 4.17 docs dropped the step (versions.ts kernelOverrideNeedsCliwrap;
 * MCO-FACTS section 9).
 */
export const kernelOverrideNeedsCliwrap: Rule = {
  id: 'kernel-override-needs-cliwrap',
  defaultSeverity: 'error',
  summary: 'A kernel `rpm-ostree override replace` runs without `rpm-ostree cliwrap install-to-root /` before it (OpenShift 4.13-4.16).',
  check(context) {
    if (!context.facts.kernelOverrideNeedsCliwrap) return [];
    const findings: RuleFinding[] = [];
    let wrapped = false;
    for (const stage of finalChainStages(context)) {
      for (const run of stage.instructions.filter(isRun)) {
        for (const operation of packageOperations(run)) {
          if (operation.manager !== 'rpm-ostree') continue;
          if (operation.action === 'cliwrap' && operation.subcommand === 'cliwrap install-to-root') wrapped = true;
          if (operation.action !== 'replace' || wrapped) continue;
          const kernel = operation.packages.find((pkg) => pkg.name !== undefined && KERNEL_RPM.test(pkg.name));
          if (!kernel) continue;
          const edit = insertBeforeCommand(context.model, run, operation.command, CLIWRAP);
          const fixes: Fix[] = edit ? [{ kind: 'edit', title: `Run \`${CLIWRAP}\` first`, edits: [edit], preferred: true }] : [];
          findings.push({
            message: `Replacing the kernel (${quote(kernel.name!)}) on OpenShift ${context.facts.label} needs \`${CLIWRAP}\` earlier in the build, or the kernel's initramfs is not generated. Run it before this command.`,
            range: kernel.range,
            fixes,
          });
        }
      }
    }
    return findings;
  },
};

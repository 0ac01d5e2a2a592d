import { globToRegExp } from '../glob';
import type { PackageArgument, PackageOperation } from '../containerfile/packages';
import { isKernelImagePackage, kernelTypeOfPackage, type KernelType } from '../openshift/versions';
import { finalStageOperations, quote } from './helpers';
import type { Rule, RuleContext } from './types';

/**
 * A node image must hold exactly one kernel: `bootc container lint` fails with `kernel` when /usr/lib/modules has more
 * than one (bootc lints.rs; LINT-ANCHORS). Installing kernel-rt/kernel-64k/kernel-debug next to the base image's kernel,
 * or a second version of the default kernel with dnf or `rpm -i` (kernels are install-only packages, installed side by
 * side), gives two. So does a kernel RPM given by URL or path to `rpm-ostree install` / `dnf install`: installing
 * is not replacing (`rpm-ostree override replace` is). Replacing is fine: `rpm-ostree override replace`, `override
 * remove kernel... --install kernel-rt-*` (what the MCO itself runs for kernelType, MCO-FACTS section 1), `dnf swap`,
 * or removing the default kernel anywhere in the final stages.
 */
export const multipleKernels: Rule = {
  id: 'multiple-kernels',
  defaultSeverity: 'error',
  summary: 'Installs a second kernel next to the base image\'s instead of replacing it.',
  check(context) {
    return secondKernels(context).map(({ pkg, flavour, operation }) => ({ message: message(context, pkg, flavour, operation), range: pkg.range }));
  },
};

interface SecondKernel {
  readonly pkg: PackageArgument;
  readonly flavour: KernelType | undefined;
  readonly operation: PackageOperation;
}

const secondKernelCache = new WeakMap<RuleContext['model'], readonly SecondKernel[]>();

/**
 * The kernel packages this rule reports, one per package word. kernel-rt-package asks too, so that a kernel-rt RPM
 * that adds a second kernel is reported once, here.
 */
export function secondKernels(context: RuleContext): readonly SecondKernel[] {
  const cached = secondKernelCache.get(context.model);
  if (cached) return cached;
  const operations = finalStageOperations(context);
  const found: SecondKernel[] = [];
  if (!operations.some(removesDefaultKernel)) {
    const reported = new Set<string>();
    for (const operation of operations) {
      if (!addsKernels(operation)) continue;
      for (const pkg of operation.packages) {
        if (pkg.effect !== 'install' || !pkg.name || !isKernelImagePackage(pkg.name)) continue;
        const flavour = kernelTypeOfPackage(pkg.name) ?? (pkg.name.includes('-debug') ? undefined : 'default');
        // A second default kernel comes from install-only semantics (dnf, rpm -i) or from an RPM file or URL given to
        // `rpm-ostree install`; rpm-ostree refuses a second kernel by name, and rpm -U upgrades.
        if (flavour === 'default' && !installsSideBySide(operation, pkg)) continue;
        const key = `${pkg.range.start.line}:${pkg.range.start.character}`;
        if (reported.has(key)) continue;
        reported.add(key);
        found.push({ pkg, flavour, operation });
      }
    }
  }
  secondKernelCache.set(context.model, found);
  return found;
}

function addsKernels(operation: PackageOperation): boolean {
  if (operation.action !== 'install' && operation.action !== 'swap') return false;
  return operation.subcommand !== 'reinstall' && operation.subcommand !== 'downgrade';
}

function installsSideBySide(operation: PackageOperation, pkg: PackageArgument): boolean {
  if (operation.manager === 'rpm') return /^(?:-[a-zA-Z]*i[a-zA-Z]*|--install)$/.test(operation.subcommand);
  if (operation.manager === 'rpm-ostree') return operation.action === 'install' && (pkg.kind === 'url' || pkg.kind === 'file');
  return true;
}

/** Removing `kernel` or `kernel-core` (by name or a glob such as `kernel*`) takes the base kernel out. */
function removesDefaultKernel(operation: PackageOperation): boolean {
  return operation.packages.some((pkg) => pkg.effect === 'remove' && matchesDefaultKernel(pkg));
}

function matchesDefaultKernel(pkg: PackageArgument): boolean {
  const name = pkg.name;
  if (!name) return false;
  if (!/[*?[]/.test(name)) return name === 'kernel' || name === 'kernel-core';
  const pattern = globToRegExp(name);
  return pattern.test('kernel-core') || pattern.test('kernel');
}

function message(context: RuleContext, pkg: PackageArgument, flavour: KernelType | undefined, operation: PackageOperation): string {
  const name = quote(pkg.name!);
  if (flavour === 'default') {
    const how = operation.manager === 'rpm-ostree'
      ? `\`rpm-ostree ${operation.subcommand}\` adds ${name} from ${pkg.kind === 'url' ? 'a URL' : 'a file'} next to the base image's kernel`
      : `${name} is installed next to the base image's kernel (kernels are install-only packages)`;
    return `${how}, leaving two kernels that \`bootc container lint\` rejects. Use \`rpm-ostree override replace\` to change the kernel version.`;
  }
  const core = flavour === 'realtime' ? 'kernel-rt-core' : flavour === '64k-pages' ? 'kernel-64k-core' : pkg.name!;
  const viaMachineConfig = flavour && context.facts.kernelTypes.includes(flavour) ? `, or set \`kernelType: ${flavour}\` in a MachineConfig` : '';
  return `${name} adds a second kernel next to the base image's, which \`bootc container lint\` rejects: replace the default kernel in the same step (\`rpm-ostree override remove kernel kernel-core kernel-modules kernel-modules-core kernel-modules-extra --install ${core}\`)${viaMachineConfig}.`;
}

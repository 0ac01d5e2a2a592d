import type { PackageManager } from '../containerfile/packages';
import { finalStagePackages, quote } from './helpers';
import type { Rule, RuleFinding, Severity } from './types';

/**
 * A `.src.rpm` holds sources, not a program. dnf stops with "Will not install a source rpm package" and yum skips it
 * with a warning (dnf docs, "Changes in DNF compared to YUM"); rpm-ostree cannot layer one; `rpm -i` unpacks the
 * sources into the build user's rpmbuild tree (/root, i.e. /var/roothome on the node) and installs nothing runnable.
 * Builder stages may rebuild from a source RPM, so only the stages the node image is built from are checked.
 */
export const sourceRpm: Rule = {
  id: 'source-rpm',
  defaultSeverity: 'warning',
  summary: 'Installs a source RPM (`.src.rpm`) into the node image.',
  check(context) {
    const findings: RuleFinding[] = [];
    for (const { operation, pkg } of finalStagePackages(context)) {
      if (!pkg.isSourceRpm || pkg.effect !== 'install') continue;
      const what = quote(pkg.spec.slice(pkg.spec.lastIndexOf('/') + 1));
      const { consequence, severity } = CONSEQUENCES[operation.manager];
      findings.push({
        message: `${what} is a source RPM: ${consequence}. Install the binary RPM, or rebuild it with rpmbuild in a builder stage and COPY the result.`,
        range: pkg.range,
        severity,
      });
    }
    return findings;
  },
};

const CONSEQUENCES: Readonly<Record<PackageManager, { consequence: string; severity: Severity | undefined }>> = {
  dnf: { consequence: 'dnf refuses it ("Will not install a source rpm package") and the build fails', severity: 'error' },
  microdnf: { consequence: 'microdnf cannot install it as a package and the build fails', severity: 'error' },
  yum: { consequence: 'yum skips it with a warning, so the package is silently missing from the image', severity: 'error' },
  'rpm-ostree': { consequence: 'rpm-ostree cannot layer source RPMs and the build fails', severity: 'error' },
  rpm: { consequence: 'rpm only unpacks its sources into /root/rpmbuild (/var/roothome on the node) and installs no program', severity: undefined },
};

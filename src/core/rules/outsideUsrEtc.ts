import { finalChainCopyDestinations } from './filesystemWrites';
import { quote } from './helpers';
import type { Rule, RuleFinding } from './types';

/**
 * A node takes only /usr, /etc and /var from an image: the ostree import (ostree-ext tar/write.rs
 * `normalize_validate_path`) drops every other top-level directory, and rpm-ostree's container guide says that
 * content in /opt "will not currently work" by default. So files COPYed into /opt, /srv, /home or /root never reach
 * the nodes. /bin, /sbin, /lib and /lib64 are links into /usr; /var is var-content's; /run, /tmp, /boot, /sysroot and
 * /ostree are forbidden-path's. Only COPY/ADD is checked: a RUN writing to /root or /opt is usually a build step,
 * and a COPY that a later RUN uses (an RPM staged in /root, also when named through brace expansion such as
 * `rpm-ostree override replace /kernel-{,core-}5.14.rpm`) or deletes is fine.
 */

const HANDLED_ELSEWHERE = new Set(['usr', 'etc', 'var', 'bin', 'sbin', 'lib', 'lib64', 'run', 'tmp', 'boot', 'sysroot', 'ostree']);

export const outsideUsrEtc: Rule = {
  id: 'outside-usr-etc',
  defaultSeverity: 'warning',
  summary: 'COPY/ADD into /opt, /srv, /home or another top-level directory outside /usr, /etc and /var, which nodes never receive.',
  check(context) {
    const findings: RuleFinding[] = [];
    for (const { copy, destination, path, usedLater, removedLater } of finalChainCopyDestinations(context)) {
      const top = /^\/([^/]+)/.exec(path)?.[1];
      if (!top || HANDLED_ELSEWHERE.has(top) || usedLater() || removedLater()) continue;
      findings.push({
        message: `${copy.keyword} puts files in ${quote(path)}: a node importing the image drops every top-level directory but /usr, /etc and /var, so /${top} content never reaches the nodes. Ship the files under /usr (for example /usr/lib/<name>); if something needs the /${top} path, add a tmpfiles.d link (\`L /${top}/<name> - - - - /usr/lib/<name>\`).`,
        range: destination.range,
      });
    }
    return findings;
  },
};

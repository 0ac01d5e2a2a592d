import { quote } from './helpers';
import { finalChainInstructions } from './filesystemWrites';
import { deleteInstructionEdit } from './shellEdits';
import type { Rule, RuleFinding } from './types';

/**
 * A node does not run its OS image as a container: rpm-ostree/bootc deploy the image's filesystem and the node boots
 * systemd from it (MCO applies osImageURL with `rpm-ostree rebase`, MCO-FACTS section 2). The image config fields
 * these instructions set (command, entrypoint, ports, health check, volumes, stop signal) are never read there.
 * `CMD ["/sbin/init"]` as in bootc base images only keeps the image runnable with podman, so it is left alone.
 */

const ADVICE: Readonly<Record<string, string>> = {
  CMD: 'the node boots systemd from the image and never runs a container command. Delete it; run programs from a systemd unit.',
  ENTRYPOINT: 'the node boots systemd from the image and never runs an entrypoint. Delete it; run programs from a systemd unit.',
  EXPOSE: 'a node image opens no ports by declaring them. Delete it.',
  HEALTHCHECK: 'nothing runs a health check for a node image. Delete it; use a systemd unit\'s Restart= or WatchdogSec= instead.',
  VOLUME: 'a node keeps /var itself and declares no volumes from the image, and some builders discard later RUN changes under it. Delete it.',
  STOPSIGNAL: 'a node is not stopped like a container. Delete it.',
};

const INIT = /(?:^|\/)(?:init|systemd)$/;

export const nonOsInstruction: Rule = {
  id: 'non-os-instruction',
  defaultSeverity: 'info',
  summary: 'CMD, ENTRYPOINT, EXPOSE, HEALTHCHECK, VOLUME or STOPSIGNAL in the node image, where they mean nothing.',
  check(context) {
    const findings: RuleFinding[] = [];
    for (const instruction of finalChainInstructions(context)) {
      const advice = ADVICE[instruction.keyword];
      if (!advice || !('args' in instruction)) continue;
      if ((instruction.keyword === 'CMD' || instruction.keyword === 'ENTRYPOINT') && INIT.test(firstArgument(instruction.args.map((arg) => arg.raw).join(' ')) ?? '')) continue;
      findings.push({
        message: `${quote(instruction.keyword)} has no effect on a node: ${advice}`,
        range: instruction.range,
        fixes: [{ kind: 'edit', title: `Delete ${instruction.keyword}`, preferred: true, edits: [deleteInstructionEdit(context.model, instruction)] }],
      });
    }
    return findings;
  },
};

/** The program a CMD/ENTRYPOINT runs, in exec (`["/sbin/init"]`) or shell form. */
function firstArgument(text: string): string | undefined {
  const trimmed = text.trim();
  if (trimmed.startsWith('[')) {
    try {
      const parsed = JSON.parse(trimmed) as unknown;
      return Array.isArray(parsed) && typeof parsed[0] === 'string' ? parsed[0] : undefined;
    } catch {
      return undefined;
    }
  }
  return trimmed.split(/\s+/)[0];
}

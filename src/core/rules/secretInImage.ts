import { isCopyOrAdd, type CopyInstruction, type RunInstruction, type Word } from '../containerfile/model';
import { unwrapCommand } from '../containerfile/packages';
import { copyDestinationPath, finalChainInstructions, finalChainRunWrites, isUnder, normalizePath, workdirsOf } from './filesystemWrites';
import { quote } from './helpers';
import type { Rule, RuleFinding, Severity } from './types';

/**
 * Every layer of a pushed image can be read by anyone who can pull it, and a file deleted by a later RUN is still in
 * the layer that added it. Pull secrets (containers-auth.json(5): auth.json, ~/.docker/config.json, ~/.dockercfg),
 * Red Hat entitlement certificates and keys (/etc/pki/entitlement, /etc/pki/consumer), RHSM configuration and
 * private keys therefore must not be COPY'd or written into a layer: BuildKit/podman `RUN --mount=type=secret`
 * provides them to the one step that needs them without storing them. `redhat.repo` points at the entitlement keys,
 * and the MCO's layering doc says to remove it from the image or rpm-ostree fails later on the node (MCO-FACTS §9).
 */

interface SecretKind {
  readonly what: string;
  readonly severity?: Severity;
  readonly note?: string;
  /** Subscription material: an entitled RHEL build host already provides it to RUN steps. */
  readonly subscription?: boolean;
}

export function secretKindOf(path: string): SecretKind | undefined {
  const segments = path.split('/').filter(Boolean);
  const base = (segments[segments.length - 1] ?? '').replace(/[?#].*$/, '');
  if (/^pull[-_]?secret(?:\.(?:json|txt|ya?ml))?$/i.test(base)) return { what: 'a pull secret' };
  if (base === 'auth.json') return { what: 'a registry auth file' };
  if (base === '.dockercfg') return { what: 'a Docker registry credential file' };
  if (base === 'config.json' && segments.includes('.docker')) return { what: 'Docker registry credentials' };
  if (path === '/var/lib/kubelet/config.json') return { what: 'the kubelet\'s pull secret' };
  if (base === '.netrc' || base === '.git-credentials') return { what: 'a credentials file' };
  if (segments.some((segment) => /^entitlement(?:-certs?)?$/i.test(segment))) return { what: 'a Red Hat entitlement certificate or key', subscription: true };
  if (isUnder(path, '/etc/pki/consumer')) return { what: 'the subscription-manager consumer identity', subscription: true };
  if (base === 'redhat.repo') {
    return { what: 'the subscription-manager repo file', note: ' It points at entitlement keys, and rpm-ostree fails on nodes that have it (MCO layering docs: remove it).', subscription: true };
  }
  if (isUnder(path, '/etc/rhsm')) return { what: 'subscription-manager configuration', severity: 'warning', subscription: true };
  if (/^ssh_host_\w+_key$/.test(base)) return { what: 'an SSH host private key', note: ' Every node would share it.' };
  if (/^id_(?:rsa|dsa|ecdsa|ed25519)(?:_sk)?$/.test(base)) return { what: 'an SSH private key' };
  if (/(?:^|[-_.])key\.pem$/i.test(base) || /\.pk8$/i.test(base)) return { what: 'a private key' };
  if ((isUnder(path, '/etc/pki/tls/private') || isUnder(path, '/etc/ssl/private')) && path !== '/etc/pki/tls/private' && path !== '/etc/ssl/private') {
    return { what: 'a private TLS key' };
  }
  return undefined;
}

export const secretInImage: Rule = {
  id: 'secret-in-image',
  defaultSeverity: 'error',
  summary: 'Pull secrets, entitlement keys, RHSM config or private keys copied or written into an image layer.',
  check(context) {
    const findings: RuleFinding[] = [];
    const workdirs = workdirsOf(context);
    for (const instruction of finalChainInstructions(context)) {
      if (!isCopyOrAdd(instruction)) continue;
      findings.push(...copyFindings(instruction, copyDestinationPath(instruction, workdirs.get(instruction))));
    }
    const seen = new Set<Word>();
    for (const write of finalChainRunWrites(context)) {
      const kind = secretKindOf(write.path);
      if (!kind || seen.has(write.word) || removedLater(write.run, write.command.range.end, write.path)) continue;
      seen.add(write.word);
      findings.push({
        message: `${quote(write.path)} is ${kind.what}: written in a RUN it stays in that layer for anyone who can pull the image.${kind.note ?? ''} Use the secret mount's target directly, or delete it in the same RUN.`,
        range: write.word.range,
        severity: kind.severity,
      });
    }
    return findings;
  },
};

function copyFindings(copy: CopyInstruction, destination: string | undefined): RuleFinding[] {
  const findings: RuleFinding[] = [];
  const intoDirectory = copy.destination?.raw.replace(/["']$/, '').endsWith('/') || copy.sources.length > 1;
  for (const source of copy.sources) {
    if (source.value === undefined) continue;
    const sourcePath = pathOfSource(source.value);
    const base = sourcePath.split('/').filter(Boolean).pop() ?? '';
    // A directory source is copied as its contents, so its files land in the destination itself.
    const target = destination && intoDirectory && !source.value.endsWith('/') ? normalizePath(`${destination}/${base}`) : destination;
    const bySource = secretKindOf(normalizePath(`/${sourcePath}`) ?? sourcePath);
    const kind = bySource ?? (target ? secretKindOf(target) : undefined);
    if (kind && (bySource || copy.destination)) findings.push(report(copy, bySource ? source : copy.destination!, kind, target));
  }
  if (copy.sources.length === 0 && destination && copy.destination) {
    const kind = secretKindOf(destination);
    if (kind) findings.push(report(copy, copy.destination, kind, destination));
  }
  // One finding per word: several sources into a secret directory all point at the destination.
  return findings.filter((finding, index) => findings.findIndex((other) => other.range === finding.range) === index);
}

/** The path part of a COPY/ADD source: a URL's path for ADD, the context or stage path otherwise. */
function pathOfSource(value: string): string {
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) return value;
  try {
    return new URL(value).pathname;
  } catch {
    return value;
  }
}

function report(copy: CopyInstruction, word: Word, kind: SecretKind, target: string | undefined): RuleFinding {
  const id = pathOfSource(word.value ?? target ?? 'secret').split('/').filter(Boolean).pop()?.replace(/\.[^.]*$/, '').replace(/[^A-Za-z0-9_-]+/g, '-') || 'secret';
  const mount = `RUN --mount=type=secret,id=${id}${target ? `,target=${target}` : ''}`;
  const advice = kind.subscription
    ? 'Build on an entitled RHEL host, where podman provides the subscription to RUN steps, or mount each file with `RUN --mount=type=secret,...`.'
    : `Pass it to the step that needs it with \`${mount} ...\`.`;
  return {
    message: `${quote(word.value ?? word.raw)} is ${kind.what}: ${copy.keyword} bakes it into a layer that anyone who can pull the image can read, even if a later RUN deletes it.${kind.note ?? ''} ${advice}`,
    range: word.range,
    severity: kind.severity,
  };
}

/** Whether a command after `after` in the same RUN removes `path` (or a directory holding it), so the layer never has it. */
function removedLater(run: RunInstruction, after: { line: number; character: number }, path: string): boolean {
  return run.commands.some((command) => {
    const start = command.range.start;
    if (start.line < after.line || (start.line === after.line && start.character < after.character)) return false;
    const { name, args } = unwrapCommand(command);
    if (name !== 'rm' && name !== 'shred' && name !== 'unlink') return false;
    return args.some((arg) => {
      const removed = arg.value === undefined ? undefined : normalizePath(arg.value.replace(/\/\*$/, ''));
      return removed !== undefined && isUnder(path, removed);
    });
  });
}

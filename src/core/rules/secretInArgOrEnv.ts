import { isRun, type ShellCommandInFile, type Word } from '../containerfile/model';
import { unwrapCommand } from '../containerfile/packages';
import { finalChainInstructions, isUnder, normalizePath } from './filesystemWrites';
import { quote } from './helpers';
import { secretKindOf } from './secretInImage';
import type { Rule, RuleFinding } from './types';

/**
 * ARG and ENV values stay in the image: ENV in its configuration, build arguments in the history of every RUN that
 * sees them (`podman history --no-trunc`), so anyone who can pull the layered image, and every node, can read them.
 * The usual case in layering is subscription-manager credentials (`ARG RHSM_PASSWORD`) for entitled RHEL packages.
 * A secret belongs in `RUN --mount=type=secret` (podman/buildah `--secret`). The names are what BuildKit's
 * SecretsUsedInArgOrEnv check looks for, plus subscription-manager's activation keys and organisation ids
 * (`ACTIVATION_KEY`, `RHSM_ORG`): together they register a system to the account. Names of files, paths and URLs
 * (PASSWORD_FILE, TOKEN_URL) and anything public are left alone. A RUN that writes such a variable's value into a file
 * under /etc puts it into the image itself, which is reported at the word that carries it.
 */

const SECRET_WORDS = new Set(['password', 'passwd', 'pword', 'secret', 'token', 'apikey', 'credential', 'credentials', 'privatekey']);
const SECRET_PAIRS = new Set(['api_key', 'access_key', 'secret_key', 'private_key', 'auth_token', 'client_secret']);
const NOT_A_VALUE = new Set(['file', 'path', 'dir', 'url', 'uri', 'name', 'id', 'type', 'mode', 'length', 'ttl', 'env', 'var']);

/** subscription-manager `--activationkey` and `--org`: registering needs both, so both are credentials. */
function isSubscriptionCredential(parts: readonly string[]): boolean {
  if (parts.some((part) => part === 'activationkey' || part === 'activationkeys')) return true;
  if (parts.some((part, index) => part === 'activation' && /^keys?$/.test(parts[index + 1] ?? ''))) return true;
  return parts.includes('rhsm') && parts.some((part) => part === 'org' || part === 'orgid' || part === 'organization' || part === 'organisation');
}

export function looksLikeSecretName(name: string): boolean {
  const parts = name.toLowerCase().split(/[^a-z0-9]+/).filter(Boolean);
  if (parts.length === 0 || parts.includes('public')) return false;
  if (isSubscriptionCredential(parts) && !/^(?:file|path|dir|url|uri)$/.test(parts[parts.length - 1]!)) return true;
  if (NOT_A_VALUE.has(parts[parts.length - 1]!)) return false;
  if (parts.some((part) => SECRET_WORDS.has(part))) return true;
  return parts.some((part, index) => index > 0 && SECRET_PAIRS.has(`${parts[index - 1]}_${part}`));
}

export const secretInArgOrEnv: Rule = {
  id: 'secret-in-arg-or-env',
  defaultSeverity: 'warning',
  summary: 'An ARG or ENV named like a password or token, whose value stays readable in the image.',
  check(context) {
    const findings: RuleFinding[] = [];
    const declared = new Set<string>();
    for (const instruction of finalChainInstructions(context)) {
      if (isRun(instruction)) {
        for (const command of instruction.commands) findings.push(...writesIntoEtc(command));
        continue;
      }
      if ((instruction.keyword !== 'ARG' && instruction.keyword !== 'ENV') || !('args' in instruction)) continue;
      for (const word of declaredNames(instruction.keyword, instruction.args)) {
        const name = (word.value ?? word.raw).split('=')[0]!;
        // `ARG GH_TOKEN` repeated before each RUN that uses it is one secret: reported at its first declaration.
        if (!looksLikeSecretName(name) || declared.has(`${instruction.keyword} ${name}`)) continue;
        declared.add(`${instruction.keyword} ${name}`);
        const where = instruction.keyword === 'ENV' ? 'in the image configuration' : 'in the history of every RUN after it (`podman history --no-trunc`)';
        findings.push({
          message: `${instruction.keyword} ${name} looks like a secret, and its value stays readable ${where} by anyone who can pull the image. Pass it as a build secret instead: \`RUN --mount=type=secret,id=${id(name)}\` reads it from /run/secrets/${id(name)} in that step only (\`podman build --secret id=${id(name)},src=FILE\`).`,
          range: word.range,
        });
      }
    }
    return findings;
  },
};

const VARIABLE_REFERENCE = /\$(?:\{([A-Za-z_][A-Za-z0-9_]*)[^}]*\}|([A-Za-z_][A-Za-z0-9_]*))/g;

/**
 * `echo "$ACTIVATION_KEY" > /etc/rhsm/key`, `printf 'org=%s' "${RHSM_ORG}" >> /etc/x.conf`, `sed -i "s/@KEY@/$TOKEN/"
 * /etc/x.conf`: the value of a secret-named variable written into a file under /etc, which ships with the image.
 */
function writesIntoEtc(command: ShellCommandInFile): RuleFinding[] {
  const { name, args } = unwrapCommand(command);
  const redirected = command.redirects.filter((r) => r.operator.includes('>')).map((r) => r.target?.value);
  const edited = name === 'sed' || name === 'tee' ? args.map((arg) => arg.value).filter((value) => value?.startsWith('/')) : [];
  const target = [...redirected, ...edited].map((path) => (path === undefined ? undefined : normalizePath(path))).find((path) => path !== undefined && isUnder(path, '/etc'));
  // A file that is secret in itself (RHSM configuration, an auth.json) is secret-in-image's finding: one problem, one finding.
  if (!target || secretKindOf(target)) return [];
  const findings: RuleFinding[] = [];
  for (const arg of args) {
    for (const match of arg.raw.matchAll(VARIABLE_REFERENCE)) {
      const variable = match[1] ?? match[2]!;
      if (!looksLikeSecretName(variable)) continue;
      findings.push({
        message: `The value of ${variable} is written into ${quote(target)}, so it ships in the image: every node, and anyone who can pull the image, can read it. Use it from a build secret in the step that needs it (\`RUN --mount=type=secret,id=${id(variable)}\`) and keep it out of files in the image.`,
        range: arg.range,
      });
      break;
    }
  }
  return findings;
}

function id(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9_.-]/g, '_');
}

/** The words that declare names: every word of ARG and of `ENV a=1 b=2`, the first of legacy `ENV a 1`. */
function declaredNames(keyword: 'ARG' | 'ENV', args: readonly Word[]): readonly Word[] {
  if (keyword === 'ARG') return args;
  const first = args[0];
  if (!first) return [];
  return (first.value ?? first.raw).includes('=') ? args.filter((word) => (word.value ?? word.raw).includes('=')) : [first];
}

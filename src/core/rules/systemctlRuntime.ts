import { isRun, type RunInstruction, type ShellCommandInFile, type Word } from '../containerfile/model';
import { unwrapCommand } from '../containerfile/packages';
import { finalChainStages, quote } from './helpers';
import { deleteCommandEdit, deleteWordEdit } from './shellEdits';
import type { Fix, Rule, RuleContext, RuleFinding } from './types';

/**
 * A container build runs no systemd: `systemctl start/restart/daemon-reload/...` has no manager to talk to, so the
 * step fails ("System has not been booted with systemd as init system") or, when systemctl thinks it runs offline,
 * is skipped. What works at build time is what only edits unit symlinks: enable, disable, mask, unmask, preset,
 * set-default (the documented layering example runs `systemctl enable ipsec`; MCO-FACTS section 9).
 */

type VerbGroup = 'start' | 'stop' | 'restart' | 'manager' | 'system' | 'query';

const VERBS: Readonly<Record<string, VerbGroup>> = {
  start: 'start',
  stop: 'stop', kill: 'stop', freeze: 'stop', thaw: 'stop', clean: 'stop', isolate: 'stop',
  restart: 'restart', reload: 'restart', 'try-restart': 'restart', 'reload-or-restart': 'restart', 'try-reload-or-restart': 'restart',
  'reload-or-try-restart': 'restart', 'force-reload': 'restart', condrestart: 'restart', condreload: 'restart', condstop: 'restart',
  'daemon-reload': 'manager', 'daemon-reexec': 'manager', 'reset-failed': 'manager', 'set-environment': 'manager',
  'unset-environment': 'manager', 'import-environment': 'manager', 'set-property': 'manager', 'log-level': 'manager',
  'log-target': 'manager', 'service-log-level': 'manager', 'service-log-target': 'manager', bind: 'manager', 'mount-image': 'manager',
  default: 'system', rescue: 'system', emergency: 'system', halt: 'system', poweroff: 'system', reboot: 'system', kexec: 'system',
  'soft-reboot': 'system', suspend: 'system', hibernate: 'system', 'hybrid-sleep': 'system', 'suspend-then-hibernate': 'system',
  exit: 'system', 'switch-root': 'system',
  status: 'query', 'is-active': 'query', 'is-failed': 'query', 'is-system-running': 'query', show: 'query', 'list-units': 'query',
  'list-jobs': 'query', 'list-sockets': 'query', 'list-timers': 'query', 'list-paths': 'query', 'list-automounts': 'query',
  'list-machines': 'query',
};

/** `service <unit> <action>` (the initscripts wrapper) forwards to systemctl. */
const SERVICE_ACTIONS: Readonly<Record<string, VerbGroup>> = {
  start: 'start', stop: 'stop', restart: 'restart', reload: 'restart', 'try-restart': 'restart', condrestart: 'restart',
  'force-reload': 'restart', status: 'query',
};

const NOW_VERBS = new Set(['enable', 'disable', 'mask', 'reenable']);

const VALUE_OPTIONS = new Set(['-t', '-p', '-P', '-H', '-M', '-s', '-n', '-o', '--type', '--property', '--host', '--machine', '--signal',
  '--kill-whom', '--kill-value', '--lines', '--output', '--job-mode', '--preset-mode', '--what', '--root', '--image', '--image-policy',
  '--boot-loader-entry', '--boot-loader-menu', '--reboot-argument', '--timestamp', '--message', '--drop-in', '--when', '--state',
  '--check-inhibitors']);

export const systemctlRuntime: Rule = {
  id: 'systemctl-runtime',
  defaultSeverity: 'warning',
  summary: '`systemctl start/restart/daemon-reload/...` at build time, where no systemd is running.',
  check(context) {
    const findings: RuleFinding[] = [];
    const runs = finalChainStages(context).flatMap((stage) => stage.instructions.filter(isRun));
    const enabled = enabledUnits(runs);
    for (const run of runs) {
      for (const command of run.commands) {
        const finding = checkCommand(context, run, command, enabled);
        if (finding) findings.push(finding);
      }
    }
    return findings;
  },
};

/** Units a `systemctl enable` in the final image's RUNs enables, with and without their `.service` suffix. */
function enabledUnits(runs: readonly RunInstruction[]): ReadonlySet<string> {
  const units = new Set<string>();
  for (const run of runs) {
    for (const command of run.commands) {
      const parsed = parse(command);
      if (parsed?.verb?.value !== 'enable' || unwrapCommand(command).name !== 'systemctl') continue;
      for (const unit of parsed.units) if (unit.value !== undefined) units.add(unitName(unit.value));
    }
  }
  return units;
}

function unitName(unit: string): string {
  return unit.replace(/\.service$/, '');
}

interface ParsedSystemctl {
  readonly tool: Word;
  readonly verb: Word | undefined;
  readonly units: readonly Word[];
  readonly options: readonly Word[];
}

function parse(command: ShellCommandInFile): ParsedSystemctl | undefined {
  const { name, args } = unwrapCommand(command);
  if (name !== 'systemctl' && name !== 'service') return undefined;
  const tool = name === command.name ? command.nameWord : command.args[command.args.length - args.length - 1];
  if (!tool) return undefined;
  if (name === 'service') {
    const [unit, action] = args;
    return { tool, verb: action, units: unit ? [unit] : [], options: [] };
  }
  const positional: Word[] = [];
  const options: Word[] = [];
  for (let i = 0; i < args.length; i++) {
    const word = args[i]!;
    const value = word.value ?? '';
    if (value.startsWith('-') && value !== '-') {
      options.push(word);
      if (VALUE_OPTIONS.has(value) && i + 1 < args.length) i++;
      continue;
    }
    positional.push(word);
  }
  return { tool, verb: positional[0], units: positional.slice(1), options };
}

function checkCommand(context: RuleContext, run: RunInstruction, command: ShellCommandInFile, enabled: ReadonlySet<string>): RuleFinding | undefined {
  const parsed = parse(command);
  if (!parsed?.verb?.value) return undefined;
  const isService = unwrapCommand(command).name === 'service';
  const optionValues = parsed.options.map((option) => option.value ?? '');
  // Offline use is deliberate: `--root=DIR`/`--image` edit another tree, SYSTEMD_OFFLINE=1 tells systemctl there is no manager.
  if (optionValues.some((value) => /^--(?:root|image)(?:=|$)/.test(value))) return undefined;
  if ([...command.assignments, ...command.args.map((arg) => arg.value ?? '')].some((text) => /^SYSTEMD_OFFLINE=/.test(text))) return undefined;

  const verb = parsed.verb.value;
  const tool = isService ? 'service' : 'systemctl';
  const written = isService ? `service ${parsed.units[0]?.raw ?? ''} ${verb}` : `systemctl ${verb}${parsed.units.length > 0 ? ` ${parsed.units.map((unit) => unit.raw).join(' ')}` : ''}`;
  const range = { start: parsed.tool.range.start, end: parsed.verb.range.end };
  const units = parsed.units.map((unit) => unit.raw).join(' ');

  if (!isService && NOW_VERBS.has(verb)) {
    const now = parsed.options.find((option) => option.value === '--now');
    if (!now) return undefined;
    const action = verb === 'disable' || verb === 'mask' ? 'stops' : 'starts';
    return {
      message: `\`--now\` also ${action} ${units || 'the unit'}, which needs a running systemd that a build does not have: drop \`--now\`; \`systemctl ${verb}\` alone takes effect at boot.`,
      range: now.range,
      fixes: [{ kind: 'edit', title: 'Remove `--now`', preferred: true, edits: [deleteWordEdit(context.model, now.range)] }],
    };
  }

  const group = isService ? SERVICE_ACTIONS[verb] : VERBS[verb];
  if (!group) return undefined;
  const deletion = deleteCommandEdit(context.model, run, command);
  const fixes: Fix[] = [];
  const deleteFix = (preferred: boolean): void => {
    if (deletion) fixes.push({ kind: 'edit', title: `Delete \`${written}\``, preferred, edits: [deletion] });
  };
  let advice: string;
  switch (group) {
    case 'start': {
      // Already enabled elsewhere in the image: turning this start into a second enable would only duplicate it.
      const alreadyEnabled = parsed.units.length > 0 && parsed.units.every((unit) => unit.value !== undefined && enabled.has(unitName(unit.value)));
      if (alreadyEnabled) {
        advice = `${units} ${parsed.units.length > 1 ? 'are' : 'is'} already enabled by \`systemctl enable\` in this image, so ${parsed.units.length > 1 ? 'they start' : 'it starts'} at boot: delete this command.`;
        deleteFix(true);
        break;
      }
      advice = units ? `To run ${units} on the node, use \`systemctl enable ${units}\` instead.` : 'Use `systemctl enable <unit>` to start it at boot.';
      if (!isService && parsed.units.length > 0) {
        fixes.push({ kind: 'edit', title: `Replace with \`systemctl enable ${units}\``, edits: [{ range: parsed.verb.range, newText: 'enable' }] });
      }
      deleteFix(false);
      break;
    }
    case 'stop':
      advice = 'To keep a unit from running on the node, use `systemctl disable` or `systemctl mask`.';
      deleteFix(false);
      break;
    case 'restart':
      advice = 'Delete it: units start with their new configuration when the node boots the image.';
      deleteFix(true);
      break;
    case 'manager':
      advice = 'Delete it: systemd reads unit files when the node boots the image.';
      deleteFix(true);
      break;
    case 'system':
      advice = 'Delete it.';
      deleteFix(true);
      break;
    case 'query':
      advice = 'Use `systemctl is-enabled` to check the image, or delete it.';
      deleteFix(false);
      break;
  }
  const effect = group === 'query' ? 'asks the running systemd, and a build has none: it fails or reports nothing useful.' : `needs a running systemd, and a build has none: the step fails or does nothing.`;
  return { message: `${quote(`${tool} ${verb}`)} ${effect} ${advice}`, range, fixes };
}

import { isRun, type ShellCommandInFile, type Word } from '../containerfile/model';
import { unwrapCommand } from '../containerfile/packages';
import { configWrites, normalizePath, sysusersNames } from './filesystemWrites';
import { finalChainStages, quote } from './helpers';
import type { Rule, RuleContext, RuleFinding } from './types';

/**
 * `useradd`/`groupadd` at build time only edit the image's /etc/passwd and /etc/group. /etc is merged three ways on
 * update, and a node whose /etc/passwd was modified locally keeps its own copy, so the image's new users and groups
 * may never appear there (bootc container lint `sysusers`; bootc docs building/users-and-groups.md). A sysusers.d
 * entry makes systemd-sysusers create them at boot on every node; a Containerfile that writes one is not reported.
 */

export const SYSUSERS_DIRECTORIES = ['/usr/lib/sysusers.d', '/etc/sysusers.d'] as const;

const USERADD_VALUE_OPTIONS = new Set(['-b', '--base-dir', '-c', '--comment', '-d', '--home-dir', '--home', '-e', '--expiredate', '-f',
  '--inactive', '-g', '--gid', '-G', '--groups', '-k', '--skel', '-K', '--key', '-p', '--password', '-s', '--shell', '-u', '--uid', '-R',
  '--root', '-P', '--prefix', '-Z', '--selinux-user', '--selinux-range', '--ingroup', '--firstuid', '--lastuid']);
const GROUPADD_VALUE_OPTIONS = new Set(['-g', '--gid', '-K', '--key', '-p', '--password', '-R', '--root', '-P', '--prefix', '-U', '--users']);

export const useraddWithoutSysusers: Rule = {
  id: 'useradd-without-sysusers',
  defaultSeverity: 'warning',
  summary: '`useradd`/`groupadd` without a sysusers.d entry, so the user may never exist on updated nodes.',
  check(context) {
    const additions: Addition[] = [];
    for (const stage of finalChainStages(context)) {
      for (const run of stage.instructions.filter(isRun)) {
        for (const command of run.commands) {
          const addition = parseAddition(command);
          if (addition) additions.push(addition);
        }
      }
    }
    if (additions.length === 0) return [];
    const declared = declaredNames(context);
    if (declared === 'all') return [];
    const findings: RuleFinding[] = [];
    for (const addition of additions) {
      const name = addition.name?.value;
      if (name === undefined) {
        if (declared.users.size > 0 || declared.groups.size > 0) continue;
      } else if (addition.kind === 'user' ? declared.users.has(name) : declared.groups.has(name) || declared.users.has(name)) {
        continue;
      }
      const who = name === undefined ? `the ${addition.kind}` : `${addition.kind} ${quote(name)}`;
      const entry = `${addition.kind === 'user' ? 'u' : 'g'} ${name ?? '<name>'} -`;
      findings.push({
        message: `${quote(addition.tool.value ?? addition.tool.raw)} adds ${who} to the image's /etc only: nodes keep their locally modified /etc/${addition.kind === 'user' ? 'passwd' : 'group'}, so it may never exist there (bootc lint sysusers). Declare it in /usr/lib/sysusers.d/${name ?? '<name>'}.conf (\`${entry}\`).`,
        range: addition.tool.range,
      });
    }
    return findings;
  },
};

interface Addition {
  readonly kind: 'user' | 'group';
  readonly tool: Word;
  readonly name: Word | undefined;
}

function parseAddition(command: ShellCommandInFile): Addition | undefined {
  const { name, args } = unwrapCommand(command);
  const kind = name === 'useradd' || name === 'adduser' ? 'user' : name === 'groupadd' || name === 'addgroup' ? 'group' : undefined;
  if (!kind) return undefined;
  const tool = name === command.name ? command.nameWord : command.args[command.args.length - args.length - 1];
  if (!tool) return undefined;
  const valueOptions = kind === 'user' ? USERADD_VALUE_OPTIONS : GROUPADD_VALUE_OPTIONS;
  const positional: Word[] = [];
  for (let i = 0; i < args.length; i++) {
    const value = args[i]!.value ?? '';
    if (!value.startsWith('-')) {
      positional.push(args[i]!);
      continue;
    }
    let option: string;
    let optionValue: string | undefined;
    if (value.startsWith('--')) {
      const eq = value.indexOf('=');
      option = eq >= 0 ? value.slice(0, eq) : value;
      optionValue = eq >= 0 ? value.slice(eq + 1) : valueOptions.has(option) ? args[++i]?.value : undefined;
    } else {
      // Grouped short options (`-ms /bin/bash`, `-rmd/home/x`): the first one that takes a value takes the rest of the
      // word, or the next word.
      const letters = value.slice(1);
      const at = [...letters].findIndex((letter) => valueOptions.has(`-${letter}`));
      option = at >= 0 ? `-${letters[at]}` : value;
      optionValue = at < 0 ? undefined : at < letters.length - 1 ? letters.slice(at + 1) : args[++i]?.value;
    }
    // Adding to another root (a chroot, a sysroot) does not touch this image's /etc.
    if ((option === '-R' || option === '--root' || option === '-P' || option === '--prefix') && normalizePath(optionValue ?? '') !== '/') return undefined;
    if (option === '-D' || option === '--defaults') return undefined;
  }
  // `adduser name group` (Debian style) adds an existing user to a group: not a new user.
  if (name === 'adduser' && positional.length === 2) return undefined;
  return { kind, tool, name: positional[0] };
}

function declaredNames(context: RuleContext): { users: Set<string>; groups: Set<string> } | 'all' {
  const writes = configWrites(context, SYSUSERS_DIRECTORIES);
  if (writes.unknownContent) return 'all';
  const users = new Set<string>();
  const groups = new Set<string>();
  for (const text of writes.texts) {
    const names = sysusersNames(text);
    for (const user of names.users) users.add(user);
    for (const group of names.groups) groups.add(group);
  }
  return { users, groups };
}

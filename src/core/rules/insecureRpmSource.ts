import { isCopyOrAdd, isRun, type ContainerfileModel, type CopyInstruction, type RunInstruction, type ShellCommandInFile, type Word } from '../containerfile/model';
import { packageManagerOf, packageOperation, unwrapCommand } from '../containerfile/packages';
import type { Range } from '../text';
import { finalChainStages, quote } from './helpers';
import type { Rule, RuleFinding } from './types';

/**
 * What goes into the node image has to come from where the author thinks it does. Over plain http:// anyone on the
 * path can swap an RPM, a .repo file or a GPG key; dnf does not check the signature of RPMs given as files or URLs
 * (`localpkg_gpgcheck` is off by default), and `--nogpgcheck`, `gpgcheck=0`, `sslverify=0` or `rpm --nosignature`
 * switch the remaining checks off. `curl -k`/`--insecure` and `wget --no-check-certificate` fetching an RPM, a .repo
 * file or a key make https:// no better than http://: nothing checks who answered, and the RPM file is then installed
 * without a signature check. https:// and file:// (a repository built in an earlier stage) are fine. Only the stages
 * the node image is built from are checked.
 */
export const insecureRpmSource: Rule = {
  id: 'insecure-rpm-source',
  defaultSeverity: 'warning',
  summary: 'Gets RPMs, repositories or keys over plain http://, or turns off GPG signature or TLS checks.',
  check(context) {
    const findings = new Map<string, RuleFinding>();
    const add = (finding: RuleFinding): void => {
      const key = `${finding.range.start.line}:${finding.range.start.character}`;
      if (!findings.has(key)) findings.set(key, finding);
    };
    for (const stage of finalChainStages(context)) {
      for (const instruction of stage.instructions) {
        if (isRun(instruction)) checkRun(context.model, instruction, add);
        else if (isCopyOrAdd(instruction)) checkCopyHeredocs(context.model, instruction, add);
      }
    }
    return [...findings.values()];
  },
};

type Add = (finding: RuleFinding) => void;

const REPO_PATH = /(?:\/yum\.repos\.d\/|\.repo$|\/(?:dnf\/dnf|yum)\.conf$)/;
const HTTP_URL = /http:\/\/[^\s'"\\,;|&)<>]+/gi;
const REPO_URL_KEY = /(?:^|(?<=[\s'"]|\\n))(baseurl|mirrorlist|metalink|gpgkey)[ \t]*=[ \t]*(http:\/\/[^\s'"\\,;|&)<>]+)/gim;
const OFF_KEY = /(?:^|(?<=[\s'"]|\\n))(gpgcheck|sslverify)[ \t]*=[ \t]*(?:0|false|no|off)(?![\w.-])/gim;
const SETOPT_OFF = /^(?:--setopt=)?(?:[\w.*-]+\.)?(?:gpgcheck|sslverify)=(?:0|false|no|off)$/i;
const LOCAL_BASEURL = /^(?:file:\/\/|\/)/i;

function checkRun(model: ContainerfileModel, run: RunInstruction, add: Add): void {
  const writesRepoFile = run.commands.some(writesRepo);
  const unverified: UnverifiedDownload[] = [];
  for (const command of run.commands) {
    const { name, args } = unwrapCommand(command);
    if (packageManagerOf(name) || /^(?:yum|dnf)-config-manager$/.test(name)) checkPackageCommand(command, name, args, add);
    else if (name === 'curl' || name === 'wget') {
      checkDownload(command, args, add);
      const download = unverifiedDownload(command, name, args);
      if (download) unverified.push(download);
    } else if (name === 'sed') checkSed(args, add);
  }
  reportUnverified(unverified, add);
  if (!writesRepoFile) return;
  // Repository file content written by this RUN: `cat > x.repo <<EOF` bodies, `echo -e "...\nbaseurl=..."` words.
  const start = model.lines.offsetAt(run.range.start);
  const text = model.text.slice(start, model.lines.offsetAt(run.range.end));
  checkRepoContent(model, text, start, add);
}

function checkCopyHeredocs(model: ContainerfileModel, copy: CopyInstruction, add: Add): void {
  const destination = copy.destination?.value ?? '';
  for (const heredoc of copy.heredocs) {
    if (!heredoc.contentRange) continue;
    const target = destination.endsWith('/') ? `${destination}${heredoc.name}` : destination;
    if (!REPO_PATH.test(target) && !/\.repo$/.test(heredoc.name)) continue;
    checkRepoContent(model, heredoc.content, model.lines.offsetAt(heredoc.contentRange.start), add);
  }
}

/** `baseurl=http://…` and `gpgcheck=0` in repository file text that starts at `offset` in the file. */
function checkRepoContent(model: ContainerfileModel, text: string, offset: number, add: Add): void {
  const baseurls = [...text.matchAll(/(?:^|(?<=[\s'"]|\\n))baseurl[ \t]*=[ \t]*([^\s'"\\]+)/gim)].map((m) => m[1]!);
  // Unsigned RPMs built in an earlier stage and served from a local directory are a legitimate reason for gpgcheck=0.
  const localOnly = baseurls.length > 0 && baseurls.every((url) => LOCAL_BASEURL.test(url));
  for (const match of text.matchAll(REPO_URL_KEY)) {
    const url = match[2]!;
    const urlOffset = offset + match.index + match[0].length - url.length;
    const key = match[1]!.toLowerCase();
    const what = key === 'gpgkey' ? 'The GPG key of this repository' : 'This repository';
    add({
      message: `${what} is fetched over plain http:// (${key}=${url}), so its content can be tampered with on the way: use https://.`,
      range: model.lines.rangeOf(urlOffset, urlOffset + url.length),
    });
  }
  for (const match of text.matchAll(OFF_KEY)) {
    const key = match[1]!.toLowerCase();
    if (key === 'gpgcheck' && localOnly) continue;
    const at = offset + match.index;
    add({ message: offMessage(match[0].replace(/[ \t]/g, ''), key, 'This repository file sets'), range: model.lines.rangeOf(at, at + match[0].length) });
  }
}

function checkPackageCommand(command: ShellCommandInFile, name: string, args: readonly Word[], add: Add): void {
  const operation = packageOperation(command);
  for (const word of args) {
    const value = word.value ?? word.raw;
    if (value === '--nogpgcheck' || value === '--no-gpgchecks') {
      add({ message: `${quote(value)} installs packages (dependencies included) without checking their signatures: import the repository's GPG key with \`rpm --import\` and drop the option.`, range: word.range });
    } else if ((value === '--nosignature' || value === '--nodigest') && name === 'rpm' && operation?.action !== 'other') {
      const check = value === '--nosignature' ? 'signature' : 'digest (integrity)';
      add({ message: `${quote(value)} makes rpm skip the package's ${check} check: drop it and import the signing key with \`rpm --import\`.`, range: word.range });
    } else if (SETOPT_OFF.test(value)) {
      const key = /gpgcheck/i.test(value) ? 'gpgcheck' : 'sslverify';
      add({ message: offMessage(value, key, 'This command sets'), range: word.range });
    }
    // A word such as `http://…/kernel-{,core-}5.14.0.rpm` stands for several RPMs: name them as the shell expands it.
    const urlPackages = operation?.packages.filter((p) => p.kind === 'url' && sameStart(p.range, word.range) && /^http:\/\//i.test(p.spec)) ?? [];
    if (urlPackages.length > 1) {
      const names = urlPackages.map((p) => quote(p.spec.slice(p.spec.lastIndexOf('/') + 1)));
      add({ message: `RPMs ${names.join(', ')} are downloaded over plain http://, so they can be tampered with on the way: use https://.`, range: word.range });
      continue;
    }
    for (const match of word.raw.matchAll(HTTP_URL)) {
      const url = match[0];
      const pkg = urlPackages[0];
      const what = pkg ? `RPM ${quote(pkg.spec.slice(pkg.spec.lastIndexOf('/') + 1))} is downloaded`
        : name === 'rpm' && /^--import$/.test(operation?.subcommand ?? '') ? 'This GPG key is fetched'
        : `${quote(url)} is fetched`;
      const range = pkg && pkg.spec !== url ? word.range : within(word, match.index, url.length);
      add({ message: `${what} over plain http://, so it can be tampered with on the way: use https://.`, range });
    }
  }
}

/** `curl http://…/x.rpm`, `curl -o /etc/yum.repos.d/x.repo http://…`, `wget http://…/RPM-GPG-KEY-x`. */
function checkDownload(command: ShellCommandInFile, args: readonly Word[], add: Add): void {
  const targets = [...args.map((arg) => arg.value ?? arg.raw), ...command.redirects.map((r) => r.target?.value ?? r.target?.raw ?? '')]
    .filter((target) => !/^[a-z]+:\/\//i.test(target));
  const saved = targets.find((target) => REPO_PATH.test(target) || /\.rpm$|\/rpm-gpg\//.test(target)) ?? '';
  for (const word of args) {
    for (const match of word.raw.matchAll(HTTP_URL)) {
      const url = match[0];
      const path = url.replace(/[?#].*$/, '');
      if (!saved && !/\.(?:rpm|repo)$|RPM-GPG-KEY/i.test(path)) continue;
      const what = kindOfDownload(path) ?? kindOfDownload(saved) ?? 'package source';
      add({ message: `This ${what} (${url}) is downloaded over plain http://, so it can be tampered with on the way: use https://.`, range: within(word, match.index, url.length) });
    }
  }
}

interface UnverifiedDownload {
  /** The `-k` / `--insecure` / `--no-check-certificate` word. */
  readonly flag: Word;
  readonly tool: string;
  /** File names of what is fetched (the last path segment of each URL). */
  readonly files: readonly string[];
  readonly kind: string;
}

/** `curl -k`, `curl --insecure`, `curl -sSLk`, `wget --no-check-certificate` fetching an RPM, a .repo file or a key. */
function unverifiedDownload(command: ShellCommandInFile, tool: string, args: readonly Word[]): UnverifiedDownload | undefined {
  const flag = args.find((arg) => {
    const value = arg.value ?? '';
    return tool === 'curl' ? value === '--insecure' || /^-[a-zA-Z]*k[a-zA-Z]*$/.test(value) : value === '--no-check-certificate';
  });
  if (!flag) return undefined;
  const urls = args.map((arg) => arg.value).filter((value): value is string => value !== undefined && /^https?:\/\//i.test(value));
  const targets = [...args.map((arg) => arg.value ?? ''), ...command.redirects.map((r) => r.target?.value ?? '')].filter((target) => !/^[a-z]+:\/\//i.test(target));
  const saved = targets.find((target) => REPO_PATH.test(target) || /\.rpm$|\/rpm-gpg\//.test(target)) ?? '';
  const fetched = urls.map((url) => url.replace(/[?#].*$/, '')).filter((path) => saved || kindOfDownload(path) !== undefined);
  if (fetched.length === 0) return undefined;
  const kind = kindOfDownload(fetched[0]!) ?? kindOfDownload(saved) ?? 'package source';
  return { flag, tool, files: fetched.map((path) => path.slice(path.lastIndexOf('/') + 1)), kind };
}

/** One finding per RUN, at the first flag, naming what those downloads fetch: the same mistake repeated is one problem. */
function reportUnverified(downloads: readonly UnverifiedDownload[], add: Add): void {
  const first = downloads[0];
  if (!first) return;
  const files = downloads.flatMap((download) => download.files);
  const shown = files.slice(0, 3).map(quote).join(', ') + (files.length > 3 ? ` and ${files.length - 3} more` : '');
  const written = [...new Set(downloads.map((download) => `\`${download.tool} ${download.flag.value ?? download.flag.raw}\``))];
  const rpm = files.some((file) => /\.rpm$/i.test(file));
  add({
    message: `${written.join(' and ')} ${written.length === 1 ? 'fetches' : 'fetch'} ${files.length === 1 ? `the ${first.kind}` : 'the files'} ${shown} without checking the server's TLS certificate, so anyone on the way can swap ${files.length === 1 ? 'it' : 'them'}${rpm ? ', and an RPM installed from a file gets no signature check either' : ''}. Drop the option; for a server with a private CA, add the CA to /etc/pki/ca-trust/source/anchors and run \`update-ca-trust\` first.`,
    range: first.flag.range,
  });
}

function kindOfDownload(path: string): string | undefined {
  if (/\.repo$|\/yum\.repos\.d\/|\.conf$/i.test(path)) return 'repository file';
  if (/\.rpm$/i.test(path)) return 'RPM';
  if (/RPM-GPG-KEY|\/rpm-gpg\//i.test(path)) return 'GPG key';
  return undefined;
}

/** `sed -i 's/gpgcheck=1/gpgcheck=0/' /etc/yum.repos.d/x.repo`: only the replacement text is written. */
function checkSed(args: readonly Word[], add: Add): void {
  if (!args.some((arg) => REPO_PATH.test(arg.value ?? arg.raw))) return;
  for (const word of args) {
    const script = word.value;
    if (!script || !/^s./.test(script)) continue;
    const delimiter = script[1]!;
    const parts = splitSed(script.slice(2), delimiter);
    const replacement = parts[1];
    if (replacement === undefined) continue;
    const off = /(?:^|[^\w])((gpgcheck|sslverify)=(?:0|false|no|off))(?![\w.-])/i.exec(replacement);
    if (off) add({ message: offMessage(off[1]!, off[2]!.toLowerCase(), 'This sed script writes'), range: word.range });
    const http = /(baseurl|mirrorlist|metalink|gpgkey)=(http:\/\/[^\s'"\\]*)/i.exec(replacement);
    if (http) add({ message: `This sed script points ${http[1]!.toLowerCase()} at plain http:// (${http[2]}), so repository content can be tampered with on the way: use https://.`, range: word.range });
  }
}

function splitSed(text: string, delimiter: string): string[] {
  const parts: string[] = [];
  let current = '';
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === '\\' && i + 1 < text.length) {
      current += ch + text[i + 1];
      i++;
    } else if (ch === delimiter) {
      parts.push(current);
      current = '';
    } else {
      current += ch;
    }
  }
  parts.push(current);
  return parts;
}

function offMessage(found: string, key: string, who: string): string {
  return key === 'gpgcheck'
    ? `${who} ${quote(found)}: packages are installed without checking their signatures. Keep gpgcheck=1 and import the repository's GPG key.`
    : `${who} ${quote(found)}: the repository's TLS certificate is not checked. Add its CA to /etc/pki/ca-trust/source/anchors instead.`;
}

/** A redirect target or a `tee`/`cp`/`install` argument that is a repository file or dnf/yum configuration. */
function writesRepo(command: ShellCommandInFile): boolean {
  if (command.redirects.some((r) => r.operator.includes('>') && REPO_PATH.test(r.target?.value ?? r.target?.raw ?? ''))) return true;
  const { name, args } = unwrapCommand(command);
  return /^(?:tee|cp|install|mv|dd)$/.test(name) && args.some((arg) => REPO_PATH.test(arg.value ?? arg.raw));
}

/** The part of a one-line word at `index` (into its raw text); the whole word when it spans lines. */
function within(word: Word, index: number, length: number): Range {
  const { start, end } = word.range;
  if (start.line !== end.line || end.character - start.character !== word.raw.length) return word.range;
  return { start: { line: start.line, character: start.character + index }, end: { line: start.line, character: start.character + index + length } };
}

function sameStart(a: Range, b: Range): boolean {
  return a.start.line === b.start.line && a.start.character === b.start.character;
}

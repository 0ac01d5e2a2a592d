// Some code-server releases (4.108 among them) fetch two things from GitHub while they install, which fails where only
// the npm registry and Debian's packages are reachable:
//   - a dependency of VS Code given as a git commit (lib/vscode: "@vscode/watcher": "bpasero/watcher#<sha>"), also
//     published on npm at the version the release's npm-shrinkwrap.json records;
//   - ripgrep, which @vscode/ripgrep's postinstall downloads from GitHub releases unless its download cache
//     ($TMPDIR/vscode-ripgrep-cache-<version>/) already holds the archive.
// scripts/code-server.mjs installs such a release with scripts off, calls useRegistriesOnly() on the unpacked
// package, then runs the scripts: the git dependency now comes from npm, and the cache holds an archive of Debian's
// ripgrep (`rg` on PATH). Newer releases (4.133 on) need neither, and nothing is changed for them.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export class OfflineInstallError extends Error {}

/** npm's spellings of a dependency fetched with git: git+ssh://…, git://…, github:owner/repo, owner/repo#ref. */
const GIT_SPEC = /^(git\+|git:|github:)|^[\w.-]+\/[\w.-]+(#.*)?$/;
const DEPENDENCY_SECTIONS = ['dependencies', 'devDependencies', 'optionalDependencies'];

function readJson(file) {
  return JSON.parse(readFileSync(file, 'utf8'));
}

function writeJson(file, value) {
  writeFileSync(file, `${JSON.stringify(value, null, 2)}\n`);
}

function npm(args, env) {
  const result = spawnSync('npm', args, { encoding: 'utf8', env });
  if (result.status !== 0) throw new OfflineInstallError(`npm ${args.join(' ')} failed: ${(result.stderr || result.stdout || String(result.error)).trim()}`);
  return result.stdout;
}

/** Points git dependencies of one package folder (package.json + npm-shrinkwrap.json) at the npm registry. */
function gitDependenciesFromRegistry(folder, env) {
  const packagePath = path.join(folder, 'package.json');
  const shrinkwrapPath = path.join(folder, 'npm-shrinkwrap.json');
  if (!existsSync(packagePath) || !existsSync(shrinkwrapPath)) return [];
  const manifest = readJson(packagePath);
  const shrinkwrap = readJson(shrinkwrapPath);
  const changed = [];
  for (const section of DEPENDENCY_SECTIONS) {
    for (const [name, spec] of Object.entries(manifest[section] ?? {})) {
      if (!GIT_SPEC.test(spec)) continue;
      const locked = shrinkwrap.packages?.[`node_modules/${name}`];
      if (!locked?.version) throw new OfflineInstallError(`${packagePath}: ${name} comes from ${spec}, and npm-shrinkwrap.json records no version of it to take from the npm registry instead`);
      const dist = JSON.parse(npm(['view', `${name}@${locked.version}`, 'dist', '--json'], env) || 'null');
      if (!dist?.tarball || !dist?.integrity) throw new OfflineInstallError(`${packagePath}: ${name} comes from ${spec}; the npm registry has no ${name}@${locked.version} to use instead`);
      manifest[section][name] = locked.version;
      if (shrinkwrap.packages[''][section]?.[name]) shrinkwrap.packages[''][section][name] = locked.version;
      locked.resolved = dist.tarball;
      locked.integrity = dist.integrity;
      changed.push(`${name}@${locked.version} from the npm registry instead of ${spec} (${path.basename(path.dirname(packagePath))})`);
    }
  }
  if (changed.length) {
    writeJson(packagePath, manifest);
    writeJson(shrinkwrapPath, shrinkwrap);
  }
  return changed;
}

const RIPGREP_TARGETS = { x64: 'x86_64-unknown-linux-musl', arm64: 'aarch64-unknown-linux-musl' };

/** Fills @vscode/ripgrep's download cache under tmpDir with an archive of the machine's `rg`, when the release uses it. */
function ripgrepFromMachine(vscodeDir, tmpDir, env) {
  const shrinkwrapPath = path.join(vscodeDir, 'npm-shrinkwrap.json');
  const locked = existsSync(shrinkwrapPath) ? readJson(shrinkwrapPath).packages?.['node_modules/@vscode/ripgrep'] : undefined;
  if (!locked?.version) return [];
  const rg = spawnSync('sh', ['-c', 'command -v rg'], { encoding: 'utf8' }).stdout.trim();
  if (!rg) throw new OfflineInstallError(`this code-server release downloads ripgrep from GitHub while it installs; give it the machine's instead: apt-get install -y ripgrep  (scripts/setup-machine.sh installs it)`);
  const target = os.platform() === 'linux' ? RIPGREP_TARGETS[os.arch()] : undefined;
  if (!target) throw new OfflineInstallError(`@vscode/ripgrep ${locked.version} would download ripgrep from GitHub, and no archive name is known for ${os.platform()}/${os.arch()}`);

  // The release tag the package downloads (const VERSION = 'v13.0.0-13' in its lib/postinstall.js).
  const staging = mkdtempSync(path.join(tmpDir, 'ripgrep-'));
  try {
    const tarball = npm(['pack', `@vscode/ripgrep@${locked.version}`, '--silent', '--pack-destination', staging], env).trim().split('\n').at(-1);
    const script = spawnSync('tar', ['-xzOf', path.join(staging, tarball), 'package/lib/postinstall.js'], { encoding: 'utf8' });
    const tag = /const VERSION = '([^']+)'/.exec(script.stdout ?? '')?.[1];
    if (!tag) throw new OfflineInstallError(`cannot tell which ripgrep @vscode/ripgrep ${locked.version} downloads (no VERSION in its lib/postinstall.js)`);
    const cacheDir = path.join(tmpDir, `vscode-ripgrep-cache-${locked.version}`);
    mkdirSync(cacheDir, { recursive: true });
    copyFileSync(rg, path.join(staging, 'rg'));
    const archive = path.join(cacheDir, `ripgrep-${tag}-${target}.tar.gz`);
    const packed = spawnSync('tar', ['-czf', archive, '-C', staging, 'rg'], { encoding: 'utf8' });
    if (packed.status !== 0) throw new OfflineInstallError(`cannot write ${archive}: ${packed.stderr}`);
    const machineVersion = spawnSync(rg, ['--version'], { encoding: 'utf8' }).stdout.split('\n')[0];
    return [`${machineVersion} (${rg}) in place of ripgrep ${tag} from GitHub, for @vscode/ripgrep ${locked.version}`];
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

/**
 * Makes an unpacked code-server package (node_modules/code-server, installed with --ignore-scripts) installable from
 * the npm registry and the machine alone. Run its scripts afterwards with TMPDIR=tmpDir. Returns what it substituted,
 * one line each (nothing for releases that fetch nothing from GitHub).
 */
export function useRegistriesOnly({ packageDir, tmpDir, env }) {
  const vscodeDir = path.join(packageDir, 'lib', 'vscode');
  return [
    ...gitDependenciesFromRegistry(vscodeDir, env),
    ...gitDependenciesFromRegistry(path.join(vscodeDir, 'extensions'), env),
    ...ripgrepFromMachine(vscodeDir, tmpDir, env),
  ];
}

// Installs code-server (from the npm registry) into an ignored cache folder and tells where it is.
// code-server and its Node stay OUT of the project's dependencies: they are installed on first use and reused.
//
//   node scripts/code-server.mjs install [VERSION]   install if missing (about 3 minutes), print the entry point
//   node scripts/code-server.mjs check [VERSION]     exit 1 with the fix when something the e2e run needs is missing
//
// Two releases are used: the current one (the demo, every e2e scenario) and the oldest one whose VS Code the
// extension claims to support (`engines.vscode`), in which the in-editor suites run as well.
//
// Environment: E2E_CODE_SERVER_DIR (cache folder, default .cache/code-server), E2E_CODE_SERVER_VERSION (the current
// release), E2E_OLDEST_CODE_SERVER_VERSION, E2E_CHROMIUM (browser, default /usr/bin/chromium).
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { OfflineInstallError, useRegistriesOnly } from './code-server-offline.mjs';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const codeServerVersion = process.env.E2E_CODE_SERVER_VERSION || '4.139.1';
// code-server 4.108.2 is VS Code 1.108.2, the oldest release engines.vscode claims (no 4.107.x was published on npm).
// The in-editor suites check that the two agree.
export const oldestCodeServerVersion = process.env.E2E_OLDEST_CODE_SERVER_VERSION || '4.108.2';
export const cacheRoot = path.resolve(repoRoot, process.env.E2E_CODE_SERVER_DIR || '.cache/code-server');
export const chromiumPath = process.env.E2E_CHROMIUM || '/usr/bin/chromium';

function paths(version) {
  const installDir = path.join(cacheRoot, version);
  return {
    installDir,
    stampPath: path.join(installDir, 'installed.json'),
    entryPath: path.join(installDir, 'node_modules', 'code-server', 'out', 'node', 'entry.js'),
  };
}

export class SetupError extends Error {}

function withoutNpmConfig(env) {
  return Object.fromEntries(Object.entries(env).filter(([key]) => !/^npm_/i.test(key)));
}

function nodeMajor(nodePath) {
  const result = spawnSync(nodePath, ['--version'], { encoding: 'utf8' });
  if (result.status !== 0) return undefined;
  return Number(/^v(\d+)/.exec(result.stdout.trim())?.[1]);
}

/** Where a Node of that major is installed from npm when the machine has none (shared by releases that need it). */
function nodeDir(major) {
  return path.join(cacheRoot, `node${major}`);
}

/**
 * A Node of the major a code-server release was built for (its native modules are compiled for it, and its
 * postinstall refuses any other): E2E_CODE_SERVER_NODE, the project's `node` devDependency, one installed into the
 * cache before, or the one running this.
 */
function findNode(major) {
  const candidates = [
    process.env.E2E_CODE_SERVER_NODE,
    path.join(repoRoot, 'node_modules', 'node', 'bin', 'node'),
    path.join(nodeDir(major), 'node_modules', 'node', 'bin', 'node'),
    process.execPath,
  ].filter(Boolean);
  return candidates.find((candidate) => existsSync(candidate) && nodeMajor(candidate) === major);
}

/** The Node major a code-server release declares in engines.node ("22", "24"), asked from the npm registry. */
function requiredNodeMajor(version) {
  const result = spawnSync('npm', ['view', `code-server@${version}`, 'engines.node'], { encoding: 'utf8', env: withoutNpmConfig(process.env) });
  const major = Number(/\d+/.exec(result.stdout ?? '')?.[0]);
  if (result.status !== 0 || !major) {
    throw new SetupError(`Cannot read the Node version code-server ${version} needs (npm view code-server@${version} engines.node): ${(result.stderr || result.stdout || String(result.error)).trim()}`);
  }
  return major;
}

function debianPackageInstalled(name) {
  const result = spawnSync('dpkg-query', ['-W', '-f=${Status}', name], { encoding: 'utf8' });
  if (result.error) return undefined; // not a Debian machine: cannot tell
  return result.status === 0 && result.stdout.includes('install ok installed');
}

function commandExists(name) {
  return spawnSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' }).status === 0;
}

/** Problems that stop the browser side. Each names the command that fixes it. */
export function browserProblems() {
  if (existsSync(chromiumPath)) return [];
  return [`Chromium is missing at ${chromiumPath}. Install it: apt-get install -y chromium  (or set E2E_CHROMIUM to a Chromium binary). Never run "npx playwright install": it downloads a browser this machine cannot fetch.`];
}

/** Problems that stop installing code-server (native modules are compiled by node-gyp at install time). */
export function installProblems() {
  const problems = [];
  if (debianPackageInstalled('libkrb5-dev') === false) {
    problems.push('libkrb5-dev is missing (code-server\'s kerberos module compiles against it). Install it: apt-get install -y libkrb5-dev  (scripts/setup-machine.sh installs it too)');
  }
  const tools = ['python3', 'make', 'g++'].filter((tool) => !commandExists(tool));
  if (tools.length) problems.push(`${tools.join(', ')} missing (node-gyp needs them). Install: apt-get install -y python3 make g++`);
  return problems;
}

export function readStamp(version = codeServerVersion) {
  const { stampPath, entryPath } = paths(version);
  try {
    const stamp = JSON.parse(readFileSync(stampPath, 'utf8'));
    if (stamp.codeServerVersion === version && existsSync(entryPath) && existsSync(stamp.node)) return stamp;
  } catch {
    // not installed, or a half-finished install
  }
  return undefined;
}

function run(command, args, options, logFd) {
  return new Promise((resolve, reject) => {
    writeSync(logFd, `\n$ ${command} ${args.join(' ')}\n`);
    const child = spawn(command, args, { ...options, stdio: ['ignore', logFd, logFd] });
    child.on('error', reject);
    child.on('exit', (code, signal) => (code === 0 ? resolve() : reject(new Error(`${command} ${args.join(' ')} exited with ${code ?? signal}`))));
  });
}

function tail(file, lines) {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}

/**
 * Returns { entry, node, version, installDir } for a cached code-server release (default: the current one),
 * installing it first when needed. Throws SetupError with the fixing command when the machine lacks something.
 */
export async function ensureCodeServer({ version = codeServerVersion, log = (line) => process.stderr.write(`${line}\n`) } = {}) {
  const { installDir, stampPath, entryPath } = paths(version);
  const existing = readStamp(version);
  if (existing) return { entry: entryPath, node: existing.node, version, installDir };

  const problems = installProblems();
  if (problems.length) throw new SetupError(`Cannot install code-server ${version}:\n  - ${problems.join('\n  - ')}`);

  mkdirSync(cacheRoot, { recursive: true });
  const lockPath = path.join(cacheRoot, `${version}.lock`);
  let lockFd;
  try {
    lockFd = openSync(lockPath, 'wx');
  } catch {
    const owner = Number(readFileSync(lockPath, 'utf8'));
    let alive = false;
    try {
      process.kill(owner, 0);
      alive = true;
    } catch {
      // stale lock from a killed install
    }
    if (alive) throw new SetupError(`Another process (pid ${owner}) is installing code-server into ${installDir}; wait for it, or remove ${lockPath} if it is gone.`);
    rmSync(lockPath, { force: true });
    lockFd = openSync(lockPath, 'wx');
  }
  writeSync(lockFd, String(process.pid));
  closeSync(lockFd);

  const logPath = path.join(cacheRoot, `install-${version}.log`);
  const logFd = openSync(logPath, 'w');
  const started = Date.now();
  try {
    rmSync(installDir, { recursive: true, force: true });
    mkdirSync(installDir, { recursive: true });
    writeFileSync(
      path.join(installDir, 'package.json'),
      `${JSON.stringify({ name: 'code-server-cache', private: true, description: 'code-server for the e2e tests; installed by scripts/code-server.mjs', allowScripts: { 'code-server': true, argon2: true } }, null, 2)}\n`,
    );
    const npmArgs = ['install', '--no-audit', '--no-fund', '--no-save', '--loglevel=http'];
    const major = requiredNodeMajor(version);
    let node = findNode(major);
    if (!node) {
      // In a folder of its own: a later `npm install` in installDir would prune a package its package.json does not list.
      const folder = nodeDir(major);
      log(`code-server: code-server ${version} needs Node ${major}; installing node@${major} into ${folder}`);
      rmSync(folder, { recursive: true, force: true });
      mkdirSync(folder, { recursive: true });
      writeFileSync(path.join(folder, 'package.json'), `${JSON.stringify({ name: `node${major}-cache`, private: true, description: `Node ${major} for code-server; installed by scripts/code-server.mjs`, allowScripts: { node: true } }, null, 2)}\n`);
      await run('npm', [...npmArgs, `node@${major}`], { cwd: folder, env: withoutNpmConfig(process.env) }, logFd);
      node = findNode(major);
      if (!node) throw new SetupError(`Installed node@${major} into ${folder} but cannot run it; see ${logPath}`);
    }
    log(`code-server: installing code-server@${version} with Node ${major} (${node}) into ${installDir}; this takes about 3 minutes, once. Log: ${logPath}`);
    // npm and the install scripts (node-gyp, code-server's postinstall) must all run on that Node. Under `npm run`,
    // the outer npm's npm_config_* variables (user-agent names the outer Node) would be read as the inner npm's config,
    // and code-server's postinstall checks the Node version in that user agent; so they are dropped.
    // Older releases' postinstall (4.108 among them) refuses to run as root unless npm_config_unsafe_perm is "true",
    // a setting of npm 6 that later npms neither have nor pass on; the variable is read by that script alone.
    const env = { ...withoutNpmConfig(process.env), PATH: `${path.dirname(node)}${path.delimiter}${process.env.PATH}`, npm_config_unsafe_perm: 'true' };
    // Unpacked without running anything, made to fetch from the npm registry and the machine only
    // (scripts/code-server-offline.mjs), then built: node-gyp, and code-server's postinstall, which installs VS Code's
    // own dependencies.
    await run('npm', [...npmArgs, '--ignore-scripts', `code-server@${version}`], { cwd: installDir, env }, logFd);
    const tmpDir = path.join(installDir, 'tmp');
    mkdirSync(tmpDir, { recursive: true });
    const substituted = useRegistriesOnly({ packageDir: path.join(installDir, 'node_modules', 'code-server'), tmpDir, env });
    for (const line of substituted) {
      log(`code-server: ${version} uses ${line}`);
      writeSync(logFd, `\nsubstituted: ${line}\n`);
    }
    await run('npm', ['rebuild', '--loglevel=http'], { cwd: installDir, env: { ...env, TMPDIR: tmpDir } }, logFd);
    rmSync(tmpDir, { recursive: true, force: true });
    if (!existsSync(entryPath)) throw new Error(`npm finished but ${entryPath} is missing`);
    const reported = spawnSync(node, [entryPath, '--version'], { encoding: 'utf8' });
    if (reported.status !== 0) throw new Error(`the installed code-server does not start: ${reported.stderr || reported.stdout}`);
    const stamp = { codeServerVersion: version, node, nodeVersion: spawnSync(node, ['--version'], { encoding: 'utf8' }).stdout.trim(), reports: reported.stdout.split('\n').find((line) => /^\d+\.\d+\.\d+ /.test(line)) ?? reported.stdout.trim(), substituted, installedAt: new Date().toISOString() };
    writeFileSync(stampPath, `${JSON.stringify(stamp, null, 2)}\n`);
    log(`code-server: installed ${stamp.reports.split('\n')[0]} in ${Math.round((Date.now() - started) / 1000)} s`);
    return { entry: entryPath, node, version, installDir };
  } catch (error) {
    if (error instanceof SetupError) throw error;
    if (error instanceof OfflineInstallError) throw new SetupError(`Cannot install code-server ${version}: ${error.message}`);
    const hint = /krb5|gssapi/i.test(tail(logPath, 200)) ? '\nThe log mentions Kerberos: apt-get install -y libkrb5-dev' : '';
    throw new SetupError(`Installing code-server ${version} failed: ${error.message}\nLast lines of ${logPath}:\n${tail(logPath, 40)}${hint}`);
  } finally {
    closeSync(logFd);
    rmSync(lockPath, { force: true });
  }
}

async function main(command, version = codeServerVersion) {
  if (command === 'check') {
    const problems = [...browserProblems(), ...(readStamp(version) ? [] : installProblems())];
    if (problems.length) throw new SetupError(problems.join('\n'));
    console.log(readStamp(version) ? `code-server ${version} is installed in ${paths(version).installDir}` : `code-server ${version} is not installed yet; the machine can install it`);
  } else if (command === 'install') {
    const { entry, node } = await ensureCodeServer({ version });
    console.log(`${node} ${entry}`);
  } else {
    throw new SetupError(`Unknown command "${command}". Use: install | check`);
  }
}

// No top-level await: the TypeScript harness imports this module too (through tsx, as CommonJS).
if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv[2] ?? 'install', process.argv[3]).catch((error) => {
    console.error(error instanceof SetupError ? error.message : error);
    process.exit(1);
  });
}

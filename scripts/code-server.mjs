// Installs code-server (from the npm registry) into an ignored cache folder and tells where it is.
// code-server and its Node stay OUT of the project's dependencies: they are installed on first use and reused.
//
//   node scripts/code-server.mjs install   install if missing (about 3 minutes), print the entry point
//   node scripts/code-server.mjs check     exit 1 with the fix when something the e2e run needs is missing
//
// Environment: E2E_CODE_SERVER_DIR (cache folder, default .cache/code-server), E2E_CODE_SERVER_VERSION,
// E2E_CHROMIUM (browser, default /usr/bin/chromium).
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const codeServerVersion = process.env.E2E_CODE_SERVER_VERSION || '4.139.1';
export const cacheRoot = path.resolve(repoRoot, process.env.E2E_CODE_SERVER_DIR || '.cache/code-server');
export const chromiumPath = process.env.E2E_CHROMIUM || '/usr/bin/chromium';
const REQUIRED_NODE_MAJOR = 24; // code-server 4.139 declares engines.node "24" and builds native modules for it

const installDir = path.join(cacheRoot, codeServerVersion);
const stampPath = path.join(installDir, 'installed.json');
const entryPath = path.join(installDir, 'node_modules', 'code-server', 'out', 'node', 'entry.js');

export class SetupError extends Error {}

function withoutNpmConfig(env) {
  return Object.fromEntries(Object.entries(env).filter(([key]) => !/^npm_/i.test(key)));
}

function nodeMajor(nodePath) {
  const result = spawnSync(nodePath, ['--version'], { encoding: 'utf8' });
  if (result.status !== 0) return undefined;
  return Number(/^v(\d+)/.exec(result.stdout.trim())?.[1]);
}

/** A Node 24 binary: E2E_CODE_SERVER_NODE, else the project's `node` devDependency, else the one running this. */
function findNode24() {
  const candidates = [
    process.env.E2E_CODE_SERVER_NODE,
    path.join(repoRoot, 'node_modules', 'node', 'bin', 'node'),
    path.join(installDir, 'node_modules', 'node', 'bin', 'node'),
    process.execPath,
  ].filter(Boolean);
  return candidates.find((candidate) => existsSync(candidate) && nodeMajor(candidate) === REQUIRED_NODE_MAJOR);
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

export function readStamp() {
  try {
    const stamp = JSON.parse(readFileSync(stampPath, 'utf8'));
    if (stamp.codeServerVersion === codeServerVersion && existsSync(entryPath) && existsSync(stamp.node)) return stamp;
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
 * Returns { entry, node, version } for the cached code-server, installing it first when needed.
 * Throws SetupError with the fixing command when the machine lacks something.
 */
export async function ensureCodeServer({ log = (line) => process.stderr.write(`${line}\n`) } = {}) {
  const existing = readStamp();
  if (existing) return { entry: entryPath, node: existing.node, version: codeServerVersion, installDir };

  const problems = installProblems();
  if (problems.length) throw new SetupError(`Cannot install code-server ${codeServerVersion}:\n  - ${problems.join('\n  - ')}`);

  mkdirSync(cacheRoot, { recursive: true });
  const lockPath = path.join(cacheRoot, `${codeServerVersion}.lock`);
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

  const logPath = path.join(cacheRoot, `install-${codeServerVersion}.log`);
  const logFd = openSync(logPath, 'w');
  const started = Date.now();
  try {
    rmSync(installDir, { recursive: true, force: true });
    mkdirSync(installDir, { recursive: true });
    writeFileSync(
      path.join(installDir, 'package.json'),
      `${JSON.stringify({ name: 'code-server-cache', private: true, description: 'code-server for the e2e tests; installed by scripts/code-server.mjs', allowScripts: { 'code-server': true, argon2: true, node: true } }, null, 2)}\n`,
    );
    const npmArgs = ['install', '--no-audit', '--no-fund', '--no-save', '--loglevel=http'];
    let node = findNode24();
    if (!node) {
      log(`code-server: no Node ${REQUIRED_NODE_MAJOR} found; installing node@${REQUIRED_NODE_MAJOR} into ${installDir}`);
      await run('npm', [...npmArgs, `node@${REQUIRED_NODE_MAJOR}`], { cwd: installDir, env: withoutNpmConfig(process.env) }, logFd);
      node = findNode24();
      if (!node) throw new SetupError(`Installed node@${REQUIRED_NODE_MAJOR} but cannot run it; see ${logPath}`);
    }
    log(`code-server: installing code-server@${codeServerVersion} with Node ${REQUIRED_NODE_MAJOR} (${node}) into ${installDir}; this takes about 3 minutes, once. Log: ${logPath}`);
    // npm and the install scripts (node-gyp, code-server's postinstall) must all run on Node 24. Under `npm run`,
    // the outer npm's npm_config_* variables (user-agent names its Node 20) would be read as the inner npm's config,
    // and code-server's postinstall checks the Node version in that user agent; so they are dropped.
    const env = { ...withoutNpmConfig(process.env), PATH: `${path.dirname(node)}${path.delimiter}${process.env.PATH}` };
    await run('npm', [...npmArgs, `code-server@${codeServerVersion}`], { cwd: installDir, env }, logFd);
    if (!existsSync(entryPath)) throw new Error(`npm finished but ${entryPath} is missing`);
    const version = spawnSync(node, [entryPath, '--version'], { encoding: 'utf8' });
    if (version.status !== 0) throw new Error(`the installed code-server does not start: ${version.stderr || version.stdout}`);
    const stamp = { codeServerVersion, node, nodeVersion: spawnSync(node, ['--version'], { encoding: 'utf8' }).stdout.trim(), reports: version.stdout.trim(), installedAt: new Date().toISOString() };
    writeFileSync(stampPath, `${JSON.stringify(stamp, null, 2)}\n`);
    log(`code-server: installed ${stamp.reports.split('\n')[0]} in ${Math.round((Date.now() - started) / 1000)} s`);
    return { entry: entryPath, node, version: codeServerVersion, installDir };
  } catch (error) {
    const hint = /krb5|gssapi/i.test(tail(logPath, 200)) ? '\nThe log mentions Kerberos: apt-get install -y libkrb5-dev' : '';
    throw new SetupError(`Installing code-server ${codeServerVersion} failed: ${error.message}\nLast lines of ${logPath}:\n${tail(logPath, 40)}${hint}`);
  } finally {
    closeSync(logFd);
    rmSync(lockPath, { force: true });
  }
}

async function main(command) {
  if (command === 'check') {
    const problems = [...browserProblems(), ...(readStamp() ? [] : installProblems())];
    if (problems.length) throw new SetupError(problems.join('\n'));
    console.log(readStamp() ? `code-server ${codeServerVersion} is installed in ${installDir}` : `code-server ${codeServerVersion} is not installed yet; the machine can install it`);
  } else if (command === 'install') {
    const { entry, node } = await ensureCodeServer();
    console.log(`${node} ${entry}`);
  } else {
    throw new SetupError(`Unknown command "${command}". Use: install | check`);
  }
}

// No top-level await: the TypeScript harness imports this module too (through tsx, as CommonJS).
if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv[2] ?? 'install').catch((error) => {
    console.error(error instanceof SetupError ? error.message : error);
    process.exit(1);
  });
}

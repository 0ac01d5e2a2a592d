// npm run test:e2e [-- flags]: the in-editor suites inside code-server (through the runner extension) and the
// Playwright scenarios (test/e2e/scenarios/*.e2e.ts), with one summary and a non-zero exit on any failure.
//
// Flags:
//   --headed               show the browser (needs a display; e.g. xvfb-run -a npm run test:e2e -- --headed)
//   --keep-open            keep code-server and the browser up after the tests, print the URLs, stop on Ctrl-C
//   --slow-mo <ms>         slow every browser action down
//   --grep <pattern>       only scenarios/tests whose full title matches (mocha --grep)
//   --in-editor-grep <p>   only in-editor tests whose full title matches
//   --skip-build           reuse rhcos-layering.vsix and the runner .vsix from the last run
//   --no-step-screenshots  screenshots only on failure
//   --install-only         install code-server (both releases) into the cache and stop
//
// code-server comes in two releases (scripts/code-server.mjs): the current one runs everything, the oldest one whose
// VS Code engines.vscode claims runs the in-editor suites (scenarios/in-editor.e2e.ts).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { browserProblems, codeServerVersion, ensureCodeServer, oldestCodeServerVersion, repoRoot, SetupError } from './code-server.mjs';

const argv = process.argv.slice(2);
const has = (name) => argv.includes(name);
const value = (name) => {
  const index = argv.indexOf(name);
  return index >= 0 ? argv[index + 1] : undefined;
};
const known = new Set(['--headed', '--keep-open', '--slow-mo', '--grep', '--in-editor-grep', '--skip-build', '--no-step-screenshots', '--install-only']);
for (const [index, arg] of argv.entries()) {
  if (arg.startsWith('--') && !known.has(arg)) fail(`Unknown flag ${arg}. Flags: ${[...known].join(' ')}`);
  if (!arg.startsWith('--') && !['--slow-mo', '--grep', '--in-editor-grep'].includes(argv[index - 1])) fail(`Unexpected argument ${arg}`);
}

function fail(message) {
  console.error(`\ne2e: ${message}`);
  process.exit(1);
}

function seconds(since) {
  return `${((Date.now() - since) / 1000).toFixed(1)} s`;
}

const node = process.execPath;
const started = Date.now();

// 1. The machine.
const problems = browserProblems();
if (problems.length) fail(problems.join('\n'));
if ((has('--headed') || process.env.E2E_HEADED === '1') && !process.env.DISPLAY) fail('--headed needs a display: set DISPLAY, or run under Xvfb: xvfb-run -a npm run test:e2e -- --headed');
if (Number(process.versions.node.split('.')[0]) < 22) fail(`Run through npm (npm run test:e2e), which uses the project's Node 24; this is Node ${process.versions.node}.`);

// 2. code-server in the cache: the current release and the oldest claimed one.
let step;
for (const version of new Set([codeServerVersion, oldestCodeServerVersion])) {
  step = Date.now();
  try {
    const install = await ensureCodeServer({ version, log: (line) => console.log(line) });
    console.log(`e2e: code-server ${install.version} ready (${seconds(step)})`);
  } catch (error) {
    fail(error instanceof SetupError ? error.message : String(error?.stack ?? error));
  }
}
if (has('--install-only')) process.exit(0);

// 3. Our .vsix and the runner extension.
if (!has('--skip-build')) {
  step = Date.now();
  const packaged = spawnSync('npm', ['run', 'package', '--silent'], { cwd: repoRoot, encoding: 'utf8', env: process.env });
  if (packaged.status !== 0) fail(`npm run package failed:\n${packaged.stdout}\n${packaged.stderr}`);
  const vsix = path.join(repoRoot, 'rhcos-layering.vsix');
  console.log(`e2e: packaged rhcos-layering.vsix (${Math.round(statSync(vsix).size / 1024)} KB) in ${seconds(step)}`);
  step = Date.now();
  const built = spawnSync(node, [path.join(repoRoot, 'scripts', 'e2e-build.mjs')], { cwd: repoRoot, encoding: 'utf8' });
  if (built.status !== 0) fail(`scripts/e2e-build.mjs failed:\n${built.stdout}\n${built.stderr}`);
  process.stdout.write(built.stdout);
} else if (!existsSync(path.join(repoRoot, 'rhcos-layering.vsix'))) {
  fail('--skip-build, but rhcos-layering.vsix is missing: run once without it');
}

// 4. The scenarios, with mocha under tsx, in a child process (Ctrl-C reaches both; the harness cleans up).
for (const folder of ['test-results/e2e', 'test-results/screenshots', 'test-results/in-editor']) rmSync(path.join(repoRoot, folder), { recursive: true, force: true });
const env = { ...process.env };
if (has('--headed')) env.E2E_HEADED = '1';
if (has('--keep-open')) env.E2E_KEEP_OPEN = '1';
if (value('--slow-mo')) env.E2E_SLOW_MO = value('--slow-mo');
if (has('--no-step-screenshots')) env.E2E_STEP_SCREENSHOTS = '0';
if (value('--in-editor-grep')) env.E2E_IN_EDITOR_GREP = value('--in-editor-grep');
const mochaArgs = [
  '--import', 'tsx',
  path.join(repoRoot, 'node_modules', 'mocha', 'bin', 'mocha.js'),
  '--no-config',
  '--extension', 'ts',
  '--require', path.join(repoRoot, 'test', 'e2e', 'harness', 'hooks.ts'),
  '--reporter', path.join(repoRoot, 'test', 'e2e', 'harness', 'reporter.ts'),
  '--timeout', '120000',
  '--slow', '10000',
  ...(value('--grep') ? ['--grep', value('--grep')] : []),
  ...(process.env.CI ? ['--forbid-only'] : []),
  'test/e2e/scenarios/**/*.e2e.ts',
];
const child = spawn(node, mochaArgs, { cwd: repoRoot, env, stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => {
  console.log(`e2e: finished in ${seconds(started)}${code ? ` (exit ${code})` : ''}${signal ? ` (${signal})` : ''}`);
  process.exit(code ?? 1);
});

// Builds what runs inside the extension host for the in-editor tests:
//   out/test/integration/*.test.js + index.js   the suites (each bundled, `vscode` external) and the
//                                                @vscode/test-electron entry point (npm run test:vscode)
//   out/e2e/rhcos-layering-e2e-runner.vsix       the test-only runner extension (mocha + the suites), which the
//                                                e2e harness installs next to rhcos-layering in code-server
// Usage: node scripts/e2e-build.mjs [--suites-only]
import * as esbuild from 'esbuild';
import { copyFileSync, cpSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const suitesOnly = process.argv.includes('--suites-only');
const integrationSrc = path.join(root, 'test', 'integration');
const integrationOut = path.join(root, 'out', 'test', 'integration');
const runnerSrc = path.join(root, 'test', 'runner-extension');
const runnerStage = path.join(root, 'out', 'e2e', 'runner-extension');
export const runnerVsix = path.join(root, 'out', 'e2e', 'rhcos-layering-e2e-runner.vsix');

const common = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  external: ['vscode'],
  sourcemap: 'inline',
  sourcesContent: false,
  logLevel: 'warning',
  // mocha's parallel mode (never used here) resolves worker files at run time.
  logOverride: { 'require-resolve-not-external': 'silent' },
  absWorkingDir: root,
};

const started = Date.now();
const suites = readdirSync(integrationSrc).filter((name) => name.endsWith('.test.ts')).sort();
if (!suites.length) throw new Error(`No suites (*.test.ts) in ${integrationSrc}`);

rmSync(integrationOut, { recursive: true, force: true });
await esbuild.build({
  ...common,
  entryPoints: [...suites, 'index.ts'].map((name) => path.join(integrationSrc, name)),
  outdir: integrationOut,
});

if (!suitesOnly) {
  rmSync(runnerStage, { recursive: true, force: true });
  mkdirSync(path.join(runnerStage, 'dist', 'suites'), { recursive: true });
  await esbuild.build({
    ...common,
    entryPoints: [path.join(runnerSrc, 'src', 'extension.ts')],
    outfile: path.join(runnerStage, 'dist', 'extension.js'),
  });
  // What a session with extensionMode 'test' names as extensionTestsPath (test/runner-extension/src/testsEntry.ts).
  await esbuild.build({
    ...common,
    entryPoints: [path.join(runnerSrc, 'src', 'testsEntry.ts')],
    outfile: path.join(runnerStage, 'dist', 'tests-entry.js'),
  });
  for (const name of suites) {
    const compiled = name.replace(/\.ts$/, '.js');
    copyFileSync(path.join(integrationOut, compiled), path.join(runnerStage, 'dist', 'suites', compiled));
  }
  copyFileSync(path.join(runnerSrc, 'package.json'), path.join(runnerStage, 'package.json'));
  copyFileSync(path.join(runnerSrc, 'README.md'), path.join(runnerStage, 'README.md'));
  cpSync(path.join(runnerSrc, 'media'), path.join(runnerStage, 'media'), { recursive: true });

  const { createVSIX } = await import('@vscode/vsce');
  const quiet = console.log;
  console.log = () => {}; // vsce prints its file tree; keep the e2e output readable
  try {
    await createVSIX({ cwd: runnerStage, packagePath: runnerVsix, dependencies: false, allowMissingRepository: true, skipLicense: true });
  } finally {
    console.log = quiet;
  }
}

console.log(`e2e-build: ${suites.length} suite(s) -> ${path.relative(root, integrationOut)}${suitesOnly ? '' : `, runner -> ${path.relative(root, runnerVsix)}`} (${Date.now() - started} ms)`);

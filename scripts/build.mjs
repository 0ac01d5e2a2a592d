// Bundles the extension and the CLI to CommonJS, each with the WASM the shell parser needs next to it.
//   dist/        the extension: extension.js, cluster.js, *.wasm (what rhcos-layering.vsix ships, see .vscodeignore)
//   cli/dist/    the CLI npm package's code: cli.js (a launcher), cli-main.js, the lazy chunks, *.wasm; plus cli/LICENSE
//                and cli/docs/rules/ (the rule pages SARIF output quotes), copied from the repository root
// Usage: node scripts/build.mjs [--production] [--watch] [--only extension|cli]
import * as esbuild from 'esbuild';
import { copyFileSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');
const onlyIndex = process.argv.indexOf('--only');
const only = onlyIndex >= 0 ? process.argv[onlyIndex + 1] : undefined;
if (only !== undefined && only !== 'extension' && only !== 'cli') throw new Error(`--only takes extension or cli, not ${only}`);

const extensionDist = path.join(root, 'dist');
const cliPackage = path.join(root, 'cli');
const cliDist = path.join(cliPackage, 'dist');

const common = {
  absWorkingDir: root,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node22',
  sourcemap: production ? false : 'linked',
  minify: production,
  logLevel: 'warning',
  legalComments: 'none',
  // shell.ts falls back to require.resolve only when running from source; the bundle finds the .wasm files next to it.
  logOverride: { 'require-resolve-not-external': 'silent' },
};

// Lazy chunks: code the extension and the CLI load only when they need it, each in a file of its own next to them.
// In the source the loading module writes `require('<specifier>')`; this plugin turns that into
// `require('./<chunk>.js')` and leaves it out of the bundle. From source (tests) the require loads the TypeScript.
//   cluster.js        @kubernetes/client-node, undici and the cluster session (src/core/cluster/lazy.ts); client-node
//                     2.x needs a newer Node than the rest (src/core/runtime.ts), the CLI checks it before loading this
//   tree-sitter.js    web-tree-sitter, for RUN bodies the fast shell lexer refuses (src/core/containerfile/shell.ts)
//   cli-generate.js, cli-status.js   the CLI commands other than lint: YAML, HTTP and cluster code stay out of a
//                     `rhcos-layering lint` run (src/cli.ts)
const LAZY_CHUNKS = [
  { importer: 'src/core/cluster/lazy.ts', specifier: './entry', chunk: 'cluster', entry: 'src/core/cluster/entry.ts', targets: ['extension', 'cli'], target: 'node22' },
  { importer: 'src/core/containerfile/shell.ts', specifier: './treeSitter', chunk: 'tree-sitter', entry: 'src/core/containerfile/treeSitter.ts', targets: ['extension', 'cli'] },
  { importer: 'src/cli.ts', specifier: './cli/generate', chunk: 'cli-generate', entry: 'src/cli/generate.ts', targets: ['cli'] },
  { importer: 'src/cli.ts', specifier: './cli/status', chunk: 'cli-status', entry: 'src/cli/status.ts', targets: ['cli'] },
];

const lazyChunks = {
  name: 'lazy-chunks',
  setup(build) {
    build.onResolve({ filter: /^\.\// }, (args) => {
      const chunk = LAZY_CHUNKS.find((c) => c.specifier === args.path && args.importer.endsWith(path.join(...c.importer.split('/'))));
      return chunk ? { path: `./${chunk.chunk}.js`, external: true } : undefined;
    });
  },
};

const chunkBuilds = (targetName, outdir, target) => LAZY_CHUNKS.filter((c) => c.targets.includes(targetName)).map((c) => ({
  ...common,
  entryPoints: { [c.chunk]: c.entry },
  outdir,
  target: c.target ?? target ?? common.target,
  plugins: [lazyChunks],
}));

// The CLI's cli.js only turns on Node's compile cache (Node >= 22.1: V8's compiled code of cli-main.js and the chunks
// is kept on disk between runs, so a CI job or a pre-commit hook does not compile the same code again), then runs
// cli-main.js. It has to be a file of its own: the cache only covers modules loaded after it is on.
const CLI_LAUNCHER = `#!/usr/bin/env node
'use strict';
try { require('node:module').enableCompileCache?.(); } catch {}
require('./cli-main.js').main();
`;

function writeCliLauncher() {
  mkdirSync(cliDist, { recursive: true });
  writeFileSync(path.join(cliDist, 'cli.js'), CLI_LAUNCHER, { mode: 0o755 });
}

const targets = {
  extension: {
    dist: extensionDist,
    builds: [
      { ...common, entryPoints: { extension: 'src/extension.ts' }, outdir: extensionDist, external: ['vscode'], plugins: [lazyChunks] },
      ...chunkBuilds('extension', extensionDist),
    ],
  },
  cli: {
    dist: cliDist,
    builds: [
      // `lint` and `generate` run on the oldest Node the package's engines field names.
      { ...common, entryPoints: { 'cli-main': 'src/cli.ts' }, outdir: cliDist, target: 'node20', plugins: [lazyChunks] },
      ...chunkBuilds('cli', cliDist, 'node20'),
    ],
  },
};

function copyWasm(dist) {
  mkdirSync(dist, { recursive: true });
  copyFileSync(require.resolve('web-tree-sitter/web-tree-sitter.wasm'), path.join(dist, 'web-tree-sitter.wasm'));
  copyFileSync(path.join(path.dirname(require.resolve('tree-sitter-bash/package.json')), 'tree-sitter-bash.wasm'), path.join(dist, 'tree-sitter-bash.wasm'));
}

/** What the CLI package ships besides its code: the license, and the rule pages (`lint --format sarif` quotes them). */
function copyCliFiles() {
  copyFileSync(path.join(root, 'LICENSE'), path.join(cliPackage, 'LICENSE'));
  const pages = path.join(cliPackage, 'docs', 'rules');
  rmSync(path.join(cliPackage, 'docs'), { recursive: true, force: true });
  mkdirSync(pages, { recursive: true });
  const source = path.join(root, 'docs', 'rules');
  for (const name of readdirSync(source)) if (name.endsWith('.md') && name !== 'README.md') copyFileSync(path.join(source, name), path.join(pages, name));
}

const chosen = only ? [only] : Object.keys(targets);
for (const name of chosen) copyWasm(targets[name].dist);
if (chosen.includes('cli')) {
  copyCliFiles();
  writeCliLauncher();
}
const builds = chosen.flatMap((name) => targets[name].builds);
if (watch) {
  for (const options of builds) await (await esbuild.context(options)).watch();
} else {
  await Promise.all(builds.map((options) => esbuild.build(options)));
}

// Bundles the extension and the CLI to CommonJS, each with the WASM the shell parser needs next to it.
//   dist/        the extension: extension.js, cluster.js, *.wasm (what rhcos-layering.vsix ships, see .vscodeignore)
//   cli/dist/    the CLI npm package's code: cli.js, cluster.js, *.wasm; plus cli/LICENSE and cli/docs/rules/ (the
//                rule pages SARIF output quotes), copied from the repository root
// Usage: node scripts/build.mjs [--production] [--watch] [--only extension|cli]
import * as esbuild from 'esbuild';
import { copyFileSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
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

// cluster.js holds @kubernetes/client-node, undici and the cluster session. The extension and the CLI load it lazily
// (src/core/cluster/lazy.ts): this plugin turns lazy.ts's `require('./entry')` into `require('./cluster.js')`, a file
// next to them, so neither bundle contains client-node.
const lazyClusterBundle = {
  name: 'lazy-cluster-bundle',
  setup(build) {
    build.onResolve({ filter: /^\.\/entry$/ }, (args) =>
      args.importer.endsWith(path.join('core', 'cluster', 'lazy.ts')) ? { path: './cluster.js', external: true } : undefined);
  },
};

// client-node 2.x needs a newer Node than the rest (src/core/runtime.ts); the CLI checks it before it loads this.
const clusterBundle = (outdir) => ({ ...common, entryPoints: { cluster: 'src/core/cluster/entry.ts' }, outdir });

const targets = {
  extension: {
    dist: extensionDist,
    builds: [
      { ...common, entryPoints: { extension: 'src/extension.ts' }, outdir: extensionDist, external: ['vscode'], plugins: [lazyClusterBundle] },
      clusterBundle(extensionDist),
    ],
  },
  cli: {
    dist: cliDist,
    builds: [
      // `lint` and `generate` run on the oldest Node the package's engines field names.
      { ...common, entryPoints: { cli: 'src/cli.ts' }, outdir: cliDist, target: 'node20', banner: { js: '#!/usr/bin/env node' }, plugins: [lazyClusterBundle] },
      clusterBundle(cliDist),
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
if (chosen.includes('cli')) copyCliFiles();
const builds = chosen.flatMap((name) => targets[name].builds);
if (watch) {
  for (const options of builds) await (await esbuild.context(options)).watch();
} else {
  await Promise.all(builds.map((options) => esbuild.build(options)));
}

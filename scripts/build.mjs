// Bundles the extension and the CLI to CommonJS and copies the WASM the shell parser needs next to them.
import * as esbuild from 'esbuild';
import { copyFileSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);
const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

const common = {
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

// dist/cluster.js holds @kubernetes/client-node, undici and the cluster session. The extension and the CLI load it
// lazily (src/core/cluster/lazy.ts): this plugin turns lazy.ts's `require('./entry')` into `require('./cluster.js')`,
// a file next to them, so neither bundle contains client-node.
const lazyClusterBundle = {
  name: 'lazy-cluster-bundle',
  setup(build) {
    build.onResolve({ filter: /^\.\/entry$/ }, (args) =>
      args.importer.endsWith(path.join('core', 'cluster', 'lazy.ts')) ? { path: './cluster.js', external: true } : undefined);
  },
};

const builds = [
  { ...common, entryPoints: { extension: 'src/extension.ts' }, outdir: 'dist', external: ['vscode'], plugins: [lazyClusterBundle] },
  { ...common, entryPoints: { cli: 'src/cli.ts' }, outdir: 'dist', banner: { js: '#!/usr/bin/env node' }, plugins: [lazyClusterBundle] },
  // client-node 2.x needs a newer Node than the rest (src/core/runtime.ts); the CLI checks it before it loads this.
  { ...common, entryPoints: { cluster: 'src/core/cluster/entry.ts' }, outdir: 'dist', target: 'node22' },
];

function copyWasm() {
  mkdirSync('dist', { recursive: true });
  copyFileSync(require.resolve('web-tree-sitter/web-tree-sitter.wasm'), path.join('dist', 'web-tree-sitter.wasm'));
  copyFileSync(path.join(path.dirname(require.resolve('tree-sitter-bash/package.json')), 'tree-sitter-bash.wasm'), path.join('dist', 'tree-sitter-bash.wasm'));
}

copyWasm();
if (watch) {
  for (const options of builds) await (await esbuild.context(options)).watch();
} else {
  await Promise.all(builds.map((options) => esbuild.build(options)));
}

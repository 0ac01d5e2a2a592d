// The bundle split: @kubernetes/client-node lives in cluster.js only, which the extension and the CLI load on first
// use; activating the extension loads none of it. web-tree-sitter lives in tree-sitter.js, and the CLI commands other
// than lint in cli-generate.js and cli-status.js, so `rhcos-layering lint` loads no YAML, HTTP or cluster code.
// Runs against the built bundles (`npm run build`).
import { strict as assert } from 'node:assert';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { EXTENSION_MODE, fakeExtensionContext, installFakeVscode } from '../helpers/fakeVscode';

const DIST = path.resolve(__dirname, '..', '..', 'dist');
/** The CLI npm package's code. */
const CLI_DIST = path.resolve(__dirname, '..', '..', 'cli', 'dist');
/** Each bundle that loads the cluster bundle next to it lazily. */
const LAZY_BUNDLES = [path.join(DIST, 'extension.js'), path.join(CLI_DIST, 'cli-status.js')];
/** The other bundles: they must not contain client-node either. */
const OTHER_BUNDLES = [path.join(CLI_DIST, 'cli-main.js'), path.join(CLI_DIST, 'cli-generate.js'), path.join(DIST, 'tree-sitter.js'), path.join(CLI_DIST, 'tree-sitter.js')];
/** Code that only client-node (and undici's proxy agent it uses) contain. */
const CLIENT_NODE_MARKERS = /applySecurityAuthentication|makeApiClient|loadFromClusterAndUser|exec_auth|UndiciProxyAgent|class KubeConfig/;

describe('bundles: the Kubernetes client is a separate, lazily loaded file', function () {
  this.timeout(30000);

  before(function () {
    for (const file of [...LAZY_BUNDLES, ...OTHER_BUNDLES, path.join(CLI_DIST, 'cli.js'), path.join(DIST, 'cluster.js'), path.join(CLI_DIST, 'cluster.js')]) {
      if (!existsSync(file)) throw new Error(`${path.relative(path.resolve(DIST, '..'), file)} is missing: run \`npm run build\` first`);
    }
  });

  it('dist/extension.js and cli/dist/cli-status.js require ./cluster.js lazily; no other bundle contains client-node code', () => {
    for (const file of [...LAZY_BUNDLES, ...OTHER_BUNDLES]) {
      const text = readFileSync(file, 'utf8');
      const marker = CLIENT_NODE_MARKERS.exec(text);
      assert.equal(marker, null, `${file} contains client-node code (${marker?.[0]})`);
      assert.ok(!/require\("@kubernetes\/client-node"\)|require\("undici"\)/.test(text), `${file} requires no Kubernetes/undici package at run time`);
    }
    for (const file of LAZY_BUNDLES) assert.ok(readFileSync(file, 'utf8').includes('require("./cluster.js")'), `${file} loads ./cluster.js`);
    for (const dist of [DIST, CLI_DIST]) assert.match(readFileSync(path.join(dist, 'cluster.js'), 'utf8'), CLIENT_NODE_MARKERS);
  });

  it('the lint path (cli/dist/cli.js, cli-main.js) holds no YAML, HTTP, child process or tree-sitter code, and loads the rest lazily', () => {
    const launcher = readFileSync(path.join(CLI_DIST, 'cli.js'), 'utf8');
    assert.match(launcher, /enableCompileCache/);
    assert.match(launcher, /require\('\.\/cli-main\.js'\)/);
    const main = readFileSync(path.join(CLI_DIST, 'cli-main.js'), 'utf8');
    const required = new Set([...main.matchAll(/require\("([^"]+)"\)/g)].map((m) => m[1]));
    assert.deepEqual([...required].sort(), ['./cli-generate.js', './cli-status.js', './tree-sitter.js', 'node:fs', 'node:path', 'node:util']);
    assert.doesNotMatch(main, /web-tree-sitter\.wasm|YAMLParseError/);
    assert.ok(readFileSync(path.join(DIST, 'extension.js'), 'utf8').includes('require("./tree-sitter.js")'), 'the extension loads tree-sitter lazily');
  });

  it('each cluster.js loads and exports the session API', () => {
    for (const dist of [DIST, CLI_DIST]) {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const cluster = require(path.join(dist, 'cluster.js')) as Record<string, unknown>;
      for (const name of ['openSession', 'readClusterOnce', 'ClusterSession']) assert.equal(typeof cluster[name], 'function', `${dist}/cluster.js exports ${name}`);
    }
  });

  it('activating the extension does not load dist/cluster.js; the cluster commands are registered', () => {
    const clusterPath = path.join(DIST, 'cluster.js');
    delete require.cache[clusterPath];
    delete require.cache[path.join(DIST, 'extension.js')];
    const fake = installFakeVscode();
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const extension = require(path.join(DIST, 'extension.js')) as { activate(context: unknown): { cluster: { explorer: { clientLoaded: boolean } } } };
      const context = fakeExtensionContext(path.resolve(DIST, '..'), { extensionMode: EXTENSION_MODE.Test });
      const api = extension.activate(context);
      assert.equal(require.cache[clusterPath], undefined, 'dist/cluster.js was loaded during activation');
      assert.equal(api.cluster.explorer.clientLoaded, false);
      for (const id of ['rhcosLayering.applyToCluster', 'rhcosLayering.rollBack', 'rhcosLayering.cluster.refresh', 'rhcosLayering.cluster.switchContext', 'rhcosLayering.cluster.openYaml',
        'rhcosLayering.cluster.copyVerifyCommands', 'rhcosLayering.cluster.pausePool', 'rhcosLayering.cluster.resumePool', 'rhcosLayering.cluster.copyBaseImage',
        'rhcosLayering.cluster.useBaseImageAsFrom', 'rhcosLayering.cluster.retry']) {
        assert.ok(fake.registeredCommands.includes(id), `${id} is registered`);
      }
      for (const disposable of (context.subscriptions as { dispose(): void }[])) disposable.dispose();
    } finally {
      fake.uninstall();
      delete require.cache[path.join(DIST, 'extension.js')];
    }
  });

  it('installed (Production, or Development) it returns nothing to other extensions; only under test it returns the services', () => {
    const fake = installFakeVscode();
    try {
      delete require.cache[path.join(DIST, 'extension.js')];
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const extension = require(path.join(DIST, 'extension.js')) as { activate(context: unknown): unknown };
      for (const [mode, expected] of [[EXTENSION_MODE.Production, 'undefined'], [EXTENSION_MODE.Development, 'undefined'], [EXTENSION_MODE.Test, 'object']] as const) {
        const context = fakeExtensionContext(path.resolve(DIST, '..'), { extensionMode: mode });
        assert.equal(typeof extension.activate(context), expected, `activate() in extension mode ${mode}`);
        for (const disposable of (context.subscriptions as { dispose(): void }[])) disposable.dispose();
      }
    } finally {
      fake.uninstall();
      delete require.cache[path.join(DIST, 'extension.js')];
    }
  });

  it('package.json declares every registered command, and the menus name only declared commands', () => {
    const manifest = JSON.parse(readFileSync(path.resolve(DIST, '..', 'package.json'), 'utf8'));
    const declared = new Set<string>(manifest.contributes.commands.map((c: { command: string }) => c.command));
    const fake = installFakeVscode();
    try {
      delete require.cache[path.join(DIST, 'extension.js')];
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const extension = require(path.join(DIST, 'extension.js')) as { activate(context: unknown): unknown };
      const context = fakeExtensionContext(path.resolve(DIST, '..'));
      extension.activate(context);
      for (const id of fake.registeredCommands) assert.ok(declared.has(id), `${id} is registered but not declared in package.json`);
      for (const disposable of (context.subscriptions as { dispose(): void }[])) disposable.dispose();
    } finally {
      fake.uninstall();
      delete require.cache[path.join(DIST, 'extension.js')];
    }
    for (const [menu, entries] of Object.entries(manifest.contributes.menus as Record<string, { command: string }[]>)) {
      for (const entry of entries) assert.ok(declared.has(entry.command), `${menu} names ${entry.command}, which package.json does not declare`);
    }
    const ignore = readFileSync(path.resolve(DIST, '..', '.vscodeignore'), 'utf8');
    for (const file of ['cluster.js', 'tree-sitter.js']) {
      assert.match(ignore, new RegExp(`^!dist/${file.replace('.', '\\.')}$`, 'm'), `.vscodeignore ships dist/${file}`);
    }
  });
});

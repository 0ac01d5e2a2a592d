// The CLI as its users get it: `npm pack` in cli/, the tarball installed into an empty folder with no registry to
// reach (a fresh cache and --offline: everything it runs is in the tarball), then the installed `rhcos-layering` bin
// run by the oldest Node its engines field admits (20) for `lint` and `generate`, and by a Node that can load the
// Kubernetes client for `status`, against the simulator.
//
// Node 20: the first of $RHCOS_TEST_NODE20, /usr/bin/node, /usr/local/bin/node and the `node` on PATH that is a 20.x
// (CI machines have one preinstalled); else the npm package node@20, installed once into .cache/node20 (as the e2e
// run installs code-server into .cache). Without any of these the test fails and says what is missing. The Node of
// `npm test` (24, from the `node` devDependency) runs npm and `status`.
import { strict as assert } from 'node:assert';
import { execFile, execFileSync, spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { CLUSTER_MIN_NODE_TEXT, nodeRunsClusterBundle } from '../../src/core/runtime';
import { startSimulator, type Simulator } from '../simulator/index';

const ROOT = path.resolve(__dirname, '..', '..');
const CLI_PACKAGE = path.join(ROOT, 'cli');
const FIXTURES = path.join(ROOT, 'test', 'fixtures', 'containerfiles');
const NODE20_CACHE = path.join(ROOT, '.cache', 'node20');

/** npm as `npm test` runs it: its own npm-cli.js under this Node when npm started us, else the npm on PATH. */
function npm(args: readonly string[], cwd: string): SpawnSyncReturns<string> {
  const npmCli = process.env.npm_execpath;
  const [program, prefix] = npmCli && /npm-cli\.js$/.test(npmCli) ? [process.execPath, [npmCli]] : ['npm', []];
  return spawnSync(program, [...prefix, ...args], { cwd, encoding: 'utf8', timeout: 300_000, env: { ...process.env, npm_config_update_notifier: 'false' } });
}

function versionOf(node: string): string | undefined {
  try {
    return execFileSync(node, ['-p', 'process.versions.node'], { encoding: 'utf8', timeout: 20_000 }).trim();
  } catch {
    return undefined;
  }
}

/** A Node 20.x to run the installed CLI with, or what is missing. */
function findNode20(): { node: string } | { missing: string } {
  const onPath = (process.env.PATH ?? '').split(path.delimiter).filter((dir) => dir && !dir.includes('node_modules')).map((dir) => path.join(dir, 'node'));
  const cached = path.join(NODE20_CACHE, 'node_modules', 'node', 'bin', 'node');
  const candidates = [process.env.RHCOS_TEST_NODE20, '/usr/bin/node', '/usr/local/bin/node', ...onPath, cached].filter((file): file is string => !!file && existsSync(file));
  const looked: string[] = [];
  for (const candidate of [...new Set(candidates)]) {
    const version = versionOf(candidate);
    looked.push(`${candidate} (${version ?? 'does not run'})`);
    if (version?.startsWith('20.')) return { node: candidate };
  }
  // None on the machine: the npm package node@20, which downloads the official build for this platform.
  mkdirSync(NODE20_CACHE, { recursive: true });
  // node's install script fetches the platform's binary; allowScripts says it may run (as in the root package.json).
  writeFileSync(path.join(NODE20_CACHE, 'package.json'), `${JSON.stringify({ private: true, allowScripts: { node: true } }, null, 2)}\n`);
  const installed = npm(['install', '--no-audit', '--no-fund', '--no-save', 'node@20'], NODE20_CACHE);
  const version = existsSync(cached) ? versionOf(cached) : undefined;
  if (installed.status === 0 && version?.startsWith('20.')) return { node: cached };
  return {
    missing:
      `No Node.js 20 to run the installed CLI on (looked at: ${looked.join(', ') || 'nothing'}), and \`npm install node@20\` into ` +
      `${NODE20_CACHE} failed:\n${installed.stdout}${installed.stderr}\nInstall a Node.js 20 (e.g. from nodejs.org) and set RHCOS_TEST_NODE20 to its node.`,
  };
}

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

describe('the rhcos-layering npm package (npm pack, offline install, run on Node 20 and on a Node for status)', function () {
  this.timeout(600_000);
  let work: string;
  let bin: string;
  let node20: string;

  /**
   * The installed bin through its `#!/usr/bin/env node` line, with `node` on PATH being the given one. Asynchronous:
   * the simulator answers from this process.
   */
  const run = (node: string, args: readonly string[]): Promise<Run> =>
    new Promise((resolve) => {
      const env = { ...process.env, PATH: `${path.dirname(node)}${path.delimiter}${process.env.PATH ?? ''}`, KUBECONFIG: '' };
      execFile(bin, [...args], { encoding: 'utf8', timeout: 120_000, env, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : null) : 0;
        resolve({ code, stdout, stderr });
      });
    });

  before(function () {
    const found = findNode20();
    if ('missing' in found) throw new Error(found.missing);
    node20 = found.node;
    work = mkdtempSync(path.join(tmpdir(), 'rhcos-cli-package-'));
    const packed = npm(['pack', '--json', '--pack-destination', work], CLI_PACKAGE);
    assert.equal(packed.status, 0, `npm pack in cli/ failed:\n${packed.stdout}${packed.stderr}`);
    const [{ filename }] = JSON.parse(packed.stdout.slice(packed.stdout.indexOf('['))) as { filename: string }[];
    const tarball = path.join(work, filename!);
    const project = path.join(work, 'project');
    mkdirSync(project);
    // A cache of its own, empty, and --offline: a dependency the tarball did not bundle would fail the install.
    const installed = npm(['install', '--offline', '--no-audit', '--no-fund', '--cache', path.join(work, 'npm-cache'), tarball], project);
    assert.equal(installed.status, 0, `npm install of the tarball without a registry failed:\n${installed.stdout}${installed.stderr}`);
    bin = path.join(project, 'node_modules', '.bin', 'rhcos-layering');
  });

  after(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('installs as one package with its bin, license and rule pages, and nothing else', () => {
    const project = path.join(work, 'project');
    assert.deepEqual(readdirSync(path.join(project, 'node_modules')).filter((name) => !name.startsWith('.')), ['rhcos-layering']);
    assert.ok(existsSync(bin), 'node_modules/.bin/rhcos-layering');
    const installed = path.join(project, 'node_modules', 'rhcos-layering');
    const manifest = JSON.parse(readFileSync(path.join(installed, 'package.json'), 'utf8')) as { dependencies?: object; engines: { node: string } };
    assert.equal(manifest.dependencies, undefined, 'the package has no dependencies to fetch');
    assert.equal(manifest.engines.node, '>=20');
    assert.ok(existsSync(path.join(installed, 'LICENSE')));
    assert.ok(existsSync(path.join(installed, 'docs', 'rules', 'from-not-digest.md')));
    assert.deepEqual(readdirSync(path.join(installed, 'dist')).sort(), ['cli-generate.js', 'cli-main.js', 'cli-status.js', 'cli.js', 'cluster.js', 'tree-sitter-bash.wasm', 'tree-sitter.js', 'web-tree-sitter.wasm']);
  });

  it(`on Node 20, lint prints its findings as JSON and SARIF, with each rule's page`, async () => {
    assert.match(versionOf(node20)!, /^20\./);
    const good = await run(node20, ['lint', '--format', 'json', path.join(FIXTURES, 'good', 'dnf-bootc-lint.4.18.Containerfile')]);
    assert.equal(good.code, 0, good.stderr);
    assert.deepEqual(JSON.parse(good.stdout).files[0].findings, []);
    const bad = await run(node20, ['lint', '--format', 'json', path.join(FIXTURES, 'bad', 'multiple-kernels.Containerfile')]);
    assert.equal(bad.code, 1, bad.stderr);
    assert.ok((JSON.parse(bad.stdout).files[0].findings as { rule: string }[]).some((finding) => finding.rule === 'multiple-kernels'), bad.stdout);
    const sarif = await run(node20, ['lint', '--format', 'sarif', path.join(FIXTURES, 'bad', 'multiple-kernels.Containerfile')]);
    const rules = JSON.parse(sarif.stdout).runs[0].tool.driver.rules as { id: string; help?: { text: string } }[];
    assert.match(rules.find((rule) => rule.id === 'multiple-kernels')?.help?.text ?? '', /^# multiple-kernels/, 'the rule page shipped in the package');
  });

  it('on Node 20, generate prints a MachineConfig per pool pinned by digest', async () => {
    const image = `quay.io/example/rhcos-layered@sha256:${'c'.repeat(64)}`;
    const result = await run(node20, ['generate', 'machineconfig', '--image', image, '--pool', 'worker', '--pool', 'infra']);
    assert.equal(result.code, 0, result.stderr);
    const documents = parseAllDocuments(result.stdout).map((document) => document.toJS() as { kind: string; spec: { osImageURL: string }; metadata: { labels: Record<string, string> } });
    assert.deepEqual(documents.map((d) => [d.kind, d.metadata.labels['machineconfiguration.openshift.io/role'], d.spec.osImageURL]), [
      ['MachineConfig', 'worker', image],
      ['MachineConfig', 'infra', image],
    ]);
  });

  it(`on Node 20, status says it needs Node.js ${CLUSTER_MIN_NODE_TEXT} (exit 2)`, async () => {
    const result = await run(node20, ['status', '--kubeconfig', '/nonexistent']);
    assert.equal(result.code, 2);
    assert.match(result.stderr, new RegExp(`needs Node\\.js ${CLUSTER_MIN_NODE_TEXT.replace('.', '\\.')} or newer .*this is Node\\.js 20\\.`));
  });

  describe(`status, on a Node that loads the Kubernetes client (this one)`, function () {
    let sim: Simulator;
    before(async () => {
      assert.ok(nodeRunsClusterBundle(process.versions.node), `npm test runs on Node ${process.versions.node}, which cannot run status`);
      sim = await startSimulator({ nodes: 5, pools: ['worker'], stepMs: 5, seed: 'cli-package' });
    });
    after(async () => {
      await sim?.stop();
    });

    it('prints the pools and nodes of the cluster as JSON', async () => {
      const result = await run(process.execPath, ['status', '--kubeconfig', sim.kubeconfigPath, '--format', 'json']);
      assert.equal(result.code, 0, result.stderr);
      const status = JSON.parse(result.stdout) as { context: string; pools: { name: string }[]; nodes: unknown[] };
      assert.equal(status.context, 'admin');
      assert.deepEqual(status.pools.map((pool) => pool.name), ['master', 'worker']);
      assert.equal(status.nodes.length, 5);
    });
  });
});

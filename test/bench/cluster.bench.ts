// Cluster explorer benchmark against the simulator (5,000 nodes in 3 pools: master, worker, infra), in one run:
// - opening the view to a complete tree (load dist/cluster.js, connect, list everything, compute every tree item),
//   against `kubectl get nodes -o json` + `kubectl get mcp -o json` on the same simulator (goal: no slower);
// - a node watch event to its tree item updated (goal: under 50 ms), and a node write to its tree item updated,
//   against the same write reaching `kubectl get nodes --watch-only` (goal: no slower);
// - memory held for that cluster (goal: under 150 MB).
// Prints one line per figure: `name: value unit`. The simulator runs in a child process so it does not count.
// Run with `npm run bench` (which builds first); needs the Node src/core/runtime.ts names and --expose-gc for the memory figure.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { request } from 'node:https';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import type { ClusterModule } from '../../src/core/cluster/lazy';
import { loadKubeconfig, singleContextKubeconfig } from '../../src/core/cluster/kubeconfig';
import { ClusterTreeModel, type TreeElement } from '../../src/core/cluster/tree';
import { CLUSTER_MIN_NODE_TEXT, nodeRunsClusterBundle } from '../../src/core/runtime';
import { median, report } from './measure';

const ROOT = path.resolve(__dirname, '..', '..');
const NODES = Number(process.env.BENCH_NODES ?? 5000);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const EVENTS = Number(process.env.BENCH_EVENTS ?? 40);

function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

async function startSimulatorProcess(): Promise<{ child: ChildProcess; kubeconfig: string }> {
  const tsx = path.join(ROOT, 'node_modules', '.bin', 'tsx');
  const child = spawn(tsx, ['test/simulator/cli.ts', '--nodes', String(NODES), '--pools', 'worker,infra', '--quiet', '--seed', 'bench'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
  const kubeconfig = await new Promise<string>((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error(`the simulator did not start: ${output}`)), 120000);
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /KUBECONFIG=(\S+)\n[\s\S]*pools: /.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    });
    child.on('exit', (code) => reject(new Error(`the simulator exited (${code}): ${output}`)));
  });
  child.stdout!.resume();
  return { child, kubeconfig };
}

function timeKubectl(kubeconfig: string, cacheDir: string, args: string[]): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    execFile('kubectl', ['--kubeconfig', kubeconfig, '--cache-dir', cacheDir, ...args], { maxBuffer: 1024 * 1024 * 1024 }, (error) => {
      if (error) reject(error);
      else resolve(performance.now() - started);
    });
  });
}

/**
 * `kubectl get nodes --watch-only -o name` beside the explorer: next(node) resolves with the time kubectl prints that
 * node's next event. Resolves once a write to `probeNode` has come through, so the watch is open.
 */
async function startKubectlWatch(kubeconfig: string, cacheDir: string, probeNode: string): Promise<{ next(node: string): Promise<number>; stop(): void }> {
  const child = spawn('kubectl', ['--kubeconfig', kubeconfig, '--cache-dir', cacheDir, 'get', 'nodes', '--watch-only', '-o', 'name'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const waiting = new Map<string, (at: number) => void>();
  let buffer = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    const at = performance.now();
    buffer += chunk.toString();
    let newline: number;
    while ((newline = buffer.indexOf('\n')) >= 0) {
      const name = buffer.slice(0, newline).trim().replace(/^node\//, '');
      buffer = buffer.slice(newline + 1);
      waiting.get(name)?.(at);
      waiting.delete(name);
    }
  });
  const next = (node: string): Promise<number> => new Promise<number>((resolve) => waiting.set(node, resolve));
  for (let attempt = 1; ; attempt++) {
    if (attempt > 30 || child.exitCode !== null) throw new Error('kubectl get nodes --watch-only never showed a node write');
    const seen = next(probeNode);
    await patchNode(kubeconfig, probeNode, { 'bench.example.com/probe': String(performance.now() | 0) });
    const open = await Promise.race([seen.then(() => true), new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 1000))]);
    if (open) break;
  }
  return { next, stop: () => child.kill('SIGTERM') };
}

function kubectlAvailable(): Promise<boolean> {
  return new Promise((resolve) => execFile('kubectl', ['version', '--client'], (error) => resolve(!error)));
}

/** A merge patch to a node with the admin token (what the MCO daemon's writes look like to a watcher). */
function patchNode(kubeconfig: string, node: string, labels: Record<string, string>): Promise<void> {
  const config = parse(readFileSync(kubeconfig, 'utf8')) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  const cluster = config.clusters[0].cluster;
  const user = config.users.find((u: { name: string }) => u.name === 'kube:admin') ?? config.users[0];
  const body = JSON.stringify({ metadata: { labels } });
  return new Promise((resolve, reject) => {
    const req = request(new URL(`/api/v1/nodes/${node}`, cluster.server), {
      method: 'PATCH',
      ca: Buffer.from(cluster['certificate-authority-data'], 'base64'),
      headers: { Authorization: `Bearer ${user.user.token}`, 'Content-Type': 'application/merge-patch+json', 'Content-Length': Buffer.byteLength(body) },
    }, (res) => {
      res.resume();
      res.on('end', () => (res.statusCode === 200 ? resolve() : reject(new Error(`PATCH node ${res.statusCode}`))));
    });
    req.on('error', reject);
    req.end(body);
  });
}

function gc(): void {
  const collect = (globalThis as { gc?: () => void }).gc;
  if (collect) {
    collect();
    collect();
  }
}

const MB = 1024 * 1024;

/** Opens a session and the tree, and computes every item of every pool: what a user expanding all pools sees. */
async function openToCompleteTree(cluster: ClusterModule, yaml: string): Promise<{ ms: number; session: import('../../src/core/cluster/session').ClusterSession; model: ClusterTreeModel; items: number }> {
  const started = performance.now();
  const opened = cluster.openSession(yaml, { timeoutMs: 30000, trust: () => undefined });
  if (!opened.ok) throw new Error(opened.problem.why);
  const session = opened.value.start();
  const model = new ClusterTreeModel();
  session.onChange((changes) => model.itemsChanged(changes));
  session.onHealth((health) => model.healthChanged(health));
  const health = await session.settled();
  if (health.state !== 'connected') throw new Error(`not connected: ${health.problem?.what}`);
  model.setState({ kind: 'session', context: session.context, server: session.server, snapshot: session.store, health, warnings: [], timeoutSeconds: 30 });
  let items = 0;
  const walk = (element?: TreeElement): void => {
    for (const child of model.children(element)) {
      model.item(child);
      items++;
      if (child.kind === 'cluster' || child.kind === 'pool') walk(child);
    }
  };
  walk();
  return { ms: performance.now() - started, session, model, items };
}

async function main(): Promise<void> {
  if (!nodeRunsClusterBundle(process.versions.node)) throw new Error(`the cluster benchmark needs Node >= ${CLUSTER_MIN_NODE_TEXT} (this is ${process.versions.node})`);
  const { child, kubeconfig } = await startSimulatorProcess();
  try {
    const loaded = await loadKubeconfig({ explicitFile: kubeconfig });
    if (!loaded.ok) throw new Error(loaded.problem.why);
    const single = singleContextKubeconfig(loaded.value, 'admin');
    if (!single.ok) throw new Error(single.problem.why);
    // Let the simulator finish settling its 5,000 nodes before anything is timed.
    await new Promise((resolve) => setTimeout(resolve, 3000));
    gc();
    const baseline = process.memoryUsage();

    // 1. The first time the view is shown: the cluster bundle is loaded, the session lists everything, the tree is built.
    const loadStarted = performance.now();
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const cluster = require(path.join(ROOT, 'dist', 'cluster.js')) as ClusterModule;
    const bundleMs = performance.now() - loadStarted;
    gc();
    const afterBundle = process.memoryUsage();
    const live = await openToCompleteTree(cluster, single.value);
    report('cluster.bundleLoad', bundleMs, 'ms');
    report('cluster.openToCompleteTree.cold', bundleMs + live.ms, 'ms');
    report('cluster.treeItems', live.items, 'items');

    // 2. Memory for that cluster, with the session live and every item computed.
    gc();
    const memory = process.memoryUsage();
    // heapForCluster: heap after GC minus before the bundle was loaded (goal < 150 MB); bundleRss: RSS added by loading
    // dist/cluster.js; rssIncrease: RSS minus before the bundle (bundle, session, tree, allocator slack); rss: the whole process.
    report('cluster.memory.heapForCluster', (memory.heapUsed - baseline.heapUsed) / MB, 'MB');
    report('cluster.memory.bundleRss', (afterBundle.rss - baseline.rss) / MB, 'MB');
    report('cluster.memory.rssIncrease', (memory.rss - baseline.rss) / MB, 'MB');
    report('cluster.memory.rss', memory.rss / MB, 'MB');

    // 3. Live: node writes, their watch events, the node's tree item recomputed; the same writes reach a
    //    `kubectl get nodes --watch-only` started beside it (the peer: how soon any watcher can know).
    const haveKubectl = await kubectlAvailable();
    const cacheDir = mkdtempSync(path.join(tmpdir(), 'bench-kubectl-'));
    const nodes = [...live.session.store.nodes.keys()].sort();
    const kubectlWatch = haveKubectl ? await startKubectlWatch(kubeconfig, cacheDir, nodes[1]!) : undefined;
    await new Promise((resolve) => setTimeout(resolve, 500));
    const eventToItem: number[] = [];
    const writeToItem: number[] = [];
    const writeToKubectl: number[] = [];
    for (let i = 0; i < EVENTS; i++) {
      const name = nodes[(i * 97) % nodes.length]!;
      const pools = live.model.poolsOf(name, live.session.store);
      const id = `node:${pools[0]}/${name}`;
      let sent = 0;
      const done = new Promise<void>((resolve) => {
        const off = live.model.onDidChange((elements) => {
          const element = elements?.find((e) => e.id === id);
          if (!element) return;
          live.model.item(element);
          const now = performance.now();
          const flush = live.model.lastFlush!;
          if (flush.oldestEventAt !== undefined) eventToItem.push(now - flush.oldestEventAt);
          writeToItem.push(now - sent);
          off();
          resolve();
        });
      });
      const seenByKubectl = kubectlWatch?.next(name);
      sent = performance.now();
      await patchNode(kubeconfig, name, { 'bench.example.com/tick': String(i) });
      await done;
      if (seenByKubectl) writeToKubectl.push((await seenByKubectl) - sent);
    }
    kubectlWatch?.stop();
    report('cluster.nodeEventToTreeItem.p50', median(eventToItem), 'ms');
    report('cluster.nodeEventToTreeItem.p95', percentile(eventToItem, 95), 'ms'); // goal < 50 ms
    report('cluster.nodeEventToTreeItem.max', Math.max(...eventToItem), 'ms');
    report('cluster.nodeWriteToTreeItem.p50', median(writeToItem), 'ms'); // PATCH sent to item recomputed
    if (writeToKubectl.length) {
      report('kubectl.nodeWriteToWatchLine.p50', median(writeToKubectl), 'ms'); // PATCH sent to kubectl printing the node
      report('cluster.nodeWriteToTreeItem.ratio-vs-kubectl-watch', median(writeToItem) / median(writeToKubectl), 'x'); // goal <= 1
    }
    await live.session.dispose();

    // 4. Open-to-complete-tree again (bundle loaded), interleaved with kubectl on the same simulator.
    if (haveKubectl) await timeKubectl(kubeconfig, cacheDir, ['get', 'mcp', '-o', 'name']); // discovery cached once, as on a workstation
    const ours: number[] = [];
    const theirs: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      if (haveKubectl) theirs.push((await timeKubectl(kubeconfig, cacheDir, ['get', 'nodes', '-o', 'json'])) + (await timeKubectl(kubeconfig, cacheDir, ['get', 'mcp', '-o', 'json'])));
      const run = await openToCompleteTree(cluster, single.value);
      ours.push(run.ms);
      await run.session.dispose();
    }
    report('cluster.openToCompleteTree', median(ours), 'ms');
    if (haveKubectl) {
      report('kubectl.getNodesAndMcpJson', median(theirs), 'ms'); // kubectl get nodes -o json + kubectl get mcp -o json
      report('cluster.openToCompleteTree.ratio-vs-kubectl', median(ours) / median(theirs), 'x'); // goal <= 1
    } else {
      process.stderr.write('kubectl.getNodesAndMcpJson: skipped: kubectl not found (apt-get install kubernetes-client)\n');
    }
  } finally {
    child.kill('SIGTERM');
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    process.stderr.write(`cluster benchmark failed: ${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
    process.exit(1);
  },
);

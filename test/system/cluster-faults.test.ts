// The cluster session under faults from the simulator and from small helpers: 500s, dropped and expired watches,
// slow and unreachable servers, credentials kept per cluster across a context switch, exec credential plugins, OIDC,
// proxies (HTTP CONNECT and SOCKS5, by proxy-url or HTTPS_PROXY), unusable kubeconfigs, and 5,000 nodes. The view
// keeps what it knows, says what is wrong, and recovers by itself.
import { strict as assert } from 'node:assert';
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse, stringify } from 'yaml';
import { loadKubeconfig } from '../../src/core/cluster/kubeconfig';
import { clusterStatus } from '../../src/core/cluster/model';
import { openSession, type ClusterSession } from '../../src/core/cluster/session';
import { ClusterTreeModel, type TreeElement } from '../../src/core/cluster/tree';
import { startSimulator, type Simulator } from '../simulator/index';
import { kubectl, loadClientNode } from '../simulator/testing';
import { until } from '../helpers/fakeApiServer';
import { startConnectProxy, startSocksProxy } from '../helpers/proxies';
import { FAST_INFORMER, contextYaml, openTestSession, recordTokens, sessionFromYaml, TRUSTED } from './helpers/cluster';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function tempDir(): string {
  return mkdtempSync(path.join(tmpdir(), 'rhcos-cluster-test-'));
}

/** The simulator's kubeconfig, with `change` applied to the admin context's cluster and user entries. */
function variantKubeconfig(sim: Simulator, change: (cluster: Json, user: Json) => void): string {
  const config = parse(require('node:fs').readFileSync(sim.kubeconfigPath, 'utf8')) as Json;
  const context = config.contexts.find((c: Json) => c.name === 'admin').context;
  const cluster = config.clusters.find((c: Json) => c.name === context.cluster).cluster;
  const user = config.users.find((u: Json) => u.name === context.user).user;
  change(cluster, user);
  config['current-context'] = 'admin';
  config.contexts = config.contexts.filter((c: Json) => c.name === 'admin');
  const file = path.join(tempDir(), 'kubeconfig');
  writeFileSync(file, stringify(config));
  return file;
}

describe('cluster session under faults', function () {
  this.timeout(60000);

  describe('a flaky API server', () => {
    let sim: Simulator;
    let session: ClusterSession;

    before(async () => {
      sim = await startSimulator({ nodes: 8, pools: ['worker'], stepMs: 20, bookmarkMs: 300, seed: 'cluster-faults' });
    });
    beforeEach(async () => {
      session = await openTestSession(sim);
      await session.settled();
      assert.equal(session.health.state, 'connected');
      // Listed; now wait for the seven watches to be open, so faults hit them.
      await until(() => sim.server.openWatchCount() >= 7, 5000, 'the watches');
    });
    afterEach(async () => {
      await session?.dispose();
      sim.faults.clear();
      await sim.faults.reachable();
    });
    after(async () => {
      await sim?.stop();
    });

    it('recovers from 500s and watches dropped mid-stream, and catches up on what changed meanwhile', async () => {
      const node = sim.nodesOf('worker')[0]!.metadata.name;
      sim.faults.failRequests({ status: 500, forMs: 800 });
      sim.faults.dropWatches('destroy');
      const failing = await session.waitFor(() => session.health.resourceProblems.some((p) => p.state === 'error') && session.health, 5000, 'the 500s to show');
      assert.ok(failing.resourceProblems.some((p) => p.state === 'error' && /500 .*simulated fault/.test(p.problem.why)), JSON.stringify(failing.resourceProblems.map((p) => p.problem)));
      assert.ok(session.stats.nodes.interruptions >= 1, 'the dropped stream was reopened at once, not reported');
      assert.ok(failing.resourceProblems.every((p) => p.stale), 'the data listed before is still there');
      assert.equal(session.store.nodes.size, 8);
      sim.patch('nodes', node, { metadata: { labels: { 'example.com/during-outage': 'yes' } } });
      await session.waitFor(() => session.health.state === 'connected' && session.health.resourceProblems.length === 0, 10000, 'recovery');
      await session.waitFor(() => session.store.nodes.get(node)?.metadata.labels['example.com/during-outage'] === 'yes', 5000, 'the change made during the outage');
    });

    it('reopens watches that end normally from their resourceVersion, without listing again', async () => {
      const before = session.stats;
      const lists = before.nodes.lists;
      const watches = before.nodes.watches;
      sim.faults.dropWatches('end');
      await until(() => session.stats.nodes.watches > watches, 5000, 'the node watch to reopen');
      const node = sim.nodesOf('worker')[1]!.metadata.name;
      sim.patch('nodes', node, { metadata: { labels: { 'example.com/after-end': 'yes' } } });
      await session.waitFor(() => session.store.nodes.get(node)?.metadata.labels['example.com/after-end'], 5000, 'the change after reopening');
      assert.equal(session.stats.nodes.lists, lists);
      assert.equal(session.health.resourceProblems.length, 0);
    });

    it('lists again on 410 Gone (in-stream and HTTP); a deletion missed while disconnected surfaces', async () => {
      const relists = session.stats.pools.relists;
      sim.faults.expireWatches();
      await until(() => session.stats.pools.relists > relists && session.stats.nodes.relists > 0, 5000, 'relists after in-stream 410');
      assert.equal(session.health.resourceProblems.length, 0);

      sim.faults.goneMode('http');
      sim.faults.dropWatches('destroy');
      const gone = sim.nodesOf('worker')[2]!.metadata.name;
      sim.delete('nodes', gone);
      sim.faults.compactHistory();
      await session.waitFor(() => !session.store.nodes.has(gone), 5000, 'the deleted node to go');
      assert.equal(session.store.nodes.size, 7);
      assert.equal(session.health.state, 'connected');
    });

    it('says unreachable after the timeout when the server stops answering, keeps the tree, and recovers (Retry tries at once)', async () => {
      const model = new ClusterTreeModel((flush) => setImmediate(flush));
      model.setState({ kind: 'session', context: session.context, server: session.server, snapshot: session.store, health: session.health, warnings: [], timeoutSeconds: 5 });
      session.onHealth((h) => model.healthChanged(h));
      await sim.faults.unreachable();
      // The open watches are reset first (ECONNRESET); the retries then find nothing listening.
      const health = await session.waitFor(() => session.health.state === 'unreachable' && /ECONNREFUSED/.test(session.health.problem?.why ?? '') && session.health, 10000, 'unreachable');
      assert.match(health.problem!.what, /Cannot reach the cluster https:\/\/127\.0\.0\.1:\d+/);
      assert.match(health.problem!.why, /ECONNREFUSED/);
      assert.match(health.problem!.next, /retrying by itself|Retry/);
      const root = model.children()[0]!;
      const children = model.children(root);
      assert.equal(children[0]!.id, 'problem:cluster');
      assert.match(model.item(children[0]!).contextValue, /\bretry\b/);
      assert.match(model.item(children[0]!).description ?? '', /retrying by itself, next at \d\d:\d\d:\d\d/);
      assert.ok(children.some((e: TreeElement) => e.id === 'pool:worker'), 'the pools known before stay in the tree');
      assert.equal(session.store.nodes.size, sim.list('nodes').length);
      await sim.faults.reachable();
      session.retry();
      await session.waitFor(() => session.health.state === 'connected' && session.health.resourceProblems.length === 0, 5000, 'reconnected');
    });

    it('a slow server: requests give up after the timeout and show it; then it recovers by itself', async () => {
      await session.dispose();
      sim.faults.slowResponses({ ms: 1500, forMs: 2500 });
      session = await openTestSession(sim, 'admin', { timeoutMs: 700 });
      const health = await session.settled();
      assert.equal(health.state, 'unreachable');
      assert.match(health.problem!.what, /did not answer/);
      assert.match(health.problem!.why, /within 1 s/);
      await session.waitFor(() => session.health.state === 'connected' && session.health.resourceProblems.length === 0, 15000, 'recovery after the slow period');
      assert.equal(clusterStatus(session.store).nodes.length, sim.list('nodes').length);
    });
  });

  it('a cluster unreachable from the start: the session settles on "unreachable" with the reason, not a spinner', async () => {
    const sim = await startSimulator({ nodes: 4, pools: ['worker'], seed: 'cluster-down' });
    const yaml = await contextYaml(sim.kubeconfigPath, 'admin');
    await sim.stop();
    const session = sessionFromYaml(yaml, { timeoutMs: 1000 });
    try {
      const health = await session.settled();
      assert.deepEqual({ state: health.state, settled: health.settled }, { state: 'unreachable', settled: true });
      assert.match(health.problem!.why, /ECONNREFUSED/);
      assert.ok(health.retryAt !== undefined, 'it keeps trying, and says when');
    } finally {
      await session.dispose();
    }
  });

  describe('credentials stay with their cluster across a context switch', () => {
    let a: Simulator;
    let b: Simulator;
    let kubeconfig: string;

    before(async () => {
      a = await startSimulator({ nodes: 4, pools: ['worker'], seed: 'cluster-a', bookmarkMs: 200 });
      b = await startSimulator({ nodes: 5, pools: ['worker'], seed: 'cluster-b', bookmarkMs: 200 });
      // One kubeconfig with a context per cluster, as after `oc login` to both.
      const entry = (sim: Simulator, name: string) => {
        const config = parse(require('node:fs').readFileSync(sim.kubeconfigPath, 'utf8')) as Json;
        const admin = config.contexts.find((c: Json) => c.name === 'admin').context;
        return {
          cluster: { name: `cluster-${name}`, cluster: config.clusters.find((c: Json) => c.name === admin.cluster).cluster },
          user: { name: `admin-${name}`, user: config.users.find((u: Json) => u.name === admin.user).user },
          context: { name, context: { cluster: `cluster-${name}`, user: `admin-${name}` } },
        };
      };
      const ea = entry(a, 'a');
      const eb = entry(b, 'b');
      // B without TLS verification, as many lab clusters are set up: TLS then cannot stop a token sent to the wrong
      // server, only keeping credentials per session can.
      eb.cluster.cluster = { server: eb.cluster.cluster.server, 'insecure-skip-tls-verify': true };
      kubeconfig = path.join(tempDir(), 'config');
      writeFileSync(kubeconfig, stringify({ apiVersion: 'v1', kind: 'Config', 'current-context': 'a', clusters: [ea.cluster, eb.cluster], users: [ea.user, eb.user], contexts: [ea.context, eb.context] }));
    });
    after(async () => {
      await a?.stop();
      await b?.stop();
    });

    it('each simulator only ever sees its own token: switching builds a new session and closes the old one', async () => {
      const seenA = recordTokens(a);
      const seenB = recordTokens(b);
      const tokenA = a.contexts.admin!.token;
      const tokenB = b.contexts.admin!.token;
      const sessionA = sessionFromYaml(await contextYaml(kubeconfig, 'a'));
      await sessionA.settled();
      assert.equal(sessionA.store.nodes.size, 4);
      // The switch: the new session starts while the old one still watches, then the old one is disposed.
      const sessionB = sessionFromYaml(await contextYaml(kubeconfig, 'b'));
      await sessionB.settled();
      await sessionA.dispose();
      await a.waitFor(() => a.server.openWatchCount() === 0 || undefined, { timeoutMs: 5000, what: 'A\'s watches to close' });
      // Make B's informers reconnect, and back to A, and check again.
      b.faults.dropWatches('destroy');
      await until(() => sessionB.health.state === 'connected' && sessionB.health.resourceProblems.length === 0 && sessionB.stats.nodes.watches > 1, 5000, 'B reconnected');
      const sessionA2 = sessionFromYaml(await contextYaml(kubeconfig, 'a'));
      await sessionA2.settled();
      await sessionB.dispose();
      await sessionA2.dispose();
      assert.equal(sessionB.store.nodes.size, 5);
      assert.ok(seenA.length > 10 && seenB.length > 10, `requests seen: A ${seenA.length}, B ${seenB.length}`);
      assert.deepEqual([...new Set(seenA)], [tokenA], 'A saw only A\'s token');
      assert.deepEqual([...new Set(seenB)], [tokenB], 'B saw only B\'s token');
    });

    it('(control) the recorder catches the leak client-node has when one KubeConfig is switched under a live client', async () => {
      const seenA = recordTokens(a);
      const k8s = await loadClientNode();
      const kc = new k8s.KubeConfig();
      kc.loadFromFile(kubeconfig);
      kc.setCurrentContext('a');
      const core = kc.makeApiClient(k8s.CoreV1Api);
      await core.listNode();
      kc.setCurrentContext('b');
      await core.listNode().catch(() => undefined); // the client still points at A's URL, with B's token now
      assert.ok(seenA.includes(b.contexts.admin!.token), 'client-node sent B\'s token to A: the pitfall the per-context session avoids');
    });
  });

  describe('authentication: exec plugins, OIDC, proxies, unusable kubeconfigs', () => {
    let sim: Simulator;

    before(async () => {
      sim = await startSimulator({ nodes: 4, pools: ['worker'], seed: 'cluster-auth-plugins' });
    });
    after(async () => {
      await sim?.stop();
    });

    function plugin(script: string): string {
      const file = path.join(tempDir(), 'credential-plugin.sh');
      writeFileSync(file, `#!/bin/sh\n${script}\n`);
      chmodSync(file, 0o755);
      return file;
    }

    it('runs an exec credential plugin and uses its token', async () => {
      const token = sim.contexts.admin!.token;
      const command = plugin(`echo '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"${token}"}}'`);
      const file = variantKubeconfig(sim, (_cluster, user) => {
        delete user.token;
        user.exec = { apiVersion: 'client.authentication.k8s.io/v1', command, interactiveMode: 'Never' };
      });
      const session = sessionFromYaml(await contextYaml(file, 'admin'));
      try {
        const health = await session.settled();
        assert.equal(health.state, 'connected');
        assert.equal(session.store.nodes.size, 4);
      } finally {
        await session.dispose();
      }
    });

    it('shows the stderr of a failing exec plugin, and names a missing one', async () => {
      const command = plugin(`echo 'error: refreshing the OIDC token: invalid_grant (token expired)' >&2\nexit 1`);
      const file = variantKubeconfig(sim, (_cluster, user) => {
        delete user.token;
        user.exec = { apiVersion: 'client.authentication.k8s.io/v1', command };
      });
      const session = sessionFromYaml(await contextYaml(file, 'admin'));
      try {
        const health = await session.settled();
        assert.equal(health.state, 'credentials');
        assert.match(health.problem!.what, /credential plugin failed/);
        assert.match(health.problem!.why, /invalid_grant \(token expired\)/);
        assert.ok(health.problem!.why.includes(command));
      } finally {
        await session.dispose();
      }
      const missing = variantKubeconfig(sim, (_cluster, user) => {
        delete user.token;
        user.exec = { apiVersion: 'client.authentication.k8s.io/v1', command: '/nonexistent/kubelogin' };
      });
      const other = sessionFromYaml(await contextYaml(missing, 'admin'));
      try {
        const health = await other.settled();
        assert.equal(health.state, 'credentials');
        assert.match(health.problem!.why, /\/nonexistent\/kubelogin` was not found/);
      } finally {
        await other.dispose();
      }
    });

    it('uses an OIDC auth-provider id-token (client-node\'s oidc provider); an expired one without a refresh token is sent as nothing, and the view says to log in', async () => {
      const jwt = (exp: number) => [{ alg: 'RS256', typ: 'JWT' }, { iss: 'https://idp.example.com', sub: 'oidc-admin', aud: 'openshift', exp }]
        .map((part) => Buffer.from(JSON.stringify(part)).toString('base64url')).join('.') + '.c2lnbmF0dXJl';
      const valid = jwt(Math.floor(Date.now() / 1000) + 3600);
      const expired = jwt(Math.floor(Date.now() / 1000) - 60);
      for (const token of [valid, expired]) sim.server.users.set(token, { context: 'oidc', user: 'oidc-admin', groups: ['system:authenticated'], deny: [], token, expired: false });
      const withIdToken = (idToken: string) => variantKubeconfig(sim, (_cluster, user) => {
        delete user.token;
        user['auth-provider'] = { name: 'oidc', config: { 'client-id': 'openshift', 'idp-issuer-url': 'https://idp.example.com', 'id-token': idToken } };
      });
      const session = sessionFromYaml(await contextYaml(withIdToken(valid), 'admin'));
      try {
        assert.equal((await session.settled()).state, 'connected');
        assert.equal(session.store.nodes.size, 4);
      } finally {
        await session.dispose();
      }
      const stale = sessionFromYaml(await contextYaml(withIdToken(expired), 'admin'));
      try {
        const health = await stale.settled();
        // No token is sent, so the server answers as to system:anonymous: a login problem, not missing permissions.
        assert.equal(health.state, 'unauthorized');
        assert.match(health.problem!.what, /no credentials reached the cluster/);
        assert.match(health.problem!.next, /oc login/);
      } finally {
        await stale.dispose();
      }
    });

    it('goes through the kubeconfig proxy-url (HTTP CONNECT)', async () => {
      const proxy = await startConnectProxy();
      const file = variantKubeconfig(sim, (cluster) => {
        cluster['proxy-url'] = proxy.url;
      });
      const session = sessionFromYaml(await contextYaml(file, 'admin'), { env: {} });
      try {
        const health = await session.settled();
        assert.equal(health.state, 'connected');
        assert.ok(proxy.tunnels.includes(`127.0.0.1:${sim.port}`), `tunnels: ${proxy.tunnels.join(', ')}`);
      } finally {
        await session.dispose();
        await proxy.close();
      }
    });

    it('goes through HTTPS_PROXY when the kubeconfig names no proxy, as kubectl does; NO_PROXY and loopback servers bypass it', async () => {
      // A server name the proxy resolves (the simulator's certificate names it); loopback servers are never proxied.
      const proxy = await startConnectProxy({ 'api.sim.example.com': '127.0.0.1' });
      const file = variantKubeconfig(sim, (cluster) => {
        cluster.server = `https://api.sim.example.com:${sim.port}`;
      });
      const env = { HTTPS_PROXY: proxy.url, NO_PROXY: 'localhost,.internal.example' };
      const session = sessionFromYaml(await contextYaml(file, 'admin'), { env });
      try {
        assert.equal((await session.settled()).state, 'connected');
        assert.ok(proxy.tunnels.includes(`api.sim.example.com:${sim.port}`), `tunnels: ${proxy.tunnels.join(', ')}`);
        // The peer: kubectl, given the same kubeconfig and environment, takes the same tunnel.
        const before = proxy.tunnels.length;
        const result = await kubectl(sim, ['--kubeconfig', file, 'get', 'mcp', '-o', 'name'], { env });
        assert.equal(result.code, 0, result.stderr);
        assert.match(result.stdout, /machineconfigpool\.machineconfiguration\.openshift\.io\/worker/);
        assert.ok(proxy.tunnels.length > before, 'kubectl went through the proxy too');
      } finally {
        await session.dispose();
      }
      const direct = sessionFromYaml(await contextYaml(sim.kubeconfigPath, 'admin'), { env });
      try {
        assert.equal((await direct.settled()).state, 'connected');
        assert.ok(!proxy.tunnels.includes(`127.0.0.1:${sim.port}`), 'a loopback server is reached directly');
      } finally {
        await direct.dispose();
        await proxy.close();
      }
    });

    it('goes through a SOCKS5 proxy, named by proxy-url or by HTTPS_PROXY', async () => {
      const proxy = await startSocksProxy({ 'api.sim.example.com': '127.0.0.1' });
      try {
        const named = sessionFromYaml(await contextYaml(variantKubeconfig(sim, (cluster) => {
          cluster['proxy-url'] = proxy.url;
        }), 'admin'), { env: {} });
        try {
          assert.equal((await named.settled()).state, 'connected');
          assert.ok(proxy.tunnels.includes(`127.0.0.1:${sim.port}`), `tunnels: ${proxy.tunnels.join(', ')}`);
        } finally {
          await named.dispose();
        }
        const fromEnvironment = sessionFromYaml(await contextYaml(variantKubeconfig(sim, (cluster) => {
          cluster.server = `https://api.sim.example.com:${sim.port}`;
        }), 'admin'), { env: { HTTPS_PROXY: proxy.url } });
        try {
          assert.equal((await fromEnvironment.settled()).state, 'connected');
          assert.ok(proxy.tunnels.includes(`api.sim.example.com:${sim.port}`), `tunnels: ${proxy.tunnels.join(', ')}`);
        } finally {
          await fromEnvironment.dispose();
        }
      } finally {
        await proxy.close();
      }
    });

    it('a kubeconfig that is malformed, names a missing file, or has a context without a server says so', async () => {
      const dir = tempDir();
      const malformed = path.join(dir, 'malformed');
      writeFileSync(malformed, 'clusters: [\n  - name: x\n    cluster: {server: "https://a"\n');
      const loaded = await loadKubeconfig({ explicitFile: malformed });
      assert.equal(loaded.ok, false);
      assert.match(!loaded.ok ? loaded.problem.why : '', /not valid YAML/);
      const missing = await loadKubeconfig({ explicitFile: path.join(dir, 'nope') });
      assert.equal(missing.ok, false);
      assert.match(!missing.ok ? missing.problem.why : '', /does not exist/);
      // KUBECONFIG with a missing file and a good one: the good one is used, as kubectl does.
      const merged = await loadKubeconfig({ env: { KUBECONFIG: [path.join(dir, 'nope'), sim.kubeconfigPath].join(path.delimiter) } });
      assert.ok(merged.ok);
      const noServer = variantKubeconfig(sim, (cluster) => {
        delete cluster.server;
      });
      const opened = openSession(await contextYaml(noServer, 'admin'), { timeoutMs: 1000, informer: FAST_INFORMER, trust: TRUSTED });
      assert.equal(opened.ok, false);
      assert.match(!opened.ok ? opened.problem.why : '', /no server URL|server is missing/);
      const badCert = variantKubeconfig(sim, (_cluster, user) => {
        user['client-certificate'] = path.join(dir, 'missing.crt');
      });
      const session = sessionFromYaml(await contextYaml(badCert, 'admin'));
      try {
        const health = await session.settled();
        assert.equal(health.state, 'credentials');
        assert.match(health.problem!.why, /missing\.crt/);
      } finally {
        await session.dispose();
      }
    });
  });

  it('5,000 nodes in 3 pools: a complete snapshot and tree, per-item refreshes', async function () {
    this.timeout(120000);
    const sim = await startSimulator({ nodes: 5000, pools: ['worker', 'infra'], stepMs: 50, seed: 'cluster-5000' });
    const session = await openTestSession(sim, 'admin', { timeoutMs: 20000 });
    try {
      await session.settled();
      assert.equal(session.health.state, 'connected');
      assert.equal(session.store.nodes.size, 5000);
      const model = new ClusterTreeModel((flush) => setImmediate(flush));
      model.setState({ kind: 'session', context: session.context, server: session.server, snapshot: session.store, health: session.health, warnings: [], timeoutSeconds: 20 });
      session.onChange((changes) => model.itemsChanged(changes));
      let nodeItems = 0;
      const walk = (element?: TreeElement): void => {
        for (const child of model.children(element)) {
          model.item(child);
          if (child.kind === 'node') nodeItems++;
          if (child.kind !== 'machineConfigs') walk(child);
        }
      };
      walk();
      assert.equal(nodeItems, 5000);
      const node = sim.nodesOf('worker')[100]!.metadata.name;
      // One node changes: its item alone is refreshed, and shows the change. (How fast: `npm run bench`, against kubectl.)
      const refreshed = new Promise<{ refreshedItems: number; description: string }>((resolve) => {
        model.onDidChange((elements) => {
          const element = elements?.find((e) => e.id === `node:worker/${node}`);
          const description = element && String(model.item(element).description);
          if (description?.includes('SchedulingDisabled')) resolve({ refreshedItems: elements!.length, description });
        });
      });
      sim.patch('nodes', node, { spec: { unschedulable: true } });
      const { refreshedItems, description } = await refreshed;
      assert.match(description, /\bSchedulingDisabled\b/);
      assert.ok(refreshedItems < 10, `a change to one node refreshed ${refreshedItems} items, not the tree`);
    } finally {
      await session.dispose();
      await sim.stop();
    }
  });
});

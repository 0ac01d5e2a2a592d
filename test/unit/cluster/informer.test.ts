import { strict as assert } from 'node:assert';
import type { ServerResponse } from 'node:http';
import { problemFor } from '../../../src/core/cluster/api';
import { ResilientInformer, type InformerOptions } from '../../../src/core/cluster/informer';
import { RESOURCE_SPECS } from '../../../src/core/cluster/resources';
import { ClusterStore, type StoreChange } from '../../../src/core/cluster/store';
import { KubeTransport } from '../../../src/core/cluster/transport';
import { FakeApiServer, json, node, nodeList, openWatch, status, until } from '../../helpers/fakeApiServer';
import { FakeClock } from '../../helpers/fakeClock';

const NODES = '/api/v1/nodes';
const DAY = 24 * 60 * 60 * 1000;

const FAST: InformerOptions = {
  backoffInitialMs: 40,
  backoffMaxMs: 200,
  slowRetryMs: 150,
  watchdogMs: 400,
  watchTimeoutSeconds: 300,
  random: () => 0.5,
};

describe('ResilientInformer (against small HTTP servers with precise faults)', function () {
  this.timeout(15000);
  let server: FakeApiServer;
  let transport: KubeTransport;
  let store: ClusterStore;
  let changes: StoreChange[];
  let informer: ResilientInformer<unknown> | undefined;
  const watchResponses: ServerResponse[] = [];

  beforeEach(async () => {
    server = await new FakeApiServer().start();
    transport = new KubeTransport(server.kubeconfig(), { timeoutMs: 1000 });
    store = new ClusterStore('fake', server.url);
    changes = [];
    store.onChange((c) => changes.push(...c));
  });

  afterEach(async () => {
    await informer?.stop();
    informer = undefined;
    for (const response of watchResponses.splice(0)) response.destroy();
    transport.dispose();
    await server.stop();
  });

  function start(options: Partial<InformerOptions> = {}): ResilientInformer<unknown> {
    informer = new ResilientInformer(transport, RESOURCE_SPECS.nodes, (event) => store.apply('nodes', event as never), { ...FAST, ...options }) as ResilientInformer<unknown>;
    informer.start();
    return informer;
  }

  it('lists in pages, then watches from the list resourceVersion with bookmarks; events become per-item changes', async () => {
    let send: ((type: string, object: unknown) => void) | undefined;
    server.handler = (_request, response, url) => {
      if (url.searchParams.get('watch') === '1') {
        watchResponses.push(response);
        send = openWatch(response);
        return;
      }
      if (!url.searchParams.get('continue')) return json(response, 200, nodeList('100', [node('a', '1'), node('b', '2')], 'page2'));
      return json(response, 200, nodeList('100', [node('c', '3')]));
    };
    start();
    await until(() => send !== undefined, 5000, 'the watch');
    const lists = server.lists(NODES);
    assert.deepEqual(lists.map((r) => [r.query.get('limit'), r.query.get('continue')]), [['500', null], ['500', 'page2']]);
    const watch = server.watches(NODES)[0]!;
    assert.equal(watch.query.get('resourceVersion'), '100');
    assert.equal(watch.query.get('allowWatchBookmarks'), 'true');
    assert.ok(Number(watch.query.get('timeoutSeconds')) >= 300);
    assert.equal(watch.authorization, 'Bearer fake-token');
    assert.deepEqual([...store.nodes.keys()].sort(), ['a', 'b', 'c']);
    assert.equal(informer!.status.state, 'ok');
    assert.equal(informer!.status.synced, true);
    // The slimmer dropped managedFields and status.images.
    assert.equal(JSON.stringify(store.nodes.get('a')).includes('managedFields'), false);

    changes.length = 0;
    send!('MODIFIED', node('b', '101', undefined, { 'machineconfiguration.openshift.io/state': 'Working' }));
    send!('ADDED', node('d', '102'));
    send!('DELETED', node('a', '103'));
    send!('BOOKMARK', { kind: 'Node', metadata: { resourceVersion: '150' } });
    await until(() => changes.length === 3, 2000, 'three changes');
    assert.deepEqual(changes.map((c) => [c.name, c.type]), [['b', 'modified'], ['d', 'added'], ['a', 'deleted']]);
    assert.ok(changes.every((c) => typeof c.receivedAt === 'number'));
    assert.equal(store.nodes.get('b')!.metadata.annotations['machineconfiguration.openshift.io/state'], 'Working');
  });

  it('relists on an in-stream 410 Gone: deletions missed meanwhile surface, unchanged objects say nothing', async () => {
    let round = 0;
    server.handler = (_request, response, url) => {
      if (url.searchParams.get('watch') === '1') {
        watchResponses.push(response);
        const send = openWatch(response);
        if (round === 1) {
          send('ERROR', status(410, 'Expired', 'too old resource version: 100 (200)'));
          response.end();
        }
        return;
      }
      round++;
      if (round === 1) return json(response, 200, nodeList('100', [node('a', '1'), node('b', '2'), node('c', '3')]));
      return json(response, 200, nodeList('200', [node('a', '1'), node('c', '30'), node('e', '31')]));
    };
    start();
    await until(() => round === 2 && server.watches(NODES).length === 2, 5000, 'the relist and the second watch');
    assert.equal(server.watches(NODES)[1]!.query.get('resourceVersion'), '200');
    const afterFirst = changes.slice(3);
    assert.deepEqual(afterFirst.map((c) => [c.name, c.type]).sort(), [['b', 'deleted'], ['c', 'modified'], ['e', 'added']]);
    assert.equal(informer!.stats.relists, 1);
    assert.equal(informer!.status.state, 'ok');
  });

  it('relists on an HTTP 410 to the watch request', async () => {
    let lists = 0;
    server.handler = (_request, response, url) => {
      if (url.searchParams.get('watch') === '1') {
        if (server.watches(NODES).length === 1) return json(response, 410, status(410, 'Expired', 'too old'));
        watchResponses.push(response);
        openWatch(response);
        return;
      }
      lists++;
      json(response, 200, nodeList(String(100 * lists), [node('a', String(lists))]));
    };
    start();
    await until(() => server.watches(NODES).length === 2, 5000, 'the second watch');
    assert.equal(lists, 2);
    assert.equal(server.watches(NODES)[1]!.query.get('resourceVersion'), '200');
    assert.equal(informer!.status.state, 'ok');
  });

  it('starts the list over when the continue token expires between pages', async () => {
    let firstPages = 0;
    server.handler = (_request, response, url) => {
      if (url.searchParams.get('watch') === '1') {
        watchResponses.push(response);
        openWatch(response);
        return;
      }
      const cont = url.searchParams.get('continue');
      if (!cont) {
        firstPages++;
        return json(response, 200, nodeList('100', [node(`first-${firstPages}`, '1')], `token-${firstPages}`));
      }
      if (cont === 'token-1') return json(response, 410, status(410, 'Expired', 'The provided continue parameter is too old'));
      return json(response, 200, nodeList('100', [node('last', '2')]));
    };
    start();
    await until(() => server.watches(NODES).length === 1, 5000, 'the watch');
    assert.equal(firstPages, 2);
    assert.deepEqual([...store.nodes.keys()].sort(), ['first-2', 'last'], 'the half-read first attempt is dropped');
  });

  it('backs off 1x, 2x, 4x on 500s (jittered, capped), says so in its status, and recovers by itself', async () => {
    let failing = true;
    let attempts = 0;
    server.handler = (_request, response, url) => {
      if (url.searchParams.get('watch') === '1') {
        watchResponses.push(response);
        openWatch(response);
        return;
      }
      attempts++;
      if (failing) return json(response, 500, status(500, 'InternalError', 'Internal error occurred: etcd leader changed'));
      json(response, 200, nodeList('100', [node('a', '1')]));
    };
    const clock = new FakeClock();
    const statuses: string[] = [];
    start({ clock }).onStatus((s) => statuses.push(s.state));
    // random() = 0.5 makes the jitter factor exactly 1: 40, 80, 160, then the 200 ms cap.
    for (const [attempt, delay] of [[1, 40], [2, 80], [3, 160], [4, 200], [5, 200]] as const) {
      await until(() => attempts === attempt && clock.pending.length === 1, 5000, `attempt ${attempt} and its wait`);
      assert.deepEqual(clock.pending, [delay], `wait after attempt ${attempt}`);
      const failed = informer!.status;
      assert.deepEqual({ state: failed.state, synced: failed.synced, failures: failed.failures, retryAt: failed.retryAt }, { state: 'error', synced: false, failures: attempt, retryAt: clock.now() + delay });
      assert.match(failed.error!.message, /etcd leader changed/);
      if (attempt === 5) failing = false;
      clock.advance(delay);
    }
    await until(() => informer!.status.state === 'ok', 3000, 'recovery');
    assert.equal(attempts, 6);
    assert.ok(store.nodes.has('a'));
    assert.deepEqual(statuses.filter((s, i) => s !== statuses[i - 1]), ['error', 'ok']);
  });

  it('jitters each wait between 80 % and 120 % of its base', async () => {
    let attempts = 0;
    server.handler = (_request, response) => {
      attempts++;
      json(response, 500, status(500, 'InternalError', 'x'));
    };
    const randoms = [0, 0.999];
    const clock = new FakeClock();
    start({ clock, random: () => randoms.shift() ?? 0.5 });
    await until(() => attempts === 1 && clock.pending.length === 1, 5000, 'the first wait');
    assert.deepEqual(clock.pending, [32]);
    clock.advance(32);
    await until(() => attempts === 2 && clock.pending.length === 1, 5000, 'the second wait');
    assert.deepEqual(clock.pending, [Math.round(80 * (0.8 + 0.4 * 0.999))]);
  });

  it('reopens a watch that ends normally from the last resourceVersion seen, without listing again', async () => {
    server.handler = (_request, response, url) => {
      if (url.searchParams.get('watch') === '1') {
        const send = openWatch(response);
        if (server.watches(NODES).length === 1) {
          send('ADDED', node('b', '120'));
          send('BOOKMARK', { kind: 'Node', metadata: { resourceVersion: '130' } });
          response.end();
          return;
        }
        watchResponses.push(response);
        return;
      }
      json(response, 200, nodeList('100', [node('a', '1')]));
    };
    start();
    await until(() => server.watches(NODES).length === 2, 5000, 'the second watch');
    assert.equal(server.watches(NODES)[1]!.query.get('resourceVersion'), '130');
    assert.equal(server.lists(NODES).length, 1);
    assert.deepEqual([...store.nodes.keys()].sort(), ['a', 'b']);
  });

  it('detects a silent (half-open) watch with its watchdog and reopens it from the same resourceVersion', async () => {
    server.handler = (_request, response, url) => {
      if (url.searchParams.get('watch') === '1') {
        // Headers, then nothing at all: what a dead connection behind a NAT looks like.
        watchResponses.push(response);
        openWatch(response);
        return;
      }
      json(response, 200, nodeList('100', [node('a', '1')]));
    };
    const clock = new FakeClock();
    start({ clock, watchdogMs: 250 });
    for (const watches of [1, 2]) {
      await until(() => server.watches(NODES).length === watches && informer!.status.state === 'ok', 5000, `watch ${watches} open`);
      assert.deepEqual(clock.pending, [250], 'only the watchdog is waiting');
      clock.advance(249);
      assert.deepEqual(clock.pending, [1], 'not a millisecond early');
      clock.advance(1);
      assert.deepEqual(clock.pending, [], 'fired at 250 ms');
    }
    await until(() => server.watches(NODES).length === 3, 5000, 'two reconnects');
    assert.equal(informer!.stats.watchdogs, 2);
    assert.deepEqual(server.watches(NODES).map((r) => r.query.get('resourceVersion')), ['100', '100', '100']);
    assert.equal(server.lists(NODES).length, 1);
    assert.equal(informer!.status.state, 'ok');
  });

  it('bookmarks keep a quiet watch alive: each one re-arms the watchdog', async () => {
    let send: ((type: string, object: unknown) => void) | undefined;
    server.handler = (_request, response, url) => {
      if (url.searchParams.get('watch') === '1') {
        watchResponses.push(response);
        send = openWatch(response);
        return;
      }
      json(response, 200, nodeList('100', [node('a', '1')]));
    };
    const clock = new FakeClock();
    start({ clock, watchdogMs: 250 });
    await until(() => send !== undefined && informer!.status.state === 'ok', 5000, 'the watch');
    for (let bookmark = 1; bookmark <= 4; bookmark++) {
      clock.advance(200);
      const armed = clock.scheduled.length;
      send!('BOOKMARK', { kind: 'Node', metadata: { resourceVersion: String(100 + bookmark) } });
      await until(() => clock.scheduled.length > armed, 3000, `bookmark ${bookmark} to re-arm the watchdog`);
    }
    // 800 ms of fake time on one watch: no reconnect while bookmarks arrived within the watchdog's 250 ms.
    assert.equal(server.watches(NODES).length, 1);
    assert.equal(informer!.stats.watchdogs, 0);
    clock.advance(250);
    await until(() => server.watches(NODES).length === 2, 5000, 'the watchdog to reopen the watch once bookmarks stop');
    assert.equal(informer!.stats.watchdogs, 1);
    assert.equal(server.watches(NODES)[1]!.query.get('resourceVersion'), '104', 'reopened from the last bookmark');
  });

  it('names 401, 403 and 404 (unauthorized, forbidden, not served), keeps retrying, and retryNow skips the wait', async () => {
    let answer = 401;
    server.handler = (_request, response, url) => {
      if (url.searchParams.get('watch') === '1') {
        watchResponses.push(response);
        openWatch(response);
        return;
      }
      if (answer === 200) return json(response, 200, nodeList('100', [node('a', '1')]));
      json(response, answer, status(answer, answer === 401 ? 'Unauthorized' : answer === 403 ? 'Forbidden' : 'NotFound', answer === 403 ? 'nodes is forbidden: User "dev" cannot list resource "nodes"' : 'x'));
    };
    const clock = new FakeClock();
    start({ clock, slowRetryMs: 60_000 });
    await until(() => informer!.status.state === 'unauthorized' && clock.pending.length === 1, 3000, 'unauthorized');
    assert.deepEqual(clock.pending, [40], 'a 401 retries with the ordinary backoff');
    answer = 403;
    clock.advance(40);
    await until(() => informer!.status.state === 'forbidden' && clock.pending.length === 1, 3000, 'forbidden');
    assert.match(informer!.status.error!.message, /cannot list resource "nodes"/);
    assert.deepEqual(clock.pending, [60_000], 'a 403 waits slowRetryMs');
    answer = 404;
    informer!.retryNow();
    await until(() => informer!.status.state === 'notServed' && clock.pending.length === 1, 3000, 'not served');
    assert.deepEqual(clock.pending, [60_000], 'a 404 waits slowRetryMs');
    answer = 200;
    informer!.retryNow();
    await until(() => informer!.status.state === 'ok', 3000, 'ok');
  });

  it('a 403 to system:anonymous means no credentials were sent: unauthorized, with a login hint, not a permission problem', async () => {
    server.handler = (_request, response) => json(response, 403, status(403, 'Forbidden', 'forbidden: User "system:anonymous" cannot get path "/api/v1/nodes"'));
    start();
    await until(() => informer!.status.state === 'unauthorized', 3000, 'unauthorized');
    const problem = problemFor(informer!.status.error!, { context: 'oidc', server: 'https://api.example.com:6443', action: 'list nodes' });
    assert.match(problem.what, /^Context oidc: no credentials reached the cluster/);
    assert.match(problem.next, /oc login https:\/\/api\.example\.com:6443/);
  });

  it('says unreachable when nothing listens, and when the server does not answer within the timeout', async () => {
    server.handler = () => undefined; // never answers
    start();
    await until(() => informer!.status.state === 'unreachable', 3000, 'timeout');
    assert.equal(informer!.status.error!.kind, 'timeout');
    await informer!.stop();
    await server.stop();
    const refused = new KubeTransport(server.kubeconfig(), { timeoutMs: 1000 });
    const other = new ResilientInformer(refused, RESOURCE_SPECS.nodes, () => undefined, FAST);
    other.start();
    await until(() => other.status.state === 'unreachable', 3000, 'refused');
    assert.equal(other.status.error!.kind, 'unreachable');
    assert.equal(other.status.error!.details.code, 'ECONNREFUSED');
    await other.stop();
    refused.dispose();
    server = await new FakeApiServer().start();
  });

  it('an in-stream ERROR other than 410 counts as a failure and is retried with backoff', async () => {
    server.handler = (_request, response, url) => {
      if (url.searchParams.get('watch') === '1') {
        const send = openWatch(response);
        if (server.watches(NODES).length === 1) {
          send('ERROR', status(500, 'InternalError', 'watch chan error: etcdserver: mvcc: required revision has been compacted'));
          response.end();
          return;
        }
        watchResponses.push(response);
        return;
      }
      json(response, 200, nodeList('100', [node('a', '1')]));
    };
    const seen: string[] = [];
    start().onStatus((s) => seen.push(s.state));
    await until(() => server.watches(NODES).length === 2, 3000, 'the second watch');
    assert.ok(seen.includes('error'));
    await until(() => informer!.status.state === 'ok', 3000, 'ok again');
  });

  it('reopens a watch whose connection breaks mid-stream at once, without reporting a problem; a second break in a row is reported', async () => {
    let watches = 0;
    server.handler = (_request, response, url) => {
      if (url.searchParams.get('watch') === '1') {
        watches++;
        const send = openWatch(response);
        if (watches === 1) {
          send('ADDED', node('b', '101'));
          setTimeout(() => response.socket?.destroy(), 20);
          return;
        }
        if (watches === 2 || watches === 3) {
          setTimeout(() => response.socket?.destroy(), 20);
          return;
        }
        watchResponses.push(response);
        return;
      }
      json(response, 200, nodeList('100', [node('a', '1')]));
    };
    const seen: string[] = [];
    start().onStatus((s) => seen.push(s.state));
    await until(() => watches >= 4, 5000, 'four watches');
    await until(() => informer!.status.state === 'ok', 3000, 'ok');
    assert.deepEqual(server.watches(NODES).map((r) => r.query.get('resourceVersion')).slice(0, 2), ['100', '101']);
    assert.equal(informer!.stats.interruptions, 1, 'the first break (after an event) was silent');
    assert.ok(seen.includes('unreachable'), 'the third break, with no event since the second, was reported');
    assert.equal(server.lists(NODES).length, 1);
  });

  it('ignores watch events of another kind (a server that mixes resource types up)', async () => {
    server.handler = (_request, response, url) => {
      if (url.searchParams.get('watch') === '1') {
        watchResponses.push(response);
        const send = openWatch(response);
        send('MODIFIED', { kind: 'MachineConfigPool', metadata: { name: 'worker', resourceVersion: '105' } });
        send('ADDED', node('b', '106'));
        return;
      }
      json(response, 200, nodeList('100', [node('a', '1')]));
    };
    start();
    await until(() => store.nodes.has('b'), 3000, 'node b');
    assert.equal(store.nodes.has('worker'), false);
    assert.equal(informer!.stats.foreign, 1);
  });

  it('stop() aborts the open watch and makes no further requests', async () => {
    let watchClosed = false;
    server.handler = (_request, response, url) => {
      if (url.searchParams.get('watch') === '1') {
        watchResponses.push(response);
        response.on('close', () => (watchClosed = true));
        openWatch(response);
        return;
      }
      json(response, 200, nodeList('100', [node('a', '1')]));
    };
    const clock = new FakeClock();
    const stopping = start({ clock });
    await until(() => server.watches(NODES).length === 1 && stopping.status.state === 'ok', 3000, 'the watch');
    const count = server.requests.length;
    await stopping.stop();
    // stop() resolves once the loop has exited: no timer is left to wake it, and a retry cannot revive it.
    assert.deepEqual(clock.pending, []);
    stopping.retryNow(true);
    clock.advance(DAY);
    await until(() => watchClosed, 3000, 'the server to see the watch connection closed');
    assert.equal(server.requests.length, count);
  });

  it('retryNow(true) lists again even while the watch is healthy', async () => {
    let lists = 0;
    server.handler = (_request, response, url) => {
      if (url.searchParams.get('watch') === '1') {
        watchResponses.push(response);
        openWatch(response);
        return;
      }
      lists++;
      json(response, 200, nodeList(String(100 + lists), [node('a', String(lists))]));
    };
    start();
    await until(() => server.watches(NODES).length === 1, 3000, 'the watch');
    informer!.retryNow(true);
    await until(() => server.watches(NODES).length === 2, 3000, 'the second watch');
    assert.equal(lists, 2);
    assert.equal(server.watches(NODES)[1]!.query.get('resourceVersion'), '102');
  });

  it('once: lists and stops without watching (for the status CLI); a failure ends it with the status set', async () => {
    server.handler = (_request, response) => json(response, 200, nodeList('100', [node('a', '1')]));
    const clock = new FakeClock();
    const once = start({ clock, once: true });
    await until(() => once.status.synced, 3000, 'the list');
    await once.stop(); // resolves at once: the loop already ended after the list
    assert.deepEqual(clock.pending, []);
    assert.equal(server.watches(NODES).length, 0);
    server.handler = (_request, response) => json(response, 403, status(403, 'Forbidden', 'no'));
    const failing = new ResilientInformer(transport, RESOURCE_SPECS.nodes, () => undefined, { ...FAST, clock, once: true });
    failing.start();
    await until(() => failing.status.state === 'forbidden', 3000, 'forbidden');
    await failing.stop();
    assert.deepEqual(clock.pending, [], 'no retry scheduled');
    assert.equal(failing.status.retryAt, undefined);
    assert.equal(server.lists(NODES).length, 2);
  });
});

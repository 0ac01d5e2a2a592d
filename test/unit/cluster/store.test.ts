import { strict as assert } from 'node:assert';
import { readOsImageUrlConfigMap, slimNode, slimPool } from '../../../src/core/cluster/objects';
import { ClusterStore, type StoreChange } from '../../../src/core/cluster/store';

function node(name: string, resourceVersion: string, state = 'Done') {
  return slimNode({ metadata: { name, uid: name, resourceVersion, annotations: { 'machineconfiguration.openshift.io/state': state } } });
}

describe('ClusterStore', () => {
  let store: ClusterStore;
  let seen: StoreChange[][];

  beforeEach(() => {
    store = new ClusterStore('ctx', 'https://api.example:6443');
    seen = [];
    store.onChange((changes) => seen.push([...changes]));
  });

  it('emits one change per item for watch events, none for an event with the same resourceVersion', () => {
    store.apply('nodes', { type: 'upsert', name: 'a', object: node('a', '1'), receivedAt: 1 });
    store.apply('nodes', { type: 'upsert', name: 'a', object: node('a', '1'), receivedAt: 2 });
    store.apply('nodes', { type: 'upsert', name: 'a', object: node('a', '2', 'Working'), receivedAt: 3 });
    store.apply('nodes', { type: 'delete', name: 'a', receivedAt: 4 });
    store.apply('nodes', { type: 'delete', name: 'a', receivedAt: 5 });
    assert.deepEqual(seen.map((batch) => batch.map((c) => `${c.resource}/${c.name} ${c.type} @${c.receivedAt}`)), [
      ['nodes/a added @1'],
      ['nodes/a modified @3'],
      ['nodes/a deleted @4'],
    ]);
  });

  it('turns a relist into the difference: deleted, modified and added items only, in one batch', () => {
    store.apply('nodes', { type: 'replace', items: new Map([['a', node('a', '1')], ['b', node('b', '2')], ['c', node('c', '3')]]) });
    seen.length = 0;
    store.apply('nodes', { type: 'replace', items: new Map([['a', node('a', '1')], ['c', node('c', '4')], ['d', node('d', '5')]]) });
    assert.equal(seen.length, 1);
    assert.deepEqual(seen[0]!.map((c) => `${c.name} ${c.type}`).sort(), ['b deleted', 'c modified', 'd added']);
    store.apply('nodes', { type: 'replace', items: new Map([['a', node('a', '1')], ['c', node('c', '4')], ['d', node('d', '5')]]) });
    assert.equal(seen.length, 1, 'an identical relist says nothing');
    assert.deepEqual([...store.nodes.keys()].sort(), ['a', 'c', 'd']);
  });

  it('keeps the base-image ConfigMap and ClusterVersion as single values, changed only when what the view reads changes', () => {
    const cm = (image: string) => readOsImageUrlConfigMap({ metadata: { name: 'machine-config-osimageurl', resourceVersion: String(Math.random()) }, data: { baseOSContainerImage: image, releaseVersion: '4.18.1' } });
    store.apply('osImageUrls', { type: 'replace', items: new Map([['machine-config-osimageurl', cm('quay.io/a@sha256:1')]]) });
    store.apply('osImageUrls', { type: 'upsert', name: 'machine-config-osimageurl', object: cm('quay.io/a@sha256:1'), receivedAt: 1 });
    store.apply('osImageUrls', { type: 'upsert', name: 'machine-config-osimageurl', object: cm('quay.io/a@sha256:2'), receivedAt: 2 });
    assert.deepEqual(seen.map((b) => b.map((c) => `${c.resource} ${c.type}`)), [['osImageUrls added'], ['osImageUrls modified']]);
    assert.equal(store.osImageUrls?.baseOSContainerImage, 'quay.io/a@sha256:2');
    assert.equal(store.clusterVersion, undefined);
    store.clear('osImageUrls');
    assert.equal(store.osImageUrls, undefined);
  });

  it('is the ClusterSnapshot the view-model reads', () => {
    const pool = slimPool({ metadata: { name: 'worker', resourceVersion: '1' }, spec: { nodeSelector: { matchLabels: {} } } });
    store.apply('pools', { type: 'upsert', name: 'worker', object: pool, receivedAt: 0 });
    assert.equal(store.pools.get('worker'), pool);
    assert.equal(store.context, 'ctx');
    assert.equal(store.server, 'https://api.example:6443');
  });
});

// The Node.js the cluster bundle needs is written once (src/core/runtime.ts). Its source is the dependencies' own
// `engines.node`; the prose that names it must say the same number.
import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { CLUSTER_MIN_NODE, CLUSTER_MIN_NODE_TEXT, nodeRunsClusterBundle } from '../../src/core/runtime';

const ROOT = path.join(__dirname, '..', '..');

function minimumOf(range: string): [number, number] {
  const match = /^>=\s*v?(\d+)\.(\d+)(?:\.\d+)?$/.exec(range.trim());
  assert.ok(match, `engines.node "${range}" is not a plain ">=" range; update this test to read it`);
  return [Number(match[1]), Number(match[2])];
}

describe('the Node.js the cluster bundle needs', () => {
  it('is the highest engines.node minimum of @kubernetes/client-node and the undici it talks through, as installed', () => {
    const read = (name: string) => JSON.parse(readFileSync(path.join(ROOT, 'node_modules', name, 'package.json'), 'utf8')) as { engines?: { node?: string }; dependencies?: Record<string, string> };
    const client = read('@kubernetes/client-node');
    assert.ok(client.dependencies?.undici, '@kubernetes/client-node depends on undici');
    const undici = read('undici');
    assert.ok(undici.engines?.node, 'undici declares engines.node');
    const minimums = [undici.engines.node, client.engines?.node].filter((range): range is string => range !== undefined).map(minimumOf);
    const highest = minimums.reduce((a, b) => (a[0] > b[0] || (a[0] === b[0] && a[1] >= b[1]) ? a : b));
    assert.deepEqual([CLUSTER_MIN_NODE.major, CLUSTER_MIN_NODE.minor], highest);
  });

  it('accepts that version and newer ones, refuses older ones', () => {
    const { major, minor } = CLUSTER_MIN_NODE;
    assert.equal(nodeRunsClusterBundle(`${major}.${minor}.0`), true);
    assert.equal(nodeRunsClusterBundle(`v${major}.${minor + 1}.3`), true);
    assert.equal(nodeRunsClusterBundle(`${major + 2}.0.0`), true);
    assert.equal(nodeRunsClusterBundle(`${major}.${minor - 1}.9`), false);
    assert.equal(nodeRunsClusterBundle('20.20.2'), false);
  });

  it('every document that names a Node.js 22.x minimum names this one', () => {
    const documents = ['README.md', 'cli/README.md', ...readdirSync(path.join(ROOT, 'docs')).filter((name) => name.endsWith('.md')).map((name) => `docs/${name}`)];
    let mentions = 0;
    for (const document of documents) {
      const text = readFileSync(path.join(ROOT, document), 'utf8');
      // "Node.js 22.19 or newer", "Node.js 22.19+", "Node >= 22.19"; not ranges such as "Node 22.15–22.18".
      for (const match of text.matchAll(/Node(?:\.js)?\s*(?:>=\s*(22\.\d+)|(22\.\d+)(?:\+|\s+or newer))/g)) {
        mentions++;
        assert.equal(match[1] ?? match[2], CLUSTER_MIN_NODE_TEXT, `${document}: "${match[0]}"`);
      }
    }
    assert.ok(mentions > 0, 'the README says which Node.js `status` needs');
  });
});

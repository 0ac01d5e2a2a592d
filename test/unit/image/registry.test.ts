import * as assert from 'node:assert/strict';
import { isInsecureRegistry, MANIFEST_ACCEPT, MEDIA_TYPES, parseChallenge, platformsOf, resolveDigest } from '../../../src/core/image/registry';

describe('registry helpers', () => {
  it('asks for all four manifest types', () => {
    for (const type of Object.values(MEDIA_TYPES)) assert.ok(MANIFEST_ACCEPT.includes(type), type);
  });

  it('matches insecure registries by host:port, or by host for any port', () => {
    assert.equal(isInsecureRegistry('127.0.0.1:5000', ['127.0.0.1:5000']), true);
    assert.equal(isInsecureRegistry('127.0.0.1:5000', ['127.0.0.1']), true);
    assert.equal(isInsecureRegistry('127.0.0.1:5000', ['127.0.0.1:5001']), false);
    assert.equal(isInsecureRegistry('Registry.Local', ['registry.local', '']), true);
    assert.equal(isInsecureRegistry('registry.local:443', ['http://registry.local/ns']), true);
    assert.equal(isInsecureRegistry('quay.io', []), false);
    assert.equal(isInsecureRegistry('quay.io'), false);
  });

  it('parses challenges with quoted commas and escapes', () => {
    assert.deepEqual(parseChallenge('Bearer realm="https://a/token",scope="repository:x:pull,push",error="insufficient_scope"')?.params, {
      realm: 'https://a/token',
      scope: 'repository:x:pull,push',
      error: 'insufficient_scope',
    });
    assert.deepEqual(parseChallenge('basic realm="a \\"quoted\\" realm"'), { scheme: 'basic', params: { realm: 'a "quoted" realm' } });
    assert.equal(parseChallenge(undefined), undefined);
  });

  it('lists platforms of an index, skipping attestation entries and malformed ones', () => {
    assert.deepEqual(
      platformsOf({
        manifests: [
          { digest: 'sha256:a', mediaType: MEDIA_TYPES.ociManifest, platform: { os: 'linux', architecture: 'ppc64le' } },
          { digest: 'sha256:b', platform: { os: 'unknown', architecture: 'unknown' } },
          { digest: 'sha256:c' },
          'junk',
        ],
      }),
      [{ os: 'linux', architecture: 'ppc64le', digest: 'sha256:a', mediaType: MEDIA_TYPES.ociManifest }],
    );
    assert.deepEqual(platformsOf(null), []);
  });

  it('refuses references it cannot resolve without a request', async () => {
    const variable = await resolveDigest('quay.io/org/image:${TAG}');
    assert.equal(variable.ok, false);
    if (!variable.ok) {
      assert.match(variable.problem.why, /unexpanded variable/);
      assert.equal('span' in variable.problem, false);
    }
    const bad = await resolveDigest('quay.io/Org/image');
    assert.equal(bad.ok, false);
  });
});

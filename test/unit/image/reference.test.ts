import * as assert from 'node:assert/strict';
import {
  apiHost,
  checkDigest,
  checkReference,
  findVariables,
  formatReference,
  hasVariables,
  manifestReference,
  parseReference,
  shortImage,
  splitReference,
  withDigest,
  type ImageReference,
} from '../../../src/core/image/reference';

const D = `sha256:${'a'.repeat(64)}`;

function parsed(text: string): ImageReference {
  const result = parseReference(text);
  if (!result.ok) assert.fail(`expected ${text} to parse: ${result.problem.why}`);
  return result.value;
}

function rejected(text: string) {
  const result = parseReference(text);
  if (result.ok) assert.fail(`expected ${text} to be rejected, got ${formatReference(result.value)}`);
  return result.problem;
}

describe('image reference parsing', () => {
  const good: Array<[string, Partial<ImageReference>]> = [
    ['busybox', { registry: 'docker.io', repository: 'library/busybox', registryExplicit: false }],
    ['busybox:1.36', { registry: 'docker.io', repository: 'library/busybox', tag: '1.36' }],
    ['library/busybox', { registry: 'docker.io', repository: 'library/busybox' }],
    ['fedora/httpd', { registry: 'docker.io', repository: 'fedora/httpd' }],
    ['docker.io/busybox', { registry: 'docker.io', repository: 'library/busybox', registryExplicit: true }],
    ['index.docker.io/fedora/httpd:1', { registry: 'docker.io', repository: 'fedora/httpd', tag: '1' }],
    [
      'quay.io/openshift-release-dev/ocp-v4.0-art-dev@' + D,
      { registry: 'quay.io', repository: 'openshift-release-dev/ocp-v4.0-art-dev', digest: D, tag: undefined },
    ],
    ['quay.io/org/image:4.16@' + D, { registry: 'quay.io', repository: 'org/image', tag: '4.16', digest: D }],
    ['localhost/custom', { registry: 'localhost', repository: 'custom' }],
    ['localhost:5000/a/b/c:v1', { registry: 'localhost:5000', repository: 'a/b/c', tag: 'v1' }],
    ['127.0.0.1:39789/openshift/rhel-coreos:4.16', { registry: '127.0.0.1:39789', repository: 'openshift/rhel-coreos', tag: '4.16' }],
    [
      'image-registry.openshift-image-registry.svc:5000/openshift-machine-config-operator/os-image:latest',
      { registry: 'image-registry.openshift-image-registry.svc:5000', repository: 'openshift-machine-config-operator/os-image' },
    ],
    ['[::1]:5000/img', { registry: '[::1]:5000', repository: 'img' }],
    ['Registry.Example.com/ns/img', { registry: 'Registry.Example.com', repository: 'ns/img' }],
    ['quay.io/a_b/c__d/e--f/g.h', { registry: 'quay.io', repository: 'a_b/c__d/e--f/g.h' }],
    ['x:' + 'T'.repeat(128), { tag: 'T'.repeat(128) }],
    ['x:_under.score-OK', { tag: '_under.score-OK' }],
  ];
  for (const [text, expected] of good) {
    it(`accepts ${text.length > 60 ? text.slice(0, 60) + '…' : text}`, () => {
      const ref = parsed(text);
      assert.equal(ref.original, text);
      for (const [key, value] of Object.entries(expected)) {
        assert.deepEqual(ref[key as keyof ImageReference], value, key);
      }
    });
  }

  const bad: Array<[string, RegExp, [number, number]?]> = [
    ['', /empty/],
    ['quay.io/org/image :latest', /whitespace/, [17, 18]],
    [' quay.io/x', /whitespace/, [0, 1]],
    ['quay.io/MyOrg/image', /lowercase \("MyOrg"\)/, [8, 13]],
    ['quay.io/org/Image:1', /lowercase/, [12, 17]],
    ['BusyBox', /lowercase/, [0, 7]],
    ['quay.io//image', /empty path component/],
    ['quay.io/org/', /ends with "\/"/],
    ['/image', /starts with "\/"/],
    ['quay.io/org/image:', /tag after ":" is empty/, [17, 18]],
    ['quay.io/org/image:.bad', /tag ".bad"/, [18, 22]],
    ['quay.io/org/image:' + 'a'.repeat(129), /129 characters/],
    ['quay.io/org/image@', /digest after "@" is empty/],
    ['quay.io/org/image@sha256:abc', /64 hex digits, this one has 3/],
    ['quay.io/org/image@sha256:' + 'A'.repeat(64), /lowercase hex/],
    ['quay.io/org/image@sha256:' + 'g'.repeat(64), /not hex digits/],
    ['quay.io/org/image@md5:' + 'a'.repeat(32), /algorithm "md5"/],
    ['quay.io/org/image@' + 'a'.repeat(64), /no algorithm/],
    ['@' + D, /repository before "@" is missing/],
    ['quay.io:abc/org/image', /port "abc"/],
    ['quay.io:99999/org/image', /port "99999"/],
    ['-bad.io/org/image', /not a valid registry host/],
    ['quay.io/org/-image', /not a valid repository path component/],
    ['quay.io/org/image!', /not a valid repository path component/],
    ['https://quay.io/org/image', /URL scheme/],
    ['a'.repeat(64), /reserved/],
    ['quay.io/' + 'a/'.repeat(130) + 'b', /at most 255/],
  ];
  for (const [text, why, span] of bad) {
    it(`rejects ${JSON.stringify(text.length > 60 ? text.slice(0, 60) + '…' : text)}`, () => {
      const problem = rejected(text);
      assert.match(problem.why, why);
      assert.ok(problem.what.length > 0 && problem.next.length > 0);
      if (span) assert.deepEqual(problem.span, { start: span[0], end: span[1] });
    });
  }

  it('suggests the lowercase spelling for uppercase repository names', () => {
    assert.match(rejected('quay.io/MyOrg/image').next, /myorg/);
  });

  it('checks digests on their own', () => {
    assert.equal(checkDigest(D), undefined);
    assert.equal(checkDigest(`sha512:${'0'.repeat(128)}`), undefined);
    assert.match(checkDigest('sha256:')!, /has 0/);
  });
});

describe('image reference variables', () => {
  it('finds ${VAR}, $VAR and ${VAR:-default}', () => {
    const vars = findVariables('${REGISTRY}/org/$IMAGE:${TAG:-latest}');
    assert.deepEqual(
      vars.map((v) => [v.name, v.text, v.start, v.end]),
      [
        ['REGISTRY', '${REGISTRY}', 0, 11],
        ['IMAGE', '$IMAGE', 16, 22],
        ['TAG', '${TAG:-latest}', 23, 37],
      ],
    );
    assert.equal(hasVariables('quay.io/org/image'), false);
  });

  it('parseReference refuses unexpanded variables with a clear reason', () => {
    const problem = rejected('quay.io/org/image:${TAG}');
    assert.match(problem.why, /unexpanded variable \$\{TAG\}/);
    assert.deepEqual(problem.span, { start: 18, end: 24 });
  });

  it('checkReference treats variables as unresolvable, not as errors', () => {
    for (const text of ['${BASE}', '$BASE', 'quay.io/org/${IMAGE}:${TAG}', '${REG}/x@${DIGEST}', 'quay.io/org/image@sha256:${D}']) {
      const check = checkReference(text);
      assert.equal(check.kind, 'variables', text);
    }
  });

  it('checkReference still reports errors in the literal parts', () => {
    const check = checkReference('quay.io/MyOrg/${IMAGE}');
    assert.equal(check.kind, 'invalid');
    if (check.kind === 'invalid') {
      assert.match(check.problem.why, /lowercase/);
      assert.deepEqual(check.problem.span, { start: 8, end: 13 });
      assert.match(check.problem.what, /\$\{IMAGE\}/);
    }
    assert.equal(checkReference('${REG}/org/image:').kind, 'invalid');
  });

  it('checkReference passes plain references through', () => {
    const check = checkReference('quay.io/org/image:1');
    assert.equal(check.kind, 'valid');
    assert.equal(checkReference('quay.io/Org/image').kind, 'invalid');
  });
});

describe('image reference formatting', () => {
  it('formats the normalised reference', () => {
    assert.equal(formatReference(parsed('busybox')), 'docker.io/library/busybox');
    assert.equal(formatReference(parsed('busybox:1'), { familiar: true }), 'busybox:1');
    assert.equal(formatReference(parsed('fedora/httpd:1'), { familiar: true }), 'fedora/httpd:1');
    assert.equal(formatReference(parsed(`quay.io/a/b:1@${D}`)), `quay.io/a/b:1@${D}`);
  });

  it('withDigest keeps or drops the tag', () => {
    const ref = parsed('quay.io/org/image:4.16');
    assert.equal(withDigest(ref, D, { keepTag: true }), `quay.io/org/image:4.16@${D}`);
    assert.equal(withDigest(ref, D, { keepTag: false }), `quay.io/org/image@${D}`);
    assert.equal(withDigest(ref, D), `quay.io/org/image@${D}`);
  });

  it('withDigest replaces an existing digest and keeps short Docker Hub names short', () => {
    const old = `sha256:${'b'.repeat(64)}`;
    assert.equal(withDigest(parsed(`quay.io/org/image:1@${old}`), D, { keepTag: true }), `quay.io/org/image:1@${D}`);
    assert.equal(withDigest(parsed('busybox:1.36'), D, { keepTag: true }), `busybox:1.36@${D}`);
    assert.equal(withDigest(parsed('docker.io/library/busybox'), D), `docker.io/library/busybox@${D}`);
    assert.equal(withDigest(parsed('localhost:5000/x'), D, { keepTag: true }), `localhost:5000/x@${D}`);
  });

  it('withDigest refuses a malformed digest', () => {
    assert.throws(() => withDigest(parsed('x'), 'sha256:123'), RangeError);
  });

  it('knows what to ask the registry for', () => {
    assert.equal(manifestReference(parsed('x')), 'latest');
    assert.equal(manifestReference(parsed('x:1')), '1');
    assert.equal(manifestReference(parsed(`x:1@${D}`)), D);
    assert.equal(apiHost('docker.io'), 'registry-1.docker.io');
    assert.equal(apiHost('quay.io'), 'quay.io');
  });

  describe('splitReference: the same split, for text that is not (yet) a valid reference', () => {
    const cases: Array<[string, ReturnType<typeof splitReference>]> = [
      ['busybox', { name: 'busybox', domain: undefined, path: 'busybox', tag: undefined, digest: undefined }],
      ['quay.io/org/img:4.16@' + D, { name: 'quay.io/org/img', domain: 'quay.io', path: 'org/img', tag: '4.16', digest: D }],
      ['localhost:5000/a/b', { name: 'localhost:5000/a/b', domain: 'localhost:5000', path: 'a/b', tag: undefined, digest: undefined }],
      // A placeholder digest and uppercase are kept as written; parseReference would reject both.
      ['quay.io/Org/img@sha256:...', { name: 'quay.io/Org/img', domain: 'quay.io', path: 'Org/img', tag: undefined, digest: 'sha256:...' }],
      // An uppercase first component is a registry host, as in the grammar (and as parseReference reads it).
      ['MyRegistry/img', { name: 'MyRegistry/img', domain: 'MyRegistry', path: 'img', tag: undefined, digest: undefined }],
      // The tag starts at the first ":" after the last "/": a variable with a default stays whole.
      ['${BASE}:${TAG:-latest}', { name: '${BASE}', domain: undefined, path: '${BASE}', tag: '${TAG:-latest}', digest: undefined }],
      ['', { name: '', domain: undefined, path: '', tag: undefined, digest: undefined }],
    ];
    for (const [text, expected] of cases) {
      it(`splits ${JSON.stringify(text)}`, () => assert.deepEqual(splitReference(text), expected));
    }

    it('agrees with parseReference on every valid reference', () => {
      for (const text of ['busybox:1', 'docker.io/busybox', `quay.io/org/image:4.16@${D}`, '127.0.0.1:39789/openshift/rhel-coreos:4.16', '[::1]:5000/img']) {
        const ref = parsed(text);
        const written = splitReference(text);
        assert.equal(written.tag, ref.tag, text);
        assert.equal(written.digest, ref.digest, text);
        assert.equal(written.domain !== undefined, ref.registryExplicit, text);
      }
    });
  });

  it('shortImage: the digest cut to 12 hex digits; the whole name, or with name: last only its last component', () => {
    const image = `quay.io/openshift-release-dev/ocp-v4.0-art-dev@${D}`;
    assert.equal(shortImage(image), `quay.io/openshift-release-dev/ocp-v4.0-art-dev@sha256:${'a'.repeat(12)}`);
    assert.equal(shortImage(image, { name: 'last' }), `ocp-v4.0-art-dev@sha256:${'a'.repeat(12)}`);
    assert.equal(shortImage(`quay.io/a/b:1@${D}`, { name: 'last' }), `b:1@sha256:${'a'.repeat(12)}`);
    assert.equal(shortImage('localhost:5000/x/y:2', { name: 'last' }), 'y:2');
    assert.equal(shortImage('localhost:5000/x/y'), 'localhost:5000/x/y');
  });
});

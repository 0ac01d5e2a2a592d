import { strict as assert } from 'node:assert';
import { coveredTexts, FROM_RHCOS, lintBadFixture, lintRule } from './ruleHarness';

const ID = 'podman-pull-in-build';
const lint = (body: string, version?: string) => lintRule(ID, `${FROM_RHCOS}\n${body}\n`, version);

describe('podman-pull-in-build', () => {
  it('reports the bad fixture', async () => {
    assert.deepEqual(coveredTexts(await lintBadFixture(ID)), ['podman pull']);
  });

  describe('reports', () => {
    it('podman pull, podman image pull, buildah pull/from, with the range on the tool and subcommand', async () => {
      const run = await lint([
        'RUN podman pull quay.io/prometheus/node-exporter:v1.8.0 && \\',
        '    podman --log-level=debug image pull registry.example.com/agent@sha256:abc && \\',
        '    buildah pull quay.io/x/y && buildah from quay.io/x/z && \\',
        '    bootc container lint',
      ].join('\n'));
      assert.deepEqual(coveredTexts(run), ['podman pull', 'podman --log-level=debug image pull', 'buildah pull', 'buildah from']);
      const [first] = run.findings;
      assert.equal(first!.severity, 'warning');
      assert.match(first!.message, /^`podman pull` at build time stores the image under \/var\/lib\/containers in the OS image, which nodes never receive/);
      assert.match(first!.message, /COPY --from=<image>/);
    });

    it('daemons the build does not run: docker, crictl, ctr, nerdctl', async () => {
      const run = await lint('RUN sudo crictl pull quay.io/x/y; docker pull x; ctr images pull docker.io/library/busybox:latest; nerdctl pull z\nRUN bootc container lint');
      assert.deepEqual(coveredTexts(run), ['crictl pull', 'docker pull', 'ctr images pull', 'nerdctl pull']);
      assert.match(run.findings[0]!.message, /^`crictl pull` needs CRI-O, which a build does not run/);
    });

    it('skopeo copy into the default or a /var store', async () => {
      const run = await lint([
        'RUN skopeo copy --retry-times 3 docker://quay.io/x/y:1 containers-storage:quay.io/x/y:1 && \\',
        '    skopeo copy docker://quay.io/x/z oci:/var/lib/images/z:latest && bootc container lint',
      ].join('\n'));
      assert.deepEqual(coveredTexts(run), ['skopeo copy', 'skopeo copy']);
      assert.match(run.findings[1]!.message, /writes the image to \/var\/lib\/images\/z/);
    });

    it('in heredocs and in a stage the final image builds on', async () => {
      const text = [`${FROM_RHCOS} AS base`, 'RUN <<EOF', 'set -e', 'podman pull quay.io/x/y', 'EOF', 'FROM base', 'RUN bootc container lint'].join('\n');
      assert.deepEqual(coveredTexts(await lintRule(ID, text)), ['podman pull']);
    });
  });

  describe('does not report', () => {
    it('stores under /usr (physically bound images), /tmp, or a cache mount', async () => {
      const run = await lint([
        'RUN podman --root /usr/lib/containers/storage pull quay.io/x/y && \\',
        '    skopeo copy docker://quay.io/x/y "containers-storage:[overlay@/usr/lib/containers/storage]quay.io/x/y" && \\',
        '    skopeo copy docker://quay.io/x/y oci:/usr/share/images/y && skopeo copy docker://a docker://b && \\',
        '    skopeo copy docker://quay.io/x/y dir:/tmp/y && bootc container lint',
        'RUN --mount=type=cache,target=/var/lib/containers podman pull quay.io/x/y && bootc container lint',
      ].join('\n'));
      assert.deepEqual(run.findings, []);
    });

    it('other podman/skopeo commands, and COPY --from=<image>', async () => {
      const run = await lint([
        'COPY --from=quay.io/prometheus/node-exporter:v1.8.0 /bin/node_exporter /usr/bin/',
        'RUN podman --version && skopeo inspect docker://quay.io/x/y >/dev/null || true; echo podman pull && bootc container lint',
      ].join('\n'));
      assert.deepEqual(run.findings, []);
    });

    it('builder stages outside the final chain', async () => {
      const text = [
        'FROM quay.io/podman/stable AS fetch',
        'RUN podman pull quay.io/x/y && podman save -o /out/y.tar quay.io/x/y',
        FROM_RHCOS,
        'COPY --from=fetch /out/y.tar /usr/share/images/',
        'RUN bootc container lint',
      ].join('\n');
      assert.deepEqual((await lintRule(ID, text)).findings, []);
    });
  });
});

import { strict as assert } from 'node:assert';
import { applyFix, coveredTexts, FROM_RHCOS, lintBadFixture, lintRule } from './ruleHarness';

const ID = 'var-content';
const lint = (body: string, version?: string) => lintRule(ID, `${FROM_RHCOS}\n${body}\n`, version);

describe('var-content', () => {
  it('reports the bad fixture', async () => {
    assert.deepEqual(coveredTexts(await lintBadFixture(ID)), ['/var/lib/myapp/', '/var/lib/myapp/cache', '/var/lib/myapp/state']);
  });

  describe('reports', () => {
    it('COPY and ADD destinations under /var, on the destination word', async () => {
      const run = await lint([
        'COPY app.db /var/lib/myapp/',
        'ADD https://example.com/data.tar /var/opt/data.tar',
        'RUN bootc container lint',
      ].join('\n'));
      assert.deepEqual(coveredTexts(run), ['/var/lib/myapp/', '/var/opt/data.tar']);
      assert.match(run.findings[0]!.message, /^COPY puts files in `\/var\/lib\/myapp`: nodes keep their own \/var/);
      assert.match(run.findings[0]!.message, /tmpfiles\.d/);
    });

    it('relative destinations after WORKDIR, through the stage chain', async () => {
      const text = [`${FROM_RHCOS} AS base`, 'WORKDIR /var/lib', 'FROM base', 'COPY state.json myapp/', 'RUN bootc container lint'].join('\n');
      assert.deepEqual(coveredTexts(await lintRule(ID, text)), ['myapp/']);
    });

    it('RUN writes: redirects, mkdir, cp, install, ln, touch, tee, curl -o, wget -O', async () => {
      const run = await lint([
        'RUN echo hi > /var/lib/a.txt && \\',
        '    mkdir -p /var/lib/b && \\',
        '    cp /usr/share/c.conf /var/lib/c.conf && \\',
        '    install -D -m 0644 d.conf /var/lib/d/d.conf && \\',
        '    ln -sf /usr/share/e /var/lib/e && \\',
        '    touch /var/lib/f && \\',
        '    echo g | tee -a /var/lib/g && \\',
        '    curl -fsSLo /var/lib/h https://example.com/h && \\',
        '    wget -q -O /var/lib/i https://example.com/i && \\',
        '    bootc container lint',
      ].join('\n'));
      assert.deepEqual(coveredTexts(run), ['/var/lib/a.txt', '/var/lib/b', '/var/lib/c.conf', '/var/lib/d/d.conf', '/var/lib/e', '/var/lib/f', '/var/lib/g', '/var/lib/h', '/var/lib/i']);
    });

    it('brace expansion is reported once per word', async () => {
      const run = await lint('RUN mkdir -p /var/lib/{a,b} && bootc container lint');
      assert.deepEqual(coveredTexts(run), ['/var/lib/{a,b}']);
    });

    it('mkdir: adds the equivalent tmpfiles.d entry, which clears the finding', async () => {
      const run = await lint('RUN mkdir -p -m 750 /var/lib/myapp && dnf clean all && bootc container lint');
      const [finding] = run.findings;
      assert.match(finding!.message, /`d \/var\/lib\/myapp 0750 root root -`/);
      const fixed = applyFix(run.text, finding!);
      assert.equal(fixed, `${FROM_RHCOS}\nRUN mkdir -p -m 750 /var/lib/myapp && \\\n    echo 'd /var/lib/myapp 0750 root root -' > /usr/lib/tmpfiles.d/var-lib-myapp.conf && dnf clean all && bootc container lint\n`);
      assert.deepEqual((await lintRule(ID, fixed)).findings, []);
    });

    it('mkdir: no fix when the directory gets another owner later', async () => {
      const run = await lint('RUN mkdir /var/lib/myapp && chown 1000:1000 /var/lib/myapp && bootc container lint');
      assert.equal(run.findings.length, 1);
      assert.deepEqual(run.findings[0]!.fixes, []);
    });

    it('COPY --from=<builder> into /var: the content lands in the final image', async () => {
      const text = [
        'FROM registry.access.redhat.com/ubi9/ubi AS builder',
        'RUN mkdir -p /var/lib/gen && echo x > /var/lib/gen/x',
        FROM_RHCOS,
        'COPY --from=builder /var/lib/gen /var/lib/gen',
        'RUN bootc container lint',
      ].join('\n');
      assert.deepEqual(coveredTexts(await lintRule(ID, text)), ['/var/lib/gen']);
    });

    it('a tmpfiles.d entry for another path does not cover', async () => {
      const run = await lint([
        'COPY <<EOF /usr/lib/tmpfiles.d/other.conf',
        'd /var/lib/other 0755 root root -',
        'EOF',
        'RUN mkdir /var/lib/mine && bootc container lint',
      ].join('\n'));
      assert.deepEqual(coveredTexts(run), ['/var/lib/mine']);
    });
  });

  describe('suppression', () => {
    it('an ignore comment inside a RUN continuation or above a COPY silences exactly that finding', async () => {
      const run = await lint([
        '# rhcos-layering ignore=var-content',
        'COPY seed.db /var/lib/myapp/',
        'RUN dnf install -y myapp && \\',
        '    # rhcos-layering ignore=var-content',
        '    mkdir -p /var/lib/myapp/cache && \\',
        '    dnf clean all && bootc container lint',
        'RUN touch /var/lib/other && bootc container lint',
      ].join('\n'));
      assert.deepEqual(coveredTexts(run), ['/var/lib/other']);
    });
  });

  describe('does not report', () => {
    it('/var/tmp, /var/cache, /var/run, cleanup and truncation', async () => {
      const run = await lint([
        'RUN curl -o /var/tmp/x.rpm https://example.com/x.rpm && rpm-ostree install /var/tmp/x.rpm && \\',
        '    mkdir -p /var/cache/foo && rm -rf /var/cache/dnf /var/log/dnf* /var/lib/dnf && \\',
        '    : > /var/log/lastlog && find /var/log -type f -delete && \\',
        '    rpm-ostree cleanup -m && ostree container commit',
      ].join('\n'), '4.15');
      assert.deepEqual(run.findings, []);
    });

    it('content removed later (rm -rf /var/*, rm -rf /var/lib/x) or moved out of /var', async () => {
      const run = await lint([
        'RUN mkdir -p /tmp/dracut /var/lib/build && dracut -f && rm -rf /var/* /tmp/*',
        'COPY seed.db /var/lib/seed/seed.db',
        'RUN mkdir -p /var/usrlocal/bin && rpm -Uvh https://example.com/sops-3.7.3-1.x86_64.rpm && mv /var/usrlocal/bin/sops /usr/bin/sops',
        'RUN cp -r /usr/share/hp /var/lib/hp && mv /var/lib/hp /usr/lib/hp',
        'RUN mkdir -p /var/lib/later && touch /var/lib/later/x',
        'RUN rm -rf /var/lib/seed /var/lib/later && bootc container lint',
      ].join('\n'));
      assert.deepEqual(coveredTexts(run), []);
      // Removed before it was written does not count.
      const order = await lint('RUN rm -rf /var/lib/x\nCOPY x.db /var/lib/x/x.db\nRUN bootc container lint');
      assert.deepEqual(coveredTexts(order), ['/var/lib/x/x.db']);
    });

    it('mkdir of the /var directories every rpm-ostree node already has (build scaffolding for scriptlets)', async () => {
      const run = await lint('RUN mkdir -p /var/lib/alternatives /var/roothome /var/usrlocal/bin && /tmp/build.sh && ostree container commit');
      assert.deepEqual(coveredTexts(run), ['/var/usrlocal/bin']);
    });

    it('cache and other mounts', async () => {
      const run = await lint([
        'RUN --mount=type=cache,target=/var/cache/libdnf5 --mount=type=cache,target=/var/lib/dnf \\',
        '    dnf5 install -y tmux && echo done > /var/lib/dnf/marker && dnf5 clean all && bootc container lint',
      ].join('\n'));
      assert.deepEqual(run.findings, []);
    });

    it('paths with a tmpfiles.d entry written by COPY heredoc, echo, or cat heredoc', async () => {
      const run = await lint([
        'COPY <<EOF /usr/lib/tmpfiles.d/a.conf',
        'd /var/lib/a 0755 root root -',
        'EOF',
        'RUN echo "d /var/lib/b 0700 root root -" > /usr/lib/tmpfiles.d/b.conf && mkdir -p /var/lib/b/sub',
        'RUN cat > /etc/tmpfiles.d/c.conf <<EOT',
        'L /var/lib/c - - - - /usr/share/c',
        'EOT',
        'RUN mkdir /var/lib/a && ln -s /usr/share/c /var/lib/c && bootc container lint',
      ].join('\n'));
      assert.deepEqual(run.findings, []);
    });

    it('a tmpfiles.d file copied from the build context (content unknown)', async () => {
      const run = await lint('COPY myapp.conf /usr/lib/tmpfiles.d/\nRUN mkdir -p /var/lib/myapp && bootc container lint');
      assert.deepEqual(run.findings, []);
    });

    it('writes outside /var, relative paths and variables', async () => {
      const run = await lint([
        'ARG DIR=/var/lib/x',
        'RUN cp -a /var/lib/alternatives/. /usr/share/alt/ && mkdir -p "$DIR" && cd /var/lib && touch relative && \\',
        '    echo x > /usr/share/x && bootc container lint',
      ].join('\n'));
      assert.deepEqual(run.findings, []);
    });

    it('builder stages outside the final chain', async () => {
      const text = [
        'FROM registry.access.redhat.com/ubi9/ubi AS builder',
        'RUN mkdir -p /var/lib/build && echo x > /var/lib/build/x',
        'COPY x /var/lib/y',
        FROM_RHCOS,
        'COPY --from=builder /var/lib/build/x /usr/share/x',
        'RUN bootc container lint',
      ].join('\n');
      assert.deepEqual((await lintRule(ID, text)).findings, []);
    });
  });
});

import { strict as assert } from 'node:assert';
import { packageArguments, rpmNameOf } from '../../../src/core/containerfile/packages';
import type { Word } from '../../../src/core/containerfile/model';
import { range } from '../../../src/core/text';

function word(raw: string, value: string | undefined): Word {
  return { raw, value, range: range(0, 0, 0, raw.length) };
}

describe('packageArguments: words with shell variables', () => {
  it('names the RPMs when variables only fill the path and version (the documented kernel override)', () => {
    // One of the words `$MIRROR/kernel-{,core-,modules-}$KERNEL_VERSION.x86_64.rpm` gives after brace expansion.
    const args = packageArguments(word('$MIRROR/kernel-core-$KERNEL_VERSION.x86_64.rpm', undefined), 'install');
    assert.deepEqual(args.map((a) => [a.name, a.kind, a.spec]), [['kernel-core', 'file', '$MIRROR/kernel-core-$KERNEL_VERSION.x86_64.rpm']]);
  });

  it('reads N-V-R words and source RPMs', () => {
    const [nvr] = packageArguments(word('kernel-rt-core-${V}-${R}.el9', undefined), 'install');
    assert.equal(nvr!.name, 'kernel-rt-core');
    const [src] = packageArguments(word('"https://x/${P}/foo-1.0-1.el9.src.rpm"', undefined), 'install');
    assert.equal(src!.name, 'foo');
    assert.equal(src!.kind, 'url');
    assert.equal(src!.isSourceRpm, true);
  });

  it('leaves the name unknown when a variable is part of it', () => {
    for (const raw of ['$PKG', 'kernel-rt-$V', 'kernel${FLAVOR}-core', '$(cat list)', '`cat list`']) {
      const args = packageArguments(word(raw, undefined), 'install');
      assert.deepEqual(args.map((a) => [a.name, a.kind]), [[undefined, 'unknown']], raw);
    }
  });
});

describe('rpmNameOf', () => {
  it('does not read a name with a digit-led part as N-V-R', () => {
    assert.equal(rpmNameOf('kernel-64k-core'), 'kernel-64k-core');
    assert.equal(rpmNameOf('kernel-64k-modules'), 'kernel-64k-modules');
    assert.equal(rpmNameOf('kernel-64k-core-5.14.0-284.el9.aarch64.rpm'), 'kernel-64k-core');
  });

  it('reads N-V-R, N-V-R.A and RPM file names', () => {
    assert.equal(rpmNameOf('kernel-rt-core-5.14.0-284.11.1.el9_2'), 'kernel-rt-core');
    assert.equal(rpmNameOf('htop-3.2.1-1.el9.x86_64'), 'htop');
    assert.equal(rpmNameOf('https://host/path/containers-common-1-1.el9.noarch.rpm'), 'containers-common');
    assert.equal(rpmNameOf('vim-enhanced'), 'vim-enhanced');
    assert.equal(rpmNameOf('openvswitch3.5-ipsec'), 'openvswitch3.5-ipsec');
  });
});

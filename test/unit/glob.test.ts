import { strict as assert } from 'node:assert';
import { globToRegExp } from '../../src/core/glob';

describe('globToRegExp', () => {
  it('matches * and ? and treats everything else literally, even unbalanced brackets', () => {
    assert.ok(globToRegExp('kernel*').test('kernel-core'));
    assert.ok(globToRegExp('*/rhel-coreos*').test('quay.io/x/rhel-coreos-9'));
    assert.ok(!globToRegExp('kernel?').test('kernel'));
    assert.ok(globToRegExp('a[b').test('a[b'));
    assert.ok(globToRegExp('(x)|y.z').test('(x)|y.z'));
    assert.ok(!globToRegExp('a.b').test('axb'));
  });
});

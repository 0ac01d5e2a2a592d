import * as assert from 'node:assert/strict';
import { proxyFromEnvironment, redactProxyUrl, withEditorProxy } from '../../src/core/proxyEnvironment';

const SERVER = 'https://api.ocp.example.com:6443';
const proxyFor = (server: string, env: NodeJS.ProcessEnv) => proxyFromEnvironment(server, env)?.url;

describe('proxy from the environment (as kubectl reads it)', () => {
  it('HTTPS_PROXY for https servers, HTTP_PROXY for http ones; upper case first; http:// assumed', () => {
    assert.deepEqual(proxyFromEnvironment(SERVER, { HTTPS_PROXY: 'http://proxy:3128', https_proxy: 'http://lower:1' }), { url: 'http://proxy:3128', variable: 'HTTPS_PROXY' });
    assert.equal(proxyFor(SERVER, { https_proxy: 'proxy.corp:8080' }), 'http://proxy.corp:8080');
    assert.equal(proxyFor(SERVER, { HTTP_PROXY: 'http://plain:3128' }), undefined);
    assert.equal(proxyFor('http://api.ocp.example.com:8080', { HTTP_PROXY: 'http://plain:3128', HTTPS_PROXY: 'http://tls:3128' }), 'http://plain:3128');
    assert.equal(proxyFor(SERVER, { HTTPS_PROXY: 'socks5://socks:1080' }), 'socks5://socks:1080');
    assert.equal(proxyFor(SERVER, { HTTPS_PROXY: '  ' }), undefined);
    assert.equal(proxyFor(SERVER, {}), undefined);
    assert.equal(proxyFor('not a url', { HTTPS_PROXY: 'http://proxy:3128' }), undefined);
  });

  it('never for loopback servers', () => {
    const env = { HTTPS_PROXY: 'http://proxy:3128' };
    for (const server of ['https://localhost:6443', 'https://127.0.0.1:6443', 'https://127.8.9.10', 'https://[::1]:6443']) assert.equal(proxyFor(server, env), undefined, server);
    assert.equal(proxyFor('https://10.0.0.1:6443', env), 'http://proxy:3128');
  });

  it('NO_PROXY: *, domains with and without a leading dot or *., ports, addresses and CIDRs', () => {
    const through = (server: string, noProxy: string) => proxyFor(server, { HTTPS_PROXY: 'http://p:1', NO_PROXY: noProxy }) !== undefined;
    assert.equal(through(SERVER, '*'), false);
    assert.equal(through(SERVER, 'example.com'), false);
    assert.equal(through('https://example.com', 'example.com'), false);
    assert.equal(through(SERVER, '.example.com'), false);
    assert.equal(through('https://example.com', '.example.com'), true);
    assert.equal(through(SERVER, '*.example.com'), false);
    assert.equal(through(SERVER, 'ample.com'), true);
    assert.equal(through(SERVER, ' other.org , api.ocp.example.com '), false);
    assert.equal(through(SERVER, 'api.ocp.example.com:6443'), false);
    assert.equal(through(SERVER, 'api.ocp.example.com:443'), true);
    assert.equal(through('https://api.ocp.example.com', 'api.ocp.example.com:443'), false);
    assert.equal(through('https://10.1.2.3:6443', '10.1.2.3'), false);
    assert.equal(through('https://10.1.2.3:6443', '10.0.0.0/8'), false);
    assert.equal(through('https://11.1.2.3:6443', '10.0.0.0/8'), true);
    assert.equal(through('https://[fd00::5]:6443', 'fd00::/16'), false);
    assert.equal(through('https://[fd00::5]:6443', '[fd00::5]:6443'), false);
    assert.equal(through('https://10.1.2.3:6443', '10.0.0.0/99,garbage/x'), true);
    assert.equal(proxyFor(SERVER, { HTTPS_PROXY: 'http://p:1', no_proxy: 'example.com' }), undefined);
  });

  it("VS Code's http.proxy wins over the variables; http.noProxy adds to NO_PROXY", () => {
    const env = { HTTPS_PROXY: 'http://env:1', https_proxy: 'http://env-lower:1', NO_PROXY: 'a.example', PATH: '/bin' };
    assert.equal(withEditorProxy(env, { proxy: '', noProxy: [] }), env);
    const merged = withEditorProxy(env, { proxy: 'http://editor:8080', noProxy: [' b.example ', ''] });
    assert.deepEqual(merged, { HTTPS_PROXY: 'http://editor:8080', HTTP_PROXY: 'http://editor:8080', NO_PROXY: 'a.example,b.example', PATH: '/bin' });
    assert.equal(proxyFor('https://x.b.example', merged), undefined);
    assert.equal(proxyFor(SERVER, merged), 'http://editor:8080');
    assert.deepEqual(withEditorProxy({ no_proxy: 'c' }, { proxy: '', noProxy: ['d'] }), { NO_PROXY: 'c,d' });
  });

  it('logs never show proxy credentials', () => {
    assert.equal(redactProxyUrl('http://proxy:3128'), 'http://proxy:3128');
    const redacted = redactProxyUrl('http://alice:s3cret@proxy:3128');
    assert.ok(!redacted.includes('s3cret') && !redacted.includes('alice'), redacted);
    assert.match(redacted, /proxy:3128 \(credentials hidden\)/);
    assert.equal(redactProxyUrl('::'), '(unparsable proxy URL)');
  });
});

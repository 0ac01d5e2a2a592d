/**
 * The proxy the Go tools (kubectl, oc, podman, skopeo) would use for a URL: `HTTPS_PROXY` (or `HTTP_PROXY` for an
 * http:// URL), unless `NO_PROXY` excludes the host, with Go's net/http rules (golang.org/x/net/http/httpproxy).
 * client-node reads only the kubeconfig's `proxy-url` and Node's http module reads no proxy at all, so without this an
 * admin behind a corporate proxy would see `oc` and `podman push` work and the extension fail.
 */
import { BlockList, isIP } from 'node:net';

export interface EnvironmentProxy {
  /** The proxy URL, with a scheme (Go assumes http:// when there is none). */
  readonly url: string;
  /** The variable it came from, for the log. */
  readonly variable: string;
}

export function proxyFromEnvironment(server: string, env: NodeJS.ProcessEnv): EnvironmentProxy | undefined {
  let target: URL;
  try {
    target = new URL(server);
  } catch {
    return undefined;
  }
  const names = target.protocol === 'https:' ? ['HTTPS_PROXY', 'https_proxy'] : target.protocol === 'http:' ? ['HTTP_PROXY', 'http_proxy'] : [];
  const variable = names.find((name) => env[name]);
  const value = variable ? env[variable]!.trim() : '';
  if (!variable || value === '') return undefined;
  const port = target.port || (target.protocol === 'https:' ? '443' : '80');
  if (!useProxy(target.hostname, port, env.NO_PROXY ?? env.no_proxy ?? '')) return undefined;
  return { url: /^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? value : `http://${value}`, variable };
}

/**
 * The environment with the editor's proxy settings applied: VS Code's `http.proxy` wins over the proxy variables,
 * as it does for VS Code's own requests, and `http.noProxy` adds to `NO_PROXY`.
 */
export function withEditorProxy(env: NodeJS.ProcessEnv, editor: { proxy: string; noProxy: readonly string[] }): NodeJS.ProcessEnv {
  const proxy = editor.proxy.trim();
  const noProxy = editor.noProxy.map((entry) => entry.trim()).filter((entry) => entry !== '');
  if (proxy === '' && noProxy.length === 0) return env;
  const merged: NodeJS.ProcessEnv = { ...env };
  if (proxy !== '') {
    for (const name of ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy']) delete merged[name];
    merged.HTTPS_PROXY = proxy;
    merged.HTTP_PROXY = proxy;
  }
  if (noProxy.length > 0) {
    const existing = env.NO_PROXY ?? env.no_proxy ?? '';
    delete merged.no_proxy;
    merged.NO_PROXY = [existing, ...noProxy].filter((entry) => entry !== '').join(',');
  }
  return merged;
}

/** The proxy URL without its user and password, for messages and logs. */
export function redactProxyUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (!parsed.username && !parsed.password) return url;
    parsed.username = '';
    parsed.password = '';
    return `${parsed.toString().replace(/\/$/, '')} (credentials hidden)`;
  } catch {
    return '(unparsable proxy URL)';
  }
}

function useProxy(rawHost: string, port: string, noProxy: string): boolean {
  const host = rawHost.toLowerCase().replace(/^\[|\]$/g, '');
  if (host === 'localhost') return false;
  const family = ipFamily(host);
  if (family && LOOPBACK.check(host, family)) return false;
  for (const rawEntry of noProxy.split(',')) {
    const entry = rawEntry.trim().toLowerCase();
    if (entry === '') continue;
    if (entry === '*') return false;
    if (entry.includes('/')) {
      if (family && inSubnet(host, family, entry)) return false;
      continue;
    }
    const { host: entryHost, port: entryPort } = splitHostPort(entry);
    if (entryPort && entryPort !== port) continue;
    const entryFamily = ipFamily(entryHost);
    if (entryFamily) {
      if (family === entryFamily && sameAddress(host, entryHost, family)) return false;
      continue;
    }
    // "example.com" and "*.example.com" match the domain and its subdomains; ".example.com" only subdomains.
    const domain = entryHost.startsWith('*.') ? entryHost.slice(1) : entryHost;
    const suffix = domain.startsWith('.') ? domain : `.${domain}`;
    if (host.endsWith(suffix) || (!domain.startsWith('.') && host === domain)) return false;
  }
  return true;
}

type Family = 'ipv4' | 'ipv6';

const LOOPBACK = new BlockList();
LOOPBACK.addSubnet('127.0.0.0', 8, 'ipv4');
LOOPBACK.addAddress('::1', 'ipv6');

function ipFamily(text: string): Family | undefined {
  const version = isIP(text);
  return version === 4 ? 'ipv4' : version === 6 ? 'ipv6' : undefined;
}

function inSubnet(host: string, family: Family, cidr: string): boolean {
  const [base = '', bits = ''] = cidr.split('/');
  const prefix = Number(bits);
  if (ipFamily(base) !== family || !/^\d+$/.test(bits) || prefix > (family === 'ipv4' ? 32 : 128)) return false;
  const subnet = new BlockList();
  subnet.addSubnet(base, prefix, family);
  return subnet.check(host, family);
}

function sameAddress(a: string, b: string, family: Family): boolean {
  const list = new BlockList();
  list.addAddress(b, family);
  return list.check(a, family);
}

function splitHostPort(entry: string): { host: string; port?: string } {
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(entry);
  if (bracketed) return { host: bracketed[1]!, ...(bracketed[2] ? { port: bracketed[2] } : {}) };
  const withPort = /^([^:]+):(\d+)$/.exec(entry);
  if (withPort) return { host: withPort[1]!, port: withPort[2]! };
  return { host: entry };
}

// Small proxies on 127.0.0.1 for tests: an HTTP CONNECT proxy and a SOCKS5 proxy, each recording the tunnels it
// opened and reaching host names through a table, so that a test can use a name the proxied client must not resolve.
import { createServer, request, type Server } from 'node:http';
import { connect, createServer as createNetServer, type Socket } from 'node:net';

export interface ConnectProxy {
  readonly url: string;
  /** The `host:port` of every CONNECT request and `METHOD url` of every proxied http:// request, in order. */
  readonly tunnels: string[];
  close(): Promise<void>;
}

/**
 * An HTTP proxy on 127.0.0.1: CONNECT tunnels, and plain http:// requests by absolute URL (recorded as `GET url`).
 * Host names are reached through `hosts` (name to address), others as named.
 */
export async function startConnectProxy(hosts: Record<string, string> = {}): Promise<ConnectProxy> {
  const tunnels: string[] = [];
  const sockets = new Set<Socket>();
  const proxy: Server = createServer((req, res) => {
    let target: URL;
    try {
      target = new URL(String(req.url));
    } catch {
      res.writeHead(400).end();
      return;
    }
    tunnels.push(`${req.method} ${target.href}`);
    const upstream = request({ hostname: hosts[target.hostname] ?? target.hostname, port: target.port || 80, path: `${target.pathname}${target.search}`, method: req.method, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on('error', () => res.writeHead(502).end());
    req.pipe(upstream);
  });
  proxy.on('connect', (req, client: Socket, head: Buffer) => {
    tunnels.push(String(req.url));
    const [host, port] = String(req.url).split(':');
    const upstream = connect(Number(port), hosts[host!] ?? host!, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('error', () => undefined);
      s.on('close', () => sockets.delete(s));
    }
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(proxy.address() as { port: number }).port}`,
    tunnels,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => proxy.close(() => resolve()));
    },
  };
}

/** A SOCKS5 proxy (no authentication, CONNECT only) on 127.0.0.1, reaching host names through `hosts`. */
export async function startSocksProxy(hosts: Record<string, string> = {}): Promise<ConnectProxy> {
  const tunnels: string[] = [];
  const sockets = new Set<Socket>();
  const proxy = createNetServer((client) => {
    sockets.add(client);
    client.on('error', () => undefined);
    client.on('close', () => sockets.delete(client));
    client.once('data', (greeting) => {
      if (greeting[0] !== 5) return client.destroy();
      client.write(Buffer.from([5, 0]));
      client.once('data', (request) => {
        // VER CMD RSV ATYP DST.ADDR DST.PORT; ATYP 1 is IPv4, 3 a name with its length first.
        const type = request[3];
        const host = type === 1 ? [...request.subarray(4, 8)].join('.') : type === 3 ? request.subarray(5, 5 + request[4]!).toString() : undefined;
        const portOffset = type === 1 ? 8 : 5 + request[4]!;
        if (request[1] !== 1 || !host) return client.end(Buffer.from([5, 7, 0, 1, 0, 0, 0, 0, 0, 0]));
        const port = request.readUInt16BE(portOffset);
        tunnels.push(`${host}:${port}`);
        const upstream = connect(port, hosts[host] ?? host, () => {
          client.write(Buffer.from([5, 0, 0, 1, 127, 0, 0, 1, 0, 0]));
          upstream.pipe(client);
          client.pipe(upstream);
        });
        sockets.add(upstream);
        upstream.on('error', () => client.destroy());
        upstream.on('close', () => sockets.delete(upstream));
      });
    });
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  return {
    url: `socks5://127.0.0.1:${(proxy.address() as { port: number }).port}`,
    tunnels,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => proxy.close(() => resolve()));
    },
  };
}

// Node-only: `kubectl proxy`'s local HTTP listener (node:http), the ApiProxyHost our kubectl gets in
// `npm run kubectl`: forwards each accepted request to the kubeconfig's server with its credentials and
// streams the answer back (watches included). WebSocket upgrades (exec/attach) are not relayed.
import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { Socket } from 'node:net';
import type { ApiProxyHost, PortForwardListener } from '../kubectl/kubectl-io';

/** Go's net.Listen error text for a Node listen error (`listen tcp 127.0.0.1:8001: bind: address already in use`). */
function goListenError(address: string, port: number, err: NodeJS.ErrnoException): Error {
  const hostPort = address.includes(':') ? `[${address}]:${port}` : `${address}:${port}`;
  const why: Record<string, string> = { EADDRINUSE: 'bind: address already in use', EACCES: 'bind: permission denied', EADDRNOTAVAIL: 'bind: cannot assign requested address' };
  return new Error(`listen tcp ${hostPort}: ${why[err.code ?? ''] ?? err.message}`);
}

const hostOf = (req: IncomingMessage) => {
  const h = req.headers.host ?? '';
  const m = /^(\[[^\]]*\]|[^:]*)(?::\d+)?$/.exec(h);
  return m ? m[1] : h;
};

/** An ApiProxyHost forwarding to server (http or https) with an optional bearer token. */
export function apiProxyHost(target: { server: string; token?: string }): ApiProxyHost {
  const upstream = new URL(target.server);
  const send = upstream.protocol === 'https:' ? httpsRequest : httpRequest;
  return {
    listen(address, port, apiPrefix, allow) {
      const forward = (req: IncomingMessage, res: ServerResponse) => {
        const url = new URL(req.url ?? '/', 'http://proxy');
        const stripped = `/${url.pathname.slice(apiPrefix.length)}`;
        if (!url.pathname.startsWith(apiPrefix) || !allow({ method: req.method ?? 'GET', path: stripped, host: hostOf(req) })) {
          res.writeHead(403, { 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff' }).end('Forbidden\n');
          return;
        }
        const path = `${stripped}${url.search}`;
        const headers = { ...req.headers, host: upstream.host };
        if (target.token) headers.authorization = `Bearer ${target.token}`;
        const up = send({ protocol: upstream.protocol, hostname: upstream.hostname, port: upstream.port, method: req.method, path: upstream.pathname.replace(/\/$/, '') + path, headers, rejectUnauthorized: false }, (ur) => {
          res.writeHead(ur.statusCode ?? 502, ur.headers);
          ur.pipe(res);
        });
        up.on('error', (e) => {
          if (!res.headersSent) res.writeHead(502, { 'Content-Type': 'text/plain' });
          res.end(`${e.message}\n`);
        });
        res.on('close', () => up.destroy());
        req.pipe(up);
      };
      return new Promise<PortForwardListener>((resolve, reject) => {
        const sockets = new Set<Socket>();
        const server = createServer(forward);
        server.on('connection', (s) => (sockets.add(s), s.on('close', () => sockets.delete(s))));
        server.once('error', (e) => reject(goListenError(address, port, e as NodeJS.ErrnoException)));
        server.listen(port, address, () => {
          const addr = server.address();
          resolve({
            port: typeof addr === 'object' && addr ? addr.port : port,
            dispose() {
              server.close();
              for (const s of sockets) s.destroy();
            },
          });
        });
      });
    },
  };
}

// Node-only: kubectl port-forward's listener on real local TCP ports (node:net), the PortForwardHost our
// kubectl gets in `npm run kubectl`.
import { createServer, type Socket } from 'node:net';
import type { ForwardedConn, PortForwardHost, PortForwardListener } from '../kubectl/kubectl-io';

/** A net.Socket as a ForwardedConn: reads in order (null at EOF or error), writes resolve once flushed to the kernel. */
export function socketConn(sock: Socket): ForwardedConn {
  const chunks: Uint8Array[] = [];
  let ended = false;
  let waiter: (() => void) | undefined;
  const wake = () => {
    const w = waiter;
    waiter = undefined;
    w?.();
  };
  sock.on('data', (d: Buffer) => {
    chunks.push(new Uint8Array(d));
    wake();
  });
  const end = () => ((ended = true), wake());
  let onGone!: () => void;
  const gone = new Promise<void>((r) => (onGone = r));
  sock.on('end', end);
  sock.on('close', () => (end(), onGone()));
  sock.on('error', end);
  return {
    gone,
    async read() {
      while (!chunks.length && !ended) await new Promise<void>((r) => (waiter = r));
      return chunks.shift() ?? null;
    },
    write: (data) => new Promise((resolve, reject) => (sock.destroyed ? reject(new Error('write on closed connection')) : sock.write(data, (err) => (err ? reject(err) : resolve())))),
    closeWrite: () => void sock.end(),
    close: () => void sock.destroy(),
  };
}

/** Go's listen error text for a Node listen error (`listen tcp4 127.0.0.1:8080: bind: address already in use`). */
function goListenError(address: string, port: number, err: NodeJS.ErrnoException): Error {
  const family = address.includes(':') ? 'tcp6' : 'tcp4';
  const hostPort = address.includes(':') ? `[${address}]:${port}` : `${address}:${port}`;
  const why: Record<string, string> = { EADDRINUSE: 'bind: address already in use', EACCES: 'bind: permission denied', EADDRNOTAVAIL: 'bind: cannot assign requested address' };
  return new Error(`listen ${family} ${hostPort}: ${why[err.code ?? ''] ?? err.message}`);
}

/** Listens with node:net on the asked address and port (0: the kernel picks one). */
export const tcpPortForwardHost: PortForwardHost = {
  listen(address, port, onConnection) {
    return new Promise<PortForwardListener>((resolve, reject) => {
      const sockets = new Set<Socket>();
      const server = createServer((sock) => {
        sockets.add(sock);
        sock.on('close', () => sockets.delete(sock));
        onConnection(socketConn(sock));
      });
      server.once('error', (err) => reject(goListenError(address, port, err)));
      server.listen({ host: address, port, ipv6Only: address.includes(':') }, () => {
        const addr = server.address();
        resolve({
          port: typeof addr === 'object' && addr ? addr.port : port,
          dispose: () => {
            server.close();
            for (const s of sockets) s.destroy();
          },
        });
      });
    });
  },
};

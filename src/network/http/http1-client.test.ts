import { describe, expect, it } from 'vitest';
import { listenTcp, NetworkFabric, type AsyncConn } from '..';
import { httpRequest } from './http1-client';

const POD = '10.244.1.5';
const enc = new TextEncoder();
const dec = new TextDecoder();

/** A one-shot JS server: reads the request head (and `bodyBytes` more), answers with `reply` chunks, closes. */
function serveOnce(f: NetworkFabric, port: number, reply: (request: string) => string[], bodyBytes = 0): Promise<string> {
  const l = listenTcp(f, POD, port);
  return (async () => {
    const c: AsyncConn = await l.accept();
    let got = '';
    while (!got.includes('\r\n\r\n') || got.length - got.indexOf('\r\n\r\n') - 4 < bodyBytes) {
      const b = await c.read();
      if (!b) break;
      got += dec.decode(b);
    }
    for (const part of reply(got)) await c.write(enc.encode(part));
    c.close();
    l.close();
    return got;
  })();
}

describe('HTTP/1.1 client over the fabric', () => {
  it('sends method, path+query, Host, end-to-end headers and the body; drops hop-by-hop ones; reads a Content-Length response', async () => {
    const f = NetworkFabric.create({ slots: 4, ringBytes: 1024, listeners: 4 });
    const seen = serveOnce(f, 80, () => ['HTTP/1.1 201 Created\r\nContent-Type: text/plain\r\nContent-Length: 5\r\nConnection: keep-alive\r\n\r\nhel', 'lo'], 3);
    const res = await httpRequest(f, POD, 80, { method: 'POST', path: '/a/b?x=1', headers: [['Accept', 'text/*'], ['Connection', 'upgrade'], ['Upgrade', 'websocket'], ['Host', 'evil']], body: enc.encode('abc') });
    expect(await seen).toBe('POST /a/b?x=1 HTTP/1.1\r\nHost: 10.244.1.5:80\r\nAccept: text/*\r\nContent-Length: 3\r\nConnection: close\r\n\r\nabc');
    expect(res.status).toBe(201);
    expect(res.statusText).toBe('Created');
    expect(res.headers).toEqual([['Content-Type', 'text/plain']]);
    expect(dec.decode(res.body)).toBe('hello');
  });

  it('de-chunks a chunked body (with extensions and trailers) larger than the ring', async () => {
    const f = NetworkFabric.create({ slots: 4, ringBytes: 64, listeners: 4 });
    const big = 'x'.repeat(300);
    const seen = serveOnce(f, 8080, () => ['HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n', `12c;ext=1\r\n${big}\r\n`, '3\r\nend\r\n0\r\nX-Trailer: t\r\n\r\n']);
    const res = await httpRequest(f, POD, 8080, { method: 'GET', path: '/' });
    expect((await seen).startsWith('GET / HTTP/1.1\r\nHost: 10.244.1.5:8080\r\nConnection: close\r\n\r\n')).toBe(true);
    expect(res.headers).toEqual([]);
    expect(dec.decode(res.body)).toBe(`${big}end`);
  });

  it('reads to EOF without framing, skips 100 Continue, and HEAD/204 have no body', async () => {
    const f = NetworkFabric.create({ slots: 4, ringBytes: 256, listeners: 4 });
    void serveOnce(f, 81, () => ['HTTP/1.1 100 Continue\r\n\r\nHTTP/1.0 200 OK\r\nServer: t\r\n\r\nuntil eof']);
    const res = await httpRequest(f, POD, 81, { method: 'GET', path: '/' });
    expect([res.status, dec.decode(res.body)]).toEqual([200, 'until eof']);
    void serveOnce(f, 82, () => ['HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n']);
    const head = await httpRequest(f, POD, 82, { method: 'HEAD', path: '/' });
    expect([head.status, head.body.length]).toEqual([200, 0]);
  });

  it('rejects a refused dial with Go\'s message and a truncated response with an Error', async () => {
    const f = NetworkFabric.create({ slots: 4, ringBytes: 256, listeners: 4 });
    await expect(httpRequest(f, POD, 9, { method: 'GET', path: '/' })).rejects.toMatchObject({ code: 'ECONNREFUSED', message: 'dial tcp 10.244.1.5:9: connect: connection refused' });
    void serveOnce(f, 83, () => ['HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nshort']);
    await expect(httpRequest(f, POD, 83, { method: 'GET', path: '/' })).rejects.toThrow('http: unexpected EOF in body');
    void serveOnce(f, 84, () => []);
    await expect(httpRequest(f, POD, 84, { method: 'GET', path: '/' })).rejects.toThrow('http: server closed the connection before sending a response');
  });
});

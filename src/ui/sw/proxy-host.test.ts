import { describe, expect, it } from 'vitest';
import type { Service } from 'kubernetes-types/core/v1';
import type { ApiHandler } from '../../api/protocol';
import { NetworkFabric } from '../../network';
import type { ForwardedConn } from '../../kubectl/kubectl-io';
import { answerProxyRequest, type ProxyDeps } from './proxy-host';
import { TabPortForwards } from './port-forward-host';
import { PROXY_MESSAGE, type ProxyRequestMessage } from './proxy-protocol';

const text = (b: ArrayBuffer) => new TextDecoder().decode(b);
const msg = (target: string): ProxyRequestMessage => ({ type: PROXY_MESSAGE, method: 'GET', target, headers: [] });

function deps(services: Record<string, Service> = {}, forwards = new TabPortForwards()): ProxyDeps {
  return {
    lookup: { pod: async () => undefined, service: async (ns, n) => services[`${ns}/${n}`], endpoints: async () => undefined },
    nodes: async () => [],
    forwards,
    api: {} as ApiHandler,
  };
}

describe('answerProxyRequest', () => {
  it('answers /_/ingress/ with a 503 page while no ingress controller Service exists', async () => {
    const res = (await answerProxyRequest(NetworkFabric.create(), deps(), msg('ingress/shop.example/')))!;
    expect(res.status).toBe(503);
    expect(text(res.body)).toContain('no ingress controller: Service ingress-nginx/ingress-nginx-controller does not exist');
  });

  it('sends /_/portforward/<id>/ through the forward registered on that id, as HTTP/1.1 with Host localhost:<id>', async () => {
    const forwards = new TabPortForwards();
    const unknown = (await answerProxyRequest(NetworkFabric.create(), deps({}, forwards), msg('portforward/8080/')))!;
    expect([unknown.status, text(unknown.body)]).toEqual([404, expect.stringContaining('no port-forward on 8080')]);
    let seen = '';
    const onConnection = (conn: ForwardedConn) =>
      void (async () => {
        seen = new TextDecoder().decode((await conn.read())!);
        await conn.write(new TextEncoder().encode('HTTP/1.1 302 Found\r\nLocation: /next\r\nContent-Length: 2\r\n\r\nok'));
        conn.close();
      })();
    const l4 = await forwards.listen('127.0.0.1', 8080, onConnection, { namespace: 'default', pod: 'web', remotePort: 80 });
    const l6 = await forwards.listen('::1', 8080, onConnection, { namespace: 'default', pod: 'web', remotePort: 80 });
    await expect(forwards.listen('127.0.0.1', 8080, () => undefined, { namespace: 'default', pod: 'x', remotePort: 80 })).rejects.toThrow('listen tcp4 127.0.0.1:8080: bind: address already in use');
    const res = (await answerProxyRequest(NetworkFabric.create(), deps({}, forwards), msg('portforward/8080/a?b=1')))!;
    expect(seen).toMatch(/^GET \/a\?b=1 HTTP\/1\.1\r\nHost: localhost:8080\r\n/);
    expect([res.status, text(res.body)]).toEqual([302, 'ok']);
    expect(res.headers).toEqual(expect.arrayContaining([['Location', '/next'], ['X-Tabernetes-Upstream', 'localhost:8080']]));
    l4.dispose();
    expect(forwards.get(8080)).toBeDefined();
    l6.dispose();
    expect(forwards.get(8080)).toBeUndefined();
    expect((await forwards.listen('127.0.0.1', 0, onConnection, { namespace: 'default', pod: 'web', remotePort: 80 })).port).toBe(30000);
  });
});

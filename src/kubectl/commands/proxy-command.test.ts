import 'fake-indexeddb/auto';
import { createServer } from 'node:http';
import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../api/clock';
import { seededIds } from '../../api/ids';
import { ApiClient } from '../../client/api-client';
import { createMemoryStore } from '../../storage';
import { createApiServer } from '../../workers/apiserver';
import { apiProxyHost } from '../../node/api-proxy-host';
import type { KubectlIO } from '../kubectl-io';
import { runKubectl } from '../run-kubectl';
import { proxyFilter } from './proxy-command';

async function io(extra: Partial<KubectlIO> = {}) {
  const clock = new FakeClock(Date.UTC(2026, 0, 1));
  const client = new ApiClient(await createApiServer({ store: createMemoryStore({ clock }), clock, ids: seededIds(3) }));
  const out = { stdout: '', stderr: '' };
  const kio: KubectlIO = { client, clock, stdout: (t) => void (out.stdout += t), stderr: (t) => void (out.stderr += t), ...extra };
  return { kio, out };
}

describe('kubectl proxy', () => {
  it("applies kubectl's default filter: local hosts only, no exec/attach", () => {
    const allow = proxyFilter({ 'accept-hosts': '^localhost$,^127\\.0\\.0\\.1$,^\\[::1\\]$', 'accept-paths': '^.*', 'reject-paths': '^/api/.*/pods/.*/exec,^/api/.*/pods/.*/attach', 'reject-methods': '^$' });
    expect(allow({ method: 'GET', path: '/api/v1/pods', host: '127.0.0.1' })).toBe(true);
    expect(allow({ method: 'GET', path: '/api/v1/pods', host: '[::1]' })).toBe(true);
    expect(allow({ method: 'GET', path: '/api/v1/pods', host: 'evil.com' })).toBe(false);
    expect(allow({ method: 'POST', path: '/api/v1/namespaces/a/pods/p/exec', host: 'localhost' })).toBe(false);
  });

  it('in the tab (no listener) explains and points to /_/api/ and port-forward', async () => {
    const { kio, out } = await io();
    expect(await runKubectl(['proxy'], kio)).toBe(1);
    expect(out.stderr).toContain('kubectl proxy needs a real TCP listener');
    expect(out.stderr).toContain('/_/api/');
    expect(out.stderr).toContain('kubectl port-forward');
  });

  it('in Node serves the API on a local port until Ctrl-C, forwarding with the token and filtering', async () => {
    const seen: { path?: string; auth?: string }[] = [];
    const upstream = createServer((req, res) => {
      seen.push({ path: req.url, auth: req.headers.authorization });
      res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"kind":"NamespaceList"}');
    });
    await new Promise<void>((r) => upstream.listen(0, '127.0.0.1', r));
    const server = `http://127.0.0.1:${(upstream.address() as { port: number }).port}`;
    const signal: NonNullable<KubectlIO['signal']> = { aborted: false };
    const { kio, out } = await io({ apiProxy: apiProxyHost({ server, token: 't0k' }), signal });
    const done = runKubectl(['proxy', '--port=0', '--api-prefix=/k8s'], kio);
    await expect.poll(() => out.stdout).toMatch(/^Starting to serve on 127\.0\.0\.1:\d+\n$/);
    const port = Number(/:(\d+)\n$/.exec(out.stdout)![1]);
    const ok = await fetch(`http://127.0.0.1:${port}/k8s/api/v1/namespaces?limit=1`);
    expect(ok.status).toBe(200);
    expect(await ok.text()).toBe('{"kind":"NamespaceList"}');
    expect(seen).toEqual([{ path: '/api/v1/namespaces?limit=1', auth: 'Bearer t0k' }]);
    const outside = await fetch(`http://127.0.0.1:${port}/api/v1/namespaces`);
    expect([outside.status, await outside.text()]).toEqual([403, 'Forbidden\n']);
    const exec = await fetch(`http://127.0.0.1:${port}/k8s/api/v1/namespaces/a/pods/p/exec`, { method: 'POST' });
    expect(exec.status).toBe(403);
    signal.aborted = true;
    signal.onabort?.();
    expect(await done).toBe(0);
    await expect(fetch(`http://127.0.0.1:${port}/k8s/api`)).rejects.toThrow();
    upstream.close();
  });
});

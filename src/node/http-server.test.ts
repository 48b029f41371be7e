import { request } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import type { ApiHandler, ApiRequest } from '../api/protocol';
import { ADMIN_USER, MAX_REQUEST_BODY_BYTES, startHttpServer, type HttpApiServer } from './http-server';
import { createHttpTransport } from './http-transport';
import { FakeClock, seededIds } from '../api';
import { createMemoryStore } from '../storage';
import { createApiServer } from '../workers/apiserver/api-server';

/** An ApiHandler that records requests; streams are fed by the test through `push`/`end`. */
function recordingApi() {
  const seen: ApiRequest[] = [];
  const streams = new Map<string, { queue: unknown[][]; waiter?: (b: unknown[] | null) => void; ended: boolean; cancelled: boolean }>();
  let n = 0;
  const api: ApiHandler = {
    async request(req) {
      seen.push(req);
      if (req.path === '/text') return { status: 200, body: 'plain text' };
      return { status: 201, body: { kind: 'Echo', method: req.method, body: req.body ?? null }, headers: { warning: '299 - "careful"' } };
    },
    async stream(req) {
      seen.push(req);
      if (req.path.includes('missing')) return { status: 404, body: { kind: 'Status', code: 404, reason: 'NotFound', message: 'nope' } };
      const id = `s${++n}`;
      streams.set(id, { queue: [], ended: false, cancelled: false });
      return { status: 200, body: undefined, streamId: id };
    },
    async read(id) {
      const st = streams.get(id)!;
      if (st.queue.length) return st.queue.shift()!;
      if (st.ended || st.cancelled) return null;
      return new Promise((r) => (st.waiter = r));
    },
    async cancel(id) {
      const st = streams.get(id)!;
      st.cancelled = true;
      st.waiter?.(null);
    },
  };
  const push = (id: string, batch: unknown[] | null) => {
    const st = streams.get(id)!;
    if (batch === null) st.ended = true;
    if (st.waiter) {
      const w = st.waiter;
      st.waiter = undefined;
      w(batch);
    } else if (batch) st.queue.push(batch);
  };
  return { api, seen, streams, push };
}

let server: HttpApiServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('startHttpServer', () => {
  it('maps method, path, query, JSON body, content type, Accept, user agent and the admin user onto the handler', async () => {
    const { api, seen } = recordingApi();
    server = await startHttpServer({ api });
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const res = await fetch(`${server.url}/api/v1/namespaces/default/pods/web?fieldManager=kubectl&dryRun=All`, {
      method: 'PATCH',
      headers: { 'Content-Type': 'application/merge-patch+json', Accept: 'application/json;as=Table;v=v1;g=meta.k8s.io', 'User-Agent': 'kubectl/v1.32.5' },
      body: '{"metadata":{"labels":{"a":"b"}}}',
    });
    expect(res.status).toBe(201);
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(res.headers.get('warning')).toBe('299 - "careful"');
    expect(await res.json()).toEqual({ kind: 'Echo', method: 'PATCH', body: { metadata: { labels: { a: 'b' } } } });
    expect(seen[0]).toEqual({
      method: 'PATCH',
      path: '/api/v1/namespaces/default/pods/web',
      query: { fieldManager: 'kubectl', dryRun: 'All' },
      body: { metadata: { labels: { a: 'b' } } },
      contentType: 'application/merge-patch+json',
      accept: 'application/json;as=Table;v=v1;g=meta.k8s.io',
      user: ADMIN_USER,
      userAgent: 'kubectl/v1.32.5',
    });
    await fetch(`${server.url}/apis/apps/v1/namespaces/default/deployments/web`, { method: 'PATCH', headers: { 'Content-Type': 'application/apply-patch+yaml' }, body: 'kind: Deployment\n' });
    expect(seen[1].body).toBe('kind: Deployment\n');
    await fetch(`${server.url}/api/v1/namespaces`, { method: 'POST', headers: { 'Content-Type': 'application/yaml' }, body: 'metadata: {name: x}\n' });
    expect(seen[2].body).toEqual({ metadata: { name: 'x' } });
    // kubectl --as jane --as-group devs --as-group ops sends one header line per group (fetch would merge them)
    await new Promise((done) =>
      request(`${server!.url}/api/v1/pods`, { headers: { 'Impersonate-User': 'jane', 'Impersonate-Group': ['devs', 'ops'] } }, (res) => res.resume().on('end', done)).end(),
    );
    expect(seen[3].user).toEqual(ADMIN_USER);
    expect(seen[3].impersonate).toEqual({ user: 'jane', groups: ['devs', 'ops'] });
    // A bearer token replaces the admin identity: the apiserver authenticates it.
    await fetch(`${server.url}/api/v1/pods`, { headers: { Authorization: 'Bearer abc.def.ghi', 'Impersonate-User': 'bob', 'Impersonate-Uid': 'u1' } });
    expect(seen[4].bearerToken).toBe('abc.def.ghi');
    expect(seen[4].user).toBeUndefined();
    expect(seen[4].impersonate).toEqual({ user: 'bob', uid: 'u1' });
    const text = await fetch(`${server.url}/text`);
    expect(text.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(await text.text()).toBe('plain text');
  });

  it('answers 413 past 3 MiB, 400 for malformed JSON, 415 for protobuf bodies and 405 for other methods, as Status objects', async () => {
    const { api, seen } = recordingApi();
    server = await startHttpServer({ api });
    const big = await fetch(`${server.url}/api/v1/namespaces/default/configmaps`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: 'x'.repeat(MAX_REQUEST_BODY_BYTES + 1) });
    expect(big.status).toBe(413);
    expect(await big.json()).toEqual({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'Request entity too large: limit is 3145728', reason: 'RequestEntityTooLarge', code: 413 });
    const bad = await fetch(`${server.url}/api/v1/namespaces`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{bad' });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ reason: 'BadRequest', code: 400, message: "couldn't get version/kind; json parse error: invalid character 'b' looking for beginning of object key string" });
    const proto = await fetch(`${server.url}/api/v1/namespaces`, { method: 'POST', headers: { 'Content-Type': 'application/vnd.kubernetes.protobuf' }, body: 'k8s\0' });
    expect(proto.status).toBe(415);
    expect(await proto.json()).toMatchObject({ reason: 'UnsupportedMediaType', code: 415 });
    const options = await fetch(`${server.url}/api/v1/namespaces`, { method: 'OPTIONS' });
    expect(options.status).toBe(405);
    expect(seen).toEqual([]);
  });

  it('writes watch events as flushed JSON lines, cancels the stream when the client goes away, and relays open errors', async () => {
    const { api, streams, push } = recordingApi();
    server = await startHttpServer({ api });
    const ctl = new AbortController();
    const res = await fetch(`${server.url}/api/v1/pods?watch=true`, { signal: ctl.signal });
    expect(res.status).toBe(200);
    expect(res.headers.get('transfer-encoding')).toBe('chunked');
    const reader = res.body!.getReader();
    const dec = new TextDecoder();
    push('s1', [{ type: 'ADDED', object: { metadata: { name: 'a' } } }, { type: 'MODIFIED', object: { metadata: { name: 'a' } } }]);
    let got = '';
    while (got.split('\n').length < 3) got += dec.decode((await reader.read()).value);
    expect(got).toBe('{"type":"ADDED","object":{"metadata":{"name":"a"}}}\n{"type":"MODIFIED","object":{"metadata":{"name":"a"}}}\n');
    ctl.abort();
    await expect.poll(() => streams.get('s1')!.cancelled).toBe(true);

    const missing = await fetch(`${server.url}/api/v1/namespaces/missing/pods?watch=1`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ reason: 'NotFound' });
  });

  it('round-trips through createHttpTransport: requests, JSON-line watch streams and text log streams', async () => {
    const { api, push } = recordingApi();
    server = await startHttpServer({ api });
    const t = createHttpTransport({ server: server.url });
    const res = await t.request({ method: 'POST', path: '/api/v1/namespaces', body: { metadata: { name: 'x' } } });
    expect(res).toMatchObject({ status: 201, body: { kind: 'Echo', method: 'POST', body: { metadata: { name: 'x' } } } });
    expect(await t.request({ method: 'GET', path: '/text' })).toMatchObject({ status: 200, body: 'plain text' });

    const watch = await t.stream({ method: 'GET', path: '/api/v1/pods', query: { watch: 'true' } });
    expect(watch.status).toBe(200);
    push('s1', [{ type: 'ADDED', object: { n: 1 } }]);
    expect(await t.read(watch.streamId!)).toEqual([{ type: 'ADDED', object: { n: 1 } }]);
    push('s1', null);
    expect(await t.read(watch.streamId!)).toBeNull();

    const logs = await t.stream({ method: 'GET', path: '/api/v1/namespaces/default/pods/p/log', query: { follow: 'true' } });
    push('s2', ['line 1\n']);
    expect(await t.read(logs.streamId!)).toEqual(['line 1\n']);
    await t.cancel(logs.streamId!);
    expect(await t.read(logs.streamId!)).toBeNull();
    const err = await t.stream({ method: 'GET', path: '/api/v1/namespaces/missing/pods', query: { watch: 'true' } });
    expect(err).toMatchObject({ status: 404, body: { reason: 'NotFound' } });
    expect(err.streamId).toBeUndefined();
    t.close();
  });

  it('passes a malformed or JSON-string patch body on as text, which the apiserver refuses as kube-apiserver 1.32 words it', async () => {
    const rec = recordingApi();
    server = await startHttpServer({ api: rec.api });
    const send = (type: string, body: string) => fetch(`${server!.url}/api/v1/namespaces/default/configmaps/c`, { method: 'PATCH', headers: { 'Content-Type': type }, body });
    await send('application/merge-patch+json', '{bad');
    await send('application/strategic-merge-patch+json', '"bad"');
    await send('application/json-patch+json', '[{"op":"remove","path":"/a"}]');
    expect(rec.seen.map((r) => r.body)).toEqual(['{bad', '"bad"', [{ op: 'remove', path: '/a' }]]);
    await server.close();

    const clock = new FakeClock();
    const api = await createApiServer({ store: createMemoryStore({ clock }), clock, ids: seededIds(3) });
    server = await startHttpServer({ api });
    await fetch(`${server.url}/api/v1/namespaces/default/configmaps`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c"}}' });
    const message = async (type: string, body: string) => {
      const res = await send(type, body);
      expect(res.status, body).toBe(400);
      return ((await res.json()) as { message: string }).message;
    };
    const bad = "invalid character 'b' looking for beginning of object key string";
    expect(await message('application/strategic-merge-patch+json', '{bad')).toBe(bad);
    expect(await message('application/merge-patch+json', '{bad')).toBe(`error decoding patch: ${bad}`);
    expect(await message('application/json-patch+json', '{bad')).toBe(`error decoding patch: ${bad}`);
    expect(await message('application/strategic-merge-patch+json', '"bad"')).toBe('json: cannot unmarshal string into Go value of type map[string]interface {}');
    expect(await message('application/merge-patch+json', '"bad"')).toBe('error decoding patch: json: cannot unmarshal string into Go value of type map[string]interface {}');
    expect(await message('application/json-patch+json', '"bad"')).toBe('error decoding patch: json: cannot unmarshal string into Go value of type []handlers.jsonPatchOp');
    expect(await message('application/json-patch+json', '{"op":"add"}')).toBe('error decoding patch: json: cannot unmarshal object into Go value of type []handlers.jsonPatchOp');
    expect(await message('application/strategic-merge-patch+json', '[1]')).toBe('json: cannot unmarshal array into Go value of type map[string]interface {}');
    await server.close();
    server = undefined;
    api.dispose();
  });
});

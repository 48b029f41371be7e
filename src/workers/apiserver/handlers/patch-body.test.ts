import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { apiFixture } from '../testing/api-fixture';
import { decodePatchBody, JSON_PATCH, MERGE_PATCH, STRATEGIC_PATCH } from './patch-body';

const CM = '/api/v1/namespaces/default/configmaps';
const SMP = 'json: cannot unmarshal';

describe('malformed PATCH bodies, as kube-apiserver 1.32 words them (fieldValidation Warn, as kubectl sends)', () => {
  const f = apiFixture();
  const patch = async (contentType: string, body: unknown, query?: Record<string, string>, path = `${CM}/c`) => {
    const res = await f.call({ method: 'PATCH', path, contentType, body, ...(query ? { query } : {}) });
    return { status: res.status, message: (res.body as { message?: string }).message };
  };
  const create = () => f.call({ method: 'POST', path: CM, body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { a: '1' } } });

  it('malformed JSON text: strategic unprefixed, merge and json "error decoding patch: "', async () => {
    await create();
    const bad = "invalid character 'b' looking for beginning of object key string";
    expect(await patch(STRATEGIC_PATCH, '{bad')).toEqual({ status: 400, message: bad });
    expect(await patch(MERGE_PATCH, '{bad')).toEqual({ status: 400, message: `error decoding patch: ${bad}` });
    expect(await patch(JSON_PATCH, '{bad')).toEqual({ status: 400, message: `error decoding patch: ${bad}` });
    expect(await patch(MERGE_PATCH, 'bad')).toEqual({ status: 400, message: "error decoding patch: invalid character 'b' looking for beginning of value" });
    expect(await patch(STRATEGIC_PATCH, '{"data": {"a": "1"}')).toEqual({ status: 400, message: 'unexpected end of JSON input' });
    expect(await patch(JSON_PATCH, '[{"op" "add"}]')).toEqual({ status: 400, message: "error decoding patch: invalid character '\"' after object key" });
    expect(await patch(STRATEGIC_PATCH, undefined)).toEqual({ status: 400, message: 'unexpected end of JSON input' });
  });

  it('a JSON string, number, bool or array where the patch type wants an object (or an array of ops)', async () => {
    await create();
    const map = 'into Go value of type map[string]interface {}';
    const ops = 'into Go value of type []handlers.jsonPatchOp';
    expect(await patch(STRATEGIC_PATCH, '"bad"')).toEqual({ status: 400, message: `${SMP} string ${map}` });
    expect(await patch(MERGE_PATCH, '"bad"')).toEqual({ status: 400, message: `error decoding patch: ${SMP} string ${map}` });
    expect(await patch(JSON_PATCH, '"bad"')).toEqual({ status: 400, message: `error decoding patch: ${SMP} string ${ops}` });
    expect(await patch(JSON_PATCH, { op: 'add' })).toEqual({ status: 400, message: `error decoding patch: ${SMP} object ${ops}` });
    expect(await patch(STRATEGIC_PATCH, [{ data: {} }])).toEqual({ status: 400, message: `${SMP} array ${map}` });
    expect(await patch(MERGE_PATCH, [])).toEqual({ status: 400, message: `error decoding patch: ${SMP} array ${map}` });
    expect(await patch(STRATEGIC_PATCH, '42')).toEqual({ status: 400, message: `${SMP} number ${map}` });
    expect(await patch(MERGE_PATCH, true)).toEqual({ status: 400, message: `error decoding patch: ${SMP} bool ${map}` });
    expect(await patch(JSON_PATCH, 'false')).toEqual({ status: 400, message: `error decoding patch: ${SMP} bool ${ops}` });
  });

  it('json patch ops: an element or op/path/from of the wrong kind', async () => {
    await create();
    expect(await patch(JSON_PATCH, '[1]')).toEqual({ status: 400, message: `error decoding patch: ${SMP} number into Go value of type handlers.jsonPatchOp` });
    expect(await patch(JSON_PATCH, [{ op: 'add', path: 3, value: 1 }])).toEqual({
      status: 400,
      message: `error decoding patch: ${SMP} number into Go struct field jsonPatchOp.path of type string`,
    });
    expect(await patch(JSON_PATCH, [{ op: 'add', path: '/data/b', value: 2, from: null }])).toEqual({ status: 200, message: undefined });
  });

  it('null: an empty strategic or json patch (the object unchanged), "Invalid JSON Patch" for merge', async () => {
    const rv = ((await create()).body as { metadata: { resourceVersion: string } }).metadata.resourceVersion;
    const same = async (ct: string) => {
      const res = await f.call({ method: 'PATCH', path: `${CM}/c`, contentType: ct, body: 'null' });
      expect(res.status, ct).toBe(200);
      expect((res.body as { metadata: { resourceVersion: string }; data: unknown }).metadata.resourceVersion, ct).toBe(rv);
      expect((res.body as { data: unknown }).data).toEqual({ a: '1' });
    };
    await same(STRATEGIC_PATCH);
    await same(JSON_PATCH);
    expect(await patch(MERGE_PATCH, 'null')).toEqual({ status: 400, message: 'Invalid JSON Patch' });
    expect(await patch(MERGE_PATCH, null)).toEqual({ status: 400, message: 'Invalid JSON Patch' });
  });

  it('fieldValidation=Ignore: jsonpatch.DecodePatch texts, unprefixed; "Invalid JSON Patch" for a malformed merge patch', async () => {
    await create();
    const ignore = { fieldValidation: 'Ignore' };
    expect(await patch(JSON_PATCH, { op: 'add' }, ignore)).toEqual({ status: 400, message: `${SMP} object into Go value of type jsonpatch.Patch` });
    expect(await patch(JSON_PATCH, '["x"]', ignore)).toEqual({ status: 400, message: `${SMP} string into Go value of type jsonpatch.Operation` });
    expect(await patch(JSON_PATCH, '{bad', ignore)).toEqual({ status: 400, message: "invalid character 'b' looking for beginning of object key string" });
    expect(await patch(MERGE_PATCH, '{bad', ignore)).toEqual({ status: 400, message: 'Invalid JSON Patch' });
    expect(await patch(MERGE_PATCH, '"bad"', ignore)).toEqual({ status: 400, message: 'Invalid JSON Patch' });
    expect(await patch(STRATEGIC_PATCH, '"bad"', ignore)).toEqual({ status: 400, message: `${SMP} string into Go value of type map[string]interface {}` });
  });

  it('a missing object is 404 whatever the body (the patch is read against the current object)', async () => {
    const res = await patch(MERGE_PATCH, '{bad', undefined, `${CM}/missing`);
    expect(res).toEqual({ status: 404, message: 'configmaps "missing" not found' });
  });

  it('the scale subresource refuses a malformed patch with the same texts', async () => {
    await f.call({
      method: 'POST',
      path: '/apis/apps/v1/namespaces/default/deployments',
      body: { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd' }, spec: { selector: { matchLabels: { a: 'b' } }, template: { metadata: { labels: { a: 'b' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } } },
    });
    const scale = (ct: string, body: unknown) => patch(ct, body, undefined, '/apis/apps/v1/namespaces/default/deployments/d/scale');
    expect(await scale(MERGE_PATCH, '{bad')).toEqual({ status: 400, message: "error decoding patch: invalid character 'b' looking for beginning of object key string" });
    expect(await scale(STRATEGIC_PATCH, '[]')).toEqual({ status: 400, message: `${SMP} array into Go value of type map[string]interface {}` });
    expect((await scale(MERGE_PATCH, '{"spec":{"replicas":2}}')).status).toBe(200);
  });
});

describe('decodePatchBody', () => {
  it('returns the decoded patch: text is parsed, values pass through, null is an empty strategic or json patch', () => {
    expect(decodePatchBody(STRATEGIC_PATCH, '{"a": 1}')).toEqual({ a: 1 });
    expect(decodePatchBody(MERGE_PATCH, { a: null })).toEqual({ a: null });
    expect(decodePatchBody(JSON_PATCH, [{ op: 'remove', path: '/a', from: null }])).toEqual([{ op: 'remove', path: '/a', from: null }]);
    expect(decodePatchBody(STRATEGIC_PATCH, null)).toEqual({});
    expect(decodePatchBody(JSON_PATCH, 'null')).toEqual([]);
  });
});

import { groupVersion } from '../../../api/resources';
import type { ResourceRequest } from '../context';
import { badRequest } from '../errors';
import type { KubeObject } from '../registry/strategy';

/**
 * Decodes a request body into an object of the endpoint's kind. Missing kind/apiVersion default to the
 * endpoint's (as kube's decoder does); a different kind or version is 400 BadRequest.
 */
export function decodeBody(rr: ResourceRequest, kind = rr.strategy.ref.kind, apiVersion = groupVersion(rr.strategy.ref)): KubeObject {
  let body = rr.req.body;
  if (typeof body === 'string') {
    try {
      body = JSON.parse(body);
    } catch (err) {
      throw badRequest(`the object provided is unrecognized (must be of type ${kind}): couldn't get version/kind; json parse error: ${(err as Error).message} (${summarize(String(rr.req.body))})`);
    }
  }
  if (!body || typeof body !== 'object' || Array.isArray(body)) {
    throw badRequest(`the object provided is unrecognized (must be of type ${kind}): couldn't get version/kind; json parse error: json: cannot unmarshal ${Array.isArray(body) ? 'array' : typeof body} into Go value of type struct { APIVersion string "json:\\"apiVersion,omitempty\\""; Kind string "json:\\"kind,omitempty\\"" } (${summarize(JSON.stringify(body) ?? '')})`);
  }
  const obj = structuredClone(body) as KubeObject;
  const k = obj.kind || kind;
  const v = obj.apiVersion || apiVersion;
  if (k !== kind || v !== apiVersion) {
    const version = v.includes('/') ? v.slice(v.indexOf('/') + 1) : v;
    throw badRequest(`${k} in version "${version}" cannot be handled as a ${kind}: no kind "${k}" is registered for version "${v}" in scheme "pkg/api/legacyscheme/scheme.go:30"`);
  }
  obj.kind = kind;
  obj.apiVersion = apiVersion;
  if (obj.metadata !== undefined && (typeof obj.metadata !== 'object' || obj.metadata === null || Array.isArray(obj.metadata))) {
    throw badRequest(`${kind} in version "${apiVersion}" cannot be handled as a ${kind}: json: cannot unmarshal ${typeof obj.metadata} into Go struct field ${kind}.metadata of type v1.ObjectMeta`);
  }
  obj.metadata ??= {};
  const version = apiVersion.includes('/') ? apiVersion.slice(apiVersion.indexOf('/') + 1) : apiVersion;
  for (const field of ['labels', 'annotations'] as const) {
    const map = (obj.metadata as Record<string, unknown>)[field];
    if (map === undefined || map === null) continue;
    const bad = typeof map !== 'object' || Array.isArray(map) ? map : Object.values(map).find((v) => typeof v !== 'string');
    if (bad !== undefined) {
      const what = Array.isArray(bad) ? 'array' : bad === null ? 'null' : typeof bad === 'object' ? 'object' : typeof bad === 'boolean' ? 'bool' : typeof bad;
      const target = typeof map !== 'object' || Array.isArray(map) ? 'map[string]string' : 'string';
      throw badRequest(`${kind} in version "${version}" cannot be handled as a ${kind}: json: cannot unmarshal ${what} into Go struct field ObjectMeta.metadata.${field} of type ${target}`);
    }
  }
  return obj;
}

function summarize(s: string): string {
  return s.length > 30 ? `${s.slice(0, 30)} ...` : s;
}

/** PUT/create path checks: object name must match the URL; object namespace must match the path's when both are set. */
export function checkNamespace(rr: ResourceRequest, obj: KubeObject): void {
  const ns = obj.metadata?.namespace;
  if (rr.strategy.ref.namespaced) {
    if (ns && rr.namespace && ns !== rr.namespace) throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
    obj.metadata!.namespace = rr.namespace;
  } else if (ns) {
    delete obj.metadata!.namespace;
  }
}

export function checkName(rr: ResourceRequest, obj: KubeObject): void {
  const name = obj.metadata?.name ?? '';
  if (name !== rr.name) throw badRequest(`the name of the object (${name}) does not match the name on the URL (${rr.name})`);
}

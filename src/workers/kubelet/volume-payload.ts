import type { ConfigMap, DownwardAPIVolumeFile, KeyToPath, Pod, Secret, Volume } from 'kubernetes-types/core/v1';
import { ConfigMaps, Secrets, type ResourceRef } from '../../api/resources';
import type { ApiClient } from '../../client/api-client';
import type { Payload } from './atomic-writer';
import { base64Bytes, fieldValue } from './container-env';
import { directReader, type ObjectReader } from './pod-object-cache';
import { resourceFieldValue } from './resource-field';

/**
 * The files of the API-data volume types (configMap, secret, downwardAPI, projected), as the kubelet's
 * volume plugins compute them. Rejects VolumeSetUpError with the plugin's words (they follow
 * `MountVolume.SetUp failed for volume "<name>" : ` in the FailedMount event):
 * `configmap "x" not found`, `configmap references non-existent config key: k`, `secret "x" not found`,
 * `references non-existent secret key: k`; a failed read of the object fails with the reader's words.
 */
export class VolumeSetUpError extends Error {
  override name = 'VolumeSetUpError';
  /** The object whose change may fix it (`configmaps/<ns>/<name>`; see VolumeSourceWatch). */
  constructor(
    message: string,
    readonly waitsFor?: string,
  ) {
    super(message);
  }
}

export interface PayloadContext {
  client: ApiClient;
  /** Where ConfigMaps and Secrets are read (the kubelet's PodObjectCache); default: a GET per object. */
  objects?: ObjectReader;
  pod: Pod;
  hostIP: string;
  podIP: string | undefined;
  /** Seconds since the epoch (cluster time), for the service account token's iat/exp. */
  nowSeconds: number;
  /** The node's allocatable (resourceFieldRef of an unset limit); DEFAULT_CAPACITY when absent. */
  allocatable?: Record<string, string>;
}

const DEFAULT_MODE = 0o644;
const enc = new TextEncoder();

/** Key/value bytes → files: all keys, or the items (path, mode) when given. */
function keyFiles(out: Payload, data: Map<string, Uint8Array>, items: KeyToPath[] | undefined, mode: number, optional: boolean, missingKey: (k: string) => string): void {
  if (!items?.length) {
    for (const [k, v] of data) out.set(k, { data: v, mode });
    return;
  }
  for (const item of items) {
    const v = data.get(item.key);
    if (v === undefined) {
      if (optional) continue;
      throw new VolumeSetUpError(missingKey(item.key));
    }
    out.set(item.path, { data: v, mode: item.mode ?? mode });
  }
}

/** The object, undefined when it does not exist; VolumeSetUpError (waiting for it) when it cannot be read. */
async function readObject<T>(ctx: PayloadContext, ref: ResourceRef, name: string): Promise<T | undefined> {
  const ns = ctx.pod.metadata?.namespace ?? '';
  try {
    return await (ctx.objects ?? directReader(ctx.client)).get<T>(ref, ns, name);
  } catch (err) {
    throw new VolumeSetUpError(err instanceof Error ? err.message : String(err), `${ref.resource}/${ns}/${name}`);
  }
}

async function configMapFiles(ctx: PayloadContext, out: Payload, src: { name?: string; items?: KeyToPath[]; optional?: boolean }, mode: number): Promise<void> {
  const cm = await readObject<ConfigMap>(ctx, ConfigMaps, src.name ?? '');
  if (!cm) {
    if (src.optional) return;
    throw new VolumeSetUpError(`configmap "${src.name}" not found`, `configmaps/${ctx.pod.metadata?.namespace}/${src.name}`);
  }
  const data = new Map<string, Uint8Array>();
  for (const [k, v] of Object.entries(cm.data ?? {})) data.set(k, enc.encode(v));
  for (const [k, v] of Object.entries(cm.binaryData ?? {})) data.set(k, base64Bytes(v));
  try {
    keyFiles(out, data, src.items, mode, !!src.optional, (k) => `configmap references non-existent config key: ${k}`);
  } catch (err) {
    throw new VolumeSetUpError((err as Error).message, `configmaps/${ctx.pod.metadata?.namespace}/${src.name}`);
  }
}

async function secretFiles(ctx: PayloadContext, out: Payload, name: string, items: KeyToPath[] | undefined, optional: boolean, mode: number): Promise<void> {
  const s = await readObject<Secret>(ctx, Secrets, name);
  if (!s) {
    if (optional) return;
    throw new VolumeSetUpError(`secret "${name}" not found`, `secrets/${ctx.pod.metadata?.namespace}/${name}`);
  }
  const data = new Map<string, Uint8Array>();
  for (const [k, v] of Object.entries(s.data ?? {})) data.set(k, base64Bytes(v));
  for (const [k, v] of Object.entries(s.stringData ?? {})) data.set(k, enc.encode(v));
  try {
    keyFiles(out, data, items, mode, optional, (k) => `references non-existent secret key: ${k}`);
  } catch (err) {
    throw new VolumeSetUpError((err as Error).message, `secrets/${ctx.pod.metadata?.namespace}/${name}`);
  }
}

/** fieldpath.FormatMap: sorted `key="value"` lines (Go %q quoting of the value). */
function formatMap(m: Record<string, string> | undefined): string {
  return Object.keys(m ?? {})
    .sort()
    .map((k) => `${k}=${JSON.stringify(m![k])}`)
    .join('\n');
}

function downwardFiles(ctx: PayloadContext, out: Payload, items: DownwardAPIVolumeFile[] | undefined, mode: number): void {
  const { pod } = ctx;
  for (const item of items ?? []) {
    let value = '';
    if (item.fieldRef) {
      const path = item.fieldRef.fieldPath;
      if (path === 'metadata.labels') value = formatMap(pod.metadata?.labels);
      else if (path === 'metadata.annotations') value = formatMap(pod.metadata?.annotations);
      else value = fieldValue(pod, path, ctx.hostIP, ctx.podIP);
    } else if (item.resourceFieldRef) {
      value = resourceFieldValue(pod, undefined, item.resourceFieldRef, ctx.allocatable);
    }
    out.set(item.path, { data: enc.encode(value), mode: item.mode ?? mode });
  }
}

const b64url = (bytes: Uint8Array): string => {
  const a = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  let s = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const n = (bytes[i] << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
    s += a[(n >> 18) & 63] + a[(n >> 12) & 63] + (i + 1 < bytes.length ? a[(n >> 6) & 63] : '') + (i + 2 < bytes.length ? a[n & 63] : '');
  }
  return s;
};

/**
 * A bound service account token shaped like kube-apiserver's (a JWT with the pod binding claims). It is
 * not signed: nothing in Tabernetes verifies it yet.
 */
export function serviceAccountToken(pod: Pod, audience: string | undefined, expirationSeconds: number, nowSeconds: number): string {
  const m = pod.metadata ?? {};
  const sa = pod.spec?.serviceAccountName ?? 'default';
  const claims = {
    aud: [audience || 'https://kubernetes.default.svc.cluster.local'],
    exp: nowSeconds + expirationSeconds,
    iat: nowSeconds,
    iss: 'https://kubernetes.default.svc.cluster.local',
    'kubernetes.io': { namespace: m.namespace, node: { name: pod.spec?.nodeName }, pod: { name: m.name, uid: m.uid }, serviceaccount: { name: sa } },
    nbf: nowSeconds,
    sub: `system:serviceaccount:${m.namespace}:${sa}`,
  };
  const header = b64url(enc.encode(JSON.stringify({ alg: 'RS256', kid: 'tabernetes' })));
  const body = b64url(enc.encode(JSON.stringify(claims)));
  // A deterministic stand-in for the signature: FNV-1a over the body once, then over each byte's index.
  let h = 0x811c9dc5;
  for (let i = 0; i < body.length; i++) h = Math.imul(h ^ body.charCodeAt(i), 0x01000193) >>> 0;
  const sig = new Uint8Array(64);
  for (let i = 0; i < sig.length; i++) {
    h = Math.imul(h ^ i, 0x01000193) >>> 0;
    h = Math.imul(h ^ (h >>> 15), 0x2c1b3c6d) >>> 0;
    sig[i] = h & 0xff;
  }
  return `${header}.${body}.${b64url(sig)}`;
}

/** The payload of an API-data volume, or undefined for the other volume types. */
export async function volumePayload(ctx: PayloadContext, v: Volume): Promise<Payload | undefined> {
  const out: Payload = new Map();
  if (v.configMap) {
    await configMapFiles(ctx, out, v.configMap, v.configMap.defaultMode ?? DEFAULT_MODE);
  } else if (v.secret) {
    await secretFiles(ctx, out, v.secret.secretName ?? '', v.secret.items, !!v.secret.optional, v.secret.defaultMode ?? DEFAULT_MODE);
  } else if (v.downwardAPI) {
    downwardFiles(ctx, out, v.downwardAPI.items, v.downwardAPI.defaultMode ?? DEFAULT_MODE);
  } else if (v.projected) {
    const mode = v.projected.defaultMode ?? DEFAULT_MODE;
    for (const src of v.projected.sources ?? []) {
      if (src.configMap) await configMapFiles(ctx, out, src.configMap, mode);
      else if (src.secret) await secretFiles(ctx, out, src.secret.name ?? '', src.secret.items, !!src.secret.optional, mode);
      else if (src.downwardAPI) downwardFiles(ctx, out, src.downwardAPI.items, mode);
      else if (src.serviceAccountToken) {
        // Re-issued (a changed file) once 80% of its lifetime has passed, as the kubelet's token manager does.
        const t = src.serviceAccountToken;
        const ttl = t.expirationSeconds ?? 3600;
        const issued = ctx.nowSeconds - (ctx.nowSeconds % Math.max(1, Math.floor(ttl * 0.8)));
        out.set(t.path, { data: enc.encode(serviceAccountToken(ctx.pod, t.audience, ttl, issued)), mode });
      }
    }
  } else return undefined;
  return out;
}

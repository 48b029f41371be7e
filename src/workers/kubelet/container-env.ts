import type { ConfigMap, Container, EnvVar, Pod, Secret, Service } from 'kubernetes-types/core/v1';
import { ConfigMaps, resourcePath, Secrets, Services } from '../../api/resources';
import type { ApiClient } from '../../client/api-client';
import type { KeyValuePair } from '../runtime/cri';
import { directReader, getOrUndefined, type ObjectReader } from './pod-object-cache';
import { resourceFieldValue } from './resource-field';

/** Where the Services of service link variables are read: the kubelet's Service informer (service-lister.ts). */
export interface ServiceReader {
  /** The namespace's Services; rejects when they cannot be read (then the container gets no service links). */
  list(namespace: string): Promise<Service[]>;
  get(namespace: string, name: string): Promise<Service | undefined>;
}

/** Reads Services with a GET per call (used without the kubelet's informer: unit tests, one-off configs). */
export function directServices(client: ApiClient): ServiceReader {
  return {
    list: async (ns) => (await client.call<{ items: Service[] }>({ method: 'GET', path: resourcePath(Services, ns) })).items,
    get: (ns, name) => getOrUndefined<Service>(client, Services, name, ns),
  };
}

/** A container's configuration cannot be built (kubelet's CreateContainerConfigError); message is kubelet's text. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Kubernetes $(VAR) expansion: $(NAME) from vars when defined, $$ escapes to $, anything else stays as written. */
export function expand(input: string, vars: Map<string, string>): string {
  return input.replace(/\$\$|\$\(([^)]*)\)/g, (m, name: string | undefined) => {
    if (m === '$$') return '$';
    return name !== undefined && vars.has(name) ? vars.get(name)! : m;
  });
}

/** Secret data bytes (standard base64; other characters ignored). */
export function base64Bytes(s: string): Uint8Array {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  const clean = s.replace(/[^A-Za-z0-9+/]/g, '');
  const bytes: number[] = [];
  let acc = 0;
  let bits = 0;
  for (const ch of clean) {
    acc = (acc << 6) | alphabet.indexOf(ch);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      bytes.push((acc >> bits) & 0xff);
    }
  }
  return new Uint8Array(bytes);
}

function decodeBase64(s: string): string {
  return new TextDecoder().decode(base64Bytes(s));
}

/** Docker-link style variables for each service (kubelet's getServiceEnvVarMap / FromServices). */
function serviceVars(services: Service[]): KeyValuePair[] {
  const out: KeyValuePair[] = [];
  for (const s of services) {
    const ip = s.spec?.clusterIP;
    if (!ip || ip === 'None') continue;
    const name = (s.metadata?.name ?? '').toUpperCase().replace(/-/g, '_');
    const ports = s.spec?.ports ?? [];
    if (!ports.length) continue;
    out.push({ key: `${name}_SERVICE_HOST`, value: ip }, { key: `${name}_SERVICE_PORT`, value: String(ports[0].port) });
    for (const p of ports) if (p.name) out.push({ key: `${name}_SERVICE_PORT_${p.name.toUpperCase().replace(/-/g, '_')}`, value: String(p.port) });
    const proto = (ports[0].protocol ?? 'TCP').toLowerCase();
    out.push({ key: `${name}_PORT`, value: `${proto}://${ip}:${ports[0].port}` });
    for (const p of ports) {
      const pr = p.protocol ?? 'TCP';
      const pre = `${name}_PORT_${p.port}_${pr}`;
      out.push(
        { key: pre, value: `${pr.toLowerCase()}://${ip}:${p.port}` },
        { key: `${pre}_PROTO`, value: pr.toLowerCase() },
        { key: `${pre}_PORT`, value: String(p.port) },
        { key: `${pre}_ADDR`, value: ip },
      );
    }
  }
  return out;
}

/** A downward API fieldRef value (env var form). */
export function fieldValue(pod: Pod, path: string, hostIP: string, podIP: string | undefined): string {
  const m = pod.metadata ?? {};
  const sub = /^metadata\.(labels|annotations)\['(.*)'\]$/.exec(path);
  if (sub) return (sub[1] === 'labels' ? m.labels : m.annotations)?.[sub[2]] ?? '';
  const table: Record<string, string | undefined> = {
    'metadata.name': m.name,
    'metadata.namespace': m.namespace,
    'metadata.uid': m.uid,
    'spec.nodeName': pod.spec?.nodeName,
    'spec.serviceAccountName': pod.spec?.serviceAccountName,
    'status.hostIP': hostIP,
    'status.hostIPs': hostIP,
    'status.podIP': podIP,
    'status.podIPs': podIP,
  };
  return table[path] ?? '';
}

/**
 * The container's environment as kubelet's makeEnvironmentVariables builds it: service link variables
 * (the cluster's `kubernetes` service always; the namespace's services unless enableServiceLinks is false),
 * then envFrom, then env (each value $(VAR)-expanded against what precedes it). Rejects ConfigError with
 * kubelet's text when a referenced ConfigMap/Secret or key is missing and not optional, or when `objects`
 * (the kubelet's PodObjectCache; default: a GET per object) cannot read one (its error's words). Services come
 * from `services` (the kubelet's informer; default: GETs).
 */
export async function containerEnv(
  client: ApiClient,
  pod: Pod,
  c: Container,
  hostIP: string,
  podIP: string | undefined,
  allocatable?: Record<string, string>,
  objects: ObjectReader = directReader(client),
  serviceReader: ServiceReader = directServices(client),
): Promise<KeyValuePair[]> {
  const ns = pod.metadata?.namespace ?? 'default';
  const vars = new Map<string, string>();
  const services: Service[] = [];
  try {
    if (pod.spec?.enableServiceLinks !== false) {
      const items = await serviceReader.list(ns);
      services.push(...items.filter((s) => !(ns === 'default' && s.metadata?.name === 'kubernetes')));
    }
    const master = await serviceReader.get('default', 'kubernetes');
    if (master) services.push(master);
  } catch {
    // services are not served (yet): no service links
  }
  for (const kv of serviceVars(services)) vars.set(kv.key, kv.value);
  const cms = new Map<string, ConfigMap | undefined>();
  const secrets = new Map<string, Secret | undefined>();
  // GetConfigMap/GetSecret errors other than not found fail the container's config with their own words.
  const read = async <T>(get: () => Promise<T | undefined>) => {
    try {
      return await get();
    } catch (err) {
      throw new ConfigError(err instanceof Error ? err.message : String(err));
    }
  };
  const configMap = async (name: string) => {
    if (!cms.has(name)) cms.set(name, await read(() => objects.get<ConfigMap>(ConfigMaps, ns, name)));
    return cms.get(name);
  };
  const secret = async (name: string) => {
    if (!secrets.has(name)) secrets.set(name, await read(() => objects.get<Secret>(Secrets, ns, name)));
    return secrets.get(name);
  };
  for (const from of c.envFrom ?? []) {
    const prefix = from.prefix ?? '';
    if (from.configMapRef) {
      const cm = await configMap(from.configMapRef.name ?? '');
      if (!cm) {
        if (from.configMapRef.optional) continue;
        throw new ConfigError(`configmap "${from.configMapRef.name}" not found`);
      }
      for (const [k, v] of Object.entries(cm.data ?? {})) vars.set(prefix + k, v);
    } else if (from.secretRef) {
      const s = await secret(from.secretRef.name ?? '');
      if (!s) {
        if (from.secretRef.optional) continue;
        throw new ConfigError(`secret "${from.secretRef.name}" not found`);
      }
      for (const [k, v] of Object.entries(s.data ?? {})) vars.set(prefix + k, decodeBase64(v));
    }
  }
  for (const e of c.env ?? []) {
    const v = e.valueFrom?.resourceFieldRef ? resourceFieldValue(pod, c, e.valueFrom.resourceFieldRef, allocatable) : await envValue(e, pod, ns, vars, hostIP, podIP, configMap, secret);
    if (v !== undefined) vars.set(e.name, v);
  }
  return [...vars].map(([key, value]) => ({ key, value }));
}

async function envValue(
  e: EnvVar,
  pod: Pod,
  ns: string,
  vars: Map<string, string>,
  hostIP: string,
  podIP: string | undefined,
  configMap: (n: string) => Promise<ConfigMap | undefined>,
  secret: (n: string) => Promise<Secret | undefined>,
): Promise<string | undefined> {
  if (!e.valueFrom) return expand(e.value ?? '', vars);
  const { fieldRef, configMapKeyRef, secretKeyRef } = e.valueFrom;
  if (fieldRef) return fieldValue(pod, fieldRef.fieldPath, hostIP, podIP);
  if (configMapKeyRef) {
    const cm = await configMap(configMapKeyRef.name ?? '');
    if (!cm) {
      if (configMapKeyRef.optional) return undefined;
      throw new ConfigError(`configmap "${configMapKeyRef.name}" not found`);
    }
    const v = cm.data?.[configMapKeyRef.key];
    if (v === undefined && !configMapKeyRef.optional) throw new ConfigError(`couldn't find key ${configMapKeyRef.key} in ConfigMap ${ns}/${configMapKeyRef.name}`);
    return v;
  }
  if (secretKeyRef) {
    const s = await secret(secretKeyRef.name ?? '');
    if (!s) {
      if (secretKeyRef.optional) return undefined;
      throw new ConfigError(`secret "${secretKeyRef.name}" not found`);
    }
    const v = s.data?.[secretKeyRef.key];
    if (v === undefined && !secretKeyRef.optional) throw new ConfigError(`couldn't find key ${secretKeyRef.key} in Secret ${ns}/${secretKeyRef.name}`);
    return v === undefined ? undefined : decodeBase64(v);
  }
  return '';
}

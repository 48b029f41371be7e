import type { Pod, Service } from 'kubernetes-types/core/v1';
import { RawError } from '../cli/errors';

/** One forwarded port: kubectl's ForwardedPort {Local Remote} (Local 0: pick a free one). */
export interface ForwardedPort {
  local: number;
  remote: number;
}

/** "[LOCAL]:REMOTE" or "PORT" into [local, remote] strings, as kubectl's splitPort. */
export function splitPort(port: string): [string, string] {
  const parts = port.split(':');
  return parts.length === 2 ? [parts[0], parts[1]] : [parts[0], parts[0]];
}

/** kubectl's util.LookupContainerPortNumberByName. */
export function containerPortByName(pod: Pod, name: string): number {
  for (const c of pod.spec?.containers ?? []) for (const p of c.ports ?? []) if (p.name === name) return p.containerPort;
  throw new RawError(`error: Pod '${pod.metadata?.name}' does not have a named port '${name}'`);
}

function servicePortByName(svc: Service, name: string): number {
  const p = (svc.spec?.ports ?? []).find((sp) => sp.name === name);
  if (!p) throw new RawError(`error: Service '${svc.metadata?.name}' does not have a named port '${name}'`);
  return p.port;
}

/** kubectl's util.LookupContainerPortNumberByServicePort: the container port a Service port targets on `pod`. */
function containerPortForServicePort(svc: Service, pod: Pod, port: number): number {
  const sp = (svc.spec?.ports ?? []).find((p) => p.port === port);
  if (!sp) throw new RawError(`error: Service ${svc.metadata?.name} does not have a service port ${port}`);
  const tp = sp.targetPort;
  if (tp === undefined || tp === '' || tp === 0) return sp.port;
  if (typeof tp === 'number') return tp;
  if (/^\d+$/.test(tp)) return Number(tp);
  return containerPortByName(pod, tp);
}

/** kubectl's translateServicePortToTargetPort: a Service's ports (numbers or names) become the pod's container ports. */
export function translateServicePorts(ports: string[], svc: Service, pod: Pod): string[] {
  return ports.map((port) => {
    let [local, remote] = splitPort(port);
    let num = Number(remote);
    if (!/^\d+$/.test(remote)) {
      num = servicePortByName(svc, remote);
      if (local === remote) local = String(num);
    }
    const target = String(containerPortForServicePort(svc, pod, num));
    return local !== target ? `${local}:${target}` : target;
  });
}

/** kubectl's convertPodNamedPortToNumber. */
export function convertPodNamedPorts(ports: string[], pod: Pod): string[] {
  return ports.map((port) => {
    const [local, remote] = splitPort(port);
    if (remote === '') throw new RawError('error: remote port cannot be empty');
    const target = /^\d+$/.test(remote) ? remote : String(containerPortByName(pod, remote));
    return local !== remote ? `${local}:${target}` : target;
  });
}

function parseUint16(raw: string, what: 'local' | 'remote'): number {
  if (!/^\d+$/.test(raw)) throw new RawError(`error: error parsing ${what} port '${raw}': strconv.ParseUint: parsing ${JSON.stringify(raw)}: invalid syntax`);
  const n = Number(raw);
  if (n > 65535) throw new RawError(`error: error parsing ${what} port '${raw}': strconv.ParseUint: parsing ${JSON.stringify(raw)}: value out of range`);
  if (what === 'remote' && n === 0) throw new RawError(`error: remote port must be > 0`);
  return n;
}

/** client-go portforward's parsePorts: "8080:80", ":80" (local 0), "80". Errors in its words. */
export function parsePorts(ports: string[]): ForwardedPort[] {
  return ports.map((spec) => {
    const parts = spec.split(':');
    if (parts.length > 2) throw new RawError(`error: invalid port format '${spec}'`);
    const [l, r] = parts.length === 2 ? parts : [parts[0], parts[0]];
    const local = l === '' ? 0 : parseUint16(l, 'local');
    return { local, remote: parseUint16(r, 'remote') };
  });
}

/** `--address` values into the addresses listened on: localhost is 127.0.0.1 and ::1 (either may fail), others must all succeed. */
export function listenAddresses(addresses: string[]): Array<{ ip: string; failureMode: 'all' | 'any' }> {
  const out: Array<{ ip: string; failureMode: 'all' | 'any' }> = [];
  for (const a of addresses.length ? addresses : ['localhost']) {
    if (a === 'localhost') out.push({ ip: '127.0.0.1', failureMode: 'all' }, { ip: '::1', failureMode: 'all' });
    else out.push({ ip: a, failureMode: 'any' });
  }
  return out;
}

/** net.JoinHostPort. */
export const joinHostPort = (ip: string, port: number): string => (ip.includes(':') ? `[${ip}]:${port}` : `${ip}:${port}`);

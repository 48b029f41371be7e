import type { Container, HTTPGetAction, Pod, Probe, TCPSocketAction } from 'kubernetes-types/core/v1';
import type { Disposable } from '../../api/disposable';
import type { ExecService } from '../runtime/cri';
import { grpcProbe } from './grpc-probe';

/** A probe's (or an exec/httpGet handler's) outcome and its output, as pkg/probe reports them. */
export interface ProbeResult {
  result: 'success' | 'failure' | 'unknown';
  /** For failures: what follows "<Kind> probe failed: " in the Unhealthy event. */
  output: string;
}

/** The parts of a Probe / LifecycleHandler a handler runs. */
export type ProbeAction = Pick<Probe, 'exec' | 'httpGet' | 'tcpSocket' | 'grpc'>;

export interface ProbeTarget {
  pod: Pod;
  container: Container;
  containerId: string;
  /** The pod's IP (httpGet/tcpSocket default host). */
  podIP: string | undefined;
}

/** A TCP connection for probes, the subset of src/network's AsyncConn they use. */
export interface ProbeConn {
  /** The next bytes, or null at EOF (grpc probes need it; src/network's AsyncConn has it). */
  read?(): Promise<Uint8Array | null>;
  write(data: Uint8Array): Promise<void>;
  readAll(): Promise<Uint8Array>;
  closeWrite(): void;
  close(): void;
}

/**
 * Opens a TCP connection from the node to ip:port. Rejects an Error whose message is Go's dial error
 * (`dial tcp 10.244.1.2:80: connect: connection refused`). Wire src/network's dialTcp here.
 */
export type DialTcp = (ip: string, port: number) => Promise<ProbeConn>;

/** Runs one probe action against a running container. Never rejects: errors become failures. */
export interface Prober {
  run(action: ProbeAction, target: ProbeTarget, timeoutSeconds: number): Promise<ProbeResult>;
}

type After = (ms: number, fn: () => void) => Disposable;

export const NOT_SUPPORTED = 'not yet supported by Tabernetes';
const MAX_OUTPUT = 10 * 1024;
const enc = new TextEncoder();
const dec = new TextDecoder();

function portOf(port: number | string, c: Container): number | undefined {
  if (typeof port === 'number') return port;
  if (/^\d+$/.test(port)) return Number(port);
  return c.ports?.find((p) => p.name === port)?.containerPort;
}

/** Rejects after ms with `what` (probe timeouts on the cluster clock are the caller's; this bounds I/O). */
function withTimeout<T>(p: Promise<T>, after: After, ms: number, what: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = after(ms, () => reject(new Error(what)));
    p.then(
      (v) => (timer.dispose(), resolve(v)),
      (e) => (timer.dispose(), reject(e)),
    );
  });
}

/**
 * The kubelet's prober: exec through the runtime's ExecSync (output = stdout then stderr; a non-zero exit
 * fails; a timeout fails with `command "…" timed out`); httpGet (2xx/3xx succeed, else `HTTP probe failed
 * with statuscode: 500`; dial errors as Go's http client words them) and tcpSocket through `dial`. Without
 * `dial`, httpGet/tcpSocket report unknown ("… not yet supported by Tabernetes"); grpc likewise, else
 * grpc-probe.ts (the pod IP's grpc.port, Health/Check of grpc.service).
 * minTimeoutMs (cluster ms) raises short timeouts: on a fast cluster clock a probe still gets the wall time
 * a process start takes (the Worker entry passes one wall second × speed).
 */
export function createProber(deps: { exec?: ExecService['execSync']; dial?: DialTcp; after: After; minTimeoutMs?: () => number }): Prober {
  const { exec, dial } = deps;
  return {
    async run(action, target, probeTimeoutSeconds) {
      const timeoutSeconds = Math.max(probeTimeoutSeconds, Math.ceil((deps.minTimeoutMs?.() ?? 0) / 1000));
      const { container, containerId } = target;
      try {
        if (action.exec) {
          const cmd = action.exec.command ?? [];
          if (!exec) return { result: 'unknown', output: `exec probes are ${NOT_SUPPORTED} on this runtime` };
          let r: { stdout: Uint8Array; stderr: Uint8Array; exitCode: number } | undefined;
          let timedOut = false;
          const timer = deps.after(timeoutSeconds * 1000, () => void (timedOut = true));
          try {
            r = await exec(containerId, cmd, timeoutSeconds);
          } catch (err) {
            if (!timedOut && !/timed out/.test(String((err as Error)?.message))) throw err;
            timedOut = true;
          } finally {
            timer.dispose();
          }
          if (timedOut || !r) return { result: 'failure', output: `command ${JSON.stringify(cmd.join(' '))} timed out` };
          const output = (dec.decode(r.stdout) + dec.decode(r.stderr)).slice(0, MAX_OUTPUT);
          return { result: r.exitCode === 0 ? 'success' : 'failure', output };
        }
        if (action.httpGet) return await httpProbe(action.httpGet, target, timeoutSeconds);
        if (action.tcpSocket) return await tcpProbe(action.tcpSocket, target, timeoutSeconds);
        if (action.grpc) {
          if (!dial) return { result: 'unknown', output: `grpc probes are ${NOT_SUPPORTED} (no cluster network)` };
          return await grpcProbe(dial, deps.after, target.podIP ?? '', action.grpc.port, action.grpc.service ?? '', timeoutSeconds);
        }
        return { result: 'unknown', output: 'missing probe handler' };
      } catch (err) {
        return { result: 'failure', output: String((err as Error)?.message ?? err) };
      }

      async function tcpProbe(a: TCPSocketAction, t: ProbeTarget, timeout: number): Promise<ProbeResult> {
        const host = a.host || t.podIP || '';
        const port = portOf(a.port, container);
        if (!dial) return { result: 'unknown', output: `tcpSocket probes are ${NOT_SUPPORTED} (no cluster network)` };
        if (port === undefined) return { result: 'unknown', output: `unable to find port ${a.port} in container ${container.name}` };
        const conn = await withTimeout(dial(host, port), deps.after, timeout * 1000, `dial tcp ${host}:${port}: i/o timeout`);
        conn.close();
        return { result: 'success', output: '' };
      }

      async function httpProbe(a: HTTPGetAction, t: ProbeTarget, timeout: number): Promise<ProbeResult> {
        const host = a.host || t.podIP || '';
        const port = portOf(a.port, container);
        const path = a.path ? (a.path.startsWith('/') ? a.path : `/${a.path}`) : '/';
        const scheme = (a.scheme ?? 'HTTP').toLowerCase();
        const url = `${scheme}://${host}:${port ?? a.port}${path}`;
        if (!dial) return { result: 'unknown', output: `httpGet probes are ${NOT_SUPPORTED} (no cluster network)` };
        if (port === undefined) return { result: 'unknown', output: `unable to find port ${a.port} in container ${container.name}` };
        if (scheme === 'https') return { result: 'unknown', output: `HTTPS probes are ${NOT_SUPPORTED}` };
        const headers = new Map<string, string>([['host', `${host}:${port}`], ['user-agent', 'kube-probe/1.32'], ['accept', '*/*']]);
        for (const h of a.httpHeaders ?? []) headers.set(h.name.toLowerCase(), h.value);
        const names: Record<string, string> = { host: 'Host', 'user-agent': 'User-Agent', accept: 'Accept' };
        const request = `GET ${path} HTTP/1.1\r\n${[...headers].map(([k, v]) => `${names[k] ?? k}: ${v}`).join('\r\n')}\r\nConnection: close\r\n\r\n`;
        const exchange = (async () => {
          let conn: ProbeConn;
          try {
            conn = await dial(host, port);
          } catch (err) {
            throw new Error(`Get ${JSON.stringify(url)}: ${String((err as Error)?.message ?? err)}`);
          }
          try {
            await conn.write(enc.encode(request));
            conn.closeWrite();
            return await conn.readAll();
          } finally {
            conn.close();
          }
        })();
        const raw = dec.decode(await withTimeout(exchange, deps.after, timeout * 1000, `Get ${JSON.stringify(url)}: context deadline exceeded (Client.Timeout exceeded while awaiting headers)`));
        const m = /^HTTP\/\d(?:\.\d)? (\d{3})/.exec(raw);
        if (!m) return { result: 'failure', output: `Get ${JSON.stringify(url)}: malformed HTTP response` };
        const code = Number(m[1]);
        const body = raw.slice(raw.indexOf('\r\n\r\n') + 4).slice(0, MAX_OUTPUT);
        if (code >= 200 && code < 400) return { result: 'success', output: body };
        return { result: 'failure', output: `HTTP probe failed with statuscode: ${code}` };
      }
    },
  };
}

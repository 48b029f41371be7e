import type { CommandDef } from '../cli/commands-table';
import { RawError } from '../cli/errors';
import type { FlagSpec } from '../cli/parse-flags';
import { stopOnAbort } from '../cli/stop-on-abort';
import type { ProxyRequestInfo } from '../kubectl-io';

const s = (name: string, short?: string): FlagSpec => ({ name, short, type: 'string' });
const b = (name: string): FlagSpec => ({ name, type: 'bool' });

/** kubectl proxy's filter defaults (comma-separated regular expressions). */
const DEFAULTS = {
  'accept-hosts': '^localhost$,^127\\.0\\.0\\.1$,^\\[::1\\]$',
  'accept-paths': '^.*',
  'reject-paths': '^/api/.*/pods/.*/exec,^/api/.*/pods/.*/attach',
  'reject-methods': '^$',
} as const;

const regexps = (list: string) => list.split(',').filter(Boolean).map((r) => new RegExp(r));

/** kubectl's FilterServer rule: the host and path accepted, the path and method not rejected. */
export function proxyFilter(opts: { [K in keyof typeof DEFAULTS]: string }): (req: ProxyRequestInfo) => boolean {
  const [hosts, paths, rejectPaths, rejectMethods] = (['accept-hosts', 'accept-paths', 'reject-paths', 'reject-methods'] as const).map((k) => regexps(opts[k]));
  const any = (res: RegExp[], v: string) => res.some((r) => r.test(v));
  return (req) => any(hosts, req.host) && any(paths, req.path) && !any(rejectPaths, req.path) && !any(rejectMethods, req.method);
}

/**
 * `kubectl proxy`: serves the API through io.apiProxy on --address:--port (default 127.0.0.1:8001, 0 picks one),
 * prints "Starting to serve on HOST:PORT" and runs until io.signal aborts (exit 0). Listen failures print
 * kubectl's `error: listen tcp …`. Without io.apiProxy (the tab) it fails and points to port-forward.
 * --unix-socket and --www are not supported.
 */
export const proxyCommand: CommandDef = {
  name: 'proxy',
  short: 'Run a proxy to the Kubernetes API server',
  usage: "kubectl proxy [--port=PORT] [--www=static-dir] [--www-prefix=prefix] [--api-prefix=prefix] [options]",
  flags: [
    { name: 'port', short: 'p', type: 'int' }, s('address'), s('api-prefix'), s('accept-hosts'), s('accept-paths'), s('reject-paths'),
    s('reject-methods'), b('disable-filter'), s('www', 'w'), s('www-prefix', 'P'), s('unix-socket', 'u'), s('keepalive'), b('append-server-path'),
  ],
  async run(ctx) {
    const host = ctx.io.apiProxy;
    if (!host) {
      throw new RawError(
        'error: kubectl proxy needs a real TCP listener, which a browser tab cannot open.\n' +
          'In this tab the API is already served by the page at /_/api/ (open it in the preview pane), and\n' +
          '`kubectl port-forward` reaches pods; run `npm run kubectl -- proxy` in Node for a local proxy.',
      );
    }
    if (ctx.str('unix-socket') || ctx.str('www')) throw new Error('--unix-socket and --www are not supported by this kubectl');
    const portFlag = ctx.flags.values.get('port');
    const port = typeof portFlag === 'number' ? portFlag : 8001;
    const address = ctx.str('address') || '127.0.0.1';
    let prefix = ctx.str('api-prefix') || '/';
    if (!prefix.endsWith('/')) prefix += '/';
    const allow = ctx.bool('disable-filter')
      ? () => true
      : proxyFilter({
          'accept-hosts': ctx.flags.set.has('accept-hosts') ? ctx.str('accept-hosts') : DEFAULTS['accept-hosts'],
          'accept-paths': ctx.flags.set.has('accept-paths') ? ctx.str('accept-paths') : DEFAULTS['accept-paths'],
          'reject-paths': ctx.flags.set.has('reject-paths') ? ctx.str('reject-paths') : DEFAULTS['reject-paths'],
          'reject-methods': ctx.flags.set.has('reject-methods') ? ctx.str('reject-methods') : DEFAULTS['reject-methods'],
        });
    const listener = await host.listen(address, port, prefix, allow);
    ctx.io.stdout(`Starting to serve on ${address.includes(':') ? `[${address}]` : address}:${listener.port}\n`);
    await new Promise<void>((resolve) => {
      if (!ctx.io.signal) return;
      stopOnAbort(ctx.io.signal, listener, resolve);
    });
  },
};

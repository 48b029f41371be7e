import { RawError } from '../../cli/errors';
import { b, createCommonFlags, explicitNamespace, objectMeta, parseKeyValue, requireFlags, s, sa, sortedMap, type Generator } from './generator';

/** kubectl run NAME --image=… [--restart] [--env] [--labels] [--port] [--command] [-- ARGS…]: one Pod. */
export const runPodGenerator: Generator = {
  name: 'run',
  short: 'Run a particular image on the cluster',
  usage: 'kubectl run NAME --image=image [--env="key=value"] [--port=port] [--dry-run=server|client] [--overrides=inline-json] [--command] -- [COMMAND] [args...] [options]',
  flags: [
    ...createCommonFlags, s('image'), s('restart'), b('command'), sa('env'), s('labels', 'l'), s('port'), s('image-pull-policy'),
    sa('annotations'), b('stdin', 'i'), b('tty', 't'), b('rm'), b('attach'), b('quiet', 'q'), b('expose'), s('overrides'),
    b('privileged'), b('leave-stdin-open'), s('pod-running-timeout'), s('cascade'), s('override-type'),
  ],
  resource: { group: '', version: 'v1', resource: 'pods', namespaced: true },
  build(ctx) {
    if (ctx.args.length === 0) throw new RawError(`error: NAME is required for run\nSee 'kubectl run -h' for help and examples`);
    const name = ctx.args[0];
    requireFlags(ctx, 'image');
    const stdin = ctx.bool('stdin');
    const see = `\nSee 'kubectl run -h' for help and examples`;
    if (ctx.bool('tty') && !stdin) throw new RawError(`error: -i/--stdin is required for containers with -t/--tty=true${see}`);
    if (ctx.bool('expose') || ctx.str('overrides')) throw new RawError('error: run with --expose or --overrides is not supported yet by this kubectl');
    // kubectl's getRestartPolicy: -i defaults to OnFailure.
    const restart = ctx.str('restart') || (stdin ? 'OnFailure' : 'Always');
    if (!['Always', 'OnFailure', 'Never'].includes(restart)) throw new RawError(`error: invalid restart policy: ${restart}`);
    const attach = ctx.bool('attach') || stdin;
    if (!attach && ctx.bool('rm')) throw new RawError(`Error: --rm should only be used for attached containers${see}`);
    if (attach && !['', 'none'].includes(ctx.str('dry-run', 'none'))) {
      throw new RawError(`error: --dry-run=[server|client] can't be used with attached containers options (--attach, --stdin, or --tty)${see}`);
    }
    const labels: Record<string, string> = {};
    if (ctx.str('labels')) {
      for (const kv of ctx.str('labels').split(',')) {
        const [k, v] = parseKeyValue(kv, (x) => `invalid label spec: ${x}`);
        labels[k] = v;
      }
    } else labels.run = name;
    const container: Record<string, unknown> = { name, image: ctx.str('image') };
    const args = ctx.flags.args.slice(1);
    if (args.length) container[ctx.bool('command') ? 'command' : 'args'] = args;
    if (ctx.str('port')) {
      if (!/^\d+$/.test(ctx.str('port'))) throw new RawError(`error: strconv.Atoi: parsing ${JSON.stringify(ctx.str('port'))}: invalid syntax`);
      container.ports = [{ containerPort: Number(ctx.str('port')) }];
    }
    const env = ctx.list('env').map((e) => {
      const [k, v] = parseKeyValue(e, (x) => `invalid env: ${x}`);
      return { name: k, value: v };
    });
    if (env.length) container.env = env;
    container.resources = {};
    if (stdin) {
      container.stdin = true;
      if (!ctx.bool('leave-stdin-open')) container.stdinOnce = true;
    }
    if (ctx.bool('tty')) container.tty = true;
    if (ctx.str('image-pull-policy')) container.imagePullPolicy = ctx.str('image-pull-policy');
    if (ctx.bool('privileged')) container.securityContext = { privileged: true };
    const meta = objectMeta(name, labels, explicitNamespace(ctx));
    const annotations = Object.fromEntries(ctx.list('annotations').map((a) => parseKeyValue(a, (x) => `invalid annotation spec: ${x}`)));
    if (Object.keys(annotations).length) meta.annotations = sortedMap(annotations);
    return { kind: 'Pod', apiVersion: 'v1', metadata: meta, spec: { containers: [container], restartPolicy: restart, dnsPolicy: 'ClusterFirst' }, status: {} };
  },
};

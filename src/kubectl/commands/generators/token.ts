import { ApiError } from '../../../api/status';
import { printFlags, type CommandDef } from '../../cli/commands-table';
import { RawError } from '../../cli/errors';
import { parseGoDuration } from '../../cli/go-duration';
import { checkOutputFormat, printObjects } from '../../printers/print-objects';
import { requireName, s, sa } from './generator';

const BOUND_KINDS: Record<string, string> = { Node: 'v1', Pod: 'v1', Secret: 'v1' };

/**
 * kubectl create token SA: POST serviceaccounts/SA/token (TokenRequest) and print status.token (with a newline
 * only on a terminal), or the TokenRequest with -o. Validation in kubectl's order and words; API errors become
 * "failed to create token: <message>".
 */
export const createTokenCommand: CommandDef = {
  name: 'token',
  short: 'Request a service account token',
  usage: 'kubectl create token SERVICE_ACCOUNT_NAME',
  flags: [...printFlags, sa('audience'), s('duration'), s('bound-object-kind'), s('bound-object-name'), s('bound-object-uid')],
  async run(ctx) {
    const name = requireName(ctx);
    const format = checkOutputFormat(ctx.str('output'), ctx.str('template'));
    const durationText = ctx.str('duration');
    let ms = 0;
    try {
      ms = durationText ? parseGoDuration(durationText, 'duration') : 0;
    } catch (err) {
      throw new RawError(`${(err as Error).message}\nSee '${ctx.commandPath} --help' for usage.`);
    }
    if (ms < 0) throw new RawError('error: --duration must be greater than or equal to 0');
    if (ms % 1000 !== 0) throw new RawError('error: --duration cannot be expressed in units less than seconds');
    const audiences = ctx.list('audience');
    if (audiences.some((a) => !a)) throw new RawError('error: --audience must not be an empty string');
    const [kind, boundName, uid] = [ctx.str('bound-object-kind'), ctx.str('bound-object-name'), ctx.str('bound-object-uid')];
    if (!kind) {
      if (boundName) throw new RawError('error: --bound-object-name can only be set if --bound-object-kind is provided');
      if (uid) throw new RawError('error: --bound-object-uid can only be set if --bound-object-kind is provided');
    } else {
      if (!BOUND_KINDS[kind]) throw new RawError(`error: supported --bound-object-kind values are ${Object.keys(BOUND_KINDS).sort().join(', ')}`);
      if (!boundName) throw new RawError('error: --bound-object-name is required if --bound-object-kind is provided');
    }
    const spec: Record<string, unknown> = { audiences: audiences.length ? audiences : null };
    if (ms > 0) spec.expirationSeconds = ms / 1000;
    if (kind) spec.boundObjectRef = { kind, apiVersion: BOUND_KINDS[kind], name: boundName, ...(uid ? { uid } : {}) };
    const body = { kind: 'TokenRequest', apiVersion: 'authentication.k8s.io/v1', metadata: { creationTimestamp: null }, spec, status: { token: '', expirationTimestamp: null } };
    let res: { status?: { token?: string } };
    try {
      res = await ctx.io.client.call({ method: 'POST', path: `/api/v1/namespaces/${encodeURIComponent(ctx.namespace)}/serviceaccounts/${encodeURIComponent(name)}/token`, body });
    } catch (err) {
      if (err instanceof ApiError) throw new RawError(`error: failed to create token: ${err.message}`);
      throw err;
    }
    if (!res.status?.token) throw new RawError('error: failed to create token: no token in server response');
    if (format.format) ctx.out(printObjects([res as Record<string, unknown>], format, true));
    else ctx.out(ctx.io.tty ? `${res.status.token}\n` : res.status.token);
  },
};

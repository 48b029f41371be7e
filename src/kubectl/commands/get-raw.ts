import type { CommandContext } from '../cli/command-context';
import { RawError } from '../cli/errors';

/**
 * kubectl get --raw URI: one GET of the path (with its query), printing the body as the server sent it:
 * text and bytes as they are, a JSON object as kube-apiserver encodes it (compact, one trailing newline).
 * A non-2xx answer rejects ApiError ("Error from server (Reason): …"); arguments with --raw are refused
 * with kubectl's error.
 */
export async function runGetRaw(ctx: CommandContext, uri: string): Promise<void> {
  if (ctx.args.length > 0) throw new RawError('error: arguments may not be passed when --raw is specified');
  const q = uri.indexOf('?');
  const path = q < 0 ? uri : uri.slice(0, q);
  const query: Record<string, string> = {};
  if (q >= 0) {
    for (const pair of uri.slice(q + 1).split('&').filter(Boolean)) {
      const eq = pair.indexOf('=');
      const dec = (t: string) => decodeURIComponent(t.replace(/\+/g, ' '));
      query[dec(eq < 0 ? pair : pair.slice(0, eq))] = eq < 0 ? '' : dec(pair.slice(eq + 1));
    }
  }
  const body = await ctx.io.client.call<unknown>({ method: 'GET', path, ...(q >= 0 ? { query } : {}) });
  if (typeof body === 'string') ctx.out(body);
  else if (body instanceof Uint8Array) ctx.out(new TextDecoder().decode(body));
  else if (body !== undefined) ctx.out(`${JSON.stringify(body)}\n`);
}

import { fieldValidation } from '../cli/field-validation';
import { resourcePath } from '../../api/resources';
import { ApiError } from '../../api/status';
import type { CommandContext } from '../cli/command-context';
import { RawError } from '../cli/errors';
import type { ApplyTarget } from './apply-targets';
import { upgradeFromClientSideApply } from './csa-upgrade';

/** kubectl's help text after a server-side apply conflict (apply.go), word for word. */
export const CONFLICT_HELP = `Please review the fields above--they currently have other managers. Here
are the ways you can resolve this warning:
* If you intend to manage all of these fields, please re-run the apply
  command with the \`--force-conflicts\` flag.
* If you do not intend to manage all of the fields, please edit your
  manifest to remove references to the fields that should keep their
  current managers.
* You may co-own fields by updating your manifest to match the existing
  value; in this case, you'll become the manager if the other manager(s)
  stop managing the field (remove it from their configuration).
See https://kubernetes.io/docs/reference/using-api/server-side-apply/#conflicts`;

/** apply's flag checks (Validate): --force-conflicts needs --server-side; --dry-run=client cannot be server-side. */
export function checkServerSideFlags(ctx: CommandContext, dry: { client: boolean }): void {
  const serverSide = ctx.bool('server-side');
  if (ctx.bool('force-conflicts') && !serverSide) throw new RawError('error: --force-conflicts only works with --server-side');
  if (dry.client && serverSide) throw new RawError("error: --dry-run=client doesn't work with --server-side (did you mean --dry-run=server instead?)");
}

/** The field manager apply writes as: --field-manager, else "kubectl" (server-side) or "kubectl-client-side-apply". */
export function applyFieldManager(ctx: CommandContext): string {
  return ctx.str('field-manager') || (ctx.bool('server-side') ? 'kubectl' : 'kubectl-client-side-apply');
}

/**
 * One object through server-side apply: PATCH application/apply-patch+yaml with the manifest as JSON,
 * fieldManager, force (sent as true or false, as kubectl does) and fieldValidation=Strict. A 409 becomes
 * `error: <server message>` plus kubectl's conflict help; any other error is the server's, unchanged.
 * A real (not dry-run) apply then hands the object over from client-side apply (csa-upgrade).
 */
export async function serverSideApply(ctx: CommandContext, t: ApplyTarget, dryServer: boolean): Promise<Record<string, unknown>> {
  const query: Record<string, string> = { fieldManager: applyFieldManager(ctx), fieldValidation: fieldValidation(ctx), force: String(ctx.bool('force-conflicts')) };
  if (dryServer) query.dryRun = 'All';
  const send = () =>
    ctx.io.client.raw({
      method: 'PATCH',
      path: resourcePath(t.info, t.namespace, t.obj.metadata?.name ?? ''),
      body: JSON.stringify(t.obj),
      contentType: 'application/apply-patch+yaml',
      query,
    });
  const res = await send();
  if (res.status >= 200 && res.status < 300) {
    const obj = res.body as Record<string, unknown>;
    return dryServer ? obj : upgradeFromClientSideApply(ctx.io.client, t, obj, query.fieldManager, async () => ok(await send()));
  }
  throw applyError(res);
}

function ok(res: { status: number; body: unknown }): Record<string, unknown> {
  if (res.status >= 200 && res.status < 300) return res.body as Record<string, unknown>;
  throw applyError(res);
}

function applyError(res: { status: number; body: unknown }): Error {
  const err = new ApiError(res.status, res.body as never);
  if (res.status === 409) return new RawError(`error: ${err.status.message ?? ''}\n${CONFLICT_HELP}`);
  return err;
}

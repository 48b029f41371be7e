import type { ApiResponse } from '../../../api/protocol';
import { StoreError } from '../../../storage/store';
import type { ApiContext, ResourceRequest } from '../context';
import { badRequest, expired, tooLargeResourceVersion } from '../errors';
import { decodeContinue, decodeFor, encodeContinue, keyPrefix } from '../object-codec';
import type { KubeObject } from '../registry/strategy';
import { predicateFor, type Predicate } from '../selection';
import { listResponse } from './respond';

export interface ListResult {
  items: KubeObject[];
  keys: string[];
  revision: number;
  continue?: string;
  remainingItemCount?: number;
}

const CONTINUE_EXPIRED =
  'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.';

function parseRv(v: string | undefined): number | undefined {
  if (v === undefined || v === '') return undefined;
  if (!/^\d+$/.test(v)) throw badRequest(`invalid resource version: ${v}`);
  return Number(v);
}

/**
 * Lists matching objects (selectors applied before limit, as kube's storage does). Paging: `limit` + the
 * opaque `continue` token; remainingItemCount only when no selector is set. Throws 410 Expired for a
 * compacted continue/Exact revision, 504 for a future one, 400 for bad parameters.
 */
export async function listObjects(ctx: ApiContext, rr: ResourceRequest, predicate: Predicate = predicateFor(rr.strategy, rr.query)): Promise<ListResult> {
  const prefix = keyPrefix(rr.strategy, rr.namespace);
  const limit = rr.query.limit ? Number(rr.query.limit) : 0;
  if (!Number.isInteger(limit) || limit < 0) throw badRequest(`invalid limit: ${rr.query.limit}`);
  let after: string | undefined;
  let revision: number | undefined;
  const rv = parseRv(rr.query.resourceVersion);
  const match = rr.query.resourceVersionMatch;
  if (match && match !== 'Exact' && match !== 'NotOlderThan') throw badRequest(`resourceVersionMatch: Unsupported value: "${match}": supported values: "Exact", "NotOlderThan"`);
  if (match && rv === undefined) throw badRequest('resourceVersionMatch is forbidden unless resourceVersion is provided');
  if (rr.query.continue) {
    if (rv !== undefined && rv !== 0) throw badRequest('specifying resource version is not allowed when using continue');
    const c = decodeContinue(rr.query.continue, prefix);
    after = c.after;
    revision = c.revision;
  } else if (rv !== undefined && rv !== 0) {
    const current = ctx.store.currentRevision();
    if (match === 'Exact') revision = rv;
    else if (rv > current) throw tooLargeResourceVersion(rv, current);
  }
  let res;
  try {
    res = await ctx.store.list(prefix, { revision, after });
  } catch (err) {
    if (err instanceof StoreError && err.code === 'Compacted') {
      throw expired(rr.query.continue ? CONTINUE_EXPIRED : 'The resourceVersion for the provided list is too old.');
    }
    if (err instanceof StoreError && err.code === 'FutureRevision') throw tooLargeResourceVersion(revision ?? 0, ctx.store.currentRevision());
    throw err;
  }
  const items: KubeObject[] = [];
  const keys: string[] = [];
  let matched = 0;
  for (const kv of res.kvs) {
    const obj = decodeFor(rr.strategy, kv);
    if (!predicate.matches(obj)) continue;
    matched++;
    if (limit > 0 && items.length >= limit) continue;
    items.push(obj);
    keys.push(kv.key);
  }
  const out: ListResult = { items, keys, revision: res.revision };
  if (limit > 0 && matched > limit) {
    out.continue = encodeContinue(keys[keys.length - 1], prefix, res.revision);
    if (predicate.empty) out.remainingItemCount = matched - limit;
  }
  return out;
}

/** GET collection (not watch). */
export async function listHandler(ctx: ApiContext, rr: ResourceRequest): Promise<ApiResponse> {
  const r = await listObjects(ctx, rr);
  return listResponse(rr, r.items, { resourceVersion: String(r.revision), continue: r.continue, remainingItemCount: r.remainingItemCount }, ctx.clock.now());
}

import type { ApiResponse } from '../../../api/protocol';
import type { ApiContext, ResourceRequest } from '../context';
import { notFound } from '../errors';
import { decodeFor, objectKey } from '../object-codec';
import type { KubeObject } from '../registry/strategy';
import type { KeyValue } from '../../../storage/store';
import { objectResponse } from './respond';
import { answerDecode } from '../shared-decodes';

/**
 * Reads one object; throws 404 NotFound (`pods "x" not found`). `decode` defaults to a fresh decode the caller
 * may change.
 */
export async function loadObject(ctx: ApiContext, rr: ResourceRequest, decode = (kv: KeyValue) => decodeFor(rr.strategy, kv)): Promise<{ kv: KeyValue; obj: KubeObject }> {
  const key = objectKey(rr.strategy, rr.namespace, rr.name!);
  const { kv } = await ctx.store.get(key);
  if (!kv) throw notFound(rr.strategy.ref, rr.name!);
  return { kv, obj: decode(kv) };
}

/** GET …/name and GET …/name/status. */
export async function getHandler(ctx: ApiContext, rr: ResourceRequest): Promise<ApiResponse> {
  const { obj } = await loadObject(ctx, rr, (kv) => answerDecode(ctx, rr.strategy, kv));
  return objectResponse(rr, obj, 200, ctx.clock.now());
}

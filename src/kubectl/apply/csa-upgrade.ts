import { resourcePath } from '../../api/resources';
import { ApiError } from '../../api/status';
import type { ApiClient } from '../../client/api-client';
import { fromFieldsV1, toFieldsV1, union } from '../../workers/apiserver/managed-fields/field-set';
import type { ApplyTarget } from './apply-targets';

/**
 * What kubectl apply --server-side does after a successful apply to hand over from client-side apply
 * (apply.go saveLastApplyAnnotationIfNecessary and migrateToSSAIfNecessary, client-go csaupgrade):
 * 1. with the default manager "kubectl", an object carrying last-applied-configuration gets it applied by
 *    the manager "kubectl-last-applied" (unless that manager already owns it), so SSA does not orphan it;
 * 2. every Update manager owning the annotation (kubectl-client-side-apply) is folded into the SSA
 *    manager's Apply entry (or becomes it), sent as a JSON patch replacing managedFields and pinning
 *    resourceVersion, then the same server-side apply again so the manager owns exactly its manifest.
 * Each step's result replaces the object; errors propagate, except a 409 on the managedFields patch, which is
 * rebuilt from a fresh GET up to 5 times in all (then the last 409 propagates).
 */
const MAX_PATCH_RETRY = 5;
const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';
const LA_FIELD = `f:${LAST_APPLIED}`;
type Obj = Record<string, unknown>;
type Entry = { manager: string; operation: string; apiVersion?: string; subresource?: string; fieldsV1?: Record<string, any> };

const entriesOf = (o: Obj) => (((o.metadata as Obj | undefined)?.managedFields as Entry[] | undefined) ?? []);
const ownsLastApplied = (e: Entry) => !!e.fieldsV1?.['f:metadata']?.['f:annotations']?.[LA_FIELD];

export async function upgradeFromClientSideApply(client: ApiClient, t: ApplyTarget, obj: Obj, manager: string, reapply: () => Promise<Obj>): Promise<Obj> {
  const path = resourcePath(t.info, t.namespace, t.obj.metadata?.name ?? '');
  const meta = (obj.metadata as Obj | undefined) ?? {};
  const lastApplied = (meta.annotations as Record<string, string> | undefined)?.[LAST_APPLIED];
  if (manager === 'kubectl' && lastApplied !== undefined && !entriesOf(obj).some((e) => e.manager === 'kubectl-last-applied' && ownsLastApplied(e))) {
    const body = { apiVersion: obj.apiVersion, kind: obj.kind, metadata: { name: meta.name, ...(meta.namespace ? { namespace: meta.namespace } : {}), annotations: { [LAST_APPLIED]: lastApplied } } };
    obj = await client.call<Obj>({ method: 'PATCH', path, body: JSON.stringify(body), contentType: 'application/apply-patch+yaml', query: { fieldManager: 'kubectl-last-applied', fieldValidation: 'Strict' } });
  }
  // migrateToSSAIfNecessary: the patch pins resourceVersion, so a write in between (a controller's status)
  // is 409; kubectl then GETs the object and rebuilds the patch, maxPatchRetry (5) times in all.
  let lastErr: unknown;
  for (let attempt = 0; attempt < MAX_PATCH_RETRY; attempt++) {
    const patch = upgradePatch(obj, manager);
    if (!patch) return obj;
    try {
      await client.call<Obj>({ method: 'PATCH', path, body: patch, contentType: 'application/json-patch+json', query: { fieldManager: manager, fieldValidation: 'Strict' } });
      return reapply();
    } catch (err) {
      if (!(err instanceof ApiError) || err.code !== 409) throw err;
      lastErr = err;
      obj = await client.call<Obj>({ method: 'GET', path });
    }
  }
  throw lastErr;
}

/** The JSON patch folding every client-side apply manager into `manager`'s Apply entry; undefined when none. */
function upgradePatch(obj: Obj, manager: string): unknown[] | undefined {
  const entries = entriesOf(obj);
  const csaManagers = new Set(entries.filter((e) => e.operation === 'Update' && ownsLastApplied(e)).map((e) => e.manager));
  let upgraded = entries;
  for (const csa of csaManagers) upgraded = upgradeEntries(upgraded, csa, manager);
  if (JSON.stringify(upgraded) === JSON.stringify(entries)) return undefined;
  return [
    { op: 'replace', path: '/metadata/managedFields', value: upgraded },
    { op: 'replace', path: '/metadata/resourceVersion', value: (obj.metadata as Obj).resourceVersion },
  ];
}

function upgradeEntries(entries: Entry[], csa: string, ssa: string): Entry[] {
  const out = entries.map((e) => ({ ...e }));
  const isCsa = (e: Entry) => e.manager === csa && e.operation === 'Update' && !e.subresource;
  let target = out.findIndex((e) => e.manager === ssa && e.operation === 'Apply' && !e.subresource);
  if (target < 0) {
    target = out.findIndex(isCsa);
    if (target < 0) return entries;
    out[target] = { ...out[target], operation: 'Apply', manager: ssa };
  }
  const source = out.find((e) => isCsa(e) && e.apiVersion === out[target].apiVersion);
  if (source) out[target].fieldsV1 = toFieldsV1(union(fromFieldsV1(out[target].fieldsV1), fromFieldsV1(source.fieldsV1)));
  return out.filter((e) => !isCsa(e));
}

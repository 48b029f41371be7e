import { nameOf, nsOf, type Res } from './kustomize-types';

type Obj = Record<string, unknown>;
type Ref = { kind: string; holder: Obj; field: string };

const obj = (v: unknown): Obj | undefined => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : undefined);
const arr = (v: unknown): Obj[] => (Array.isArray(v) ? (v.filter((x) => obj(x)) as Obj[]) : []);

/** The references a pod spec holds to ConfigMaps, Secrets, ServiceAccounts and PersistentVolumeClaims. */
function podSpecRefs(spec: Obj | undefined, out: Ref[]): void {
  if (!spec) return;
  const push = (kind: string, holder: Obj | undefined, field: string) => {
    if (holder && typeof holder[field] === 'string') out.push({ kind, holder, field });
  };
  push('ServiceAccount', spec, 'serviceAccountName');
  push('ServiceAccount', spec, 'serviceAccount');
  for (const s of arr(spec.imagePullSecrets)) push('Secret', s, 'name');
  for (const v of arr(spec.volumes)) {
    push('ConfigMap', obj(v.configMap), 'name');
    push('Secret', obj(v.secret), 'secretName');
    push('PersistentVolumeClaim', obj(v.persistentVolumeClaim), 'claimName');
    for (const src of arr(obj(v.projected)?.sources)) {
      push('ConfigMap', obj(src.configMap), 'name');
      push('Secret', obj(src.secret), 'name');
    }
  }
  for (const c of [...arr(spec.containers), ...arr(spec.initContainers)]) {
    for (const e of arr(c.env)) {
      push('ConfigMap', obj(obj(e.valueFrom)?.configMapKeyRef), 'name');
      push('Secret', obj(obj(e.valueFrom)?.secretKeyRef), 'name');
    }
    for (const e of arr(c.envFrom)) {
      push('ConfigMap', obj(e.configMapRef), 'name');
      push('Secret', obj(e.secretRef), 'name');
    }
  }
}

function refsOf(o: Obj): Ref[] {
  const out: Ref[] = [];
  const spec = obj(o.spec);
  switch (o.kind) {
    case 'Pod':
      podSpecRefs(spec, out);
      break;
    case 'CronJob':
      podSpecRefs(obj(obj(obj(obj(spec?.jobTemplate)?.spec)?.template)?.spec), out);
      break;
    case 'Ingress':
      for (const t of arr(spec?.tls)) if (typeof t.secretName === 'string') out.push({ kind: 'Secret', holder: t, field: 'secretName' });
      for (const b of [obj(spec?.defaultBackend), ...arr(spec?.rules).flatMap((r) => arr(obj(r.http)?.paths).map((p) => obj(p.backend)))]) {
        const svc = obj(b?.service);
        if (svc && typeof svc.name === 'string') out.push({ kind: 'Service', holder: svc, field: 'name' });
      }
      break;
    case 'RoleBinding':
    case 'ClusterRoleBinding': {
      const role = obj(o.roleRef);
      if (role && typeof role.name === 'string') out.push({ kind: String(role.kind), holder: role, field: 'name' });
      for (const s of arr(o.subjects)) if (s.kind === 'ServiceAccount') out.push({ kind: 'ServiceAccount', holder: s, field: 'name' });
      break;
    }
    default:
      podSpecRefs(obj(obj(spec?.template)?.spec), out);
      if (o.kind === 'StatefulSet' && typeof spec?.serviceName === 'string') out.push({ kind: 'Service', holder: spec, field: 'serviceName' });
  }
  return out;
}

/**
 * kustomize's back-reference fix-up after prefixes, suffixes and hashes changed names: a reference to a
 * former name of a resource of the referenced kind in the build takes its current name (candidates in the
 * referrer's namespace win; an ambiguous or unknown name is left alone).
 */
export function fixNameReferences(resources: Res[]): void {
  for (const r of resources) {
    for (const ref of refsOf(r.obj)) {
      const value = String(ref.holder[ref.field]);
      let candidates = resources.filter((c) => c.obj.kind === ref.kind && c.names.includes(value));
      if (candidates.length > 1) candidates = candidates.filter((c) => nsOf(c.obj) === nsOf(r.obj));
      if (candidates.length === 1) ref.holder[ref.field] = nameOf(candidates[0].obj);
    }
  }
}

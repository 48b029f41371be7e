import type { ClusterRole, ClusterRoleBinding, PolicyRule, Role, RoleBinding } from 'kubernetes-types/rbac/v1';
import { matchesLabelSelector } from '../../../api/label-selector';
import type { Disposable } from '../../../api/disposable';
import type { Store } from '../../../storage/store';
import { WatchedPrefix } from './watched-prefix';

/** The RBAC objects at one store revision, indexed for rule resolution. */
export interface PolicySnapshot {
  /** ClusterRole name → its effective rules (an aggregated role: the union of its selected roles' rules). */
  clusterRoleRules: Map<string, PolicyRule[]>;
  /** "namespace/name" → Role rules. */
  roleRules: Map<string, PolicyRule[]>;
  clusterRoleBindings: ClusterRoleBinding[];
  /** namespace → its RoleBindings. */
  roleBindings: Map<string, RoleBinding[]>;
}

const PREFIX = '/registry/rbac.authorization.k8s.io/';

/**
 * Aggregation as the clusterrole-aggregation controller computes it: an aggregated role's rules are the
 * rules of every other ClusterRole matched by any of its clusterRoleSelectors, de-duplicated, in name order.
 * Aggregated roles may select aggregated roles (admin selects edit selects view): iterated to a fixpoint.
 */
export function aggregateClusterRoles(roles: ClusterRole[]): Map<string, PolicyRule[]> {
  const out = new Map<string, PolicyRule[]>();
  const sorted = [...roles].sort((a, b) => ((a.metadata?.name ?? '') < (b.metadata?.name ?? '') ? -1 : 1));
  for (const r of sorted) out.set(r.metadata?.name ?? '', r.rules ?? []);
  const aggregated = sorted.filter((r) => r.aggregationRule?.clusterRoleSelectors?.length);
  for (let pass = 0, changed = true; changed && pass < 8; pass++) {
    changed = false;
    for (const r of aggregated) {
      const selectors = r.aggregationRule!.clusterRoleSelectors!;
      const rules: PolicyRule[] = [];
      const seen = new Set<string>();
      for (const other of sorted) {
        if (other === r || !selectors.some((s) => matchesLabelSelector(s, other.metadata?.labels))) continue;
        for (const rule of out.get(other.metadata?.name ?? '') ?? []) {
          const k = JSON.stringify(rule);
          if (!seen.has(k)) (seen.add(k), rules.push(rule));
        }
      }
      const name = r.metadata?.name ?? '';
      if (JSON.stringify(out.get(name)) !== JSON.stringify(rules)) (changed = true), out.set(name, rules);
    }
  }
  return out;
}

/**
 * Roles, ClusterRoles and their bindings, kept in memory from the store's watch (WatchedPrefix), so a
 * binding is effective as soon as its create has returned; snapshot() re-indexes (aggregation included)
 * only after a change and otherwise costs nothing. dispose() ends the watch.
 */
export class PolicyCache implements Disposable {
  private readonly source: WatchedPrefix;
  private current: PolicySnapshot | undefined;
  private built = -1;

  constructor(store: Store) {
    this.source = new WatchedPrefix(store, PREFIX);
  }

  async snapshot(): Promise<PolicySnapshot> {
    const kvs = await this.source.ready();
    if (this.current && this.built === this.source.generation) return this.current;
    const clusterRoles: ClusterRole[] = [];
    const snap: PolicySnapshot = { clusterRoleRules: new Map(), roleRules: new Map(), clusterRoleBindings: [], roleBindings: new Map() };
    for (const kv of kvs.values()) {
      const [resource] = kv.key.slice(PREFIX.length).split('/');
      const obj = JSON.parse(kv.value) as ClusterRole & Role & RoleBinding & ClusterRoleBinding;
      if (resource === 'clusterroles') clusterRoles.push(obj);
      else if (resource === 'roles') snap.roleRules.set(`${obj.metadata?.namespace}/${obj.metadata?.name}`, obj.rules ?? []);
      else if (resource === 'clusterrolebindings') snap.clusterRoleBindings.push(obj);
      else if (resource === 'rolebindings') {
        const ns = obj.metadata?.namespace ?? '';
        snap.roleBindings.set(ns, [...(snap.roleBindings.get(ns) ?? []), obj]);
      }
    }
    snap.clusterRoleBindings.sort((a, b) => ((a.metadata?.name ?? '') < (b.metadata?.name ?? '') ? -1 : 1));
    for (const list of snap.roleBindings.values()) list.sort((a, b) => ((a.metadata?.name ?? '') < (b.metadata?.name ?? '') ? -1 : 1));
    snap.clusterRoleRules = aggregateClusterRoles(clusterRoles);
    this.current = snap;
    this.built = this.source.generation;
    return snap;
  }

  dispose(): void {
    this.source.dispose();
  }
}

import type { Store } from '../../../storage/store';
import { WatchedPrefix } from '../authz/watched-prefix';
import { keyPrefix } from '../object-codec';
import { builtinTable } from '../registry/registry';
import { ValidatingAdmissionPolicies, ValidatingAdmissionPolicyBindings } from '../registry/admission-policy-strategies';
import { compileExpression, type CompiledExpression } from './cel-env';

type Obj = Record<string, any>;

/** A policy with its expressions compiled once per stored version. */
export interface CompiledPolicy {
  policy: Obj;
  variables: Array<{ name: string; c: CompiledExpression }>;
  matchConditions: Array<{ name: string; c: CompiledExpression }>;
  validations: Array<{ v: Obj; c: CompiledExpression; message?: CompiledExpression }>;
  auditAnnotations: Array<{ key: string; valueExpression: string; c: CompiledExpression }>;
}

/** What the dispatcher iterates: bindings in name order, each with its policy (undefined when missing). */
export interface PolicyHooks {
  bindings: Array<{ binding: Obj; policy: CompiledPolicy | undefined }>;
}

function compilePolicy(policy: Obj): CompiledPolicy {
  const spec = policy.spec ?? {};
  return {
    policy,
    variables: (spec.variables ?? []).map((v: Obj) => ({ name: v.name, c: compileExpression(v.expression, 'dyn') })),
    matchConditions: (spec.matchConditions ?? []).map((m: Obj) => ({ name: m.name, c: compileExpression(m.expression, 'bool') })),
    validations: (spec.validations ?? []).map((v: Obj) => ({ v, c: compileExpression(v.expression, 'bool'), ...(v.messageExpression ? { message: compileExpression(v.messageExpression, 'string') } : {}) })),
    auditAnnotations: (spec.auditAnnotations ?? []).map((x: Obj) => ({ key: String(x.key ?? ''), valueExpression: String(x.valueExpression ?? ''), c: compileExpression(String(x.valueExpression ?? '').trim(), 'dyn') })),
  };
}

/**
 * ValidatingAdmissionPolicies and their bindings kept in memory from the store's watch (one index per
 * store), with every expression compiled once per stored version: a write with no bindings costs a map
 * look-up, not a store read and re-parse. A change is seen by the next write (WatchedPrefix's contract).
 */
export class PolicyIndex {
  private readonly policies: WatchedPrefix;
  private readonly bindings: WatchedPrefix;
  private readonly compiled = new Map<string, { rev: number; p: CompiledPolicy }>();
  private hooks: PolicyHooks | undefined;
  private built = '';

  constructor(store: Store) {
    this.policies = new WatchedPrefix(store, keyPrefix(builtinTable.lookup(ValidatingAdmissionPolicies.group, 'v1', ValidatingAdmissionPolicies.resource)!));
    this.bindings = new WatchedPrefix(store, keyPrefix(builtinTable.lookup(ValidatingAdmissionPolicyBindings.group, 'v1', ValidatingAdmissionPolicyBindings.resource)!));
  }

  async current(): Promise<PolicyHooks> {
    const [pkvs, bkvs] = await Promise.all([this.policies.ready(), this.bindings.ready()]);
    const gen = `${this.policies.generation}/${this.bindings.generation}`;
    if (this.hooks && this.built === gen) return this.hooks;
    const byName = new Map<string, CompiledPolicy>();
    const seen = new Set<string>();
    for (const kv of pkvs.values()) {
      seen.add(kv.key);
      let entry = this.compiled.get(kv.key);
      if (!entry || entry.rev !== kv.modRevision) this.compiled.set(kv.key, (entry = { rev: kv.modRevision, p: compilePolicy(JSON.parse(kv.value)) }));
      byName.set(entry.p.policy.metadata?.name, entry.p);
    }
    for (const k of [...this.compiled.keys()]) if (!seen.has(k)) this.compiled.delete(k);
    const bindings = [...bkvs.values()]
      .map((kv) => JSON.parse(kv.value) as Obj)
      .sort((x, y) => (x.metadata?.name < y.metadata?.name ? -1 : 1))
      .map((binding) => ({ binding, policy: byName.get(binding.spec?.policyName) }));
    this.hooks = { bindings };
    this.built = gen;
    return this.hooks;
  }

  dispose(): void {
    this.policies.dispose();
    this.bindings.dispose();
  }
}

const byStore = new WeakMap<Store, PolicyIndex>();

/** The store's PolicyIndex, created on first use; its watches end when the store closes. */
export function policyIndex(store: Store): PolicyIndex {
  let ix = byStore.get(store);
  if (!ix) byStore.set(store, (ix = new PolicyIndex(store)));
  return ix;
}

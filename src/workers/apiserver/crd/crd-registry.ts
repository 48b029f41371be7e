import type { Disposable } from '../../../api/disposable';
import type { Store } from '../../../storage/store';
import { decodeKv } from '../object-codec';
import { builtinTable, type StrategyTable } from '../registry/registry';
import type { ResourceStrategy } from '../registry/strategy';
import { compareKubeVersions, CRD_PREFIX, isEstablished, type Crd } from './crd-types';
import { customResourceInfo, customResourceStrategy } from './custom-resource-strategy';

const key = (g: string, v: string, r: string) => `${g}/${v}/${r}`;

/**
 * The per-apiserver resource table: built-ins plus one strategy per served version of every
 * established CRD in the store. sync() rebuilds it from the store (serialised: concurrent calls share
 * one pass, and a call made during a pass gets a fresh one after it); the apiserver calls it at boot,
 * after every CRD write it serves, and on store events under the CRD prefix (writes from elsewhere).
 * onTerminating is told the name of every CRD with a deletionTimestamp on each sync (idempotence is
 * the listener's). Strategies are rebuilt only for CRDs whose resourceVersion changed.
 */
export class CrdRegistry implements StrategyTable {
  private byKey = new Map<string, ResourceStrategy>();
  private custom: ResourceStrategy[] = [];
  private cache = new Map<string, { rv: string; strategies: ResourceStrategy[] }>();
  private running: Promise<void> | undefined;
  private queued: Promise<void> | undefined;
  private watch: Disposable | undefined;
  private listedRevision = 0;

  constructor(
    private readonly store: Store,
    private readonly onTerminating: (crd: Crd, strategies: ResourceStrategy[]) => void = () => {},
  ) {}

  lookup(group: string, version: string, resource: string): ResourceStrategy | undefined {
    return builtinTable.lookup(group, version, resource) ?? this.byKey.get(key(group, version, resource));
  }

  all(): readonly ResourceStrategy[] {
    return [...builtinTable.all(), ...this.custom];
  }

  /** Served custom resource strategies, by group name then version priority. */
  customStrategies(): readonly ResourceStrategy[] {
    return this.custom;
  }

  /** Every strategy (served or not, terminating included) of the CRD with this name. */
  strategiesOf(crdName: string): ResourceStrategy[] {
    return this.cache.get(crdName)?.strategies ?? [];
  }

  /** Starts following CRD writes made by other writers of the store; dispose() stops. */
  follow(): Disposable {
    // from just after the last list, so no CRD write between that list and this watch is missed
    this.watch ??= this.store.watch(CRD_PREFIX, this.listedRevision + 1, { onEvents: () => void this.sync().catch(() => {}) });
    return { dispose: () => this.dispose() };
  }

  dispose(): void {
    this.watch?.dispose();
    this.watch = undefined;
  }

  sync(): Promise<void> {
    if (!this.running) {
      this.running = this.pass().finally(() => (this.running = undefined));
      return this.running;
    }
    this.queued ??= this.running.then(() => {
      this.queued = undefined;
      return this.sync();
    });
    return this.queued;
  }

  private async pass(): Promise<void> {
    const { kvs, revision } = await this.store.list(CRD_PREFIX);
    this.listedRevision = Math.max(this.listedRevision, revision);
    const next = new Map<string, { rv: string; strategies: ResourceStrategy[] }>();
    const terminating: Array<[Crd, ResourceStrategy[]]> = [];
    for (const kv of kvs) {
      const crd = decodeKv(kv) as Crd;
      const name = crd.metadata?.name ?? '';
      const rv = String(kv.modRevision);
      let entry = this.cache.get(name);
      if (!entry || entry.rv !== rv) entry = { rv, strategies: build(crd) };
      next.set(name, entry);
      if (crd.metadata?.deletionTimestamp) terminating.push([crd, entry.strategies]);
    }
    this.cache = next;
    const served: ResourceStrategy[] = [];
    for (const e of next.values()) served.push(...e.strategies.filter((s) => customResourceInfo(s)?.version.served));
    served.sort((a, b) => (a.ref.group !== b.ref.group ? (a.ref.group < b.ref.group ? -1 : 1) : compareKubeVersions(a.ref.version, b.ref.version) || (a.ref.resource < b.ref.resource ? -1 : 1)));
    const byKey = new Map<string, ResourceStrategy>();
    for (const s of served) {
      const k = key(s.ref.group, s.ref.version, s.ref.resource);
      if (!builtinTable.lookup(s.ref.group, s.ref.version, s.ref.resource) && !byKey.has(k)) byKey.set(k, s);
    }
    this.custom = [...byKey.values()];
    this.byKey = byKey;
    for (const [crd, strategies] of terminating) this.onTerminating(crd, strategies);
  }
}

/** One strategy per version of an established, well-formed CRD (none otherwise). */
function build(crd: Crd): ResourceStrategy[] {
  const spec = crd.spec;
  if (!isEstablished(crd) || !spec?.group || !spec.names?.plural || !spec.names.kind) return [];
  const terminating = !!crd.metadata?.deletionTimestamp;
  return (spec.versions ?? []).filter((v) => v.name).map((v) => customResourceStrategy(crd, v, terminating));
}

import type { ResourceStrategy } from './strategy';
import { podStrategy } from './pod-strategy';
import { nodeStrategy } from './node-strategy';
import { namespaceStrategy } from './namespace-strategy';
import { eventStrategy } from './event-strategy';
import { configMapStrategy, leaseStrategy, secretStrategy } from './config-strategies';

/** Every resource served, keyed by "<group>/<version>/<plural>" ('' group for core). Order is discovery order. */
export const strategies: ResourceStrategy[] = [configMapStrategy, eventStrategy, namespaceStrategy, nodeStrategy, podStrategy, secretStrategy, leaseStrategy];

const byKey = new Map(strategies.map((s) => [`${s.ref.group}/${s.ref.version}/${s.ref.resource}`, s]));

export function lookupStrategy(group: string, version: string, resource: string): ResourceStrategy | undefined {
  return byKey.get(`${group}/${version}/${resource}`);
}

/** API groups other than core, in discovery order, each with its (single, preferred) version. */
export function apiGroups(): Array<{ name: string; version: string }> {
  const out: Array<{ name: string; version: string }> = [];
  for (const s of strategies) if (s.ref.group && !out.some((g) => g.name === s.ref.group)) out.push({ name: s.ref.group, version: s.ref.version });
  return out;
}

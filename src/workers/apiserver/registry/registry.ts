import type { ResourceStrategy } from './strategy';
import { podStrategy } from './pod-strategy';
import { nodeStrategy } from './node-strategy';
import { namespaceStrategy } from './namespace-strategy';
import { eventStrategy } from './event-strategy';

/** Every resource served, keyed by "<group>/<version>/<plural>" ('' group for core). Order is discovery order. */
export const strategies: ResourceStrategy[] = [eventStrategy, namespaceStrategy, nodeStrategy, podStrategy];

const byKey = new Map(strategies.map((s) => [`${s.ref.group}/${s.ref.version}/${s.ref.resource}`, s]));

export function lookupStrategy(group: string, version: string, resource: string): ResourceStrategy | undefined {
  return byKey.get(`${group}/${version}/${resource}`);
}

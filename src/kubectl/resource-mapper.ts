import type { ApiClient } from '../client/api-client';
import type { ResourceRef } from '../api/resources';
import { NoResourceMatchError } from './cli/errors';

/** One API resource as discovery describes it (subresources excluded). */
export interface ApiResourceInfo extends ResourceRef {
  singularName: string;
  shortNames: string[];
  verbs: string[];
  categories: string[];
  /** True for the group's preferred version. */
  preferred: boolean;
}

interface DiscoveryResource {
  name: string;
  singularName?: string;
  namespaced: boolean;
  kind: string;
  verbs?: string[];
  shortNames?: string[];
  categories?: string[];
}

/**
 * Maps what users type (pods, po, pod, Pod, deployments.apps, pods.v1.) and what manifests carry
 * (apiVersion + kind) to resources, from the server's discovery documents, fetched once per run.
 * Resolution order follows kubectl's priority mapper: the core group first, then groups in discovery
 * order; within a group the preferred version.
 */
export class ResourceMapper {
  private constructor(readonly resources: ApiResourceInfo[]) {}

  static async discover(client: ApiClient): Promise<ResourceMapper> {
    const out: ApiResourceInfo[] = [];
    const addList = (group: string, version: string, preferred: boolean, list: { resources?: DiscoveryResource[] }) => {
      for (const r of list.resources ?? []) {
        if (r.name.includes('/')) continue;
        out.push({
          group,
          version,
          resource: r.name,
          kind: r.kind,
          namespaced: r.namespaced,
          singularName: r.singularName || r.kind.toLowerCase(),
          shortNames: r.shortNames ?? [],
          verbs: r.verbs ?? [],
          categories: r.categories ?? [],
          preferred,
        });
      }
    };
    const core = await client.call<{ versions?: string[] }>({ method: 'GET', path: '/api' });
    for (const v of core.versions ?? []) addList('', v, true, await client.call({ method: 'GET', path: `/api/${v}` }));
    const groups = await client
      .call<{ groups?: { name: string; versions: { groupVersion: string; version: string }[]; preferredVersion?: { version: string } }[] }>({ method: 'GET', path: '/apis' })
      .catch(() => ({ groups: [] }));
    for (const g of groups.groups ?? []) {
      for (const v of g.versions) {
        const list = await client.call<{ resources?: DiscoveryResource[] }>({ method: 'GET', path: `/apis/${v.groupVersion}` }).catch(() => undefined);
        if (list) addList(g.name, v.version, (g.preferredVersion?.version ?? g.versions[0]?.version) === v.version, list);
      }
    }
    return new ResourceMapper(out);
  }

  static fromResources(resources: ApiResourceInfo[]): ResourceMapper {
    return new ResourceMapper(resources);
  }

  /**
   * Resolves a resource argument (case-insensitive). Throws NoResourceMatchError with kubectl's
   * parsing of the argument (resource[.version][.group]) when nothing matches.
   */
  resolve(arg: string): ApiResourceInfo {
    const lower = arg.toLowerCase();
    const matches = (r: ApiResourceInfo, name: string) => r.resource === name || r.singularName === name || r.shortNames.includes(name);
    const ordered = [...this.resources.filter((r) => r.preferred), ...this.resources.filter((r) => !r.preferred)];
    const plain = ordered.find((r) => matches(r, lower));
    if (plain) return plain;
    const parts = lower.split('.');
    if (parts.length >= 3) {
      const [res, version, ...g] = parts;
      const group = g.join('.');
      const hit = ordered.find((r) => matches(r, res) && r.version === version && r.group === group);
      if (hit) return hit;
    }
    if (parts.length >= 2) {
      const [res, ...g] = parts;
      const group = g.join('.');
      const hit = ordered.find((r) => matches(r, res) && r.group === group);
      if (hit) return hit;
      // "pods.v1." style (core group) ends with an empty group part.
      const hitCore = ordered.find((r) => matches(r, res) && r.group === '' && `${r.version}.` === g.join('.') + '.');
      if (hitCore) return hitCore;
    }
    throw new NoResourceMatchError(lower);
  }

  /**
   * Resources in a discovery category ("all"), preferred versions only, in discovery order; empty when
   * the name is not a category.
   */
  expandCategory(name: string): ApiResourceInfo[] {
    const lower = name.toLowerCase();
    return this.resources.filter((r) => r.preferred && r.categories.includes(lower));
  }

  /** The resource for a manifest's apiVersion and kind, or undefined (kubectl: "no matches for kind"). */
  forKind(apiVersion: string, kind: string): ApiResourceInfo | undefined {
    const slash = apiVersion.indexOf('/');
    const group = slash < 0 ? '' : apiVersion.slice(0, slash);
    const version = slash < 0 ? apiVersion : apiVersion.slice(slash + 1);
    return this.resources.find((r) => r.group === group && r.version === version && r.kind === kind);
  }
}

/** kubectl's "kind.group" lower-case name used by -o name and `pod/x created`. */
export function kindPrefix(ref: Pick<ResourceRef, 'kind' | 'group'>): string {
  return ref.group ? `${ref.kind.toLowerCase()}.${ref.group}` : ref.kind.toLowerCase();
}

import type { Environment } from '@marcbachmann/cel-js';
import type { UserInfo } from '../../../api/protocol';
import type { Attributes } from '../authz/request-attributes';
import { serviceAccountUser } from '../authz/service-account-tokens';

/** The authorizer a policy's `authorizer` variable asks (Node,RBAC as the apiserver runs them). */
export type AuthorizeFn = (a: Attributes, fieldSelector?: string) => Promise<{ allowed: boolean; reason: string }>;

const T = 'kubernetes.authorization.';
const NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

export class CelDecision {
  constructor(
    readonly isAllowed: boolean,
    readonly reasonText: string,
    readonly err?: string,
  ) {}
}

/** kubernetes.authorization.Authorizer: checks as `user`; requestResource is the request's own resource. */
export class CelAuthorizer {
  readonly requestResource?: CelResourceCheck;
  constructor(
    readonly user: UserInfo,
    readonly authorize: AuthorizeFn,
    request?: { group: string; resource: string; subresource: string; namespace: string; name: string },
  ) {
    if (request) this.requestResource = new CelResourceCheck(this, request.group, request.resource, { subresource: request.subresource, namespace: request.namespace, name: request.name });
  }

  async decide(a: Omit<Attributes, 'user'>, fieldSelector?: string): Promise<CelDecision> {
    try {
      const d = await this.authorize({ ...a, user: this.user }, fieldSelector);
      return new CelDecision(d.allowed, d.reason);
    } catch (err) {
      return new CelDecision(false, '', String((err as Error)?.message ?? err));
    }
  }
}

export class CelPathCheck {
  constructor(
    readonly authz: CelAuthorizer,
    readonly path: string,
  ) {}
}

export class CelGroupCheck {
  constructor(
    readonly authz: CelAuthorizer,
    readonly group: string,
  ) {}
}

interface ResourceFields {
  subresource?: string;
  namespace?: string;
  name?: string;
  fieldSelector?: string;
  labelSelector?: string;
}

export class CelResourceCheck {
  constructor(
    readonly authz: CelAuthorizer,
    readonly group: string,
    readonly resource: string,
    readonly f: ResourceFields = {},
  ) {}
  with(f: ResourceFields): CelResourceCheck {
    return new CelResourceCheck(this.authz, this.group, this.resource, { ...this.f, ...f });
  }
}

const base = { isResourceRequest: false, path: '', namespace: '', apiGroup: '', apiVersion: '', resource: '', subresource: '', name: '' };

/**
 * Kubernetes' CEL authz library (k8s.io/apiserver/pkg/cel/library/authz.go) on a cel-js Environment:
 * authorizer.path(p).check(httpVerb), authorizer.group(g).resource(r)[.subresource(s)][.namespace(ns)][.name(n)]
 * [.fieldSelector(s)][.labelSelector(s)].check(apiVerb), authorizer.serviceAccount(ns, name),
 * authorizer.requestResource, and Decision.allowed()/reason()/errored()/error(). Checks are async (a
 * policy evaluation that uses them returns a Promise). Errors: "resource must not be empty",
 * "Invalid service account name", "Invalid service account namespace".
 */
export function registerAuthorizerLibrary(e: Environment): void {
  e.registerType(`${T}Decision`, CelDecision);
  e.registerType(`${T}PathCheck`, CelPathCheck);
  e.registerType(`${T}GroupCheck`, CelGroupCheck);
  e.registerType(`${T}ResourceCheck`, CelResourceCheck);
  e.registerType(`${T}Authorizer`, { ctor: CelAuthorizer, fields: { requestResource: `${T}ResourceCheck` } });
  e.registerFunction(`${T}Authorizer.path(string): ${T}PathCheck`, (a: CelAuthorizer, p: string) => new CelPathCheck(a, p));
  e.registerFunction(`${T}Authorizer.group(string): ${T}GroupCheck`, (a: CelAuthorizer, g: string) => new CelGroupCheck(a, g));
  e.registerFunction(`${T}Authorizer.serviceAccount(string, string): ${T}Authorizer`, (a: CelAuthorizer, ns: string, name: string) => {
    if (name.length > 253 || !NAME.test(name)) throw new Error('Invalid service account name');
    if (ns.length > 63 || !LABEL.test(ns)) throw new Error('Invalid service account namespace');
    const u = serviceAccountUser(ns, name);
    return new CelAuthorizer({ ...u, groups: u.groups!.filter((g) => g !== 'system:authenticated') }, a.authorize);
  });
  e.registerFunction(`${T}GroupCheck.resource(string): ${T}ResourceCheck`, (g: CelGroupCheck, r: string) => {
    if (!r.trim()) throw new Error('resource must not be empty');
    return new CelResourceCheck(g.authz, g.group, r);
  });
  for (const f of ['subresource', 'namespace', 'name', 'fieldSelector', 'labelSelector'] as const) {
    e.registerFunction(`${T}ResourceCheck.${f}(string): ${T}ResourceCheck`, (c: CelResourceCheck, v: string) => c.with({ [f]: v }));
  }
  e.registerFunction(`${T}PathCheck.check(string): ${T}Decision`, (c: CelPathCheck, verb: string) => c.authz.decide({ ...base, path: c.path, verb }));
  e.registerFunction(`${T}ResourceCheck.check(string): ${T}Decision`, (c: CelResourceCheck, verb: string) =>
    c.authz.decide({ ...base, isResourceRequest: true, apiGroup: c.group, apiVersion: '*', resource: c.resource, subresource: c.f.subresource ?? '', namespace: c.f.namespace ?? '', name: c.f.name ?? '', verb }, c.f.fieldSelector),
  );
  e.registerFunction(`${T}Decision.allowed(): bool`, (d: CelDecision) => d.isAllowed);
  e.registerFunction(`${T}Decision.reason(): string`, (d: CelDecision) => d.reasonText);
  e.registerFunction(`${T}Decision.errored(): bool`, (d: CelDecision) => d.err !== undefined);
  e.registerFunction(`${T}Decision.error(): string`, (d: CelDecision) => d.err ?? '');
}

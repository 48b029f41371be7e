import type { ApiHandler, ApiRequest, UserInfo } from '../../../api/protocol';

/**
 * The identities kubeadm gives the control-plane components in their kubeconfigs' client certificates
 * (CN = user, O = groups), plus system:authenticated as every authenticated user gets.
 */
export const KUBE_CONTROLLER_MANAGER_USER: UserInfo = { username: 'system:kube-controller-manager', groups: ['system:authenticated'] };
export const KUBE_SCHEDULER_USER: UserInfo = { username: 'system:kube-scheduler', groups: ['system:authenticated'] };
export const KUBE_PROXY_USER: UserInfo = { username: 'system:kube-proxy', groups: ['system:authenticated'] };
export const NODES_GROUP = 'system:nodes';
const NODE_PREFIX = 'system:node:';

/** A kubelet's identity: system:node:<nodeName> in system:nodes. */
export function nodeUser(nodeName: string): UserInfo {
  return { username: `${NODE_PREFIX}${nodeName}`, groups: [NODES_GROUP, 'system:authenticated'] };
}

/**
 * nodeidentifier.NodeIdentity: a user in system:nodes named system:node:<name> is node <name>; a member of
 * system:nodes with another name is a node of unknown name (''); anyone else is not a node (undefined).
 */
export function nodeIdentity(user: UserInfo): string | undefined {
  if (!(user.groups ?? []).includes(NODES_GROUP)) return undefined;
  return user.username.startsWith(NODE_PREFIX) ? user.username.slice(NODE_PREFIX.length) : '';
}

/**
 * A connection authenticated as `user`, as a client certificate authenticates a TLS connection: every
 * request without a bearer token acts as `user` whatever `req.user` the client sent; requests with a token
 * are authenticated by the token (a component that uses service account credentials presents no cert).
 * Impersonation headers pass through and are checked against `user`.
 */
export function authenticatedAs<H extends ApiHandler>(inner: H, user: UserInfo): ApiHandler {
  // One frozen copy for every request (the handlers only read req.user).
  const copy = structuredClone(user);
  if (copy.groups) Object.freeze(copy.groups);
  const fixed = Object.freeze(copy);
  const stamp = (req: ApiRequest): ApiRequest => (req.bearerToken !== undefined ? req : { ...req, user: fixed });
  // Called as methods so a Comlink proxy as `inner` reaches the remote functions.
  return {
    request: (req) => inner.request(stamp(req)),
    stream: (req) => inner.stream(stamp(req)),
    read: (id) => inner.read(id),
    cancel: (id) => inner.cancel(id),
    write: async (id, input) => inner.write?.(id, input),
  };
}

import type { ApiHandler, ApiRequest, ApiResponse, StreamOpen } from '../../api/protocol';
import { failureStatus } from '../../api/status';
import { humanDuration } from '../../api/duration';
import { FakeApiHandler } from '../../client/testing/fake-api-handler';

/**
 * Test double for kubectl unit tests until they run against createApiServer: FakeApiHandler's CRUD
 * plus discovery (pods, nodes, namespaces, events), /version, pod Tables (NAME READY STATUS RESTARTS
 * AGE; wide: IP NODE NOMINATED NODE READINESS GATES), NAME/STATUS/AGE for others, pods/log from `logs`,
 * and name validation that answers 422 like kube-apiserver for names that are not DNS-1123 subdomains.
 */
export class FakeKubeServer implements ApiHandler {
  readonly inner: FakeApiHandler;
  readonly logs = new Map<string, string | { error: string }>();

  constructor(private readonly now: () => number) {
    this.inner = new FakeApiHandler(() => new Date(Math.floor(now() / 1000) * 1000).toISOString().replace('.000Z', 'Z'));
  }

  async request(req: ApiRequest): Promise<ApiResponse> {
    if (req.method === 'GET') {
      if (req.path === '/api') return ok({ kind: 'APIVersions', versions: ['v1'] });
      if (req.path === '/apis') return ok({ kind: 'APIGroupList', apiVersion: 'v1', groups: [] });
      if (req.path === '/version') return ok({ major: '1', minor: '32', gitVersion: 'v1.32.0' });
      if (req.path === '/api/v1') {
        const r = (name: string, singularName: string, kind: string, namespaced: boolean, shortNames?: string[]) => ({ name, singularName, kind, namespaced, shortNames, verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'] });
        return ok({ kind: 'APIResourceList', groupVersion: 'v1', resources: [r('events', 'event', 'Event', true, ['ev']), r('namespaces', 'namespace', 'Namespace', false, ['ns']), r('nodes', 'node', 'Node', false, ['no']), r('pods', 'pod', 'Pod', true, ['po']), r('pods/log', '', 'Pod', true)] });
      }
      const log = /^\/api\/v1\/namespaces\/([^/]+)\/pods\/([^/]+)\/log$/.exec(req.path);
      if (log) {
        const entry = this.logs.get(`${log[1]}/${log[2]}/${req.query?.container ?? ''}`);
        if (entry === undefined) return { status: 404, body: failureStatus('NotFound', `pods "${log[2]}" not found`) };
        if (typeof entry !== 'string') return { status: 400, body: failureStatus('BadRequest', entry.error) };
        return ok(entry);
      }
    }
    if (req.method === 'POST') {
      const name = (req.body as { metadata?: { name?: string } })?.metadata?.name ?? '';
      if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/.test(name)) {
        const msg = `Invalid value: "${name}": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')`;
        return { status: 422, body: failureStatus('Invalid', `Pod "${name}" is invalid: metadata.name: ${msg}`, { name, kind: 'Pod', causes: [{ reason: 'FieldValueInvalid', message: msg, field: 'metadata.name' }] }) };
      }
    }
    const res = await this.inner.request(req);
    if (res.status === 200 && req.method === 'GET' && req.accept?.includes('as=Table')) return ok(this.toTable(req.path, res.body));
    return res;
  }

  private toTable(path: string, body: unknown): unknown {
    const b = body as { items?: Record<string, unknown>[] };
    const items = (b.items ?? [body]) as { metadata: { name: string; namespace?: string; labels?: Record<string, string>; creationTimestamp?: string }; status?: { phase?: string } }[];
    const age = (o: (typeof items)[number]) => humanDuration(this.now() - Date.parse(o.metadata.creationTimestamp ?? ''));
    const meta = (o: (typeof items)[number]) => ({ kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: o.metadata });
    if (/\/pods(\/|$)/.test(path)) {
      return {
        kind: 'Table',
        apiVersion: 'meta.k8s.io/v1',
        metadata: { resourceVersion: '1' },
        columnDefinitions: [
          { name: 'Name', type: 'string', format: 'name', priority: 0 },
          { name: 'Ready', type: 'string', format: '', priority: 0 },
          { name: 'Status', type: 'string', format: '', priority: 0 },
          { name: 'Restarts', type: 'string', format: '', priority: 0 },
          { name: 'Age', type: 'string', format: '', priority: 0 },
          { name: 'IP', type: 'string', format: '', priority: 1 },
          { name: 'Node', type: 'string', format: '', priority: 1 },
          { name: 'Nominated Node', type: 'string', format: '', priority: 1 },
          { name: 'Readiness Gates', type: 'string', format: '', priority: 1 },
        ],
        rows: items.map((o) => ({ cells: [o.metadata.name, '0/1', o.status?.phase ?? 'Pending', '0', age(o), '<none>', '<none>', '<none>', '<none>'], object: meta(o) })),
      };
    }
    return {
      kind: 'Table',
      apiVersion: 'meta.k8s.io/v1',
      metadata: { resourceVersion: '1' },
      columnDefinitions: [
        { name: 'Name', type: 'string', format: 'name', priority: 0 },
        { name: 'Status', type: 'string', format: '', priority: 0 },
        { name: 'Age', type: 'string', format: '', priority: 0 },
      ],
      rows: items.map((o) => ({ cells: [o.metadata.name, 'Active', age(o)], object: meta(o) })),
    };
  }

  stream(req: ApiRequest): Promise<StreamOpen> {
    return this.inner.stream(req);
  }
  read(id: string): Promise<unknown[] | null> {
    return this.inner.read(id);
  }
  cancel(id: string): Promise<void> {
    return this.inner.cancel(id);
  }
}

function ok(body: unknown): ApiResponse {
  return { status: 200, body };
}

import { beforeEach } from 'vitest';
import { FakeClock, seededIds, type ApiRequest, type ApiResponse } from '../../../api';
import { createMemoryStore } from '../../../storage';
import { createApiServer, type ApiServer } from '../index';

/** A Pod body with one nginx container, for apiserver tests. */
export const pod = (name: string, extra: Record<string, unknown> = {}) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name },
  spec: { containers: [{ name: 'app', image: 'nginx' }] },
  ...extra,
});

/**
 * Registers a beforeEach that gives each test a fresh apiserver on a memory store and a FakeClock.
 * Read `api` and `clock` inside tests; `call` defaults the method to GET.
 */
export function apiFixture() {
  const state = {} as { api: ApiServer; clock: FakeClock };
  beforeEach(async () => {
    state.clock = new FakeClock();
    state.api = await createApiServer({ store: createMemoryStore(), clock: state.clock, ids: seededIds(7) });
  });
  const call = (req: Partial<ApiRequest> & { path: string }): Promise<ApiResponse> => state.api.request({ method: 'GET', ...req });
  return {
    get api() {
      return state.api;
    },
    get clock() {
      return state.clock;
    },
    call,
    createPod: (name: string, ns = 'default', extra: Record<string, unknown> = {}) =>
      call({ method: 'POST', path: `/api/v1/namespaces/${ns}/pods`, body: pod(name, extra) }),
  };
}

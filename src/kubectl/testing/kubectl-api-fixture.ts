import { FakeClock, seededIds, type ApiHandler, type ApiRequest, type ApiResponse } from '../../api';
import { ApiClient } from '../../client/api-client';
import { createMemoryStore } from '../../storage';
import { createApiServer } from '../../workers/apiserver';
import { captureKubectl } from './capture-kubectl';

/** Answers a request instead of the apiserver, or undefined to pass it on. */
export type Intercept = (req: ApiRequest, api: ApiHandler) => Promise<ApiResponse | undefined> | ApiResponse | undefined;

/**
 * kubectl unit tests against the real apiserver on a memory store with a FakeClock; `intercept` lets a
 * test stub endpoints the apiserver lacks (eviction, access reviews) or inject failures. `run` resolves
 * with { code, stdout, stderr }; `requests` records every request kubectl sent.
 */
export async function kubectlApiFixture(intercept?: Intercept) {
  const clock = new FakeClock(Date.UTC(2026, 0, 1));
  const api = await createApiServer({ store: createMemoryStore(), clock, ids: seededIds(11) });
  const requests: ApiRequest[] = [];
  const handler: ApiHandler = {
    async request(req) {
      requests.push(req);
      return (await intercept?.(req, api)) ?? api.request(req);
    },
    stream: (req) => api.stream(req),
    read: (id) => api.read(id),
    cancel: (id) => api.cancel(id),
  };
  const client = new ApiClient(handler);
  return {
    api,
    client,
    clock,
    requests,
    async run(line: string, stdin?: string) {
      return captureKubectl(line, { client, clock, stdin });
    },
    /** Runs line while advancing the fake clock in 1s steps until it finishes (for commands that poll). */
    async runTicking(line: string, maxSeconds = 120) {
      let done = false;
      const p = this.run(line).finally(() => (done = true));
      for (let i = 0; i < maxSeconds && !done; i++) await clock.advance(1000);
      return p;
    },
  };
}

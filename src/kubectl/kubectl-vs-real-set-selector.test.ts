// kubectl set selector against the real kubectl 1.32 on the same `npm run serve` cluster: each runs on its own
// namespace's copy of the objects; outputs, exit codes and the resulting selectors are compared. --local reads
// stdin (-f -), so the typed-struct JSON order is compared too.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { itMatchesRealPerNamespace, REAL_KUBECTL, ServeFixture, twinNamespaces } from '../../test/serve-helpers';

const objects = (ns: string) => `apiVersion: v1
kind: Namespace
metadata: {name: ${ns}}
---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: ${ns}, labels: {app: web}}
spec:
  selector: {app: web}
  ports: [{port: 80}]
---
apiVersion: v1
kind: ConfigMap
metadata: {name: cm, namespace: ${ns}}
`;

const localService = `apiVersion: v1
kind: Service
metadata:
  name: my-svc
  labels: {app: my-svc}
spec:
  clusterIP: None
  type: ClusterIP
  ports:
  - {name: http, port: 80, protocol: TCP}
`;

const serve = new ServeFixture('tabernetes-set-selector-', { apply: twinNamespaces(objects) });

describe.skipIf(!REAL_KUBECTL)('kubectl set selector matches kubectl 1.32', () => {
  beforeAll(() => serve.start(), 120_000);
  afterAll(() => serve.stop());

  const cases = [
    ['set', 'selector', 'svc', 'web', 'app=x,tier=y'],
    ['set', 'selector', 'service/web', 'tier=y'],
    ['set', 'selector', 'svc', 'web', 'tier=y'],
    ['set', 'selector', 'svc', 'web', 'tier=z', '--dry-run=server'],
    ['set', 'selector', 'svc', 'web', 'tier=w', '--dry-run=client', '-o', 'jsonpath={.spec.selector}'],
    ['set', 'selector', 'svc', 'web', 'app in (a,b)'],
    ['set', 'selector', 'svc', 'web', '!app'],
    ['set', 'selector', 'svc', 'web', 'a b'],
    ['set', 'selector', 'svc', 'web', 'a>1'],
    ['set', 'selector', 'svc', 'web', 'x=1', '--resource-version=1'],
    ['set', 'selector', 'cm', 'cm', 'app=x'],
    ['set', 'selector', 'svc', 'nope', 'app=x'],
    ['set', 'selector', 'svc', 'web'],
    ['set', 'selector'],
  ];
  itMatchesRealPerNamespace(serve, cases);

  for (const output of ['json', 'yaml', 'name']) {
    it(`--local -f - -o ${output}`, async () => {
      const args = ['set', 'selector', '--local', '-f', '-', 'environment=qa', '-o', output];
      const real = await serve.real(args, { stdin: localService });
      expect(await serve.ours(args, localService)).toEqual(real);
    }, 30_000);
  }

  it('leaves the same selector behind', async () => {
    const get = (ns: string) => serve.ours(['get', 'svc', 'web', '-n', ns, '-o', 'jsonpath={.spec.selector}']);
    expect((await get('ours')).stdout).toBe((await get('real')).stdout);
  });
});

// Our kubectl against an apiserver serving a CustomResourceDefinition: discovery-driven resource
// mapping, server-side printing of additionalPrinterColumns, explain from the CRD's schema.
import { describe, expect, it } from 'vitest';
import { FakeClock, seededIds } from '../src/api';
import { ApiClient } from '../src/client/api-client';
import { createMemoryStore } from '../src/storage';
import { createApiServer } from '../src/workers/apiserver';
import { CR_YAML, CRD_YAML } from './crd-manifests';
import { captureKubectl } from '../src/kubectl/testing/capture-kubectl';

async function setup() {
  const clock = new FakeClock(Date.UTC(2026, 0, 1));
  const api = await createApiServer({ store: createMemoryStore(), clock, ids: seededIds(4) });
  const client = new ApiClient(api);
  return {
    clock,
    api,
    async run(line: string, stdin?: string) {
      return captureKubectl(line, { client, clock, stdin });
    },
  };
}

describe('our kubectl with a CRD', () => {
  it('applies a CRD and a custom resource, gets it with printer columns, -o wide, shortnames and api-resources', async () => {
    const { run, clock, api } = await setup();
    expect(await run('apply -f -', CRD_YAML)).toEqual({ code: 0, stdout: 'customresourcedefinition.apiextensions.k8s.io/crontabs.stable.example.com created\n', stderr: '' });
    expect(await run('apply -f -', CR_YAML)).toEqual({ code: 0, stdout: 'crontab.stable.example.com/my-cron created\n', stderr: '' });
    expect(await run('apply -f -', CRD_YAML)).toEqual({ code: 0, stdout: 'customresourcedefinition.apiextensions.k8s.io/crontabs.stable.example.com unchanged\n', stderr: '' });
    expect(await run('apply -f -', CR_YAML)).toEqual({ code: 0, stdout: 'crontab.stable.example.com/my-cron unchanged\n', stderr: '' });
    await clock.advance(65_000);
    expect(await run('get crontabs')).toEqual({ code: 0, stdout: 'NAME      SPEC          REPLICAS   AGE\nmy-cron   * * * * */5   1          65s\n', stderr: '' });
    expect((await run('get ct -o wide')).stdout).toBe('NAME      SPEC          REPLICAS   IMAGE                   AGE\nmy-cron   * * * * */5   1          my-awesome-cron-image   65s\n');
    expect((await run('get crontab.stable.example.com my-cron -o jsonpath={.spec.replicas}')).stdout).toBe('1');
    const crds = await run('get crd');
    expect(crds.stdout).toBe('NAME                          CREATED AT\ncrontabs.stable.example.com   2026-01-01T00:00:00Z\n');
    const ar = await run('api-resources --api-group=stable.example.com');
    expect(ar.stdout).toBe('NAME       SHORTNAMES   APIVERSION              NAMESPACED   KIND\ncrontabs   ct           stable.example.com/v1   true         CronTab\n');
    const bad = await run('apply -f -', CR_YAML.replace('my-cron', 'bad').replace('  image: my-awesome-cron-image\n', '  replicas: "two"\n'));
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('The CronTab "bad" is invalid: spec.replicas: Invalid value: "string": spec.replicas in body must be of type integer: "string"');
    expect(await run('delete crd crontabs.stable.example.com --wait=false')).toEqual({ code: 0, stdout: 'customresourcedefinition.apiextensions.k8s.io "crontabs.stable.example.com" deleted\n', stderr: '' });
    for (let i = 0; i < 100 && (await api.request({ method: 'GET', path: '/apis/stable.example.com/v1' })).status !== 404; i++) await new Promise((r) => setTimeout(r, 5));
    const gone = await run('get crontabs');
    expect(gone.code).toBe(1);
    expect(gone.stderr).toBe('error: the server doesn\'t have a resource type "crontabs"\n');
  });

  it('explains a custom resource from its schema', async () => {
    const { run } = await setup();
    await run('apply -f -', CRD_YAML);
    const r = await run('explain crontab.spec');
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe(
      'GROUP:      stable.example.com\nKIND:       CronTab\nVERSION:    v1\n\nFIELD: spec <Object>\n\n\nDESCRIPTION:\n    The desired schedule.\n    \nFIELDS:\n  cronSpec\t<string> -required-\n    The cron schedule.\n\n  image\t<string>\n    <no description>\n\n  replicas\t<integer>\n    <no description>\n\n\n',
    );
  });
});

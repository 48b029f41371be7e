// The real kubectl 1.32 applies a CRD and a custom resource against `npm run serve`; its output for
// get, get -o wide, explain and api-resources is compared with our kubectl's over the same server.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compareWithReal, REAL_KUBECTL, ServeFixture, until } from './serve-helpers';
import { CR_YAML, CRD_YAML } from './crd-manifests';

if (!REAL_KUBECTL) console.warn('crd-serve-kubectl: skipped: no kubectl binary at /usr/lib/google-cloud-sdk/bin/kubectl.1.32 or /usr/bin/kubectl');

const serve = new ServeFixture('tabernetes-crd-', { images: true });
const kubectl = (...args: string[]) => serve.real(args);

describe.skipIf(!REAL_KUBECTL)('real kubectl with a CRD against npm run serve', () => {
  beforeAll(() => serve.start(), 120_000);

  afterAll(() => serve.stop());

  it('applies a CRD and a custom resource; get, get -o wide, api-resources and explain match ours', async () => {
    const crd = await serve.real(['apply', '-f', '-'], { stdin: CRD_YAML });
    expect(crd).toMatchObject({ code: 0, stdout: 'customresourcedefinition.apiextensions.k8s.io/crontabs.stable.example.com created\n' });
    const cr = await serve.real(['apply', '-f', '-'], { stdin: CR_YAML });
    expect(cr).toMatchObject({ code: 0, stdout: 'crontab.stable.example.com/my-cron created\n' });
    expect(await serve.real(['apply', '-f', '-'], { stdin: CRD_YAML })).toMatchObject({ code: 0, stdout: 'customresourcedefinition.apiextensions.k8s.io/crontabs.stable.example.com unchanged\n' });
    expect(await serve.real(['apply', '-f', '-'], { stdin: CR_YAML })).toMatchObject({ code: 0, stdout: 'crontab.stable.example.com/my-cron unchanged\n' });
    const get = await kubectl('get', 'crontabs');
    expect(get.stdout).toMatch(/^NAME +SPEC +REPLICAS +AGE\nmy-cron +\* \* \* \* \*\/5 +1 +\d+s\n$/);
    for (const args of [['get', 'crontabs'], ['get', 'ct', '-o', 'wide'], ['get', 'crd'], ['api-resources', '--api-group=stable.example.com'], ['explain', 'crontab.spec'], ['explain', 'crontabs']]) {
      const { real, ours, identical } = await compareWithReal(serve.kubeconfig, serve.url, args);
      expect({ args, ours: ours.stdout, err: ours.stderr }).toEqual({ args, ours: real.stdout, err: real.stderr });
      expect(identical).toBe(true);
    }
    const yaml = await kubectl('get', 'ct', 'my-cron', '-o', 'jsonpath={.spec.replicas}');
    expect(yaml.stdout).toBe('1');
  }, 60_000);

  it('reports schema violations and unknown fields as kube-apiserver does', async () => {
    const bad = await serve.real(['apply', '-f', '-'], { stdin: CR_YAML.replace('my-cron', 'bad').replace('  image: my-awesome-cron-image\n', '  replicas: "two"\n') });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('The CronTab "bad" is invalid: spec.replicas: Invalid value: "string": spec.replicas in body must be of type integer: "string"');
    const withUnknown = CR_YAML.replace('  image:', '  colour: red\n  image:');
    // kubectl 1.32 applies with --validate=strict by default
    const strict = await serve.real(['apply', '-f', '-'], { stdin: withUnknown.replace('my-cron', 'strict') });
    expect(strict.code).toBe(1);
    expect(strict.stderr).toBe('Error from server (BadRequest): error when creating "STDIN": CronTab in version "v1" cannot be handled as a CronTab: strict decoding error: unknown field "spec.colour"\n');
    const warn = await serve.real(['apply', '--validate=warn', '-f', '-'], { stdin: withUnknown.replace('my-cron', 'warned') });
    expect(warn).toMatchObject({ code: 0, stdout: 'crontab.stable.example.com/warned created\n' });
    expect(warn.stderr).toContain('Warning: unknown field "spec.colour"');
    expect((await kubectl('get', 'ct', 'warned', '-o', 'jsonpath={.spec}')).stdout).toBe('{"cronSpec":"* * * * */5","image":"my-awesome-cron-image","replicas":1}');
    const smp = await kubectl('patch', 'ct', 'my-cron', '-p', '{"spec":{"replicas":2}}');
    expect(smp.code).toBe(1);
    expect(smp.stderr).toContain('application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml');
    const merge = await kubectl('patch', 'ct', 'my-cron', '--type=merge', '-p', '{"spec":{"replicas":2}}');
    expect(merge).toMatchObject({ code: 0, stdout: 'crontab.stable.example.com/my-cron patched\n' });
  }, 60_000);

  it('deleting the CRD removes its custom resources and the resource type', async () => {
    const del = await kubectl('delete', 'crd', 'crontabs.stable.example.com');
    expect(del).toMatchObject({ code: 0, stdout: 'customresourcedefinition.apiextensions.k8s.io "crontabs.stable.example.com" deleted\n' });
    await until(async () => (await fetch(`${serve.url}/apis/stable.example.com/v1`)).status === 404, 'the group to go');
    const gone = await kubectl('get', 'crontabs');
    expect(gone.code).toBe(1);
    // real kubectl may still map "crontabs" from its discovery cache; then the list itself is a 404
    expect(gone.stderr).toMatch(/^(error: the server doesn't have a resource type "crontabs"|Error from server \(NotFound\): Unable to list "stable.example.com\/v1, Resource=crontabs": the server could not find the requested resource)\n$/);
    const ours = await serve.ours(['get', 'crontabs']);
    expect(ours).toMatchObject({ code: 1, stderr: 'error: the server doesn\'t have a resource type "crontabs"\n' });
  }, 60_000);
});

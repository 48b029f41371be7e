// Error texts and client dry runs against the real kubectl 1.32 on the same `npm run serve`: real kubectl works
// in namespace real, ours in namespace ours (same objects); stdout, stderr and exit code must match once the
// namespace, uids, timestamps, resourceVersions and a live object's status are blanked.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REAL_KUBECTL, ServeFixture, twinNamespaces } from './serve-helpers';
import { webDeployment } from '../src/kubectl/testing/web-deployment';
import { blankTwin, twinRuns } from '../src/kubectl/testing/twin-runs';

const objects = (ns: string) => `apiVersion: v1
kind: Namespace
metadata: {name: ${ns}}
---
${webDeployment(ns, 1, '{containers: [{name: c, image: busybox, command: [sleep, "3600"]}, {name: d, image: busybox}]}')}`;

const serve = new ServeFixture('tabernetes-errors-', { apply: twinNamespaces(objects) });

function normalise(text: string, ns: string): string {
  return blankTwin(text, ns)
    // the live Deployment's status (its conditions follow each namespace's own pods, in their own time)
    .replace(/\nstatus:\n[\s\S]*$/, '\nstatus: STATUS\n')
    .replace(/,\n {4}"status": \{[\s\S]*\n\}\n?$/, ',\n    "status": STATUS\n}\n');
}

describe.skipIf(!REAL_KUBECTL)('kubectl errors and client dry runs match kubectl 1.32 against npm run serve', () => {
  beforeAll(() => serve.start(), 120_000);
  afterAll(() => serve.stop());

  for (const args of [
    ['logs', 'nosuch'],
    ['logs', 'deploy/nosuch'],
    ['get', 'pods', '-l', '=x'],
    ['get', 'pods,deploy', '--field-selector=bogus=1'],
    ['describe', 'pods', '-l', '=x'],
    ['delete', 'pods', '-l', '=x'],
    ['delete', 'pods', '--field-selector=bogus=1'],
    ['edit', 'deploy', 'nosuch'],
    ['set', 'image', 'deploy/web', 'c=nginx', '--dry-run=client', '-o', 'yaml'],
    ['set', 'image', 'deploy/web', '*=nginx:1', '--dry-run=client', '-o', 'json'],
    // kubectl sends a patch starting with `{` as it is (the server answers it) and converts anything else from YAML
    ['patch', 'deploy', 'web', '-p', '{bad'],
    ['patch', 'deploy', 'web', '--type', 'merge', '-p', '{bad'],
    ['patch', 'deploy', 'web', '--type', 'json', '-p', '{bad'],
    ['patch', 'deploy', 'web', '-p', '{spec: {replicas: 1}}'],
    ['patch', 'deploy', 'web', '-p', '  {"spec"'],
    ['patch', 'deploy', 'web', '--type', 'json', '-p', '[bad'],
    ['patch', 'deploy', 'web', '-p', '- a\nb: c'],
    ['patch', 'deploy', 'web', '--type', 'merge', '-p', 'a: b: c'],
    ['patch', 'deploy', 'web', '-p', 'x:\n  a: b: c'],
    ['patch', 'deploy', 'web', '-p', 'a:\n\tb: 1'],
    ['patch', 'deploy', 'web', '-p', 'a: "x'],
    ['patch', 'deploy', 'web', '-p', 'spec: {replicas: 1}', '--dry-run=server', '-o', 'jsonpath={.spec.replicas}'],
  ]) {
    it(args.join(' '), async () => {
      const { real, ours } = await twinRuns(serve, args, normalise);
      expect(ours).toEqual(real);
    }, 30_000);
  }

  // the apiserver's own 400s for patch bodies it cannot read, word for word as kube-apiserver 1.32
  // (handlers/patch.go; kubectl sends no fieldValidation, so the body is read strictly, as with Warn)
  it('patch bodies the apiserver refuses: kube-apiserver 1.32 texts', async () => {
    const cases: Array<[string[], string]> = [
      [['--type', 'merge', '-p', '{bad'], "error decoding patch: invalid character 'b' looking for beginning of object key string"],
      [['-p', '"bad"'], 'json: cannot unmarshal string into Go value of type map[string]interface {}'],
      [['--type', 'merge', '-p', '"bad"'], 'error decoding patch: json: cannot unmarshal string into Go value of type map[string]interface {}'],
      [['--type', 'json', '-p', '{"op": "add"}'], 'error decoding patch: json: cannot unmarshal object into Go value of type []handlers.jsonPatchOp'],
      [['-p', '[1]'], 'json: cannot unmarshal array into Go value of type map[string]interface {}'],
      [['--type', 'merge', '-p', 'null'], 'Invalid JSON Patch'],
    ];
    for (const [flags, message] of cases) {
      const { real, ours } = await twinRuns(serve, ['patch', 'deploy', 'web', ...flags], normalise);
      expect(real.stderr, flags.join(' ')).toBe(`Error from server (BadRequest): ${message}\n`);
      expect(ours, flags.join(' ')).toEqual(real);
    }
  }, 90_000);
});

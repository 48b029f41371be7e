// Warning headers (PodSecurity warn, unknown fields) as kubectl 1.32 prints them, against `npm run serve`
// with the real binary; and the same through the in-process apiserver.
import 'fake-indexeddb/auto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeClock } from '../api/clock';
import { seededIds } from '../api/ids';
import { ApiClient, parseWarningHeader } from '../client/api-client';
import { openIdbStore } from '../storage';
import { createApiServer } from '../workers/apiserver';
import { REAL_KUBECTL, ServeFixture } from '../../test/serve-helpers';
import { captureKubectl } from './testing/capture-kubectl';

const NS = 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: NAME\n  labels:\n    pod-security.kubernetes.io/warn: restricted\n';
const POD = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: NAME\nspec:\n  containers:\n  - name: c\n    image: busybox\n    bogus: 1\n';

describe('parseWarningHeader', () => {
  it('keeps 299 texts, unescapes quotes, splits on commas outside quotes, skips other codes and dates', () => {
    expect(parseWarningHeader('299 - "a, b", 299 - "say \\"hi\\""')).toEqual(['a, b', 'say "hi"']);
    expect(parseWarningHeader('199 - "misc", 299 agent "x" "Wed, 21 Oct 2015 07:28:00 GMT"')).toEqual(['x']);
    expect(parseWarningHeader('garbage, 299 - "ok"')).toEqual(['ok']);
  });
});

describe('warnings through the in-process apiserver', () => {
  it('prints each Warning once on stderr, coloured only on a terminal', async () => {
    const clock = new FakeClock(Date.UTC(2026, 0, 1));
    const store = await openIdbStore({ name: 'kubectl-warnings', clock });
    const api = await createApiServer({ store, clock, ids: seededIds(3) });
    const client = new ApiClient(api);
    const run = async (line: string, stdin?: string, tty = false) => {
      return captureKubectl(line, { client, clock, stdin, tty });
    };
    expect((await run('apply -f -', NS.replace('NAME', 'psa'))).code).toBe(0);
    const r = await run('apply --validate=warn -n psa -f -', POD.replace('NAME', 'p'));
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('pod/p created\n');
    const lines = r.stderr.split('\n').filter(Boolean);
    expect(lines[0]).toBe('Warning: unknown field "spec.containers[0].bogus"');
    expect(lines[1]).toMatch(/^Warning: would violate PodSecurity "restricted:latest": allowPrivilegeEscalation != false/);
    expect(lines).toHaveLength(2);
    const strict = await run('create -n psa -f -', POD.replace('NAME', 's'));
    expect(strict).toEqual({ code: 1, stdout: '', stderr: 'Error from server (BadRequest): error when creating "STDIN": Pod in version "v1" cannot be handled as a Pod: strict decoding error: unknown field "spec.containers[0].bogus"\n' });
    expect((await run('create --validate=maybe -f -', POD)).stderr).toBe('error: invalid - validate option "maybe"; must be one of: strict (or true), warn, ignore (or false)\n');
    const t = await run('create --validate=warn -n psa -f -', POD.replace('NAME', 'q'), true);
    expect(t.stderr.startsWith('\x1b[33;1mWarning:\x1b[0m unknown field "spec.containers[0].bogus"\n')).toBe(true);
  });
});

const serve = new ServeFixture('tabernetes-warn-');

describe.skipIf(!REAL_KUBECTL)('warnings match kubectl 1.32 against npm run serve', () => {
  beforeAll(() => serve.start(), 120_000);
  afterAll(() => serve.stop());

  it('create/apply in a PodSecurity warn namespace with an unknown field: same stdout, stderr, exit code', async () => {
    for (const who of ['real', 'ours'] as const) {
      const run = (args: string[], stdin?: string) => (who === 'real' ? serve.real(args, { stdin }) : serve.ours(args, stdin));
      expect((await run(['create', '-f', '-'], NS.replace('NAME', `psa-${who}`))).code).toBe(0);
    }
    for (const args of [['create', '--validate=warn'], ['apply', '--validate=warn'], ['replace', '--validate=warn'], ['create'], ['apply', '--validate=false'], ['apply', '--server-side']]) {
      const name = `p-${args.join('').replace(/[^a-z]/g, '')}`;
      const real = await serve.real([...args, '-n', 'psa-real', '-f', '-'], { stdin: POD.replace('NAME', name) });
      const ours = await serve.ours([...args, '-n', 'psa-ours', '-f', '-'], POD.replace('NAME', name));
      expect(ours, args.join(' ')).toEqual(real);
    }
    const real = await serve.real(['apply', '--validate=warn', '-n', 'psa-real', '-f', '-'], { stdin: POD.replace('NAME', 'p-applyvalidatewarn') });
    expect(real.stderr).toMatch(/^Warning: unknown field/);
  }, 60_000);
});

// `kubectl __complete` (cobra's completion protocol) against the real kubectl 1.32 on the same `npm run serve`:
// every command's flag completions (`PATH --`, `PATH -`) with their descriptions, required flags, flags already
// given, and resource/name completions must be byte-identical on stdout and stderr.
import { execFile } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import usages from '../src/kubectl/cli/flag-usages.json';
import { REAL_KUBECTL, ServeFixture, type Run } from './serve-helpers';

const serve = new ServeFixture('tabernetes-complete-', {
  apply: `apiVersion: v1
kind: Pod
metadata: {name: web, namespace: default}
spec: {containers: [{name: c, image: busybox}, {name: sidecar, image: busybox}]}
`,
});

/** The real kubectl with KUBECONFIG (cobra's __complete must be the first argument). */
function real(args: string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    execFile(REAL_KUBECTL!, args, { timeout: 20_000, env: { ...process.env, KUBECONFIG: serve.kubeconfig } }, (err, stdout, stderr) => {
      if (err && typeof (err as { code?: unknown }).code !== 'number') return reject(err);
      resolve({ stdout, stderr, code: err ? Number((err as { code: number }).code) : 0 });
    });
  });
}

async function same(args: string[]): Promise<void> {
  const [r, o] = await Promise.all([real(args), serve.ours(args)]);
  expect({ args, ...o }).toEqual({ args, ...r });
}

const PATHS = Object.keys(usages.commands).map((p) => p.split(' '));

describe.skipIf(!REAL_KUBECTL)('kubectl __complete matches kubectl 1.32 against npm run serve', () => {
  beforeAll(() => serve.start(), 120_000);
  afterAll(() => serve.stop());

  it('the root: `--` and `-`', async () => {
    for (const w of ['--', '-', '--n']) await same(['__complete', w]);
  });

  // One test per top-level command, covering its sub-commands.
  for (const top of [...new Set(PATHS.map((p) => p[0]))]) {
    it(`${top} and its sub-commands: \`--\` and \`-\` list each flag with its own description`, async () => {
      for (const path of PATHS.filter((p) => p[0] === top)) {
        await same(['__complete', ...path, '--']);
        await same(['__complete', ...path, '-']);
      }
    }, 60_000);
  }

  it('required flags come first, flags already given are left out unless they repeat', async () => {
    for (const args of [
      ['create', 'deployment', 'x', '--'],
      ['create', 'deployment', 'x', '--image=nginx', '--'],
      ['create', 'deployment', 'x', '--dry'],
      ['create', 'cronjob', 'x', '--image', 'busybox', '--'],
      ['scale', '--'],
      ['get', '-o', 'json', '--'],
      ['get', '-f', 'a.yaml', '-l', 'x=y', '--'],
      ['-n', 'default', 'get', '--all'],
      ['logs', '-c', 'c', '-'],
    ]) {
      await same(['__complete', ...args]);
      await same(['__completeNoDesc', ...args]);
    }
  }, 60_000);
});

import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../../api/clock';
import { ApiClient } from '../../../client/api-client';
import { FakeKubeServer } from '../../testing/fake-kube-server';
import { captureKubectl } from '../../testing/capture-kubectl';
import golden from './create-golden.json';
import help from './create-help.json';

// Golden outputs recorded from kubectl 1.32 by capture-create-golden.py / capture-create-help.py (no server involved).
async function run(line: string) {
  const clock = new FakeClock(Date.UTC(2026, 0, 1));
  const client = new ApiClient(new FakeKubeServer(() => clock.now()));
  const files = golden.files as Record<string, string>;
  return captureKubectl(line, { client, clock, readFile: (n) => files[n] });
}

describe('create generators (services, secrets, quota, priorityclass, pdb, clusterrole, job, token) match kubectl 1.32', () => {
  for (const c of golden.cases) {
    it(c.args, async () => {
      expect(await run(c.args)).toEqual({ stdout: c.stdout, stderr: c.stderr, code: c.code });
    });
  }
});

describe('kubectl create --help texts match kubectl 1.32', () => {
  for (const [path, text] of Object.entries(help as Record<string, string>)) {
    it(`${path} --help`, async () => {
      expect(await run(`${path} --help`)).toEqual({ stdout: text, stderr: '', code: 0 });
    });
  }
  it('help create', async () => {
    expect((await run('help create')).stdout).toBe((help as Record<string, string>).create);
  });
});

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

describe('kubectl create quota prints canonical quantities', () => {
  it('1000m → 1, 1024Mi → 1Gi, 0.5 → 500m, 1.0 → 1, 1.5Gi → 1536Mi, 12e2 → 1200 (recorded from kubectl 1.32)', async () => {
    const line = 'create quota q --hard=cpu=1000m,memory=1024Mi,pods=0.5,services=1.0,storage=1.5Gi,secrets=1500Mi,configmaps=12e2 --dry-run=client -o yaml';
    const stdout =
      'apiVersion: v1\nkind: ResourceQuota\nmetadata:\n  creationTimestamp: null\n  name: q\nspec:\n  hard:\n    configmaps: "1200"\n    cpu: "1"\n' +
      '    memory: 1Gi\n    pods: 500m\n    secrets: 1500Mi\n    services: "1"\n    storage: 1536Mi\nstatus: {}\n';
    expect(await run(line)).toEqual({ stdout, stderr: '', code: 0 });
  });
});

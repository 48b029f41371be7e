import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../../api/clock';
import { ApiClient } from '../../../client/api-client';
import { FakeKubeServer } from '../../testing/fake-kube-server';
import golden from '../../testing/golden/generators.json';
import { captureKubectl } from '../../testing/capture-kubectl';

// Golden outputs recorded from kubectl 1.32 by testing/capture-generator-golden.py (no server involved).
async function run(line: string) {
  const clock = new FakeClock(Date.UTC(2026, 0, 1));
  const client = new ApiClient(new FakeKubeServer(() => clock.now()));
  const files = golden.files as Record<string, string>;
  return captureKubectl(line, { client, clock, readFile: (n) => files[n] });
}

describe('generators and --local label/annotate match kubectl 1.32 byte for byte', () => {
  for (const c of golden.cases) {
    it(c.args, async () => {
      expect(await run(c.args)).toEqual({ stdout: c.stdout, stderr: c.stderr, code: c.code });
    });
  }
});

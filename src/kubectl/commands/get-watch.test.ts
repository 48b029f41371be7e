import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../api/clock';
import { seededIds } from '../../api/ids';
import { ApiClient } from '../../client/api-client';
import { openIdbStore } from '../../storage';
import { createApiServer } from '../../workers/apiserver';
import { runKubectl } from '../run-kubectl';
import { splitCommandLine } from '../cli/split-command-line';
import { captureKubectl } from '../testing/capture-kubectl';

async function setup(name: string) {
  const clock = new FakeClock(Date.UTC(2026, 0, 1));
  const store = await openIdbStore({ name, clock });
  const client = new ApiClient(await createApiServer({ store, clock, ids: seededIds(7) }));
  const run = async (line: string) => {
    return captureKubectl(line, { client, clock });
  };
  const watch = (line: string) => {
    const out = { stdout: '', stderr: '' };
    const signal: { aborted: boolean; onabort?: () => void } = { aborted: false };
    const done = runKubectl(splitCommandLine(line), { client, clock, signal, stdout: (t) => (out.stdout += t), stderr: (t) => (out.stderr += t) });
    const stop = () => {
      signal.aborted = true;
      signal.onabort?.();
      return done;
    };
    return { out, stop, done };
  };
  return { clock, run, watch };
}

const settle = async (cond: () => boolean) => {
  for (let i = 0; i < 200 && !cond(); i++) await new Promise((r) => setTimeout(r, 5));
  expect(cond()).toBe(true);
};

describe('kubectl get -w', () => {
  it('prints the table, then one separately aligned row per event, until Ctrl-C', async () => {
    const { clock, run, watch } = await setup('kubectl-watch');
    await run('create configmap alpha-config --from-literal=a=b');
    await clock.advance(5_000);
    const w = watch('get cm -w');
    await settle(() => w.out.stdout.includes('alpha-config'));
    expect(w.out.stdout).toBe('NAME           DATA   AGE\nalpha-config   1      5s\n');
    await clock.advance(2_000);
    await run('create configmap b');
    await settle(() => w.out.stdout.includes('\nb'));
    await run('label cm alpha-config x=y');
    await settle(() => w.out.stdout.split('\n').length > 4);
    await run('delete cm b');
    await settle(() => w.out.stdout.split('\n').length > 5);
    expect(await w.stop()).toBe(0);
    expect(w.out.stdout).toBe('NAME           DATA   AGE\nalpha-config   1      5s\nb              0      0s\nalpha-config   1      7s\nb              0      0s\n');
    await run('create configmap c');
    expect(w.out.stdout.includes('\nc')).toBe(false);
  });

  it('--watch-only prints the header with the first event; --output-watch-events adds EVENT', async () => {
    const { run, watch } = await setup('kubectl-watch-only');
    await run('create configmap old');
    const w = watch('get cm --watch-only --output-watch-events');
    await new Promise((r) => setTimeout(r, 50));
    expect(w.out.stdout).toBe('');
    await run('create configmap fresh');
    await settle(() => w.out.stdout.includes('fresh'));
    await run('create configmap a-much-longer-name');
    await settle(() => w.out.stdout.includes('a-much'));
    await w.stop();
    // Recorded from kubectl 1.32 -w: widths only grow, EVENT cells are 8 wide.
    expect(w.out.stdout).toBe('EVENT      NAME    DATA   AGE\nADDED      fresh   0      0s\nADDED      a-much-longer-name   0      0s\n');
  });

  it('watches a named object without repeating it, and -o name streams names', async () => {
    const { run, watch } = await setup('kubectl-watch-named');
    await run('create configmap one');
    const w = watch('get cm one -w -o name');
    await settle(() => w.out.stdout === 'configmap/one\n');
    await run('label cm one a=b');
    await settle(() => w.out.stdout.split('\n').length > 2);
    await w.stop();
    expect(w.out.stdout).toBe('configmap/one\nconfigmap/one\n');
    expect((await run('get cm,ns -w')).stderr).toBe('error: you may only specify a single resource type\n');
  });
});

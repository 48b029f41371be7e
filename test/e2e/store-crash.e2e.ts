import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { chromiumPath } from './chromium';
import { kubectl, waitForReady } from './page-helpers';

/**
 * Crash safety on real IndexedDB: a burst of API creates and two-key store txns is cut off by SIGKILL of
 * this test's own browser process (the page and its Workers die mid-transaction); the same profile is reopened and every
 * acknowledged write must be there, the log contiguous, the index equal to the log, and no txn half-applied.
 */
interface Debug {
  verifyStore(): Promise<{ revision: number; contiguous: boolean; indexMatchesLog: boolean; problem: string; records: number }>;
  storeTxn(req: unknown): Promise<unknown>;
  storeKeys(prefix: string): Promise<string[]>;
}
type Win = { tabernetes: { debug: Debug; client: { create(ref: unknown, obj: unknown, namespace?: string): Promise<unknown> } } };

const WAVE = 50;
const MIN_ACKS = 300;
const profile = mkdtempSync(join(tmpdir(), 'tabernetes-crash-'));
afterAll(() => rmSync(profile, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 }));

async function open(): Promise<{ context: BrowserContext; page: Page }> {
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath(),
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync', '--disable-dev-shm-usage'],
  });
  const page = context.pages()[0] ?? (await context.newPage());
  await page.goto(inject('baseUrl'));
  await waitForReady(page);
  return { context, page };
}

/**
 * Starts an endless burst in the page: waves of WAVE two-key txns and WAVE/5 API creates, each wave issued
 * without waiting for the one before to finish its acks, so writes are always in flight. Acks reach
 * `acked` as they happen; returns once MIN_ACKS have arrived (the burst keeps going until the kill).
 */
async function burst(page: Page, acked: { cm: Set<number>; txn: Set<number> }): Promise<void> {
  await page.exposeFunction('reportAck', (kind: 'cm' | 'txn', i: number) => acked[kind].add(i));
  await page.evaluate((wave) => {
    const w = window as unknown as Win & { reportAck(kind: string, i: number): void };
    const ref = { group: '', version: 'v1', resource: 'configmaps', kind: 'ConfigMap', namespaced: true };
    let i = 0;
    const txn = (n: number) =>
      w.tabernetes.debug
        .storeTxn({ success: [{ type: 'put', key: `/crash/a/${n}`, value: 'x'.repeat(512) }, { type: 'put', key: `/crash/b/${n}`, value: 'y'.repeat(512) }] })
        .then(() => w.reportAck('txn', n), () => undefined);
    const create = (n: number) =>
      w.tabernetes.client
        .create(ref, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `crash-${n}`, namespace: 'default' }, data: { n: String(n) } }, 'default')
        .then(() => w.reportAck('cm', n), () => undefined);
    void (async () => {
      for (;;) {
        const writes: Promise<unknown>[] = [];
        for (let j = 0; j < wave; j++, i++) writes.push(txn(i), ...(j % 5 === 0 ? [create(i)] : []));
        await Promise.race([Promise.all(writes), new Promise((r) => setTimeout(r, 5))]);
      }
    })();
  }, WAVE);
  const deadline = Date.now() + 30000;
  while (acked.cm.size + acked.txn.size < MIN_ACKS && Date.now() < deadline) await new Promise((r) => setTimeout(r, 1));
}

/** SIGKILLs the browser this test launched (the one process whose --user-data-dir is our temp profile). */
function killBrowser(): void {
  for (const line of execFileSync('ps', ['-eo', 'pid=,args='], { encoding: 'utf8' }).split('\n')) {
    if (line.includes(`--user-data-dir=${profile}`) && !line.includes('--type=')) process.kill(Number(line.trim().split(/\s+/)[0]), 'SIGKILL');
  }
}

describe('store crash safety (Chromium, real IndexedDB)', () => {
  it('after a kill mid-burst: acknowledged writes present, revisions contiguous, index = log, no half txn', async () => {
    const acked = { cm: new Set<number>(), txn: new Set<number>() };
    let { context, page } = await open();
    try {
      await burst(page, acked);
    } finally {
      killBrowser();
      await context.close().catch(() => undefined);
    }
    const ackedCm = [...acked.cm];
    const ackedTxn = [...acked.txn];
    expect(ackedCm.length + ackedTxn.length).toBeGreaterThan(0);

    ({ context, page } = await open());
    try {
      const verify = () => page.evaluate(() => (window as unknown as Win).tabernetes.debug.verifyStore());
      const v = await verify();
      expect(v.problem).toBe('');
      expect(v).toMatchObject({ contiguous: true, indexMatchesLog: true });
      const names = new Set((await kubectl(page, 'get configmaps -o name')).stdout.split('\n').filter(Boolean));
      for (const i of ackedCm) expect(names.has(`configmap/crash-${i}`)).toBe(true);
      const keys = (prefix: string) => page.evaluate((p) => (window as unknown as Win).tabernetes.debug.storeKeys(p), prefix);
      const a = new Set((await keys('/crash/a/')).map((k) => Number(k.slice('/crash/a/'.length))));
      const b = new Set((await keys('/crash/b/')).map((k) => Number(k.slice('/crash/b/'.length))));
      for (const i of ackedTxn) expect(a.has(i)).toBe(true);
      expect([...a].sort()).toEqual([...b].sort()); // every txn whole or absent
      // What survived is still writable.
      expect((await kubectl(page, 'create configmap after-crash')).exitCode).toBe(0);
      expect((await verify()).contiguous).toBe(true);
      console.log(`crash test: acked ${ackedCm.length} creates + ${ackedTxn.length} txns before the kill; found ${names.size} configmaps, ${a.size} txns (of ${Math.max(...a, 0) + 1} issued or more); store at revision ${v.revision}`);
    } finally {
      await context.close();
    }
  });
});

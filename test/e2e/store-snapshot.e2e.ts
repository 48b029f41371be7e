import { describe, expect, it } from 'vitest';
import { clusterPageFixture, kubectl, waitForReady } from './page-helpers';

type Win = { tabernetes: { debug: { snapshot(): Promise<Uint8Array> } } };

/** Export / Import in the topbar: etcdctl snapshot save/restore of the whole cluster. */
describe('store snapshots from the UI', () => {
  const cluster = clusterPageFixture();

  it('Export downloads a snapshot; Import restores it into the cluster after a reload', async () => {
    expect((await kubectl(cluster.page, 'create configmap before-export --from-literal=k=v')).exitCode).toBe(0);
    const [download] = await Promise.all([cluster.page.waitForEvent('download'), cluster.page.getByRole('button', { name: 'Export' }).click()]);
    expect(download.suggestedFilename()).toMatch(/^tabernetes-snapshot-.*\.etcd\.jsonl$/);
    const path = await download.path();
    const { readFile } = await import('node:fs/promises');
    const bytes = await readFile(path);
    expect(bytes.toString('utf8').split('\n')[0]).toContain('"format":"tabernetes-etcd-snapshot"');

    expect((await kubectl(cluster.page, 'create configmap after-export')).exitCode).toBe(0);
    cluster.page.once('dialog', (d) => void d.accept());
    const reloaded = cluster.page.waitForEvent('framenavigated');
    await cluster.page.setInputFiles('[data-testid=snapshot-file]', { name: 'snap.etcd.jsonl', mimeType: 'application/x-ndjson', buffer: bytes });
    await reloaded;
    await waitForReady(cluster.page);
    const names = (await kubectl(cluster.page, 'get configmaps -o name')).stdout;
    expect(names).toContain('configmap/before-export');
    expect(names).not.toContain('configmap/after-export');
  });

  it('a corrupted file is refused with a message and the cluster is untouched', async () => {
    const good = await cluster.page.evaluate(async () => Array.from(await (window as unknown as Win).tabernetes.debug.snapshot()));
    const bad = Buffer.from(good);
    bad[40] ^= 1;
    cluster.page.once('dialog', (d) => void d.accept());
    await cluster.page.setInputFiles('[data-testid=snapshot-file]', { name: 'bad.etcd.jsonl', mimeType: 'application/x-ndjson', buffer: bad });
    await cluster.page.waitForSelector('[data-testid=snapshot-message]');
    expect(await cluster.page.textContent('[data-testid=snapshot-message]')).toContain('import failed: snapshot is corrupt: checksum mismatch');
    expect((await kubectl(cluster.page, 'get configmap before-export -o name')).stdout.trim()).toBe('configmap/before-export');
  });
});

import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { openNodeDisk } from './node-disk';

describe('openNodeDisk', () => {
  it('appends log chunks and reads them back in order', async () => {
    const disk = await openNodeDisk('disk-a');
    expect(await disk.readLog('/var/log/pods/p/c/0.log')).toBeUndefined();
    await disk.appendLog('/var/log/pods/p/c/0.log', ['a', 'b']);
    await disk.appendLog('/var/log/pods/p/c/1.log', ['other']);
    await disk.appendLog('/var/log/pods/p/c/0.log', []);
    await Promise.all([disk.appendLog('/var/log/pods/p/c/0.log', ['c']), disk.appendLog('/var/log/pods/p/c/0.log', ['d', 'e'])]);
    expect(await disk.readLog('/var/log/pods/p/c/0.log')).toEqual(['a', 'b', 'c', 'd', 'e']);
    await disk.removeLogs('/var/log/pods/p/c/0');
    expect(await disk.readLog('/var/log/pods/p/c/0.log')).toBeUndefined();
    expect(await disk.readLog('/var/log/pods/p/c/1.log')).toEqual(['other']);
    await disk.close();
  });

  it('keeps state by key and lists it by prefix, across reopen', async () => {
    const disk = await openNodeDisk('disk-b');
    await disk.putState('container/1', { n: 1, bytes: new Uint8Array([1, 2]) });
    await disk.putState('container/2', { n: 2 });
    await disk.putState('sandbox/1', { n: 3 });
    await disk.putState('container/2', { n: 22 });
    await disk.close();
    const again = await openNodeDisk('disk-b');
    expect(await again.getState('container/1')).toEqual({ n: 1, bytes: new Uint8Array([1, 2]) });
    expect(await again.listState('container/')).toEqual([
      { key: 'container/1', value: { n: 1, bytes: new Uint8Array([1, 2]) } },
      { key: 'container/2', value: { n: 22 } },
    ]);
    await again.deleteState('container/1');
    expect(await again.getState('container/1')).toBeUndefined();
    expect((await again.listState('')).map((r) => r.key)).toEqual(['container/2', 'sandbox/1']);
    const other = await openNodeDisk('disk-c');
    expect(await other.listState('')).toEqual([]);
  });
});

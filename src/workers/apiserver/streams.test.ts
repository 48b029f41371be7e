import { describe, expect, it } from 'vitest';
import { StreamHub } from './streams';

describe('StreamHub', () => {
  it('answers a waiting read with every chunk pushed in the same run, in order, as one batch', async () => {
    const hub = new StreamHub();
    const sink = hub.open();
    const first = hub.read(sink.id);
    sink.push(1);
    sink.push(2);
    sink.push(3);
    expect(await first).toEqual([1, 2, 3]);
    sink.push(4);
    expect(await hub.read(sink.id)).toEqual([4]);
  });

  it('delivers what was pushed before end(), then null, and forgets the stream', async () => {
    const hub = new StreamHub();
    const sink = hub.open();
    const first = hub.read(sink.id);
    sink.push('a');
    sink.end();
    expect(await first).toEqual(['a']);
    expect(await hub.read(sink.id)).toBeNull();
    expect(hub.size).toBe(0);
    const idle = hub.open();
    idle.end();
    expect(hub.size).toBe(0);
  });

  it('cancel resolves a waiting read with null and runs onClose once', async () => {
    const hub = new StreamHub();
    let closed = 0;
    const sink = hub.open(() => closed++);
    const waiting = hub.read(sink.id);
    sink.push('x');
    await hub.cancel(sink.id);
    expect(await waiting).toBeNull();
    sink.end();
    expect(closed).toBe(1);
  });
});

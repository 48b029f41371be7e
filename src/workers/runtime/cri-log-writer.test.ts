import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../api';
import type { NodeDisk } from './cri';
import { CriLogWriter, MAX_LOG_LINE_BYTES, rfc3339Nano } from './cri-log-writer';

function memoryDisk() {
  const files = new Map<string, string[]>();
  const calls: string[][] = [];
  const disk = {
    async appendLog(path: string, lines: string[]) {
      calls.push(lines);
      files.set(path, [...(files.get(path) ?? []), ...lines]);
    },
  } as unknown as NodeDisk;
  return { disk, files, calls };
}

const enc = new TextEncoder();

describe('rfc3339Nano', () => {
  it('formats like Go time.RFC3339Nano in UTC', () => {
    expect(rfc3339Nano(Date.UTC(2026, 0, 1))).toBe('2026-01-01T00:00:00Z');
    expect(rfc3339Nano(Date.UTC(2026, 0, 1, 12, 30, 5, 120))).toBe('2026-01-01T12:30:05.12Z');
    expect(rfc3339Nano(Date.UTC(2026, 0, 1) + 1.5)).toBe('2026-01-01T00:00:00.0015Z');
  });
});

describe('CriLogWriter', () => {
  it('writes full lines as F, joins chunks, drops \\r, keeps streams apart and flushes a partial line as P', async () => {
    const clock = new FakeClock();
    const { disk, files } = memoryDisk();
    const w = new CriLogWriter(disk, '/l', () => clock.now());
    w.write('stdout', enc.encode('hel'));
    w.write('stderr', enc.encode('oops\n'));
    w.write('stdout', enc.encode('lo\r\nworld\n\nrest'));
    await w.close();
    expect(files.get('/l')).toEqual([
      '2026-01-01T00:00:00Z stderr F oops',
      '2026-01-01T00:00:00Z stdout F hello',
      '2026-01-01T00:00:00Z stdout F world',
      '2026-01-01T00:00:00Z stdout F ',
      '2026-01-01T00:00:00Z stdout P rest',
    ]);
  });

  it('splits lines longer than the maximum into P records', async () => {
    const { disk, files } = memoryDisk();
    const w = new CriLogWriter(disk, '/l', () => 0);
    w.write('stdout', enc.encode('x'.repeat(MAX_LOG_LINE_BYTES * 2 + 5) + '\n'));
    await w.close();
    const tags = files.get('/l')?.map((l) => l.split(' ').slice(1, 3).join(' ') + ' ' + (l.length - l.lastIndexOf(' ') - 1));
    expect(tags).toEqual([`stdout P ${MAX_LOG_LINE_BYTES}`, `stdout P ${MAX_LOG_LINE_BYTES}`, 'stdout F 5']);
  });

  it('batches appends while one is in flight and keeps their order', async () => {
    const { disk, files, calls } = memoryDisk();
    const w = new CriLogWriter(disk, '/l', () => 0);
    for (let i = 0; i < 100; i++) w.write('stdout', enc.encode(`line ${i}\n`));
    await w.close();
    expect(files.get('/l')?.map((l) => l.slice(l.indexOf('F ') + 2))).toEqual(Array.from({ length: 100 }, (_, i) => `line ${i}`));
    expect(calls.length).toBeLessThan(5);
  });
});

import 'fake-indexeddb/auto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeClock, seededIds } from '../../api';
import { dialTcp, NetworkFabric } from '../../network';
import { ensureImagesBuilt } from '../../node/ensure-images-built';
import { createFsImageSource } from '../../node/fs-image-source';
import { createWorkerThreadsLauncher } from '../../node/worker-threads-launcher';
import type { PodSandboxConfig } from './cri';
import { openNodeDisk } from './node-disk';
import { createWasmRuntime, type WasmRuntime } from './wasm-runtime';

// Behaviour of images/redis (docker.io/library/redis: redis-server and redis-cli) on the network fabric:
// RESP dialled from JS, and redis-cli in other containers against the server.
beforeAll(() => ensureImagesBuilt(), 300_000);

const enc = new TextEncoder();
const dec = new TextDecoder();
const fabric = NetworkFabric.create({ slots: 32, ringBytes: 8192, listeners: 8 });
const launcher = createWorkerThreadsLauncher();
const disposables: { dispose(): void }[] = [launcher];
let seq = 0;
afterAll(() => disposables.reverse().forEach((d) => d.dispose()));

async function startContainer(podIP: string, image: string, opts: { command?: string[]; args?: string[]; envs?: { key: string; value: string }[] } = {}) {
  const disk = await openNodeDisk(`redis-${++seq}`);
  const runtime: WasmRuntime = createWasmRuntime({ nodeName: 'n', disk, clock: new FakeClock(), ids: seededIds(seq), images: createFsImageSource(), launcher, network: fabric.buffer });
  disposables.push(runtime);
  await runtime.pullImage({ image });
  const sb: PodSandboxConfig = { metadata: { name: `redis-${seq}`, namespace: 'default', uid: `u${seq}`, attempt: 0 }, logDirectory: `/var/log/pods/default_redis-${seq}_u${seq}`, podIP };
  const sandboxId = await runtime.runPodSandbox(sb);
  const id = await runtime.createContainer(sandboxId, { metadata: { name: 'c', attempt: 0 }, image: { image }, command: opts.command, args: opts.args, envs: opts.envs, logPath: 'c/0.log' }, sb);
  await runtime.startContainer(id);
  const logs = async () => ((await disk.readLog((await runtime.containerStatus(id)).logPath)) ?? []).map((l) => l.replace(/^\S+ (\S+) [FP] /, '$1 ')).join('\n');
  const exited = async () => {
    for (;;) {
      const st = await runtime.containerStatus(id);
      if (st.state === 'CONTAINER_EXITED') return st.exitCode;
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  return { id, runtime, logs, exited };
}

const resp = (...args: string[]) => `*${args.length}\r\n${args.map((a) => `$${enc.encode(a).length}\r\n${a}\r\n`).join('')}`;

/** Sends the raw bytes, half-closes, and returns everything the server wrote; retries while it starts. */
async function talk(ip: string, raw: string): Promise<string> {
  for (let attempt = 0; ; attempt++) {
    try {
      const conn = await dialTcp(fabric, ip, 6379, { fromIp: '172.18.0.2' });
      await conn.write(enc.encode(raw));
      await conn.closeWrite();
      const out = dec.decode(await conn.readAll());
      conn.close();
      return out;
    } catch (err) {
      if (attempt > 100 || !String(err).includes('connection refused')) throw err;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

describe('redis image', () => {
  it('serves RESP2: strings, expiry, lists, hashes, sets, errors word for word, inline commands; logs like the real container', async () => {
    const server = await startContainer('10.244.3.10', 'redis');
    const out = await talk(
      '10.244.3.10',
      [
        resp('PING'),
        resp('SET', 'greeting', 'hello'),
        resp('GET', 'greeting'),
        resp('APPEND', 'greeting', ' world'),
        resp('SET', 'greeting', 'x', 'NX'),
        resp('INCR', 'n'),
        resp('INCRBY', 'n', '41'),
        resp('INCR', 'greeting'),
        resp('RPUSH', 'l', 'a', 'b', 'c'),
        resp('LPUSH', 'l', 'z'),
        resp('LRANGE', 'l', '0', '-1'),
        resp('GET', 'l'),
        resp('HSET', 'h', 'f1', 'v1', 'f2', 'v2'),
        resp('HGETALL', 'h'),
        resp('SADD', 's', 'm', 'm', 'n'),
        resp('SCARD', 's'),
        resp('EXPIRE', 'greeting', '100'),
        resp('TTL', 'greeting'),
        resp('TTL', 'missing'),
        resp('KEYS', '[gh]*'),
        resp('DBSIZE'),
        resp('FOO', 'bar', 'baz'),
        resp('GET'),
        'PING\r\nECHO "two words"\r\n',
        resp('QUIT'),
        resp('PING'),
      ].join(''),
    );
    expect(out.split('\r\n')).toEqual([
      '+PONG',
      '+OK',
      '$5', 'hello',
      ':11',
      '$-1',
      ':1',
      ':42',
      '-ERR value is not an integer or out of range',
      ':3',
      ':4',
      '*4', '$1', 'z', '$1', 'a', '$1', 'b', '$1', 'c',
      '-WRONGTYPE Operation against a key holding the wrong kind of value',
      ':2',
      '*4', '$2', 'f1', '$2', 'v1', '$2', 'f2', '$2', 'v2',
      ':2',
      ':2',
      ':1',
      ':100',
      ':-2',
      expect.stringMatching(/^\*2$/), expect.stringMatching(/^\$[18]$/), expect.stringMatching(/^(h|greeting)$/), expect.stringMatching(/^\$[18]$/), expect.stringMatching(/^(h|greeting)$/),
      ':5',
      "-ERR unknown command 'FOO', with args beginning with: 'bar' 'baz' ",
      "-ERR wrong number of arguments for 'get' command",
      '+PONG',
      '$9', 'two words',
      '+OK',
      '',
    ]);
    const banner = await server.logs();
    expect(banner).toMatch(/^stdout 1:C \d\d \w{3} \d{4} \d\d:\d\d:\d\d\.\d{3} \* oO0OoO0OoO0Oo Redis is starting oO0OoO0OoO0Oo\n/);
    expect(banner).toContain('* Redis version=7.4.1, bits=64, commit=00000000, modified=0, pid=1, just started');
    expect(banner).toMatch(/\nstdout 1:M .* \* Running mode=standalone, port=6379\.\n.*\* Server initialized\nstdout 1:M .* \* Ready to accept connections tcp$/);
    await server.runtime.stopContainer(server.id, 30);
    expect(await server.exited()).toBe(0);
    await expect.poll(server.logs).toMatch(/Received SIGTERM scheduling shutdown\.\.\.\n.*User requested shutdown\.\.\.\n.*# Redis is now ready to exit, bye bye\.\.\.$/);
  }, 120_000);

  it('redis-cli in other containers: raw output without a terminal, formatted with TERM, -n, connection errors', async () => {
    const server = await startContainer('10.244.3.11', 'redis:7', { args: ['redis-server', '--port', '6380'] });
    const cli = async (ip: string, args: string[], tty = false) => {
      const c = await startContainer(ip, 'redis:7.4', { command: ['redis-cli', ...args], envs: tty ? [{ key: 'TERM', value: 'xterm' }] : [] });
      return { code: await c.exited(), log: await c.logs() };
    };
    // Wait for the server to listen.
    await expect.poll(server.logs, { timeout: 10_000 }).toContain('Ready to accept connections tcp');
    expect(await cli('10.244.3.12', ['-h', '10.244.3.11', '-p', '6380', 'RPUSH', 'queue', 'a', 'b'])).toEqual({ code: 0, log: 'stdout 2' });
    expect(await cli('10.244.3.12', ['-h', '10.244.3.11', '-p', '6380', 'LRANGE', 'queue', '0', '-1'])).toEqual({ code: 0, log: 'stdout a\nstdout b' });
    expect(await cli('10.244.3.12', ['-h', '10.244.3.11', '-p', '6380', 'GET', 'nothing'])).toEqual({ code: 0, log: 'stdout ' });
    expect(await cli('10.244.3.12', ['-h', '10.244.3.11', '-p', '6380', 'LRANGE', 'queue', '0', '-1'], true)).toEqual({ code: 0, log: 'stdout 1) "a"\nstdout 2) "b"' });
    expect(await cli('10.244.3.12', ['-h', '10.244.3.11', '-p', '6380', 'LLEN', 'queue'], true)).toEqual({ code: 0, log: 'stdout (integer) 2' });
    expect(await cli('10.244.3.12', ['-h', '10.244.3.11', '-p', '6380', 'GET', 'queue'], true)).toEqual({
      code: 0,
      log: 'stdout (error) WRONGTYPE Operation against a key holding the wrong kind of value',
    });
    expect(await cli('10.244.3.12', ['-h', '10.244.3.11', '-p', '6380', '-n', '2', 'DBSIZE'])).toEqual({ code: 0, log: 'stdout 0' });
    expect(await cli('10.244.3.12', ['-h', '10.244.3.11', '-p', '6380', 'CONFIG', 'GET', 'port'])).toEqual({ code: 0, log: 'stdout port\nstdout 6380' });
    expect(await cli('10.244.3.12', ['-h', '10.244.3.11', 'PING'])).toEqual({ code: 1, log: 'stderr Could not connect to Redis at 10.244.3.11:6379: Connection refused' });
    const info = await cli('10.244.3.12', ['-h', '10.244.3.11', '-p', '6380', 'INFO', 'server']);
    expect(info.log).toContain('stdout redis_version:7.4.1');
    await server.runtime.stopContainer(server.id, 0);
  }, 120_000);

  it('expires keys on time, and `kubectl exec` runs redis-cli in the server container: raw with execSync, a prompt with a TTY', async () => {
    const server = await startContainer('10.244.3.13', 'redis');
    expect(await talk('10.244.3.13', resp('SET', 'short', 'v', 'PX', '150') + resp('PTTL', 'short') + resp('GET', 'short'))).toMatch(/^\+OK\r\n:1[0-5]\d\r\n\$1\r\nv\r\n$/);
    await new Promise((r) => setTimeout(r, 300));
    expect(await talk('10.244.3.13', resp('GET', 'short') + resp('EXISTS', 'short'))).toBe('$-1\r\n:0\r\n');

    const sync = await server.runtime.execSync(server.id, ['redis-cli', 'SET', 'k', 'from exec'], 10);
    expect([dec.decode(sync.stdout), sync.exitCode]).toEqual(['OK\n', 0]);

    const sid = await server.runtime.exec({ containerId: server.id, cmd: ['redis-cli'], stdin: true, tty: true });
    let out = '';
    let exitCode: number | undefined;
    const pump = (async () => {
      for (let chunks; (chunks = await server.runtime.execRead(sid)); )
        for (const c of chunks) {
          if ('data' in c) out += dec.decode(c.data);
          else exitCode = c.exitCode;
        }
    })();
    await expect.poll(() => out, { timeout: 10_000 }).toBe('127.0.0.1:6379> ');
    await server.runtime.execWrite(sid, enc.encode('get k\r'));
    await expect.poll(() => out, { timeout: 10_000 }).toBe('127.0.0.1:6379> get k\r\n"from exec"\r\n127.0.0.1:6379> ');
    await server.runtime.execWrite(sid, enc.encode('select 3\rdbsize\r\x04'));
    await pump;
    expect(out).toBe('127.0.0.1:6379> get k\r\n"from exec"\r\n127.0.0.1:6379> select 3\r\nOK\r\n127.0.0.1:6379[3]> dbsize\r\n(integer) 0\r\n127.0.0.1:6379[3]> \r\n');
    expect(exitCode).toBe(0);
    await server.runtime.stopContainer(server.id, 0);
  }, 120_000);
});

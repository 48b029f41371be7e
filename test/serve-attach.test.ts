// Real kubectl 1.32 against `npm run serve` for pods/attach with stdin (v5.channel.k8s.io over WebSocket):
// `attach -i` and `run --rm -i` with piped stdin, and our kubectl over HTTP printing the same.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REAL_KUBECTL, ServeFixture, until, type Run } from './serve-helpers';

if (!REAL_KUBECTL) console.log('serve-attach: skipped: no real kubectl binary');
const serve = new ServeFixture('tabernetes-serve-attach-', { images: true });

/** Our kubectl over HTTP with exec/attach over WebSocket, as `npm run kubectl` runs it. */
const ours = (args: string[], stdin?: string): Promise<Run> => serve.ours(args, stdin, { webSocket: true });

const stdinPod = (name: string) => `apiVersion: v1
kind: Pod
metadata:
  name: ${name}
spec:
  restartPolicy: Never
  containers:
  - name: sh
    image: busybox
    command: ["sh"]
    stdin: true
    stdinOnce: true
`;

async function running(name: string): Promise<void> {
  await until(async () => (await serve.real(['get', 'pod', name, '-o', 'jsonpath={.status.phase}'])).stdout === 'Running', `pod ${name} Running`, 60_000);
}

describe.skipIf(!REAL_KUBECTL)('pods/attach with stdin: real kubectl and ours against npm run serve', () => {
  beforeAll(() => serve.start(), 180_000);
  afterAll(() => serve.stop());

  it('attach -i feeds piped stdin to the main process; stdinOnce ends it at EOF and the attach ends', async () => {
    for (const name of ['a-real', 'a-ours']) {
      expect((await serve.real(['apply', '-f', '-'], { stdin: stdinPod(name) })).code).toBe(0);
      await running(name);
    }
    const script = 'echo in-$((6*7)); echo err >&2\n';
    const real = await serve.real(['attach', '-i', 'a-real'], { stdin: script, timeoutMs: 30_000 });
    expect(real).toEqual({ stdout: 'in-42\n', stderr: "If you don't see a command prompt, try pressing enter.\nerr\n", code: 0 });
    expect(await ours(['attach', '-i', 'a-ours'], script)).toEqual(real);
    await until(async () => (await serve.real(['get', 'pod', 'a-real', '-o', 'jsonpath={.status.phase}'])).stdout === 'Succeeded', 'a-real Succeeded', 30_000);
  }, 120_000);

  it('run --rm -i --restart=Never -- sh: output, the exit code, then `pod "NAME" deleted`', async () => {
    const script = 'echo hi-$((1+1)); exit 3\n';
    const real = await serve.real(['run', 'r', '--image=busybox', '--rm', '-i', '--restart=Never', '--', 'sh'], { stdin: script, timeoutMs: 60_000 });
    expect(real).toEqual({ stdout: 'hi-2\npod "r" deleted\n', stderr: "If you don't see a command prompt, try pressing enter.\npod default/r terminated (Error)\n", code: 3 });
    await until(async () => (await serve.real(['get', 'pod', 'r', '--ignore-not-found'])).stdout === '', 'pod r gone', 30_000);
    expect(await ours(['run', 'r', '--image=busybox', '--rm', '-i', '--restart=Never', '--', 'sh'], script)).toEqual(real);
  }, 120_000);

  it('debug adds an ephemeral container (--attach=false, and -i with piped stdin) as real kubectl does; describe shows it', async () => {
    expect((await serve.real(['run', 'web', '--image=hashicorp/http-echo', '--', '-text=hello from web'])).code).toBe(0);
    await running('web');
    const norm = (r: Run) => ({ ...r, stdout: r.stdout.replace(/debugger-[bcdfghjklmnpqrstvwxz2456789]{5}/g, 'debugger-XXXXX') });
    const detached = ['debug', 'web', '--image=busybox', '--attach=false', '--target=web', '--', 'sh', '-c', 'until wget -qO- http://127.0.0.1:5678/; do sleep 1; done'];
    const real = await serve.real(detached);
    expect(norm(real)).toEqual({
      stdout: 'Targeting container "web". If you don\'t see processes from this container it may be because the container runtime doesn\'t support this feature.\nDefaulting debug container name to debugger-XXXXX.\n',
      stderr: '--profile=legacy is deprecated and will be removed in the future. It is recommended to explicitly specify a profile, for example "--profile=general".\n',
      code: 0,
    });
    expect(norm(await ours(detached))).toEqual(norm(real));
    const name = /debugger-\w{5}/.exec(real.stdout)![0];
    await until(async () => (await serve.real(['logs', 'web', '-c', name])).stdout === 'hello from web\n', 'the debugger reaching the target over localhost', 30_000);
    const script = 'echo in-debug; wget -qO- http://127.0.0.1:5678/; exit 0\n';
    const interactive = ['debug', '-i', 'web', '--image=busybox', '--', 'sh'];
    const realI = await serve.real(interactive, { stdin: script, timeoutMs: 30_000 });
    expect(norm(realI)).toEqual({
      stdout: 'Defaulting debug container name to debugger-XXXXX.\nin-debug\nhello from web\n',
      stderr: '--profile=legacy is deprecated and will be removed in the future. It is recommended to explicitly specify a profile, for example "--profile=general".\nIf you don\'t see a command prompt, try pressing enter.\n',
      code: 0,
    });
    expect(norm(await ours(interactive, script))).toEqual(norm(realI));
    const upToEvents = (t: string) => t.slice(0, t.indexOf('\nEvents:'));
    const describe = await serve.real(['describe', 'pod', 'web']);
    expect(describe.stdout).toContain('Ephemeral Containers:\n  debugger-');
    expect(upToEvents((await ours(['describe', 'pod', 'web'])).stdout)).toBe(upToEvents(describe.stdout));
    for (const bad of [['debug', 'web'], ['debug', '-t', 'web', '--image=busybox'], ['debug', '--image=busybox']]) expect(await ours(bad)).toEqual(await serve.real(bad));
  }, 180_000);

  it('attach refuses -t for a container without a tty, and a completed pod', async () => {
    const args = ['attach', '-t', 'a-real'];
    const real = await serve.real(args);
    expect(real.stderr).toBe('error: cannot attach a container in a completed pod; current phase is Succeeded\n');
    expect(await ours(args)).toEqual(real);
    expect(await ours(['attach'])).toEqual(await serve.real(['attach']));
  }, 60_000);
});

import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { ApiHandler, StreamOpen } from '../api/protocol';
import { createWsUpgradeHandler } from './ws-remotecommand';

let server: Server | undefined;
afterEach(() => new Promise<void>((r) => (server ? server.close(() => r()) : r())));

/** A server whose pods/exec stream opens with `answer` (the apiserver handler's StreamOpen). */
async function serveWith(answer: StreamOpen): Promise<string> {
  const api = { stream: async () => answer, cancel: async () => undefined } as unknown as ApiHandler;
  server = createServer();
  server.on('upgrade', createWsUpgradeHandler({ api, identity: () => ({}), open: new Set() }));
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', () => r()));
  return `ws://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1/namespaces/default/pods/p/exec?command=true&container=c&stdout=true`;
}

/** Connects offering `protocol`: the frames until close, or the refused handshake's status and body. */
function connect(url: string, protocol: string): Promise<{ frames: Buffer[]; close?: number } | { status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, [protocol]);
    const frames: Buffer[] = [];
    ws.on('message', (data) => frames.push(Buffer.from(data as Buffer)));
    ws.on('close', (code) => resolve({ frames, close: code }));
    ws.on('unexpected-response', (_req, res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    ws.on('error', (err) => reject(err));
  });
}

const kubeletRefusal: StreamOpen = { status: 500, body: 'container not found ("c")\n', headers: { 'Content-Type': 'text/plain; charset=utf-8' } };

describe('pods/exec WebSocket upgrade refusals', () => {
  it('v5: a kubelet refusal is upgraded, then the StreamTranslator\'s InternalError Status on channel 3 and a normal close', async () => {
    const r = await connect(await serveWith(kubeletRefusal), 'v5.channel.k8s.io');
    expect(r).toMatchObject({ close: 1000 });
    const frames = (r as { frames: Buffer[] }).frames;
    expect(frames).toHaveLength(1);
    expect(frames[0][0]).toBe(3);
    expect(JSON.parse(frames[0].subarray(1).toString('utf8'))).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'Internal error occurred: unable to upgrade connection: container not found ("c")',
      reason: 'InternalError',
      details: { causes: [{ message: 'unable to upgrade connection: container not found ("c")' }] },
      code: 500,
    });
  });

  it('v4 (the upgrade-aware proxy) echoes the kubelet\'s 500 text; an apiserver Status is refused before the upgrade for v5 too', async () => {
    expect(await connect(await serveWith(kubeletRefusal), 'v4.channel.k8s.io')).toEqual({ status: 500, body: 'container not found ("c")\n' });
    await new Promise<void>((r) => server!.close(() => r()));
    const status = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'pod p does not have a host assigned', reason: 'BadRequest', code: 400 };
    const refused = await connect(await serveWith({ status: 400, body: status }), 'v5.channel.k8s.io');
    expect(refused).toMatchObject({ status: 400 });
    expect(JSON.parse((refused as { body: string }).body)).toEqual(status);
  });
});

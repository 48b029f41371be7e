import { describe, expect, it } from 'vitest';
import { createInputDecoder, encodeChunk, pickRemoteCommandProtocol } from './ws-channel-frames';

describe('remotecommand channel frames', () => {
  it('prefers v5 over v4 and refuses protocols it does not speak', () => {
    expect(pickRemoteCommandProtocol(['v4.channel.k8s.io', ' v5.channel.k8s.io'])).toBe('v5.channel.k8s.io');
    expect(pickRemoteCommandProtocol(['v4.channel.k8s.io'])).toBe('v4.channel.k8s.io');
    expect(pickRemoteCommandProtocol(['channel.k8s.io', 'base64.channel.k8s.io'])).toBeUndefined();
  });

  it('prefixes output with its channel byte and sends the exit Status as JSON on channel 3', () => {
    expect([...encodeChunk({ channel: 1, data: 'hé' })]).toEqual([1, 0x68, 0xc3, 0xa9]);
    expect([...encodeChunk({ channel: 1, data: '\ufffd', bytes: Uint8Array.of(0xff, 0) })]).toEqual([1, 0xff, 0]);
    expect(encodeChunk({ channel: 2, data: 'x' })[0]).toBe(2);
    const status = encodeChunk({ channel: 3, status: { metadata: {}, status: 'Failure', reason: 'NonZeroExitCode', details: { causes: [{ reason: 'ExitCode', message: '3' }] } } });
    expect(status[0]).toBe(3);
    expect(JSON.parse(status.subarray(1).toString())).toEqual({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', reason: 'NonZeroExitCode', details: { causes: [{ reason: 'ExitCode', message: '3' }] } });
  });

  it('decodes stdin across frames that split a UTF-8 character, resizes, and v5 CLOSE of stdin', () => {
    const decode = createInputDecoder('v5.channel.k8s.io');
    const e = Buffer.from('é', 'utf8');
    expect(decode(Uint8Array.of(0, 0x61, e[0]))).toEqual([{ channel: 0, data: 'a', bytes: Uint8Array.of(0x61, e[0]) }]);
    expect(decode(Uint8Array.of(0, e[1]))).toEqual([{ channel: 0, data: 'é', bytes: Uint8Array.of(e[1]) }]);
    expect(decode(Buffer.concat([Buffer.of(4), Buffer.from('{"Width":120,"Height":40}')]))).toEqual([{ channel: 4, width: 120, height: 40 }]);
    expect(decode(Buffer.concat([Buffer.of(4), Buffer.from('{bad')]))).toEqual([]);
    expect(decode(Uint8Array.of(255, 2))).toEqual([]);
    expect(decode(Uint8Array.of(255, 0))).toEqual([{ channel: 255 }]);
    expect(decode(Uint8Array.of(9, 1, 2))).toEqual([]);
  });

  it('ignores CLOSE under v4, which has no such signal', () => {
    expect(createInputDecoder('v4.channel.k8s.io')(Uint8Array.of(255, 0))).toEqual([]);
  });
});

import { constants as zc, createDeflate, inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { adler32, controlFrame, dataFrame, FLAG_FIN, SPDY, SPDY_DICTIONARY, SpdyFrameReader, SpdyHeaderDecoder, SpdyHeaderEncoder, synReplyFrame } from './ws-spdy-frames';

/** A header block as Go's framer writes it: one deflate stream with the dictionary, sync-flushed per block. */
function goStyleCompressor() {
  const z = createDeflate({ dictionary: SPDY_DICTIONARY, level: 9 });
  return (pairs: Array<[string, string]>) =>
    new Promise<Buffer>((resolve) => {
      const parts: Buffer[] = [Buffer.alloc(4)];
      parts[0].writeUInt32BE(pairs.length);
      for (const [k, v] of pairs) {
        for (const s of [k, v]) {
          const len = Buffer.alloc(4);
          len.writeUInt32BE(Buffer.byteLength(s));
          parts.push(len, Buffer.from(s));
        }
      }
      const out: Buffer[] = [];
      const onData = (c: Buffer) => out.push(c);
      z.on('data', onData);
      z.write(Buffer.concat(parts));
      z.flush(zc.Z_SYNC_FLUSH, () => setImmediate(() => (z.off('data', onData), resolve(Buffer.concat(out)))));
    });
}

describe('SPDY/3.1 frames', () => {
  it('builds the 1423-byte SPDY/3 header dictionary', () => {
    expect(SPDY_DICTIONARY.length).toBe(1423);
    expect(SPDY_DICTIONARY.subarray(0, 11).toString('latin1')).toBe('\0\0\0\x07options');
    expect(SPDY_DICTIONARY.subarray(-6).toString('latin1')).toBe('enq=0.');
    expect(adler32(Buffer.from('Wikipedia'))).toBe(0x11e60398);
  });

  it('splits a byte stream into control and data frames whatever the chunking', () => {
    const bytes = Buffer.concat([controlFrame(SPDY.ping, 0, Buffer.from([0, 0, 0, 1])), dataFrame(3, Buffer.from('hello'), FLAG_FIN)]);
    const reader = new SpdyFrameReader();
    const frames = [...bytes].flatMap((b) => reader.push(Uint8Array.of(b)));
    expect(frames).toHaveLength(2);
    expect(frames[0]).toMatchObject({ kind: 'control', type: SPDY.ping, flags: 0 });
    expect(frames[1]).toMatchObject({ kind: 'data', streamId: 3, flags: FLAG_FIN });
    expect(frames[1].kind === 'data' && frames[1].data.toString()).toBe('hello');
  });

  it('decodes successive header blocks of one compressed stream, names lowercased', async () => {
    const compress = goStyleCompressor();
    const dec = new SpdyHeaderDecoder();
    const first = dec.decode(await compress([['streamType', 'error'], ['port', '5678'], ['requestID', '0']]));
    expect(Object.fromEntries([...first].map(([k, v]) => [k, v[0]]))).toEqual({ streamtype: 'error', port: '5678', requestid: '0' });
    const second = dec.decode(await compress([['streamtype', 'data'], ['port', '5678'], ['requestid', '0']]));
    expect(second.get('streamtype')).toEqual(['data']);
  });

  it('encodes reply header blocks any inflater with the dictionary reads, one block at a time', () => {
    const enc = new SpdyHeaderEncoder();
    const a = enc.encode({});
    const b = enc.encode({ Status: '200' });
    expect(a.subarray(0, 2)).toEqual(Buffer.from([0x78, 0x20]));
    expect(a.readUInt32BE(2)).toBe(adler32(SPDY_DICTIONARY));
    expect(a.subarray(-5)).toEqual(Buffer.from([0, 0, 0, 0xff, 0xff]));
    const all = inflateSync(Buffer.concat([a, b]), { dictionary: SPDY_DICTIONARY, finishFlush: zc.Z_SYNC_FLUSH });
    expect([...all]).toEqual([0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 6, ...Buffer.from('status'), 0, 0, 0, 3, ...Buffer.from('200')]);
    const reply = synReplyFrame(5, a);
    expect([...reply.subarray(0, 8)]).toEqual([0x80, 3, 0, SPDY.synReply, 0, 0, 0, 4 + a.length]);
    expect(reply.readUInt32BE(8)).toBe(5);
  });
});

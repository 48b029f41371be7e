import type { VolumeCall, VolumeReply, VolumeRequest } from './volume-server';

/**
 * A VolumeCall from a container Worker to the VolumeServers in the launcher's thread. One call at a time
 * per container (its thread is blocked while it waits): the Worker posts { type: 'volume', mount, req }
 * and blocks on the reply slot, a SharedArrayBuffer whose header is [state, json bytes, data bytes] and
 * whose body is the reply as JSON (without `data`) followed by the read bytes. The launcher answers in its
 * message handler (VolumeReplySlot.put), which never blocks. A reply that does not fit is EIO; reads are
 * asked in chunks smaller than the slot.
 */
const STATE = 0;
const JSON_LEN = 1;
const DATA_LEN = 2;
const HEADER = 16;
const EIO = 29;

export const VOLUME_SLOT_BYTES = 1024 * 1024;

export interface VolumeMessage {
  type: 'volume';
  /** Index into the StartMessage's mounts. */
  mount: number;
  req: VolumeRequest;
}

const enc = new TextEncoder();
const dec = new TextDecoder();

export class VolumeReplySlot {
  readonly buffer: SharedArrayBuffer;
  private readonly h: Int32Array;
  private readonly body: Uint8Array;

  constructor(buffer: SharedArrayBuffer = new SharedArrayBuffer(HEADER + VOLUME_SLOT_BYTES)) {
    this.buffer = buffer;
    this.h = new Int32Array(buffer, 0, HEADER / 4);
    this.body = new Uint8Array(buffer, HEADER);
  }

  /** Launcher side: stores the reply and wakes the waiting Worker. */
  put(reply: VolumeReply): void {
    const { data, ...rest } = reply;
    let json = enc.encode(JSON.stringify(rest));
    let bytes = data ?? new Uint8Array(0);
    if (json.length + bytes.length > this.body.length) {
      json = enc.encode(JSON.stringify({ errno: EIO }));
      bytes = new Uint8Array(0);
    }
    this.body.set(json, 0);
    this.body.set(bytes, json.length);
    Atomics.store(this.h, JSON_LEN, json.length);
    Atomics.store(this.h, DATA_LEN, data ? bytes.length : -1);
    Atomics.store(this.h, STATE, 1);
    Atomics.notify(this.h, STATE);
  }

  /** Worker side: a VolumeCall that posts each request with `post` and blocks until put() answers it. */
  caller(mount: number, post: (msg: VolumeMessage) => void): VolumeCall {
    return (req) => {
      Atomics.store(this.h, STATE, 0);
      post({ type: 'volume', mount, req });
      while (Atomics.load(this.h, STATE) === 0) Atomics.wait(this.h, STATE, 0);
      const jsonLen = Atomics.load(this.h, JSON_LEN);
      const dataLen = Atomics.load(this.h, DATA_LEN);
      const reply = JSON.parse(dec.decode(this.body.slice(0, jsonLen))) as VolumeReply;
      if (dataLen >= 0) reply.data = this.body.slice(jsonLen, jsonLen + dataLen);
      return reply;
    };
  }
}

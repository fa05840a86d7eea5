import type { Delivered, SignalFrame } from '../../core/connections/peer.js';
import { encodeBareMessage, encodeSharedFrame } from '../../protocol/encode.js';

/**
 * WebSocket text frames, written to the socket beside `ws` (see
 * OutgoingQueue). Those for many receivers are built once. A room message goes to
 * every member with the same bytes; `ws` would allocate a header, an options
 * object and a buffer view per receiver and make two writes. Here the whole
 * frame (header and payload) is built on first use and the same Buffer is
 * written to every socket: nothing is allocated per receiver on our side.
 *
 * Writing to the socket beside `ws` is safe while `ws` never queues frames of
 * its own: it does not when permessage-deflate is off (it is, see Gateway)
 * and nothing sends Blobs, so frames keep the order in which they are written.
 */
export class SharedFrames<K extends object> {
  /** Weak: a fan-out's frame goes when its message does. */
  private readonly framed = new WeakMap<K, Buffer>();

  constructor(private readonly encode: (value: K) => Uint8Array) {}

  /** The frame for `value`, encoded on its first receiver and the same Buffer for the others. */
  of(value: K): Buffer {
    let frame = this.framed.get(value);
    if (!frame) {
      frame = textFrame(this.encode(value));
      this.framed.set(value, frame);
    }
    return frame;
  }
}

/** `{"type":"message","data":…}`, the `/api/ws` form of a room message. */
export const messageFrames = new SharedFrames<Delivered>((delivered) =>
  encodeSharedFrame({ type: 'message', data: delivered.message }),
);

/** The bare message object, the `/api/serve` form. */
export const bareMessageFrames = new SharedFrames<Delivered>((delivered) =>
  encodeBareMessage(delivered.message),
);

/** Presence, typing and role frames. */
export const signalFrames = new SharedFrames<SignalFrame>(encodeSharedFrame);

/** The unmasked, final text frame (RFC 6455, 5.2) carrying `payload`. */
export function textFrame(payload: Uint8Array): Buffer {
  const frame = withHeader(payload.byteLength);
  frame.set(payload, frame.byteLength - payload.byteLength);
  return frame;
}

/** The text frame carrying `text` (UTF-8), for one receiver. */
export function ownTextFrame(text: string): Buffer {
  const length = Buffer.byteLength(text);
  const frame = withHeader(length);
  frame.write(text, frame.byteLength - length, 'utf8');
  return frame;
}

/** A buffer for a frame of `length` payload bytes, its header written. */
function withHeader(length: number): Buffer {
  const headerLength = length < 126 ? 2 : length < 65_536 ? 4 : 10;
  const frame = Buffer.allocUnsafe(headerLength + length);
  frame[0] = 0x81; // FIN, opcode 1 (text)
  if (length < 126) {
    frame[1] = length;
  } else if (length < 65_536) {
    frame[1] = 126;
    frame.writeUInt16BE(length, 2);
  } else {
    frame[1] = 127;
    frame.writeBigUInt64BE(BigInt(length), 2);
  }
  return frame;
}

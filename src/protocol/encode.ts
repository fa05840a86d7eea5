/**
 * The one place a server frame becomes wire text: every frame the server
 * writes, on `/api/ws` and `/api/serve` alike, goes through these, typed by
 * `ServerFrame`. A frame for many receivers is encoded once, as bytes, and
 * the same bytes are written to each.
 */
import type { ServerFrame } from './frames.js';
import type { ChatMessage } from './message.js';

const utf8 = new TextEncoder();

/** The JSON text of a frame for one receiver (a reply, an error, a welcome). */
export function encodeFrame(frame: ServerFrame): string {
  return JSON.stringify(frame);
}

/** The UTF-8 bytes of a frame that many receivers share. */
export function encodeSharedFrame(frame: ServerFrame): Uint8Array {
  return utf8.encode(JSON.stringify(frame));
}

/**
 * The bare message object, which is the frame on `/api/serve/:roomId`: a
 * terminal sees one JSON message per line, without the `/api/ws` envelope.
 */
export function encodeBareMessage(message: ChatMessage): Uint8Array {
  return utf8.encode(JSON.stringify(message));
}

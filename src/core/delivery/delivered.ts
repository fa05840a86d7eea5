import type { ChatMessage } from '../../protocol/message.js';

const encoder = new TextEncoder();

/**
 * A message on its way to this node's connections. Each wire form is encoded
 * once, on first use, and the same bytes go to every receiver.
 */
export class Delivered {
  private frameBytes: Uint8Array | undefined;
  private rawBytes: Uint8Array | undefined;

  constructor(readonly message: ChatMessage) {}

  /** `{"type":"message","data":…}`, the `/api/ws` frame. */
  get frame(): Uint8Array {
    this.frameBytes ??= encoder.encode(`{"type":"message","data":${JSON.stringify(this.message)}}`);
    return this.frameBytes;
  }

  /** The bare message object, the `/api/serve` frame. */
  get raw(): Uint8Array {
    this.rawBytes ??= encoder.encode(JSON.stringify(this.message));
    return this.rawBytes;
  }
}

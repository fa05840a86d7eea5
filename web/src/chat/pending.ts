import type { ClientErrorCode } from '../api/api-error.js';
import type { ReplyQuote } from '../protocol.js';
import { randomId } from './random-id.js';

/**
 * A message the user sent that the server has not yet echoed. Its `clientId`
 * is the `id` of the send frame, reused on every retry, so that the server
 * stores it once however many times it is sent.
 */
export interface PendingMessage {
  clientId: string;
  roomId: string;
  text: string;
  /** The message it answers, with what the reply shows of it. */
  replyTo?: { id: string; quote: ReplyQuote };
  /** ISO time the user pressed Enter; shown until the server's own time replaces it. */
  created: string;
  /** sending: on the wire or waiting for a connection; failed: the server refused it. */
  status: 'sending' | 'failed';
  /** The seq of the server's ack: stored, waiting only for its echo. */
  seq?: number;
  error?: {
    code: ClientErrorCode;
    message: string;
    retryAfterMs?: number;
    /** Epoch ms when a rate-limited message is sent again by itself. */
    retryAt?: number;
  };
}

/** Refused only for sending too fast: held back, and sent again by itself. */
export function isHeld(pending: PendingMessage): boolean {
  return pending.status === 'failed' && pending.error?.code === 'rate_limited';
}

export function newPending(
  roomId: string,
  text: string,
  replyTo?: PendingMessage['replyTo'],
): PendingMessage {
  return {
    clientId: randomId(),
    roomId,
    text,
    ...(replyTo ? { replyTo } : {}),
    created: new Date().toISOString(),
    status: 'sending',
  };
}

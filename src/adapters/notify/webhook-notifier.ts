import { createHmac } from 'node:crypto';
import type { Notifier, UnreadNotification } from '../../core/ports/notifier.js';

export interface WebhookOptions {
  /** Tries in all, the first included. */
  attempts: number;
  /** The wait before the first retry, doubled (with jitter) before each next one, in ms. */
  firstRetryMs: number;
  /** How long one call may take, in ms. */
  timeoutMs: number;
}

const DEFAULTS: WebhookOptions = { attempts: 5, firstRetryMs: 1_000, timeoutMs: 5_000 };

/**
 * POSTs each notification as JSON to NOTIFY_WEBHOOK_URL, signed with
 * `X-Confab-Signature: sha256=<hex HMAC-SHA256 of the body>` under
 * NOTIFY_WEBHOOK_SECRET. A network error, a timeout, a 408, 429 or 5xx is
 * retried with exponential backoff; any other answer is final.
 */
export class WebhookNotifier implements Notifier {
  private readonly options: WebhookOptions;

  constructor(
    private readonly url: string,
    private readonly secret: string,
    options: Partial<WebhookOptions> = {},
  ) {
    this.options = { ...DEFAULTS, ...options };
  }

  async notify(notification: UnreadNotification): Promise<void> {
    const body = JSON.stringify(notification);
    const signature = `sha256=${createHmac('sha256', this.secret).update(body).digest('hex')}`;
    let failure = '';
    for (let attempt = 1; attempt <= this.options.attempts; attempt++) {
      if (attempt > 1) await delay(backoff(this.options.firstRetryMs, attempt - 1));
      try {
        const response = await fetch(this.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-confab-signature': signature },
          body,
          signal: AbortSignal.timeout(this.options.timeoutMs),
        });
        await response.arrayBuffer().catch(() => undefined);
        if (response.ok) return;
        failure = `answered ${response.status}`;
        if (!retryable(response.status)) break;
      } catch (err) {
        failure = err instanceof Error ? err.message : String(err);
      }
    }
    throw new Error(`notification webhook failed: ${failure}`);
  }
}

function retryable(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}

/** 1, 2, 4, 8... times `firstMs`, each between half and all of it, so retries do not come in step. */
function backoff(firstMs: number, retry: number): number {
  const full = firstMs * 2 ** (retry - 1);
  return full / 2 + Math.random() * (full / 2);
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

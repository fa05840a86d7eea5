import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedCall {
  body: Record<string, any>;
  /** Whether X-Confab-Signature is the HMAC-SHA256 of the raw body under the secret. */
  signed: boolean;
}

/**
 * A local HTTP receiver for the notification webhook, on 127.0.0.1: it checks
 * each call's signature over the bytes received, as a real receiver must,
 * and answers with the statuses queued in `answers` (then 204).
 */
export class WebhookReceiver {
  readonly calls: ReceivedCall[] = [];
  /** Statuses to answer with, first call first; 204 once empty. */
  readonly answers: number[] = [];
  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  static async start(secret: string): Promise<WebhookReceiver> {
    let receiver: WebhookReceiver | undefined;
    const server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const raw = Buffer.concat(chunks);
        const expected = `sha256=${createHmac('sha256', secret).update(raw).digest('hex')}`;
        const given = String(request.headers['x-confab-signature'] ?? '');
        const signed =
          given.length === expected.length &&
          timingSafeEqual(Buffer.from(given), Buffer.from(expected));
        const status = receiver?.answers.shift() ?? 204;
        receiver?.calls.push({ body: JSON.parse(raw.toString('utf8')), signed });
        response.statusCode = status;
        response.end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    receiver = new WebhookReceiver(server, `http://127.0.0.1:${port}/hook`);
    return receiver;
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

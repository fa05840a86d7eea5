import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { RECORDED_QUOTES } from '../fixtures/quotes.js';

/**
 * A stand-in for stooq on a free loopback port, serving recorded CSV:
 * `STOCK_QUOTE_URL=${server.url}` . Symbols it does not know get stooq's N/D
 * line; `broken.us` answers 500, `garbage.us` an HTML page, `huge.us` 20 MB,
 * `other.us` another symbol's quote. With `hold`,
 * answers wait until `release()`, for a command that is slow on purpose.
 */
export class QuoteServer {
  /** Symbols asked for, in order. */
  readonly asked: string[] = [];
  hold = false;
  private held: Array<() => void> = [];
  private waiters: Array<() => void> = [];

  private constructor(
    private readonly server: Server,
    readonly port: number,
  ) {}

  static async start(): Promise<QuoteServer> {
    let self: QuoteServer | undefined;
    const server = createServer((req, res) => self?.handle(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    self = new QuoteServer(server, typeof address === 'object' && address ? address.port : 0);
    return self;
  }

  /** The STOCK_QUOTE_URL that points here. */
  get url(): string {
    return `http://127.0.0.1:${this.port}/q/l/?s={symbol}&f=sd2t2ohlcv&h&e=csv`;
  }

  /** Resolves once `count` requests have arrived in all. */
  async requested(count: number, timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.asked.length < count) {
      if (Date.now() > deadline) throw new Error(`quote server: ${count} requests not seen`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, deadline - Date.now());
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** Answers every held request, and stops holding. */
  release(): void {
    this.hold = false;
    for (const answer of this.held.splice(0)) answer();
  }

  async close(): Promise<void> {
    this.release();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const symbol = new URL(req.url ?? '/', 'http://x').searchParams.get('s') ?? '';
    this.asked.push(symbol);
    for (const wake of this.waiters.splice(0)) wake();
    const answer = () => this.answer(symbol.toLowerCase(), res);
    if (this.hold) this.held.push(answer);
    else answer();
  }

  private answer(symbol: string, res: ServerResponse): void {
    if (symbol === 'broken.us') {
      res.writeHead(500).end('Internal Server Error');
      return;
    }
    if (symbol === 'huge.us') {
      // A hostile or broken service: a header, then 20 MB in one field.
      res.writeHead(200, { 'content-type': 'text/csv' });
      res.write('Symbol,Date,Time,Open,High,Low,Close,Volume\r\n');
      res.end('A'.repeat(20 * 1024 * 1024));
      return;
    }
    if (symbol === 'other.us') {
      res.writeHead(200, { 'content-type': 'text/csv' }).end(RECORDED_QUOTES['aapl.us']);
      return;
    }
    if (symbol === 'garbage.us') {
      res
        .writeHead(200, { 'content-type': 'text/html' })
        .end('<html><body>Exceeded the daily hits limit</body></html>');
      return;
    }
    const csv =
      RECORDED_QUOTES[symbol] ??
      `Symbol,Date,Time,Open,High,Low,Close,Volume\r\n${symbol.toUpperCase()},N/D,N/D,N/D,N/D,N/D,N/D,N/D\r\n`;
    res.writeHead(200, { 'content-type': 'text/csv' }).end(csv);
  }
}

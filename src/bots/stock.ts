import type { BotAnswer, BotCommand } from '../core/ports/bot-command.js';

export interface StockSettings {
  /** The CSV's address, with `{symbol}` where the symbol goes. */
  quoteUrl: string;
  /** How long the quote service may take, in ms. */
  timeoutMs: number;
}

/** Stooq's symbols: `aapl.us`, `^spx`, `eurusd`, `btc.v`; at least one letter or digit (not `..`). */
const SYMBOL = /^(?=.*[A-Za-z0-9])[A-Za-z0-9^._-]{1,24}$/;
/** A quote is two short CSV lines: more than this is not a quote, and is not read further. */
const MAX_CSV_BYTES = 16 * 1024;
const USAGE = '/stock=<symbol>';

/**
 * `/stock=aapl.us` → `AAPL.US quote is $229.87 per share`, from a CSV with
 * the header `Symbol,Date,Time,Open,High,Low,Close,Volume` (stooq's).
 */
export function stockCommand(settings: StockSettings): BotCommand {
  return {
    name: 'stock',
    usage: USAGE,
    help: 'The latest price of a stock, such as /stock=aapl.us.',
    async run(args) {
      const symbol = args.trim();
      if (!SYMBOL.test(symbol)) {
        return failed(`Give a stock symbol, such as ${USAGE.replace('<symbol>', 'aapl.us')}.`);
      }
      const url = settings.quoteUrl.replaceAll('{symbol}', encodeURIComponent(symbol));
      let csv: string;
      try {
        const response = await fetch(url, { signal: AbortSignal.timeout(settings.timeoutMs) });
        if (!response.ok) {
          return failed(`The quote service answered HTTP ${response.status}; try again later.`);
        }
        csv = await readAtMost(response, MAX_CSV_BYTES);
      } catch (err) {
        return failed(
          isTimeout(err)
            ? `The quote service did not answer within ${settings.timeoutMs / 1000} s; try again later.`
            : 'The quote service cannot be reached; try again later.',
        );
      }
      return quoteAnswer(symbol, csv);
    },
  };
}

/** Reads the quote's Close from the CSV; N/D (stooq's "no data") means an unknown symbol. */
export function quoteAnswer(symbol: string, csv: string): BotAnswer {
  const [header, row] = csv.trim().split(/\r?\n/);
  const columns = header?.split(',').map((c) => c.trim().toLowerCase()) ?? [];
  const values = row?.split(',').map((v) => v.trim()) ?? [];
  const closeAt = columns.indexOf('close');
  const close = closeAt >= 0 ? values[closeAt] : undefined;
  const name = symbol.toUpperCase();
  if (close === 'N/D') return { type: 'bot', text: `No quote for ${name}: unknown symbol.` };
  if (close === undefined || !/^\d+(\.\d+)?$/.test(close)) {
    return failed(`The quote service sent something unreadable for ${name}; try again later.`);
  }
  // The service's text is never echoed: only a quote for the very symbol asked for is told.
  const returned = values[columns.indexOf('symbol')]?.toUpperCase();
  if (returned !== undefined && returned !== name) {
    return failed(`The quote service answered for another symbol than ${name}; try again later.`);
  }
  return { type: 'bot', text: `${name} quote is $${close} per share` };
}

/** The body's first `max` bytes as text; the rest is never read (the stream is cancelled). */
async function readAtMost(response: Response, max: number): Promise<string> {
  if (!response.body) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    while (size < max) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      size += value.byteLength;
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
  return new TextDecoder().decode(Buffer.concat(chunks).subarray(0, max));
}

function failed(text: string): BotAnswer {
  return { type: 'failed', text };
}

function isTimeout(err: unknown): boolean {
  return err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError');
}

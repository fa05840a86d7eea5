import type { BotAnswer, BotCommand } from '../core/ports/bot-command.js';

export interface StockSettings {
  /** The CSV's address, with `{symbol}` where the symbol goes. */
  quoteUrl: string;
  /** How long the quote service may take, in ms. */
  timeoutMs: number;
}

/** Stooq's symbols: `aapl.us`, `^spx`, `eurusd`, `btc.v`. */
const SYMBOL = /^[A-Za-z0-9^._-]{1,24}$/;
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
        csv = await response.text();
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
  const name = (values[columns.indexOf('symbol')] || symbol).toUpperCase();
  if (close === 'N/D') return { type: 'bot', text: `No quote for ${name}: unknown symbol.` };
  if (close === undefined || !/^\d+(\.\d+)?$/.test(close)) {
    return failed(`The quote service sent something unreadable for ${name}; try again later.`);
  }
  return { type: 'bot', text: `${name} quote is $${close} per share` };
}

function failed(text: string): BotAnswer {
  return { type: 'failed', text };
}

function isTimeout(err: unknown): boolean {
  return err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError');
}

import type { LimitRule } from '../core/ports/limiter.js';

/** A setting that cannot be used: its message names the variable and what it takes. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

export type Env = Record<string, string | undefined>;

function hostnameOf(domain: string): string | undefined {
  try {
    return new URL(`http://${domain}`).hostname || undefined;
  } catch {
    return undefined;
  }
}

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** Reads one variable each call, in the form it names; a bad value throws ConfigError naming it. */
export class EnvReader {
  constructor(private readonly env: Env) {}

  optional(name: string): string | undefined {
    const value = this.env[name]?.trim();
    return value === '' ? undefined : value;
  }

  number(name: string, fallback: number, min: number): number {
    const raw = this.optional(name);
    if (raw === undefined) return fallback;
    const value = Number(raw);
    if (!Number.isFinite(value) || value < min) {
      throw new ConfigError(`${name} must be a number of at least ${min}, got "${raw}"`);
    }
    return value;
  }

  integer(name: string, fallback: number, min: number, max = Number.MAX_SAFE_INTEGER): number {
    const raw = this.optional(name);
    if (raw === undefined) return fallback;
    const value = Number(raw);
    if (!/^\d+$/.test(raw) || value < min || value > max) {
      throw new ConfigError(`${name} must be a whole number from ${min} to ${max}, got "${raw}"`);
    }
    return value;
  }

  boolean(name: string, fallback: boolean): boolean {
    const raw = this.optional(name)?.toLowerCase();
    if (raw === undefined) return fallback;
    if (['true', '1', 'yes', 'on'].includes(raw)) return true;
    if (['false', '0', 'no', 'off'].includes(raw)) return false;
    throw new ConfigError(`${name} must be true or false, got "${raw}"`);
  }

  oneOf<T extends string>(name: string, values: readonly T[], fallback: T): T {
    const raw = this.optional(name);
    if (raw === undefined) return fallback;
    if (!(values as readonly string[]).includes(raw)) {
      throw new ConfigError(`${name} must be one of ${values.join(', ')}, got "${raw}"`);
    }
    return raw as T;
  }

  /** A comma-separated subset of `values`. */
  list<T extends string>(name: string, values: readonly T[], fallback: T[]): T[] {
    const raw = this.optional(name);
    if (raw === undefined) return fallback;
    const items = raw.split(',').map((item) => item.trim());
    const bad = items.find((item) => !(values as readonly string[]).includes(item));
    if (bad !== undefined) {
      throw new ConfigError(
        `${name} must be a comma-separated list of ${values.join(', ')}, got "${bad}"`,
      );
    }
    return items as T[];
  }

  url(name: string, protocols: string[]): string | undefined {
    const raw = this.optional(name);
    if (raw === undefined) return undefined;
    let protocol: string;
    try {
      protocol = new URL(raw).protocol;
    } catch {
      throw new ConfigError(`${name} must be a URL (${protocols.join(' or ')}//...)`);
    }
    if (!protocols.includes(protocol)) {
      throw new ConfigError(
        `${name} must start with ${protocols.join(' or ')}//, got ${protocol}//`,
      );
    }
    return raw;
  }

  /** A comma list of origins (`https://chat.example.com`), or `*`; each kept as its canonical origin. */
  origins(name: string): string[] {
    const raw = this.optional(name);
    if (raw === undefined) return [];
    return raw.split(',').map((item) => {
      const entry = item.trim();
      if (entry === '*') return entry;
      try {
        const origin = new URL(entry).origin;
        if (origin !== 'null') return origin;
      } catch {
        // reported below
      }
      throw new ConfigError(
        `${name} must be * or a comma-separated list of origins such as https://chat.example.com, got "${entry}"`,
      );
    });
  }

  /** A count over a span, such as 10/15m (whole seconds: s, m, h or d), or off. */
  rate(name: string, fallback: string): LimitRule | undefined {
    const raw = this.optional(name) ?? fallback;
    if (raw === 'off') return undefined;
    const match = /^(\d+)\s*\/\s*(\d+)\s*(s|m|h|d)$/.exec(raw);
    const points = Number(match?.[1]);
    const durationMs = Number(match?.[2]) * (UNIT_MS[match?.[3] ?? ''] ?? 0);
    if (!match || points < 1 || durationMs < 1000) {
      throw new ConfigError(
        `${name} must be a count over a span such as 10/15m, or off, got "${raw}"`,
      );
    }
    return { points, durationMs };
  }

  /** A span such as 300ms, 30s, 5m or 1h, in milliseconds. */
  millis(name: string, fallback: string): number {
    const raw = this.optional(name) ?? fallback;
    const match = /^(\d+)\s*(ms|s|m|h|d)$/.exec(raw);
    if (!match) {
      throw new ConfigError(`${name} must be a span such as 300ms, 30s or 5m, got "${raw}"`);
    }
    return Number(match[1]) * (UNIT_MS[match[2] as string] as number);
  }

  /** A comma list of host names, kept as a URL would spell them (lower case, punycode). */
  domains(name: string): string[] {
    const raw = this.optional(name);
    if (raw === undefined) return [];
    return raw
      .split(',')
      .map((item) => item.trim())
      .filter((item) => item !== '')
      .map((item) => {
        const host = /^[^\s/:@?#]+$/.test(item) ? hostnameOf(item) : undefined;
        if (!host) {
          throw new ConfigError(`${name} must be a comma list of domain names, got "${item}"`);
        }
        return host;
      });
  }

  /** A short span such as 500ms, 5s or 1m (a bare number is milliseconds), from `min` to `max`. */
  milliseconds(name: string, fallback: string, min: number, max: number): number {
    const raw = this.optional(name) ?? fallback;
    const match = /^(\d+)\s*(ms|s|m)?$/.exec(raw);
    const unit = (match?.[2] ?? 'ms') as 'ms' | 's' | 'm';
    const value = match ? Number(match[1]) * { ms: 1, s: 1_000, m: 60_000 }[unit] : NaN;
    if (!(value >= min && value <= max)) {
      throw new ConfigError(
        `${name} must be a duration from ${min} ms to ${max / 1000} s, such as 500ms, 5s or 1m, got "${raw}"`,
      );
    }
    return value;
  }

  /** A comma-separated list of names, blanks dropped; set but empty means none. */
  names(name: string, fallback: string[]): string[] {
    const raw = this.env[name];
    if (raw === undefined) return fallback;
    const items = raw
      .split(',')
      .map((item) => item.trim())
      .filter((item) => item !== '');
    const tooLong = items.find((item) => item.length > 64);
    if (tooLong !== undefined) {
      throw new ConfigError(`${name} must list names of at most 64 characters, got "${tooLong}"`);
    }
    return [...new Set(items)];
  }

  /** A span such as 30s, 15m, 12h, 7d or 2w, as jose reads it. */
  duration(name: string, fallback: string): string {
    const raw = this.optional(name) ?? fallback;
    if (!/^\d+\s*(s|m|h|d|w)$/.test(raw)) {
      throw new ConfigError(`${name} must be a duration such as 30m, 12h or 7d, got "${raw}"`);
    }
    return raw;
  }
}

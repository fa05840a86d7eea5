import { signal } from '@preact/signals';

/** Which new messages of a room make a desktop notification. */
export type NotifyLevel = 'all' | 'mentions' | 'none';

export const NOTIFY_LEVELS: readonly NotifyLevel[] = ['all', 'mentions', 'none'];

/**
 * Each room's notification level, kept per user in this browser's
 * localStorage (`confab.notify.<userId>`): a choice made on one device is
 * not seen on another. Rooms not set are `all`.
 */
export class NotifyLevels {
  readonly levels = signal<ReadonlyMap<string, NotifyLevel>>(new Map());
  private readonly key: string;

  constructor(userId: string) {
    this.key = `confab.notify.${userId}`;
    this.levels.value = read(this.key);
  }

  of(roomId: string): NotifyLevel {
    return this.levels.value.get(roomId) ?? 'all';
  }

  set(roomId: string, level: NotifyLevel): void {
    const next = new Map(this.levels.value);
    if (level === 'all') next.delete(roomId);
    else next.set(roomId, level);
    this.levels.value = next;
    try {
      localStorage.setItem(this.key, JSON.stringify(Object.fromEntries(next)));
    } catch {
      // The choice lasts until the tab closes.
    }
  }
}

function read(key: string): Map<string, NotifyLevel> {
  try {
    const value: unknown = JSON.parse(localStorage.getItem(key) ?? '{}');
    if (typeof value !== 'object' || value === null) return new Map();
    return new Map(
      Object.entries(value).filter((entry): entry is [string, NotifyLevel] =>
        NOTIFY_LEVELS.includes(entry[1]),
      ),
    );
  } catch {
    return new Map();
  }
}

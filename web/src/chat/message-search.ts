import { signal } from '@preact/signals';
import { api } from '../api/endpoints.js';
import type { SearchHit } from '../protocol.js';
import { problemOf } from './history-loader.js';
import type { Problem } from './room-state.js';

/** Where to search: the open room, or every room the user may read. */
export type SearchScope = { roomId: string } | 'all';

/**
 * One search at a time through GET /api/search: its results, newest first,
 * a page at a time (`more()` asks for the next). A newer search supersedes
 * an older one still on its way, whose answer is then dropped.
 */
export class MessageSearch {
  readonly results = signal<readonly SearchHit[] | null>(null);
  readonly loading = signal(false);
  readonly problem = signal<Problem | null>(null);
  readonly hasMore = signal(false);
  private next: string | undefined;
  private query: { q: string; scope: SearchScope } | null = null;
  private generation = 0;

  constructor(private readonly token: string) {}

  run(q: string, scope: SearchScope): Promise<void> {
    this.query = { q, scope };
    this.next = undefined;
    this.results.value = null;
    return this.fetch();
  }

  more(): Promise<void> {
    if (!this.query || !this.next || this.loading.value) return Promise.resolve();
    return this.fetch();
  }

  clear(): void {
    this.generation += 1;
    this.query = null;
    this.results.value = null;
    this.problem.value = null;
    this.loading.value = false;
    this.hasMore.value = false;
  }

  private async fetch(): Promise<void> {
    const query = this.query;
    if (!query) return;
    this.generation += 1;
    const generation = this.generation;
    this.loading.value = true;
    this.problem.value = null;
    try {
      const page = await api.search(this.token, query.q, {
        ...(query.scope === 'all' ? {} : { roomId: query.scope.roomId }),
        ...(this.next ? { before: this.next } : {}),
      });
      if (generation !== this.generation) return;
      this.results.value = [...(this.results.value ?? []), ...page.results];
      this.next = page.next;
      this.hasMore.value = page.next !== undefined;
    } catch (err) {
      if (generation === this.generation) this.problem.value = problemOf(err);
    } finally {
      if (generation === this.generation) this.loading.value = false;
    }
  }
}

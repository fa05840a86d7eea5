import { ApiError, describeError } from '../api/api-error.js';
import { api, HISTORY_PAGE } from '../api/endpoints.js';
import type { Problem, RoomState } from './room-state.js';

/**
 * Loads a room's history upwards, a page at a time, just above the
 * timeline's first message, so that the timeline never has a hole. One page
 * per room at a time: callers asking meanwhile share it.
 */
export class HistoryLoader {
  private readonly loads = new Map<string, Promise<void>>();

  constructor(
    private readonly token: string,
    private readonly room: (roomId: string) => RoomState,
  ) {}

  /** Loads the page of `limit` messages (at most 200) just above the timeline's first one. */
  loadOlder(roomId: string, limit = HISTORY_PAGE): Promise<void> {
    let load = this.loads.get(roomId);
    if (!load) {
      load = this.fetchOlder(roomId, limit).finally(() => this.loads.delete(roomId));
      this.loads.set(roomId, load);
    }
    return load;
  }

  /**
   * Loads pages until the timeline reaches `seq`, at most `maxPages` of
   * `limit`, while `still()` holds. Returns whether it got there.
   */
  async loadUntil(
    roomId: string,
    seq: number,
    {
      maxPages,
      limit = HISTORY_PAGE,
      still,
    }: { maxPages: number; limit?: number; still: () => boolean },
  ): Promise<boolean> {
    const state = this.room(roomId);
    for (let page = 0; !state.covers(seq) && page < maxPages; page++) {
      if (state.problem.value || state.historyProblem.value || !still()) return false;
      await this.loadOlder(roomId, limit);
    }
    return state.covers(seq);
  }

  private async fetchOlder(roomId: string, limit: number): Promise<void> {
    const state = this.room(roomId);
    if (!state.hasOlder.value) return;
    state.loadingOlder.value = true;
    state.historyProblem.value = null;
    try {
      for (;;) {
        const before = state.olderBound;
        const page = await api.history(this.token, roomId, before, limit);
        // A join reply or live message may have moved the bound meanwhile: ask again, or leave a hole.
        if (state.olderBound !== before) continue;
        state.addPage(page, before, limit);
        return;
      }
    } catch (err) {
      const problem = problemOf(err);
      if (problem.code === 'room_not_found') state.problem.value = problem;
      else state.historyProblem.value = problem;
    } finally {
      state.loadingOlder.value = false;
    }
  }
}

export function problemOf(err: unknown): Problem {
  return { code: err instanceof ApiError ? err.code : 'internal', message: describeError(err) };
}

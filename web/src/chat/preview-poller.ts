import { api, HISTORY_PAGE } from '../api/endpoints.js';
import type { ChatMessage } from '../protocol.js';
import type { RoomState } from './room-state.js';

/**
 * How often a room being previewed (not joined) is fetched again, in ms. The
 * socket cannot follow a room without joining it, and joining makes one a member.
 */
const PREVIEW_POLL_MS = 3_000;
/** At most this many pages of new messages per round, so a busy room cannot keep it looping. */
const MAX_PAGES = 20;

export interface PreviewTarget {
  /** Whether `roomId` is still on screen and not joined. */
  previewing(roomId: string): boolean;
  room(roomId: string): RoomState;
  /** Fetches the room's detail again: its members and who is online. */
  refreshDetail(state: RoomState): Promise<void>;
  /** The newest message fetched, for the room list's order. */
  received(message: ChatMessage): void;
}

/**
 * Keeps a previewed room current over HTTP while it is on screen and the tab
 * is visible: the messages after the newest one shown, then the detail.
 * One room at a time, one round after another (never two at once).
 */
export class PreviewPoller {
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly token: string,
    private readonly target: PreviewTarget,
  ) {}

  /** Starts (or restarts) polling `roomId`, if it is being previewed. */
  watch(roomId: string): void {
    this.stop();
    if (!this.target.previewing(roomId)) return;
    this.timer = setTimeout(() => void this.round(roomId), PREVIEW_POLL_MS);
  }

  stop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private async round(roomId: string): Promise<void> {
    const state = this.target.room(roomId);
    const still = () => this.target.previewing(roomId);
    if (!still()) return;
    // An empty timeline that may have older messages failed to load: `after` 0 would fetch the oldest.
    const placed = state.messages.value.length > 0 || !state.hasOlder.value;
    if (document.visibilityState === 'visible' && state.membership.value === 'visitor' && placed) {
      try {
        for (let page = 0; page < MAX_PAGES && still(); page++) {
          const newer = await api.historyAfter(this.token, roomId, state.lastSeq);
          if (!still()) return;
          state.add(newer);
          const last = newer.at(-1);
          if (last) this.target.received(last);
          if (newer.length < HISTORY_PAGE) break;
        }
      } catch {
        // The next round tries again; the connection banner says if the server is away.
      }
      if (still()) await this.target.refreshDetail(state);
    }
    this.watch(roomId);
  }
}

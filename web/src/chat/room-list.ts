import { signal } from '@preact/signals';
import { describeError } from '../api/api-error.js';
import { api, type RoomEntry } from '../api/endpoints.js';
import type { ChatMessage, NotifyLevel, RoomView } from '../protocol.js';
import { isChange } from './message-events.js';

/**
 * The rooms the user can see, newest activity first: fetched from the
 * server, then kept current by the socket (new public rooms, messages) until
 * the next fetch.
 */
export class RoomList {
  readonly rooms = signal<readonly RoomEntry[]>([]);
  readonly loaded = signal(false);
  readonly problem = signal<string | null>(null);
  private fetching: Promise<void> | null = null;
  /** Rooms the last fetch left out: a join refused meanwhile can still name its room. */
  private dropped = new Map<string, RoomEntry>();

  constructor(private readonly token: string) {}

  refresh(): Promise<void> {
    this.fetching ??= api
      .rooms(this.token)
      .then(
        (rooms) => {
          const kept = new Set(rooms.map((room) => room.roomId));
          this.dropped = new Map(
            this.rooms.value.filter((r) => !kept.has(r.roomId)).map((r) => [r.roomId, r]),
          );
          this.rooms.value = sortByActivity(rooms);
          this.problem.value = null;
          this.loaded.value = true;
        },
        (err: unknown) => {
          this.problem.value = describeError(err);
        },
      )
      .finally(() => {
        this.fetching = null;
      });
    return this.fetching;
  }

  find(roomId: string): RoomEntry | undefined {
    return this.rooms.value.find((r) => r.roomId === roomId);
  }

  /** In the list, or left out by its last fetch. */
  findKnown(roomId: string): RoomEntry | undefined {
    return this.find(roomId) ?? this.dropped.get(roomId);
  }

  /** A room created, announced or opened: added if new, renamed if known. */
  added(room: RoomView): void {
    const known = this.find(room.roomId);
    if (known) {
      if (known.roomName === room.roomName && known.visibility === room.visibility) return;
      this.replace({ ...known, roomName: room.roomName, visibility: room.visibility });
      return;
    }
    const entry: RoomEntry = {
      roomId: room.roomId,
      roomName: room.roomName,
      visibility: room.visibility,
      ...(room.kind === 'direct' ? { kind: room.kind, peer: room.peer } : {}),
      lastSeq: 0,
      unread: 0,
      lastActivity: new Date().toISOString(),
    };
    this.rooms.value = sortByActivity([entry, ...this.rooms.value]);
  }

  /** A topic set (`undefined`: none), heard live or read with the room's detail. */
  setTopic(roomId: string, topic: string | undefined): void {
    const entry = this.find(roomId);
    if (!entry || entry.topic === topic) return;
    const { topic: _, ...rest } = entry;
    this.replace(topic ? { ...rest, topic } : rest);
  }

  setNotify(roomId: string, level: NotifyLevel): void {
    const entry = this.find(roomId);
    if (!entry) return;
    const { notify: _, ...rest } = entry;
    this.replace(level === 'all' ? rest : { ...rest, notify: level });
  }

  removed(roomId: string): void {
    this.rooms.value = this.rooms.value.filter((r) => r.roomId !== roomId);
  }

  /**
   * A message arrived: the room moves up, and counts as unread unless the
   * user is looking. An edit, deletion or reaction changes an older message:
   * it neither moves the room nor counts.
   */
  received(message: ChatMessage, unread: boolean): void {
    const entry = this.find(message.roomId);
    if (!entry || message.seq <= entry.lastSeq) return;
    const shown = !isChange(message);
    this.replace({
      ...entry,
      lastSeq: message.seq,
      lastActivity: shown ? message.sent : entry.lastActivity,
      unread: unread && shown ? entry.unread + 1 : entry.unread,
    });
  }

  read(roomId: string): void {
    const entry = this.find(roomId);
    if (entry && entry.unread > 0) this.replace({ ...entry, unread: 0 });
  }

  private replace(entry: RoomEntry): void {
    this.rooms.value = sortByActivity(
      this.rooms.value.map((r) => (r.roomId === entry.roomId ? entry : r)),
    );
  }
}

function sortByActivity(rooms: readonly RoomEntry[]): RoomEntry[] {
  return [...rooms].sort((a, b) => b.lastActivity.localeCompare(a.lastActivity));
}

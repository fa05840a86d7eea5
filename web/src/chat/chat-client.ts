import { batch, signal } from '@preact/signals';
import { ApiError } from '../api/api-error.js';
import { api, type Session } from '../api/endpoints.js';
import { ChatSocket } from '../net/chat-socket.js';
import type { ChatMessage, CommandInfo, ServerFrame, UserView, Visibility } from '../protocol.js';
import { Follows } from './follows.js';
import { dispatchFrame, type FrameHandlers } from './frame-dispatch.js';
import { HistoryLoader, problemOf } from './history-loader.js';
import { MessageActions } from './message-actions.js';
import { MessageAlerts } from './message-alerts.js';
import { MessageSearch } from './message-search.js';
import type { Notifier } from './notifier.js';
import { NotifyLevels } from './notify-levels.js';
import { Outbox } from './outbox.js';
import { PreviewPoller } from './preview-poller.js';
import { ReadMarkers } from './read-markers.js';
import { Requests } from './requests.js';
import { RoomList } from './room-list.js';
import { type Problem, RoomState } from './room-state.js';

/** Errors that follow a command's ack: the message is stored, the command got no answer. */
const COMMAND_ERRORS = new Set(['command_timeout', 'unknown_command']);
const ROOMS_REFRESH_MS = 60_000;
/** Opening a room at its first unread message loads at most this many pages above the newest. */
const MAX_UNREAD_PAGES = 20;
/** Showing a message far back (a search result, a reply's original): pages of 200, at most 50 of them. */
const REVEAL_PAGE = 200;
const MAX_REVEAL_PAGES = 50;

/**
 * The signed-in client: one socket, the room list, and a RoomState per room
 * seen. It wires the parts that each do one job (following rooms, history
 * pages, read markers, alerts, actions, search) and handles the server's
 * frames; the UI calls its methods and reads the signals.
 */
export class ChatClient {
  readonly me: UserView;
  readonly socket: ChatSocket;
  readonly roomList: RoomList;
  readonly outbox: Outbox;
  readonly activeRoomId = signal<string | null>(null);
  /** The slash commands the server knows, for the composer's menu; empty until loaded. */
  readonly commands = signal<readonly CommandInfo[]>([]);
  /** Ids of the users this user has blocked. */
  readonly blocked = signal<ReadonlySet<string>>(new Set());
  /** Something that happened to the user without their doing, to show until dismissed ("You were removed from …"). */
  readonly notice = signal<string | null>(null);
  /** Each room's notification level (all, mentions, none), kept by the server. */
  readonly notifyLevels: NotifyLevels;
  readonly actions: MessageActions;
  readonly search: MessageSearch;
  private readonly token: string;
  private readonly states = new Map<string, RoomState>();
  private readonly requests = new Requests();
  private readonly follows: Follows;
  private readonly history: HistoryLoader;
  private readonly readMarkers: ReadMarkers;
  private readonly alerts: MessageAlerts;
  private readonly preview: PreviewPoller;
  private refreshTimer: ReturnType<typeof setInterval> | undefined;

  constructor(
    session: Session,
    notifier: Notifier,
    private readonly onUnauthorized: () => void,
    private readonly navigate: (roomId: string | null) => void,
  ) {
    this.me = session.user;
    this.token = session.token;
    this.roomList = new RoomList(this.token);
    this.notifyLevels = new NotifyLevels(this.token, this.roomList);
    this.actions = new MessageActions(this.token);
    this.search = new MessageSearch(this.token);
    const room = (roomId: string) => this.room(roomId);
    this.socket = new ChatSocket(this.token, {
      online: () => this.online(),
      frame: (frame: ServerFrame) => dispatchFrame(frame, this.handlers),
      unauthorized: () => this.onUnauthorized(),
    });
    this.follows = new Follows(
      this.me.id,
      this.token,
      this.socket,
      this.requests,
      this.roomList,
      room,
      (roomId) => this.activeRoomId.value === roomId,
    );
    this.history = new HistoryLoader(this.token, room);
    this.readMarkers = new ReadMarkers(this.socket, this.roomList, (id) => this.follows.has(id));
    this.alerts = new MessageAlerts(
      this.me,
      notifier,
      this.notifyLevels,
      this.roomList,
      room,
      (id) => this.navigate(id),
    );
    this.outbox = new Outbox(this.socket, room);
    this.preview = new PreviewPoller(this.token, {
      previewing: (roomId) => this.activeRoomId.value === roomId && !this.follows.has(roomId),
      room,
      refreshDetail: (state) => this.loadDetail(state),
      received: (message) => this.roomList.received(message, false),
    });
  }

  async start(): Promise<void> {
    this.socket.start();
    // A `room` frame says "you were added"; the list, read again every minute and on focus, catches what a reconnect missed.
    this.refreshTimer = setInterval(() => void this.refreshRooms(), ROOMS_REFRESH_MS);
    window.addEventListener('focus', this.onFocus);
    void api.commands().then(
      (list) => {
        this.commands.value = list;
      },
      () => {}, // no menu; commands typed in full still work
    );
    await this.roomList.refresh();
    await this.follows.followMemberRooms();
    void this.notifyLevels.moveLegacy(this.me.id);
    if (!this.me.guest) await this.loadBlocks().catch(() => undefined);
  }

  /** Fetches the room list again and follows the private rooms that are new in it. */
  async refreshRooms(): Promise<void> {
    await this.roomList.refresh();
    for (const room of this.roomList.rooms.value) {
      if (room.member === true || room.visibility === 'private') this.follows.follow(room.roomId);
    }
    const active = this.activeRoomId.value;
    if (active) this.markRead(active);
  }

  stop(): void {
    clearInterval(this.refreshTimer);
    this.preview.stop();
    window.removeEventListener('focus', this.onFocus);
    this.socket.stop();
    this.outbox.stop();
    for (const state of this.states.values()) state.typing.clear();
  }

  room(roomId: string): RoomState {
    let state = this.states.get(roomId);
    if (!state) {
      state = new RoomState(roomId);
      this.states.set(roomId, state);
    }
    return state;
  }

  /**
   * Shows a room: its members, whether the user may send, and its history
   * from the first unread message (or the newest page), or down to a message
   * asked for with `reveal`. A room only previewed is fetched again every few
   * seconds while it is on screen.
   */
  async open(roomId: string | null): Promise<void> {
    this.activeRoomId.value = roomId;
    this.preview.stop();
    if (roomId === null) return;
    const state = this.room(roomId);
    const entry = this.roomList.find(roomId);
    // Read before markRead clears the count: where the divider goes.
    state.unreadFrom.value = entry && entry.unread > 0 ? entry.lastSeq - entry.unread + 1 : null;
    if (!this.follows.has(roomId)) state.resetPreview();
    await this.loadDetail(state);
    if (state.problem.value) return;
    if (state.messages.value.length === 0) await this.history.loadOlder(roomId);
    const still = () => this.activeRoomId.value === roomId;
    const from = state.unreadFrom.value;
    if (from !== null)
      await this.history.loadUntil(roomId, from, { maxPages: MAX_UNREAD_PAGES, still });
    await this.loadRevealed(state);
    this.markRead(roomId);
    this.preview.watch(roomId);
  }

  /** Opens `roomId` at the message `seq`, loading older history down to it, and marks it. */
  async reveal(roomId: string, seq: number): Promise<void> {
    const state = this.room(roomId);
    state.reveal.value = seq;
    // Opening the room (a new route) loads down to it; an open room loads here.
    if (this.activeRoomId.value !== roomId) this.navigate(roomId);
    else await this.loadRevealed(state);
  }

  private async loadRevealed(state: RoomState): Promise<void> {
    const seq = state.reveal.value;
    if (seq === null) return;
    const still = () => this.activeRoomId.value === state.roomId && state.reveal.value === seq;
    const reached = await this.history.loadUntil(state.roomId, seq, {
      maxPages: MAX_REVEAL_PAGES,
      limit: REVEAL_PAGE,
      still,
    });
    if (!reached && still()) {
      state.reveal.value = null;
      this.notice.value = 'That message is too far back to show here.';
    }
  }

  /** Loads the page of history just above the timeline's first message. */
  loadOlder(roomId: string): Promise<void> {
    return this.history.loadOlder(roomId);
  }

  /** The user asked to join: the socket's join makes them a member. */
  join(roomId: string): void {
    const state = this.room(roomId);
    state.problem.value = null;
    this.follows.follow(roomId);
    if (!this.socket.isOnline) {
      state.problem.value = {
        code: 'network',
        message: 'Not connected: you will join as soon as the connection is back.',
      };
    }
  }

  leave(roomId: string): void {
    const id = this.requests.add({ kind: 'leave', roomId });
    if (!this.socket.send({ type: 'leave', id, roomId })) {
      this.requests.drop(id);
      this.room(roomId).problem.value = {
        code: 'network',
        message: 'Not connected: try leaving again soon.',
      };
    }
  }

  /** Tells the server the user has seen the room up to its newest message. */
  markRead(roomId: string): void {
    const state = this.states.get(roomId);
    if (state) this.readMarkers.read(state);
  }

  typing(roomId: string): void {
    if (this.room(roomId).live.value) this.socket.send({ type: 'typing', roomId });
  }

  /** Whether a message mentions this user by name (`@name`, outside code). */
  mentionsMe(message: ChatMessage): boolean {
    return this.alerts.mentionsMe(message);
  }

  async createRoom(name: string, visibility: Visibility): Promise<string> {
    const room = await api.createRoom(this.token, name, visibility);
    this.roomList.added(room);
    this.follows.follow(room.roomId);
    return room.roomId;
  }

  /** Finds or makes the direct room with `userId`, follows it, and returns its id. */
  async openDirect(userId: string): Promise<string> {
    const room = await api.openDirect(this.token, userId);
    this.roomList.added(room);
    this.follows.follow(room.roomId);
    return room.roomId;
  }

  searchUsers(q: string) {
    return api.searchUsers(this.token, q);
  }

  /** Removes a member (or, for oneself, leaves); the member list is read again. */
  async removeMember(roomId: string, userId: string): Promise<void> {
    await api.removeMember(this.token, roomId, userId);
    await this.loadDetail(this.room(roomId));
  }

  async setRole(roomId: string, userId: string, role: 'admin' | 'member'): Promise<void> {
    await api.setRole(this.token, roomId, userId, role);
    await this.loadDetail(this.room(roomId));
  }

  /** Reads the users this user has blocked into `blocked`. */
  async loadBlocks(): Promise<void> {
    const people = await api.blocks(this.token);
    this.blocked.value = new Set(people.map((p) => p.id));
  }

  async setBlocked(userId: string, blocked: boolean): Promise<void> {
    await (blocked ? api.block(this.token, userId) : api.unblock(this.token, userId));
    await this.loadBlocks();
  }

  /** Adds a user to a room by username; the caller shows any error beside the form. */
  async addMember(roomId: string, username: string): Promise<void> {
    await api.addMember(this.token, roomId, username);
    await this.loadDetail(this.room(roomId));
  }

  private async loadDetail(state: RoomState): Promise<void> {
    try {
      const detail = await api.room(this.token, state.roomId);
      const member = detail.members.some((m) => m.id === this.me.id);
      batch(() => {
        state.members.value = detail.members;
        state.membership.value = member ? 'member' : 'visitor';
        state.problem.value = null;
      });
      this.roomList.added(detail);
      this.roomList.setTopic(state.roomId, detail.topic);
      if (member) this.follows.follow(state.roomId);
      else if (this.follows.has(state.roomId)) this.follows.unfollow(state.roomId);
    } catch (err) {
      state.problem.value = problemOf(err);
      if (err instanceof ApiError && err.code === 'room_not_found') {
        this.follows.unfollow(state.roomId);
      }
    }
  }

  // The socket

  private online(): void {
    for (const state of this.states.values()) state.live.value = false;
    this.follows.rejoinAll();
    // Frames of one connection are handled in order: these sends see the joins done.
    this.outbox.resend();
    void this.refreshRooms();
    const active = this.activeRoomId.value;
    if (active) void this.loadDetail(this.room(active));
  }

  // The frames

  /** What each server frame does; `dispatchFrame` picks the handler by the frame's type. */
  private readonly handlers: FrameHandlers = {
    message: (message) => this.onMessage(message),
    joined: (frame) => this.onJoined(frame),
    left: (frame) => this.onLeft(frame),
    role: (frame) => this.states.get(frame.roomId)?.setRole(frame.user.id, frame.role),
    ack: (frame) => {
      if (frame.id) this.outbox.acked(frame.id, frame.seq);
    },
    error: (frame) => this.onError(frame),
    presence: (frame) =>
      this.states.get(frame.roomId)?.setOnline(frame.user.id, frame.user.name, frame.online),
    presences: (frame) => this.onPresences(frame),
    typing: (frame) => {
      if (frame.user.id !== this.me.id) this.states.get(frame.roomId)?.typing.saw(frame.user);
    },
    room: (frame) => {
      this.roomList.added(frame.room);
      // Only members hear of a private room (added to it, or a direct room made): follow it at once.
      if (frame.room.visibility === 'private') this.follows.follow(frame.room.roomId);
    },
    roomDeleted: (frame) => this.onRoomDeleted(frame.roomId),
  };

  private onMessage(message: ChatMessage): void {
    const state = this.room(message.roomId);
    state.add([message]);
    if (message.type === 'topic') {
      this.roomList.setTopic(message.roomId, message.message || undefined);
    }
    const active =
      this.activeRoomId.value === message.roomId && document.visibilityState === 'visible';
    this.roomList.received(message, message.memberId !== this.me.id && !active);
    if (active) this.markRead(message.roomId);
    this.alerts.heard(message);
  }

  private onJoined(frame: Extract<ServerFrame, { type: 'joined' }>): void {
    const request = this.requests.take(frame.id);
    const state = this.room(frame.roomId);
    batch(() => {
      state.live.value = true;
      state.membership.value = 'member';
      state.problem.value = null;
    });
    if (state.headSeq === null) {
      state.headSeq = frame.lastSeq;
      state.hasOlder.value = frame.lastSeq > 0;
    } else if (
      request?.kind === 'join' &&
      request.since === undefined &&
      state.headSeq < frame.lastSeq
    ) {
      // History arrived while this join was on its way without `since`: join again to fill the hole.
      this.follows.sendJoin(frame.roomId);
    }
    if (this.activeRoomId.value === frame.roomId && state.messages.value.length === 0) {
      void this.history.loadOlder(frame.roomId);
    }
  }

  /** The user left the room (here, or on another tab), or was removed from it `by` someone. */
  private onLeft({ id, roomId, by }: Extract<ServerFrame, { type: 'left' }>): void {
    this.requests.take(id);
    this.follows.unfollow(roomId);
    const entry = this.roomList.find(roomId);
    if (by) {
      const name = entry?.roomName ?? 'a room';
      this.notice.value = `You were removed from ${name} by ${by.name}.`;
    }
    if (entry?.visibility === 'private') {
      this.roomList.removed(roomId);
      if (this.activeRoomId.value === roomId) this.navigate(null);
    }
    if (this.activeRoomId.value === roomId) {
      void this.loadDetail(this.room(roomId)).then(() => this.preview.watch(roomId));
    }
  }

  /** A big room's batched presence: the listed changes, and a fresh member list if some were not listed. */
  private onPresences(frame: Extract<ServerFrame, { type: 'presences' }>): void {
    const state = this.states.get(frame.roomId);
    if (!state) return;
    batch(() => {
      for (const change of frame.changes)
        state.setOnline(change.user.id, change.user.name, change.online);
    });
    if (frame.more > 0 && this.activeRoomId.value === frame.roomId) void this.loadDetail(state);
  }

  /** An operator deleted the room: it leaves the list, and the view if it was open. */
  private onRoomDeleted(roomId: string): void {
    this.follows.unfollow(roomId);
    this.roomList.removed(roomId);
    if (this.activeRoomId.value === roomId) this.navigate(null);
  }

  private onError(frame: Extract<ServerFrame, { type: 'error' }>): void {
    if (frame.id && COMMAND_ERRORS.has(frame.code)) {
      this.commandFailed(frame.id, frame);
      return;
    }
    if (frame.id && this.outbox.failed(frame.id, frame)) return;
    const request = this.requests.take(frame.id);
    if (!request) return;
    this.room(request.roomId).problem.value = { code: frame.code, message: frame.message };
    if (request.kind !== 'join') return;
    this.follows.refused(request.roomId, frame.code);
    if (frame.code === 'room_not_found') this.lostPrivateRoom(request.roomId);
  }

  /**
   * A private room of the list (or of the list before its last fetch) refused
   * the join: the user was removed while the socket was down or still
   * joining, and heard no `left`. Say so, rather than let the room stay in the
   * list, broken, or vanish unsaid.
   */
  private lostPrivateRoom(roomId: string): void {
    const entry = this.roomList.findKnown(roomId);
    if (entry?.visibility !== 'private') return;
    this.notice.value = `You are no longer a member of ${entry.roomName}.`;
    this.roomList.removed(roomId);
    if (this.activeRoomId.value === roomId) this.navigate(null);
  }

  /** A stored command that got no answer: shown on the command's message, which stays. */
  private commandFailed(clientId: string, error: Problem): void {
    const roomId =
      this.outbox.roomOf(clientId) ??
      [...this.states.values()].find((s) => s.messages.value.some((m) => m.clientId === clientId))
        ?.roomId;
    if (roomId === undefined) return;
    const state = this.room(roomId);
    state.commandErrors.value = new Map(state.commandErrors.value).set(clientId, {
      code: error.code,
      message: error.message,
    });
  }

  private onFocus = (): void => {
    void this.refreshRooms();
  };
}

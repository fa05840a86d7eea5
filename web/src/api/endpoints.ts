import type {
  ChatMessage,
  CommandInfo,
  NotifyLevel,
  RoomDetail,
  RoomSummary,
  RoomView,
  SearchPage,
  UserView,
  Visibility,
} from '../protocol.js';
import { request } from './request.js';

/** What signup, login and guest answer. */
export interface Session {
  user: UserView;
  token: string;
}

/**
 * A room in the list. The server says `member` for listed rooms; it is
 * unknown (absent) for a room heard of live, until the next listing.
 */
export type RoomEntry = Omit<RoomSummary, 'member'> & { member?: boolean };

export const HISTORY_PAGE = 50;

/** Someone to talk to: a search result, a blocked user. */
export interface Person {
  id: string;
  name: string;
}

const room = (roomId: string) => `/api/room/${encodeURIComponent(roomId)}`;
const message = (roomId: string, messageId: string) =>
  `${room(roomId)}/messages/${encodeURIComponent(messageId)}`;
const reaction = (roomId: string, messageId: string, emoji: string) =>
  `${message(roomId, messageId)}/reactions/${encodeURIComponent(emoji)}`;

export const api = {
  signup: (username: string, password: string) =>
    request<Session>('/api/signup', { method: 'POST', body: { username, password } }),
  login: (username: string, password: string) =>
    request<Session>('/api/login', { method: 'POST', body: { username, password } }),
  guest: () => request<Session>('/api/guest', { method: 'POST' }),
  me: (token: string) => request<{ user: UserView }>('/api/me', { token }),

  /** The slash commands, for the composer's menu. */
  commands: () => request<CommandInfo[]>('/api/commands'),

  rooms: (token: string) => request<RoomEntry[]>('/api/rooms', { token }),
  room: (token: string, roomId: string) => request<RoomDetail>(room(roomId), { token }),
  createRoom: (token: string, name: string, visibility: Visibility) =>
    request<RoomView>('/api/room', {
      method: 'POST',
      token,
      body: { name: name.trim() || undefined, visibility },
    }),
  addMember: (token: string, roomId: string, username: string) =>
    request<void>(`${room(roomId)}/members`, { method: 'POST', token, body: { username } }),

  // Direct conversations, groups, blocks (docs/protocol.md, "Direct conversations").
  openDirect: (token: string, userId: string) =>
    request<RoomView>('/api/dm', { method: 'POST', token, body: { userId } }),
  searchUsers: (token: string, q: string) =>
    request<Person[]>(`/api/users?${new URLSearchParams({ q })}`, { token }),
  removeMember: (token: string, roomId: string, userId: string) =>
    request<void>(`${room(roomId)}/members/${encodeURIComponent(userId)}`, {
      method: 'DELETE',
      token,
    }),
  setRole: (token: string, roomId: string, userId: string, role: 'admin' | 'member') =>
    request<void>(`${room(roomId)}/members/${encodeURIComponent(userId)}`, {
      method: 'PATCH',
      token,
      body: { role },
    }),
  blocks: (token: string) => request<Person[]>('/api/blocks', { token }),
  block: (token: string, userId: string) =>
    request<void>(`/api/blocks/${encodeURIComponent(userId)}`, { method: 'PUT', token }),
  unblock: (token: string, userId: string) =>
    request<void>(`/api/blocks/${encodeURIComponent(userId)}`, { method: 'DELETE', token }),

  /** Ascending by seq. `before` alone: the page just below it; no bound: the newest page. */
  history: (token: string, roomId: string, before?: number, limit = HISTORY_PAGE) => {
    const query = new URLSearchParams({ limit: String(limit) });
    if (before !== undefined) query.set('before', String(before));
    return request<ChatMessage[]>(`${room(roomId)}/messages?${query}`, { token });
  },
  /** Ascending by seq: the `limit` messages just above `after`. */
  historyAfter: (token: string, roomId: string, after: number, limit = HISTORY_PAGE) => {
    const query = new URLSearchParams({ after: String(after), limit: String(limit) });
    return request<ChatMessage[]>(`${room(roomId)}/messages?${query}`, { token });
  },

  setNotify: (token: string, roomId: string, level: NotifyLevel) =>
    request<void>(`${room(roomId)}/notify`, { method: 'PUT', token, body: { level } }),

  // Message actions (docs/protocol.md, "Replies, edits, deletions, reactions, topics"):
  // each answers the stored event, which also arrives on the socket.
  editMessage: (token: string, roomId: string, messageId: string, text: string) =>
    request<ChatMessage>(message(roomId, messageId), {
      method: 'PATCH',
      token,
      body: { message: text },
    }),
  deleteMessage: (token: string, roomId: string, messageId: string) =>
    request<ChatMessage>(message(roomId, messageId), { method: 'DELETE', token }),
  /** Adds the caller's reaction, or takes it back with `remove`; nothing (204) when nothing changed. */
  react: (token: string, roomId: string, messageId: string, emoji: string, remove: boolean) =>
    request<ChatMessage | undefined>(reaction(roomId, messageId, emoji), {
      method: remove ? 'DELETE' : 'PUT',
      token,
    }),
  setTopic: (token: string, roomId: string, topic: string) =>
    request<ChatMessage>(`${room(roomId)}/topic`, { method: 'PUT', token, body: { topic } }),

  /** Newest first; `roomId` narrows to one room; `before` is the `next` of the previous page. */
  search: (token: string, q: string, options: { roomId?: string; before?: string } = {}) => {
    const query = new URLSearchParams({ q });
    if (options.roomId) query.set('roomId', options.roomId);
    if (options.before) query.set('before', options.before);
    return request<SearchPage>(`/api/search?${query}`, { token });
  },
};

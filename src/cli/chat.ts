import { createInterface, type Interface } from 'node:readline';
import WebSocket from 'ws';
import { CLOSE_CODES } from '../protocol/errors.js';
import type { ServerFrame } from '../protocol/frames.js';
import type { ChatMessage, RoomSummary } from '../protocol/message.js';
import type { ApiClient } from './api-client.js';

/** Reconnect waits: doubling from 0.5 s, capped at 5 s, half of each random ("equal jitter"). */
const BACKOFF_MIN_MS = 500;
const BACKOFF_MAX_MS = 5_000;
/** How long a piped session waits for its last sends' acks before it exits. */
const FLUSH_TIMEOUT_MS = 5_000;
const HISTORY_PAGE = 20;

/** The commands this client runs itself; any other line goes to the room as typed. */
const LOCAL_COMMANDS = new Set([
  'rooms',
  'join',
  'create',
  'history',
  'who',
  'leave',
  'help',
  'quit',
  'exit',
]);

export const CHAT_HELP = `Client commands (run here, never sent):
  /rooms              list the rooms you can see
  /join NAME|ID       join a room (and make it current); /create NAME makes a public one
  /history [N]        show N older messages of the current room (default ${HISTORY_PAGE})
  /who                who is online, and who is not, in each room you joined
  /leave              leave the current room
  /help               this list, then the server's commands
  /quit               leave the chat (Ctrl-D too)
Any other line is sent to the current room as typed, server commands included
(/time, /stock=aapl.us: a bot answers in the room). To send a line that starts
with a client command, double its slash: //help sends /help to the room.
`;

interface Joined {
  id: string;
  name: string;
  /** Highest seq shown: a reconnect resumes after it. */
  lastSeq: number;
  /** Lowest seq shown: /history pages back from it. */
  oldestSeq: number;
}

/**
 * `confab chat`: a terminal client. Lines typed are commands or messages;
 * messages arrive with times and names; the socket reconnects with jitter
 * and resumes every room with `since`, so nothing is missed.
 */
export class ChatSession {
  private ws: WebSocket | undefined;
  private readonly rooms = new Map<string, Joined>();
  private current: Joined | undefined;
  /** Sends not yet answered, by frame id: resent after a reconnect (an id is never stored twice). */
  private readonly pending = new Map<string, { roomId: string; text: string }>();
  private readonly waiters = new Map<string, (frame: ServerFrame) => void>();
  private counter = 0;
  /** Our user id, from the welcome frame: `/who` marks us. */
  private userId: string | undefined;
  private attempts = 0;
  private quitting = false;
  /** Between a welcome and the next close: frames may be sent. */
  private welcomed = false;
  private rl: Interface | undefined;
  private exitCode = 0;
  /** Called when the last pending send is answered (see `flush`). */
  private onSettled: (() => void) | undefined;

  constructor(
    private readonly api: ApiClient,
    private readonly token: string,
    private readonly out: NodeJS.WritableStream = process.stdout,
  ) {}

  /** Runs until /quit or the end of input; resolves with the exit code. */
  async run(input: NodeJS.ReadableStream, firstRoom: string | undefined): Promise<number> {
    await this.connect();
    if (firstRoom) await this.command(`/join ${firstRoom}`);
    const interactive = Boolean((input as { isTTY?: boolean }).isTTY);
    this.rl = createInterface({
      input,
      output: interactive ? this.out : undefined,
      terminal: interactive,
    });
    this.rl.setPrompt('> ');
    if (interactive) this.rl.prompt();
    // Lines are handled one at a time, in order, so a piped script behaves as typed.
    let queue = Promise.resolve();
    this.rl.on('line', (line) => {
      queue = queue
        .then(() => this.command(line.trim()))
        .then(() => {
          if (interactive && !this.quitting) this.rl?.prompt();
        });
    });
    await new Promise<void>((resolve) => this.rl?.once('close', resolve));
    await queue;
    await this.flush();
    this.quitting = true;
    this.ws?.close(1000, 'bye');
    return this.exitCode;
  }

  private print(line: string): void {
    if (this.rl && (this.rl as unknown as { terminal: boolean }).terminal) {
      this.out.write(`\r\x1b[K${line}\n`);
      this.rl.prompt(true);
    } else {
      this.out.write(`${line}\n`);
    }
  }

  private async command(line: string): Promise<void> {
    if (line === '') return;
    // `//help` is the text `/help` for the room: the way past a client command.
    if (line.startsWith('//')) return this.say(line.slice(1));
    const [name = '', ...rest] = line.slice(1).split(/\s+/);
    if (!line.startsWith('/') || !LOCAL_COMMANDS.has(name)) return this.say(line);
    const arg = rest.join(' ');
    try {
      switch (name) {
        case 'rooms':
          return await this.listRooms();
        case 'join':
          return await this.join(arg);
        case 'create':
          return await this.create(arg);
        case 'history':
          return await this.history(arg === '' ? HISTORY_PAGE : Number(arg));
        case 'who':
          return await this.who();
        case 'leave':
          return await this.leave();
        case 'help':
          return await this.help();
        case 'quit':
        case 'exit':
          this.rl?.close();
          return;
      }
    } catch (err) {
      this.print(`! ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  private async say(text: string): Promise<void> {
    if (!this.current) {
      this.print('! join a room first: /rooms, then /join NAME');
      return;
    }
    const id = `c${Date.now().toString(36)}-${++this.counter}`;
    this.pending.set(id, { roomId: this.current.id, text });
    // While disconnected it waits in `pending`, and goes out after the next welcome.
    if (this.welcomed) {
      this.ws?.send(JSON.stringify({ type: 'send', id, roomId: this.current.id, message: text }));
    }
  }

  private async listRooms(): Promise<void> {
    const rooms = await this.api.get<RoomSummary[]>('/api/rooms', this.token);
    if (rooms.length === 0) this.print('* no rooms yet: /create NAME');
    for (const room of rooms) {
      const mark = this.rooms.has(room.roomId) ? '*' : ' ';
      const unread = room.unread ? `, ${room.unread} unread` : '';
      this.print(`${mark} ${room.roomName} (${room.visibility}${unread})  ${room.roomId}`);
    }
  }

  private async join(nameOrId: string): Promise<void> {
    if (nameOrId === '') throw new Error('/join needs a room name or id');
    const rooms = await this.api.get<RoomSummary[]>('/api/rooms', this.token);
    const wanted = nameOrId.toLowerCase();
    const room =
      rooms.find((r) => r.roomId === nameOrId) ??
      rooms.find((r) => r.roomName.toLowerCase() === wanted);
    const id = room?.roomId ?? nameOrId;
    const known = this.rooms.get(id);
    if (known) {
      this.current = known;
      this.print(`* now in ${known.name}`);
      return;
    }
    const joined = await this.request({ type: 'join', roomId: id });
    if (joined.type !== 'joined') return;
    const entry: Joined = {
      id,
      name: room?.roomName ?? id,
      lastSeq: joined.lastSeq,
      oldestSeq: joined.lastSeq + 1,
    };
    this.rooms.set(id, entry);
    this.current = entry;
    this.print(`* joined ${entry.name}`);
    await this.history(10);
  }

  private async create(name: string): Promise<void> {
    if (name === '') throw new Error('/create needs a name');
    const room = await this.api.post<{ roomId: string }>('/api/room', { name }, this.token);
    await this.join(room.roomId);
  }

  /** Older messages of the current room, printed above what is shown. */
  private async history(count: number): Promise<void> {
    const room = this.current;
    if (!room) throw new Error('join a room first');
    if (!Number.isInteger(count) || count < 1 || count > 200) {
      throw new Error('/history takes a count from 1 to 200');
    }
    const page =
      room.oldestSeq <= 1
        ? []
        : await this.api.get<ChatMessage[]>(
            `/api/room/${encodeURIComponent(room.id)}/messages?before=${room.oldestSeq}&limit=${count}`,
            this.token,
          );
    if (page.length === 0) {
      // Said, so that /history at the top of a room does not look ignored.
      this.print(`* ${room.name}: no earlier messages`);
      return;
    }
    room.oldestSeq = page[0]?.seq ?? room.oldestSeq;
    this.print(`* ${room.name}: ${page.length} earlier message${page.length === 1 ? '' : 's'}`);
    for (const message of page) this.print(format(message));
  }

  /** The client's commands, then the server's (GET /api/commands), which go to the room as typed. */
  private async help(): Promise<void> {
    this.print(CHAT_HELP.trimEnd());
    const commands = await this.api
      .get<Array<{ usage: string; help: string }>>('/api/commands', this.token)
      .catch(() => undefined);
    if (!commands?.length) return;
    this.print('Server commands (sent to the room; a bot answers there for everyone):');
    for (const c of commands) this.print(`  ${c.usage.padEnd(19)} ${c.help}`);
  }

  /**
   * One line per joined room, the current one first: who is online in it
   * (an open connection on any node), then the members who are not.
   */
  private async who(): Promise<void> {
    if (this.rooms.size === 0) throw new Error('join a room first');
    const rooms = [...this.rooms.values()].sort(
      (a, b) => Number(b === this.current) - Number(a === this.current),
    );
    for (const room of rooms) {
      const detail = await this.api.get<{
        members: Array<{ id: string; name: string; online: boolean }>;
      }>(`/api/room/${encodeURIComponent(room.id)}`, this.token);
      const name = (m: { id: string; name: string }) =>
        m.id === this.userId ? `${m.name} (you)` : m.name;
      const online = detail.members.filter((m) => m.online).map(name);
      const offline = detail.members.filter((m) => !m.online).map(name);
      const here = room === this.current ? ' (current)' : '';
      const away = offline.length > 0 ? `; offline: ${offline.join(', ')}` : '';
      this.print(
        `* ${room.name}${here}: online: ${online.length > 0 ? online.join(', ') : 'nobody'}${away}`,
      );
    }
  }

  private async leave(): Promise<void> {
    const room = this.current;
    if (!room) throw new Error('not in a room');
    await this.request({ type: 'leave', roomId: room.id });
    this.rooms.delete(room.id);
    this.current = [...this.rooms.values()].at(-1);
    this.print(`* left ${room.name}${this.current ? `; now in ${this.current.name}` : ''}`);
  }

  /** Sends a frame with an id and waits for its reply; an error reply becomes an exception. */
  private async request(frame: Record<string, unknown>): Promise<ServerFrame> {
    if (!this.welcomed) throw new Error('not connected yet: try again in a moment');
    const id = `r${++this.counter}`;
    const reply = new Promise<ServerFrame>((resolve) => this.waiters.set(id, resolve));
    this.ws?.send(JSON.stringify({ ...frame, id }));
    const answer = await reply;
    if (answer.type === 'error') throw new Error(`${answer.code}: ${answer.message}`);
    return answer;
  }

  /** Opens the socket; after a welcome, rejoins every room with `since`. */
  private connect(): Promise<void> {
    const url = `${this.api.wsUrl}/api/ws?token=${encodeURIComponent(this.token)}`;
    return new Promise<void>((resolve, reject) => {
      const ws = new WebSocket(url);
      this.ws = ws;
      let opened = false;
      ws.on('message', (data) => {
        const frame = JSON.parse(data.toString()) as ServerFrame;
        if (frame.type === 'welcome') {
          opened = true;
          this.userId = frame.user.id;
          this.attempts = 0;
          this.welcomed = true;
          this.resume();
          resolve();
          return;
        }
        this.receive(frame);
      });
      // The first connection's failure is the caller's; later ones retry from `closed`.
      ws.on('error', (err) => {
        if (!opened) reject(err);
      });
      ws.on('close', (code, reason) => {
        this.welcomed = false;
        if (opened || this.attempts > 0) this.closed(code, reason.toString());
      });
    });
  }

  private resume(): void {
    for (const room of this.rooms.values()) {
      this.ws?.send(JSON.stringify({ type: 'join', roomId: room.id, since: room.lastSeq }));
    }
    for (const [id, { roomId, text }] of this.pending) {
      this.ws?.send(JSON.stringify({ type: 'send', id, roomId, message: text }));
    }
  }

  private receive(frame: ServerFrame): void {
    const id = 'id' in frame ? frame.id : undefined;
    if (frame.type === 'ack' && id) this.settle(id);
    if (frame.type === 'error' && id && this.pending.has(id)) {
      // Refused by a draining server: it goes again after the reconnect.
      if (frame.code === 'shutting_down') return;
      this.settle(id);
      this.print(`! not sent (${frame.code}): ${frame.message}`);
      return;
    }
    if (id && this.waiters.has(id)) {
      this.waiters.get(id)?.(frame);
      this.waiters.delete(id);
      return;
    }
    switch (frame.type) {
      case 'message': {
        const room = this.rooms.get(frame.data.roomId);
        if (!room || frame.data.seq <= room.lastSeq) return;
        room.lastSeq = frame.data.seq;
        const where = room === this.current ? '' : `#${room.name} `;
        this.print(`${where}${format(frame.data)}`);
        return;
      }
      case 'left':
        this.rooms.delete(frame.roomId);
        return;
      case 'room_deleted': {
        const room = this.rooms.get(frame.roomId);
        if (!room) return;
        this.rooms.delete(room.id);
        if (this.current === room) this.current = [...this.rooms.values()].at(-1);
        this.print(
          `* ${room.name} was deleted${this.current ? `; now in ${this.current.name}` : ''}`,
        );
        return;
      }
      case 'error':
        // Errors without a waiter, a command's after its ack included (command_timeout).
        this.print(`! ${frame.code}: ${frame.message}`);
        return;
      default:
    }
  }

  private closed(code: number, reason: string): void {
    for (const waiter of this.waiters.values()) {
      waiter({ type: 'error', code: 'shutting_down', message: 'the connection closed' });
    }
    this.waiters.clear();
    if (this.quitting) return;
    if (code === CLOSE_CODES.unauthorized) {
      this.print(`! the server refused the token${reason ? ` (${reason})` : ''}: log in again`);
      this.exitCode = 1;
      this.rl?.close();
      return;
    }
    const step = Math.min(BACKOFF_MAX_MS, BACKOFF_MIN_MS * 2 ** this.attempts++);
    const wait = step / 2 + Math.random() * (step / 2);
    this.print(
      `* disconnected (${code}${reason ? ` ${reason}` : ''}); reconnecting in ${(wait / 1000).toFixed(1)} s`,
    );
    setTimeout(() => {
      if (!this.quitting) this.connect().catch(() => undefined);
    }, wait);
  }

  private settle(id: string): void {
    this.pending.delete(id);
    if (this.pending.size === 0) this.onSettled?.();
  }

  /** Waits (bounded) for the answers to what was sent, so that piped input is stored before exit. */
  private async flush(): Promise<void> {
    if (this.pending.size > 0) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, FLUSH_TIMEOUT_MS);
        this.onSettled = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
    if (this.pending.size > 0) {
      this.print(`! ${this.pending.size} message(s) not acknowledged`);
      this.exitCode = 1;
    }
  }
}

/**
 * `[14:05] alice: hello`, `[14:05] * alice joined the room` for notices, and
 * a line saying what an event (edit, delete, reaction, topic) did.
 */
export function format(message: ChatMessage): string {
  const time = new Date(message.sent).toTimeString().slice(0, 5);
  const who = message.memberName;
  switch (message.type) {
    case 'chat':
    case 'bot':
      return `[${time}] ${who}${message.replyTo ? ' (reply)' : ''}: ${message.message}`;
    case 'edit':
      return `[${time}] * ${who} edited a message: ${message.message}`;
    case 'delete':
      return `[${time}] * ${who} deleted a message`;
    case 'reaction':
      return `[${time}] * ${who} ${message.removed ? 'took back' : 'reacted'} ${message.message}`;
    case 'topic':
      return message.message
        ? `[${time}] * ${who} set the topic: ${message.message}`
        : `[${time}] * ${who} cleared the topic`;
    default:
      return `[${time}] * ${message.message}`;
  }
}

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { NewMessage, Room, User } from '../../src/core/domain.js';
import { ChatError } from '../../src/core/errors.js';
import type { Store } from '../../src/core/ports/store.js';
import type { ChatMessage } from '../../src/protocol/message.js';

/**
 * What every Store adapter must do. Each adapter's test file calls this with
 * a function that opens a fresh, empty store.
 */
export function storeContract(
  name: string,
  open: () => Promise<Store>,
  cleanUp?: () => Promise<void>,
): void {
  describe(`Store contract: ${name}`, () => {
    let store: Store;
    let n = 0;
    const user = (guest = false): User => ({ id: crypto.randomUUID(), name: `user${++n}`, guest });
    const newRoom = async (visibility: 'public' | 'private' = 'public') =>
      store.createRoom({
        id: crypto.randomUUID(),
        name: `room ${++n}`,
        visibility,
        createdBy: null,
        createdAt: new Date().toISOString(),
      });
    const chat = (roomId: string, sender: User, text: string, clientId?: string): NewMessage => ({
      id: crypto.randomUUID(),
      roomId,
      memberId: sender.id,
      memberName: sender.name,
      type: 'chat',
      message: text,
      sent: new Date().toISOString(),
      ...(clientId === undefined ? {} : { clientId }),
    });

    before(async () => {
      store = await open();
    });
    after(async () => {
      await store.close();
      await cleanUp?.();
    });

    it('creates accounts with unique names whatever their case', async () => {
      const alice = { id: crypto.randomUUID(), name: `Alice${n++}`, guest: false };
      await store.createUser(alice, 'hash-1');
      const found = await store.findAccount(alice.name.toUpperCase());
      assert.deepEqual(found, { ...alice, passwordHash: 'hash-1', banned: false });
      await assert.rejects(
        store.createUser(
          { id: crypto.randomUUID(), name: alice.name.toLowerCase(), guest: false },
          'x',
        ),
        (err) => err instanceof ChatError && err.code === 'username_taken',
      );
      assert.deepEqual(await store.getUser(alice.id), alice);
    });

    it('keeps guests without a username, and lets guests share a display name', async () => {
      const first = { id: crypto.randomUUID(), name: 'Imperfect Seat', guest: true };
      const second = { id: crypto.randomUUID(), name: 'Imperfect Seat', guest: true };
      await store.createUser(first, null);
      await store.createUser(second, null);
      assert.deepEqual(await store.getUser(second.id), second);
      assert.equal(await store.findAccount('Imperfect Seat'), undefined);
    });

    it('numbers messages 1, 2, 3 in each room independently', async () => {
      const sender = user();
      const [a, b] = [await newRoom(), await newRoom()];
      const seqs: number[] = [];
      for (const room of [a, b, a, a, b])
        seqs.push((await store.append(chat(room.id, sender, 'x'))).message.seq);
      assert.deepEqual(seqs, [1, 1, 2, 3, 2]);
      assert.equal((await store.getRoom(a.id))?.lastSeq, 3);
    });

    it('gives concurrent appends to one room distinct, gap-free seqs', async () => {
      const room = await newRoom();
      const sender = user();
      const results = await Promise.all(
        Array.from({ length: 50 }, (_, i) => store.append(chat(room.id, sender, `c${i}`))),
      );
      const seqs = results.map((r) => r.message.seq).sort((x, y) => x - y);
      assert.deepEqual(
        seqs,
        Array.from({ length: 50 }, (_, i) => i + 1),
      );
      const history = await store.history(room.id, { limit: 200 });
      assert.deepEqual(
        history.map((m) => m.seq),
        seqs,
      );
    });

    it('stores a message with a known client id once and returns the first copy', async () => {
      const room = await newRoom();
      const sender = user();
      const first = await store.append(chat(room.id, sender, 'hello', 'c-1'));
      const again = await store.append(chat(room.id, sender, 'hello again', 'c-1'));
      assert.equal(first.duplicate, false);
      assert.equal(again.duplicate, true);
      assert.deepEqual(again.message, first.message);
      const other = await store.append(chat(room.id, user(), 'same id, other sender', 'c-1'));
      assert.equal(other.duplicate, false);
      assert.equal(other.message.seq, 2);
    });

    it('stores a client id once when its resends arrive together', async () => {
      const room = await newRoom();
      const sender = user();
      const results = await Promise.all(
        [1, 2, 3].map((i) => store.append(chat(room.id, sender, `try ${i}`, 'same'))),
      );
      assert.deepEqual(
        results.map((r) => r.duplicate),
        [false, true, true],
      );
      for (const r of results) assert.deepEqual(r.message, results[0]?.message);
      assert.equal((await store.history(room.id, { limit: 10 })).length, 1);
    });

    it('finds a message by its sender and client id, and nothing for another sender or room', async () => {
      const room = await newRoom();
      const sender = user();
      const stored = await store.append(chat(room.id, sender, 'hello', 'c-9'));
      assert.deepEqual(await store.findSent(room.id, sender.id, 'c-9'), stored.message);
      assert.equal(await store.findSent(room.id, user().id, 'c-9'), undefined);
      assert.equal(await store.findSent((await newRoom()).id, sender.id, 'c-9'), undefined);
      assert.equal(await store.findSent(room.id, sender.id, 'c-10'), undefined);
    });

    it('returns messages exactly as stored, SQL and HTML included', async () => {
      const room = await newRoom();
      const sender = user();
      const text = `'); DROP TABLE messages; -- <script>alert(1)</script> ✓ 𝄞`;
      const { message } = await store.append(chat(room.id, sender, text, 'x'));
      const [stored] = await store.history(room.id, { limit: 1 });
      assert.deepEqual(stored, message);
      assert.equal(stored?.message, text);
    });

    it('pages history by exclusive bounds, ascending', async () => {
      const room = await newRoom();
      const sender = user();
      for (let i = 1; i <= 20; i++) await store.append(chat(room.id, sender, `m${i}`));
      const seqs = async (q: { after?: number; before?: number; limit: number }) =>
        (await store.history(room.id, q)).map((m) => m.seq);
      assert.deepEqual(await seqs({ limit: 3 }), [18, 19, 20]);
      assert.deepEqual(await seqs({ before: 5, limit: 3 }), [2, 3, 4]);
      assert.deepEqual(await seqs({ before: 3, limit: 10 }), [1, 2]);
      assert.deepEqual(await seqs({ after: 17, limit: 10 }), [18, 19, 20]);
      assert.deepEqual(await seqs({ after: 2, limit: 2 }), [3, 4]);
      assert.deepEqual(await seqs({ after: 2, before: 6, limit: 10 }), [3, 4, 5]);
      assert.deepEqual(await seqs({ after: 20, limit: 10 }), []);
      assert.deepEqual(await store.history('no-such-room', { limit: 10 }), []);
    });

    it('joins once, storing the notice with the membership, and leaves once', async () => {
      const room = await newRoom();
      const member = user();
      await store.createUser(member, null);
      const notice = (type: 'joined' | 'left'): NewMessage => ({
        ...chat(room.id, member, `${type}!`),
        type,
      });
      const joined = await store.join(room.id, member, notice('joined'));
      assert.equal(joined.changed, true);
      assert.equal(joined.notice?.seq, 1);
      assert.equal(joined.notice?.type, 'joined');
      const afterJoin = (await store.listRooms(member.id)).find((r) => r.roomId === room.id);
      assert.equal(afterJoin?.unread, 0, "one's own joined notice is not unread");
      const again = await store.join(room.id, member, notice('joined'));
      assert.deepEqual(again, { changed: false });
      assert.equal(await store.isMember(room.id, member.id), true);
      assert.deepEqual(await store.members(room.id), [member]);
      const left = await store.leave(room.id, member, notice('left'));
      assert.equal(left.notice?.seq, 2);
      assert.deepEqual(await store.leave(room.id, member, notice('left')), { changed: false });
      assert.equal(await store.isMember(room.id, member.id), false);
      await assert.rejects(
        store.join('no-such-room', member),
        (err) => err instanceof ChatError && err.code === 'room_not_found',
      );
    });

    it('lists public rooms and the caller’s private ones, with unread counts from the read marker', async () => {
      const member = user();
      await store.createUser(member, null);
      const open = await newRoom('public');
      const mine = await newRoom('private');
      const theirs = await newRoom('private');
      await store.join(mine.id, member);
      const sender = user();
      for (let i = 0; i < 4; i++) await store.append(chat(mine.id, sender, `u${i}`));
      await store.markRead(mine.id, member.id, 1);
      await store.markRead(mine.id, member.id, 0); // never moves back
      const listed = await store.listRooms(member.id);
      const ids = listed.map((r) => r.roomId);
      assert.ok(ids.includes(open.id));
      assert.ok(ids.includes(mine.id));
      assert.ok(!ids.includes(theirs.id));
      const summary = listed.find((r) => r.roomId === mine.id);
      assert.equal(summary?.member, true);
      assert.equal(listed.find((r) => r.roomId === open.id)?.member, false);
      assert.equal(summary?.lastSeq, 4);
      assert.equal(summary?.unread, 3);
      assert.equal(listed[0]?.roomId, mine.id, 'newest activity first');
      await store.markRead(mine.id, member.id, 99);
      assert.equal((await store.listRooms(member.id)).find((r) => r.roomId === mine.id)?.unread, 0);
      const anonymous = (await store.listRooms(null)).map((r) => r.roomId);
      assert.ok(anonymous.includes(open.id) && !anonymous.includes(mine.id));
    });

    it("moves a sender's read marker to its own message: one's own messages are not unread", async () => {
      const [me, other] = [user(), user()];
      await store.createUser(me, null);
      const room = await newRoom('public');
      await store.join(room.id, me);
      await store.append(chat(room.id, other, 'from the other'));
      await store.append(chat(room.id, me, 'mine'));
      await store.append({ ...chat(room.id, me, 'a bot answers'), memberId: 'bot:help' });
      const summary = (await store.listRooms(me.id)).find((r) => r.roomId === room.id);
      assert.equal(summary?.lastSeq, 3);
      assert.equal(summary?.unread, 1, 'only what came after my own message');
    });

    it('breaks room-list ties by activity, then more messages, then room id', async () => {
      const at = new Date(Date.now() + 86_400_000).toISOString(); // newer than every other room
      const make = (id: string) =>
        store.createRoom({ id, name: id, visibility: 'public', createdBy: null, createdAt: at });
      const prefix = crypto.randomUUID();
      const [quiet, busy, idle] = await Promise.all([
        make(`${prefix}-a`),
        make(`${prefix}-b`),
        make(`${prefix}-c`),
      ]);
      const sender = user();
      for (const room of [busy, busy, quiet])
        await store.append({ ...chat(room.id, sender, 'x'), sent: at });
      const listed = (await store.listRooms(null)).map((r) => r.roomId).slice(0, 3);
      assert.deepEqual(listed, [busy.id, quiet.id, idle.id]);
    });

    it('commits writes of one turn together, a failing one failing alone', async () => {
      const room = await newRoom();
      const taken = { id: crypto.randomUUID(), name: `Taken${n++}`, guest: false };
      await store.createUser(taken, 'h');
      const sender = user();
      const results = await Promise.allSettled([
        store.append(chat(room.id, sender, 'one')),
        store.createUser({ ...taken, id: crypto.randomUUID() }, 'h'),
        store.append(chat('no-such-room', sender, 'lost')),
        store.join('no-such-room', sender),
        store.append(chat(room.id, sender, 'two')),
      ]);
      assert.deepEqual(
        results.map((r) =>
          r.status === 'fulfilled' ? 'ok' : ((r.reason as ChatError).code ?? 'error'),
        ),
        ['ok', 'username_taken', 'room_not_found', 'room_not_found', 'ok'],
      );
      assert.deepEqual(
        (await store.history(room.id, { limit: 10 })).map((m) => [m.seq, m.message]),
        [
          [1, 'one'],
          [2, 'two'],
        ],
      );
    });

    it('stores the rest of a group once when one of its statements fails', async () => {
      // Sign-ups share one lane, so these four form one group.
      const taken = { id: crypto.randomUUID(), name: `Taken${n++}`, guest: false };
      await store.createUser(taken, 'h');
      const others = [user(), user(), user()];
      const results = await Promise.allSettled([
        store.createUser(others[0] as User, 'h'),
        store.createUser({ ...taken, id: crypto.randomUUID() }, 'h'),
        store.createUser(others[1] as User, 'h'),
        store.createUser(others[2] as User, 'h'),
      ]);
      assert.deepEqual(
        results.map((r) =>
          r.status === 'fulfilled' ? 'ok' : ((r.reason as ChatError).code ?? 'error'),
        ),
        ['ok', 'username_taken', 'ok', 'ok'],
      );
      for (const other of others) {
        assert.deepEqual(await store.getUser(other.id), other);
      }
    });

    it('stores a membership notice only while the room has at most quietAbove members', async () => {
      const room = await newRoom();
      const people: User[] = [];
      for (let i = 0; i < 4; i++) {
        const member = user();
        await store.createUser(member, null);
        people.push(member);
      }
      const notice = (member: User, type: 'joined' | 'left'): NewMessage => ({
        ...chat(room.id, member, `${member.name} ${type}`),
        type,
      });
      const join = (member: User) =>
        store.join(room.id, member, notice(member, 'joined'), { quietAbove: 2 });
      const leave = (member: User) =>
        store.leave(room.id, member, notice(member, 'left'), { quietAbove: 2 });
      const [a, b, c, d] = people as [User, User, User, User];
      // Members before each join: 0, 1, 2 (notice stored), then 3 (quiet).
      assert.equal((await join(a)).notice?.seq, 1);
      assert.equal((await join(b)).notice?.seq, 2);
      assert.equal((await join(c)).notice?.seq, 3);
      const quiet = await join(d);
      assert.deepEqual(quiet, { changed: true }, 'a fourth member joins without a notice');
      // Members before each leave: 4 (quiet), then 3 (quiet), then 2 (notice stored).
      assert.deepEqual(await leave(d), { changed: true });
      assert.deepEqual(await leave(c), { changed: true });
      assert.equal((await leave(b)).notice?.seq, 4);
      assert.equal((await store.getRoom(room.id))?.lastSeq, 4, 'quiet changes take no seq');
      assert.equal(await store.isMember(room.id, d.id), false);
    });

    it('keeps the last sign-out with the user, in milliseconds', async () => {
      const alice = user();
      await store.createUser(alice, 'hash');
      assert.deepEqual(await store.getSessionUser(alice.id), {
        ...alice,
        signedOutAt: undefined,
        bannedAt: undefined,
      });
      const at = Date.now();
      await store.signOut(alice.id, at);
      assert.deepEqual(await store.getSessionUser(alice.id), {
        ...alice,
        signedOutAt: at,
        bannedAt: undefined,
      });
      assert.equal(await store.getSessionUser('nobody'), undefined);
    });

    it('bans (which signs out) and lifts a ban, keeping the sign-out', async () => {
      const alice = user();
      await store.createUser(alice, 'hash');
      const at = Date.now();
      assert.equal(await store.setBanned(alice.id, at), true);
      assert.deepEqual(await store.getSessionUser(alice.id), {
        ...alice,
        signedOutAt: at,
        bannedAt: at,
      });
      assert.equal((await store.findAccount(alice.name))?.banned, true);
      assert.equal(await store.setBanned(alice.id, null), true);
      assert.deepEqual(await store.getSessionUser(alice.id), {
        ...alice,
        signedOutAt: at,
        bannedAt: undefined,
      });
      assert.equal((await store.findAccount(alice.name))?.banned, false);
      assert.equal(await store.setBanned('nobody', at), false);
    });

    it('sets an account’s password, signing it out; never a guest’s', async () => {
      const alice = user();
      await store.createUser(alice, 'old hash');
      const at = Date.now();
      assert.equal(await store.setPassword(alice.id, 'new hash', at), true);
      assert.equal((await store.findAccount(alice.name))?.passwordHash, 'new hash');
      assert.equal((await store.getSessionUser(alice.id))?.signedOutAt, at);
      const guest = user(true);
      await store.createUser(guest, null);
      assert.equal(await store.setPassword(guest.id, 'hash', at), false);
      assert.equal(await store.setPassword('nobody', 'hash', at), false);
    });

    it('deletes a room with its messages and memberships, once', async () => {
      const alice = user();
      await store.createUser(alice, 'hash');
      const room = await newRoom('private');
      const other = await newRoom('private');
      await store.join(room.id, alice);
      await store.join(other.id, alice);
      await store.append(chat(room.id, alice, 'gone', 'c-1'));
      await store.append(chat(other.id, alice, 'kept'));
      await store.append(chat(room.id, alice, 'findable zebracorn'));
      assert.equal(await store.deleteRoom(room.id), true);
      assert.equal(await store.getRoom(room.id), undefined);
      assert.deepEqual(await store.history(room.id, { limit: 10 }), []);
      assert.equal(await store.isMember(room.id, alice.id), false);
      const listed = (await store.listRooms(alice.id)).map((r) => r.roomId);
      assert.ok(!listed.includes(room.id) && listed.includes(other.id));
      assert.equal((await store.history(other.id, { limit: 10 })).length, 1);
      assert.deepEqual(
        await store.search({ words: ['zebracorn'], userId: alice.id, limit: 10 }),
        [],
      );
      assert.equal(await store.deleteRoom(room.id), false);
    });

    it('answers a ping', async () => {
      await store.ping();
    });

    // Direct rooms, roles, blocks, contacts and user search.

    const account = async (name: string): Promise<User> => {
      const made = { id: crypto.randomUUID(), name: `${name}${++n}`, guest: false };
      await store.createUser(made, 'hash');
      return made;
    };
    const directRoom = (by: User) => ({
      id: crypto.randomUUID(),
      name: 'direct',
      createdBy: by.id,
      createdAt: new Date().toISOString(),
    });

    it('keeps roles: a member joins as asked, plain by default, and changes role', async () => {
      const room = await newRoom('private');
      const [owner, other] = [await account('Owner'), await account('Other')];
      await store.join(room.id, owner, undefined, { role: 'owner' });
      await store.join(room.id, other);
      assert.equal(await store.role(room.id, owner.id), 'owner');
      assert.equal(await store.role(room.id, other.id), 'member');
      assert.equal(await store.role(room.id, crypto.randomUUID()), undefined);
      assert.equal(await store.setRole(room.id, other.id, 'admin'), true);
      assert.equal(await store.setRole(room.id, crypto.randomUUID(), 'admin'), false);
      // Both joined within one millisecond, maybe: compare without the order.
      assert.deepEqual(
        (await store.roster(room.id)).map((m) => [m.id, m.role]).sort(),
        [
          [owner.id, 'owner'],
          [other.id, 'admin'],
        ].sort(),
      );
      assert.equal((await store.getRoom(room.id))?.kind, 'room');
    });

    it('lets a self-join enter a private room only as a member, and a public one anew', async () => {
      const [secret, open] = [await newRoom('private'), await newRoom()];
      const [member, stranger] = [await account('Member'), await account('Stranger')];
      await store.join(secret.id, member);
      const selfJoin = { selfJoin: true };
      assert.deepEqual(await store.join(secret.id, member, undefined, selfJoin), {
        changed: false,
      });
      await store.leave(secret.id, member);
      for (const who of [member, stranger]) {
        await assert.rejects(
          store.join(secret.id, who, undefined, selfJoin),
          (err) => err instanceof ChatError && err.code === 'room_not_found',
        );
        assert.equal(await store.isMember(secret.id, who.id), false);
      }
      assert.equal((await store.join(open.id, stranger, undefined, selfJoin)).changed, true);
    });

    it('makes one direct room per pair, whoever asks and however many ask at once', async () => {
      const [a, b] = [await account('Ann'), await account('Ben')];
      const rooms = await Promise.all([
        store.openDirect(directRoom(a), a, b),
        store.openDirect(directRoom(b), b, a),
        store.openDirect(directRoom(a), a, b),
      ]);
      assert.equal(new Set(rooms.map((r) => r.id)).size, 1);
      const room = rooms[0];
      assert.equal(room.kind, 'direct');
      assert.equal(room.visibility, 'private');
      assert.deepEqual(room.pair, [a.id, b.id].sort());
      assert.deepEqual(await store.getRoom(room.id), room);
      assert.deepEqual(
        (await store.roster(room.id)).map((m) => m.role),
        ['member', 'member'],
      );
      assert.equal((await store.findDirect(b.id, a.id))?.id, room.id, 'found from either side');
      assert.equal(await store.findDirect(a.id, crypto.randomUUID()), undefined);
      // Either user, no longer a member, is one again when it is opened.
      await store.leave(room.id, b);
      assert.equal((await store.openDirect(directRoom(a), a, b)).id, room.id);
      assert.equal(await store.isMember(room.id, b.id), true);
    });

    it('lists direct rooms by their last message, filtered by name, through memberships', async () => {
      const me = await account('Me');
      const peers = [await account('Zed'), await account('Yan'), await account('zara')];
      const rooms: Room[] = [];
      for (const peer of peers) rooms.push(await store.openDirect(directRoom(me), me, peer));
      await store.createRoom({
        id: crypto.randomUUID(),
        name: 'group',
        visibility: 'private',
        createdBy: me.id,
        createdAt: new Date().toISOString(),
      });
      const at = (minute: number) => new Date(Date.UTC(2030, 0, 1, 0, minute)).toISOString();
      await store.append({ ...chat((rooms[1] as Room).id, me, 'x'), sent: at(1), direct: true });
      await store.append({ ...chat((rooms[0] as Room).id, me, 'x'), sent: at(2), direct: true });
      const listed = await store.directRooms(me.id, { limit: 10 });
      assert.deepEqual(
        listed.map((d) => d.peer.id),
        [peers[0], peers[1], peers[2]].map((p) => p?.id),
      );
      assert.equal(listed[0]?.lastActivity, at(2));
      assert.deepEqual(listed[0]?.peer, peers[0]);
      assert.equal((await store.directRooms(me.id, { limit: 1 })).length, 1);
      const za = await store.directRooms(me.id, { limit: 10, q: 'ZA' });
      assert.deepEqual(
        za.map((d) => d.peer.id),
        [peers[2]?.id],
      );
      assert.deepEqual(await store.directRooms(me.id, { limit: 10, q: '%' }), []);
      assert.deepEqual(
        (await store.directRooms((peers[1] as User).id, { limit: 10 })).map((d) => d.peer.id),
        [me.id],
      );
    });

    it('finds accounts by username prefix, whatever its case, never guests', async () => {
      const tag = `pfx${n++}x`;
      const found = [await account(`${tag}Al`), await account(`${tag.toUpperCase()}bo`)];
      await store.createUser({ id: crypto.randomUUID(), name: `${tag}guest`, guest: true }, null);
      await account(`other${tag}`);
      const names = (await store.searchAccounts(tag.toUpperCase(), 20)).map((u) => u.name);
      assert.deepEqual(names.sort(), found.map((u) => u.name).sort());
      assert.equal((await store.searchAccounts(tag, 1)).length, 1);
      assert.deepEqual(await store.searchAccounts(`${tag}_`, 20), []);
    });

    it('keeps blocks one way, idempotent, and lifts them', async () => {
      const [a, b] = [await account('Blocker'), await account('Blocked')];
      assert.equal(await store.eitherBlocked(a.id, b.id), false);
      await store.block(a.id, b.id);
      await store.block(a.id, b.id);
      assert.equal(await store.eitherBlocked(a.id, b.id), true);
      assert.equal(await store.eitherBlocked(b.id, a.id), true);
      assert.deepEqual(await store.blocked(a.id), [b]);
      assert.deepEqual(await store.blocked(b.id), []);
      await store.unblock(a.id, b.id);
      await store.unblock(a.id, b.id);
      assert.equal(await store.eitherBlocked(a.id, b.id), false);
      assert.deepEqual(await store.blocked(a.id), []);
    });

    // Message actions (issue 15): events stored and sequenced, applied to their target.
    const event = (
      target: { roomId: string; id: string },
      actor: User,
      type: 'edit' | 'delete' | 'reaction',
      text: string,
      extra: Partial<NewMessage> = {},
    ): NewMessage => ({
      ...chat(target.roomId, actor, text),
      type,
      targetId: target.id,
      ...extra,
    });

    it('stores an edit as an event with its own seq and shows the current text in history', async () => {
      const [room, author] = [await newRoom(), user()];
      const { message: original } = await store.append(chat(room.id, author, 'frist post'));
      const { message: edit } = await store.appendEvent(
        event(original, author, 'edit', 'first post', { clientId: 'e-1' }),
        20,
      );
      assert.equal(edit.seq, original.seq + 1);
      assert.equal(edit.type, 'edit');
      assert.equal(edit.targetId, original.id);
      const again = await store.appendEvent(
        event(original, author, 'edit', 'first post', { clientId: 'e-1' }),
        20,
      );
      assert.equal(again.duplicate, true);
      assert.equal(again.message.id, edit.id);
      const [first, second] = await store.history(room.id, { limit: 50 });
      assert.equal(first?.message, 'first post');
      assert.equal(first?.edited, edit.sent);
      assert.equal(first?.changedSeq, edit.seq);
      assert.equal(second?.type, 'edit');
      assert.equal(second?.message, 'first post');
      assert.equal((await store.getRoom(room.id))?.lastSeq, 2);
    });

    it('deletes text for good: the message, its edits and its reactions', async () => {
      const [room, author, other] = [await newRoom(), user(), user()];
      const { message: original } = await store.append(chat(room.id, author, 'secret one'));
      await store.appendEvent(event(original, author, 'edit', 'secret two'), 20);
      await store.appendEvent(event(original, other, 'reaction', '👍'), 20);
      const { message: gone } = await store.appendEvent(event(original, other, 'delete', ''), 20);
      const page = await store.history(room.id, { limit: 50 });
      assert.deepEqual(
        page.map((m) => [m.type, m.message]),
        [
          ['chat', ''],
          ['edit', ''],
          ['reaction', '👍'],
          ['delete', ''],
        ],
      );
      assert.equal(page[0]?.deleted, true);
      assert.equal(page[0]?.changedSeq, gone.seq);
      assert.equal(page[0]?.reactions, undefined);
      assert.equal((await store.getMessage(room.id, original.id))?.deleted, true);
      assert.deepEqual(await store.search({ words: ['secret'], userId: null, limit: 10 }), []);
      // A deleted message takes no more events.
      for (const type of ['edit', 'delete', 'reaction'] as const) {
        await assert.rejects(
          store.appendEvent(event(original, author, type, 'x'), 20),
          (err) => err instanceof ChatError && err.code === 'message_not_found',
        );
      }
      assert.equal(
        (await store.getRoom(room.id))?.lastSeq,
        gone.seq,
        'a refused event takes no seq',
      );
    });

    it('counts reactions with who reacted, takes them back, and bounds the emoji', async () => {
      const [room, a, b] = [await newRoom(), user(), user()];
      const { message: target } = await store.append(chat(room.id, a, 'react to me'));
      await store.appendEvent(event(target, a, 'reaction', '👍'), 20);
      await store.appendEvent(event(target, b, 'reaction', '👍'), 20);
      await store.appendEvent(event(target, b, 'reaction', '🎉'), 20);
      assert.deepEqual(await store.reactionFacts(target.id, '👍', b.id), {
        emojis: 2,
        present: true,
        mine: true,
      });
      const { message: removal } = await store.appendEvent(
        event(target, b, 'reaction', '👍', { removed: true }),
        20,
      );
      assert.equal(removal.removed, true);
      const found = await store.getMessage(room.id, target.id);
      assert.deepEqual(found?.reactions, [
        { emoji: '👍', count: 1, users: [{ id: a.id, name: a.name }] },
        { emoji: '🎉', count: 1, users: [{ id: b.id, name: b.name }] },
      ]);
      const [inHistory] = await store.history(room.id, { after: 0, limit: 1 });
      assert.deepEqual(inHistory?.reactions, found?.reactions);
      await assert.rejects(
        store.appendEvent(event(target, a, 'reaction', '🚀'), 2),
        (err) => err instanceof ChatError && err.code === 'too_many_reactions',
      );
      await store.appendEvent(event(target, b, 'reaction', '🎉'), 2);
      assert.equal((await store.reactionFacts(target.id, '🚀', a.id)).present, false);
    });

    it('refuses events whose target is not an actionable message of that room', async () => {
      const [room, otherRoom, author] = [await newRoom(), await newRoom(), user()];
      const { message: original } = await store.append(chat(room.id, author, 'hi'));
      const { message: edit } = await store.appendEvent(event(original, author, 'edit', 'hey'), 20);
      for (const target of [
        { roomId: otherRoom.id, id: original.id },
        { roomId: room.id, id: edit.id },
        { roomId: room.id, id: crypto.randomUUID() },
      ]) {
        await assert.rejects(
          store.appendEvent(event(target, author, 'edit', 'x'), 20),
          (err) => err instanceof ChatError && err.code === 'message_not_found',
        );
      }
    });

    it('keeps a reply with an excerpt of the message it answers, as it is now', async () => {
      const [room, a, b] = [await newRoom(), user(), user()];
      const { message: asked } = await store.append(chat(room.id, a, 'who wants tea?'));
      const { message: reply } = await store.append({
        ...chat(room.id, b, 'me!'),
        replyTo: asked.id,
      });
      assert.equal(reply.replyTo, asked.id);
      await store.appendEvent(event(asked, a, 'edit', 'who wants coffee?'), 20);
      let found = await store.getMessage(room.id, reply.id);
      assert.deepEqual(found?.reply, {
        seq: asked.seq,
        memberId: a.id,
        memberName: a.name,
        excerpt: 'who wants coffee?',
      });
      await store.appendEvent(event(asked, a, 'delete', ''), 20);
      found = (await store.history(room.id, { after: reply.seq - 1, limit: 1 }))[0];
      assert.deepEqual(found?.reply, {
        seq: asked.seq,
        memberId: a.id,
        memberName: a.name,
        excerpt: '',
        deleted: true,
      });
    });

    it('sets a room topic through a sequenced event', async () => {
      const [room, a] = [await newRoom(), user()];
      const { message: topic } = await store.appendEvent(
        { ...chat(room.id, a, 'Tea and biscuits'), type: 'topic' },
        20,
      );
      assert.equal(topic.seq, 1);
      assert.equal((await store.getRoom(room.id))?.topic, 'Tea and biscuits');
      const listed = (await store.listRooms(a.id)).find((r) => r.roomId === room.id);
      assert.equal(listed?.topic, 'Tea and biscuits');
      await store.appendEvent({ ...chat(room.id, a, ''), type: 'topic' }, 20);
      assert.equal((await store.getRoom(room.id))?.topic, undefined);
    });

    it("keeps each member's notification level, listed with the member's rooms", async () => {
      const [room, a, b] = [await newRoom('private'), user(), user()];
      await store.join(room.id, a);
      const listed = async (who: User) =>
        (await store.listRooms(who.id)).find((r) => r.roomId === room.id)?.notify;
      assert.equal(await listed(a), undefined, 'all, the default, is not listed');
      assert.equal(await store.setNotify(room.id, a.id, 'mentions'), true);
      assert.equal(await listed(a), 'mentions');
      assert.equal(await store.setNotify(room.id, b.id, 'none'), false);
      assert.equal(
        (await store.listRooms(null)).find((r) => r.roomId === room.id),
        undefined,
      );
    });

    it('searches the words of rooms one may read, newest first, by pages', async () => {
      const [pub, priv, mine, a, b] = [
        await newRoom(),
        await newRoom('private'),
        await newRoom('private'),
        user(),
        user(),
      ];
      await store.join(mine.id, a);
      const word = `zebra${n++}`;
      const sent = [];
      // Two messages of different rooms in one millisecond would come in either order.
      let at = Date.now();
      for (const [room, text] of [
        [pub, `a ${word} in public`],
        [priv, `a ${word} in private`],
        [mine, `a ${word.toUpperCase()} of mine`],
        [pub, `${word}s again, Ünïcode too`],
        [pub, 'nothing here'],
      ] as const) {
        const when = new Date(at++).toISOString();
        sent.push((await store.append({ ...chat(room.id, b, text), sent: when })).message);
      }
      const prefix = word.slice(0, 7);
      const all = await store.search({ words: [prefix], userId: a.id, limit: 10 });
      assert.deepEqual(
        all.map((h) => h.message),
        [`${word}s again, Ünïcode too`, `a ${word.toUpperCase()} of mine`, `a ${word} in public`],
      );
      assert.equal(all[1]?.roomName, mine.name);
      const anonymous = await store.search({ words: [word], userId: null, limit: 10 });
      assert.equal(anonymous.length, 2);
      const both = await store.search({ words: [word, 'public'], userId: a.id, limit: 10 });
      assert.deepEqual(
        both.map((h) => h.id),
        [sent[0]?.id],
      );
      const oneRoom = await store.search({
        words: [word],
        userId: a.id,
        roomId: mine.id,
        limit: 10,
      });
      assert.deepEqual(
        oneRoom.map((h) => h.id),
        [sent[2]?.id],
      );
      const page1 = await store.search({ words: [word], userId: a.id, limit: 2 });
      const last = page1[1] as ChatMessage;
      const page2 = await store.search({
        words: [word],
        userId: a.id,
        before: { sent: last.sent, seq: last.seq, id: last.id },
        limit: 2,
      });
      assert.deepEqual(
        [...page1, ...page2].map((h) => h.id),
        all.map((h) => h.id),
      );
      // An edit is found by its new text only.
      await store.appendEvent(event(sent[0] as ChatMessage, b, 'edit', 'rewritten entirely'), 20);
      assert.equal(
        (await store.search({ words: [word, 'public'], userId: a.id, limit: 10 })).length,
        0,
      );
      assert.equal(
        (await store.search({ words: ['rewritten'], userId: a.id, limit: 10 })).length,
        1,
      );
    });

    // SQLite indexes in batches (migrations.ts): these are the writes that meet a batch half done.
    it('finds a message edited before any search by its new text only', async () => {
      const [room, author] = [await newRoom(), user()];
      const [before, after] = [`okapi${n++}`, `quokka${n++}`];
      const { message } = await store.append(chat(room.id, author, `an ${before} here`));
      await store.appendEvent(event(message, author, 'edit', `an ${after} here`), 20);
      assert.deepEqual(await store.search({ words: [before], userId: null, limit: 10 }), []);
      const hits = await store.search({ words: [after], userId: null, limit: 10 });
      assert.deepEqual(
        hits.map((h) => h.id),
        [message.id],
      );
    });

    it('finds a message searched for while it was being stored, at the next search', async () => {
      const [room, author] = [await newRoom(), user()];
      const word = `aardvark${n++}`;
      const [stored] = await Promise.all([
        store.append(chat(room.id, author, `an ${word} here`)),
        store.search({ words: [word], userId: null, limit: 10 }),
      ]);
      const hits = await store.search({ words: [word], userId: null, limit: 10 });
      assert.deepEqual(
        hits.map((h) => h.id),
        [stored.message.id],
      );
    });

    it('finds a stored message in every one of several searches at once', async () => {
      const [room, author] = [await newRoom(), user()];
      const word = `bandicoot${n++}`;
      await store.append(chat(room.id, author, `a ${word} here`));
      const searches = await Promise.all(
        [1, 2, 3].map(() => store.search({ words: [word], userId: null, limit: 10 })),
      );
      assert.deepEqual(
        searches.map((hits) => hits.length),
        [1, 1, 1],
      );
    });

    it('finds what is stored after the newest messages went with their room', async () => {
      const [doomed, kept, author] = [await newRoom(), await newRoom(), user()];
      const [old, fresh] = [`walrus${n++}`, `narwhal${n++}`];
      await store.append(chat(doomed.id, author, `the ${old} one`));
      await store.append(chat(doomed.id, author, `the ${old} two`));
      assert.equal((await store.search({ words: [old], userId: null, limit: 10 })).length, 2);
      assert.equal(await store.deleteRoom(doomed.id), true);
      await store.append(chat(kept.id, author, `a ${fresh} one`));
      await store.append(chat(kept.id, author, `a ${fresh} two`));
      assert.deepEqual(await store.search({ words: [old], userId: null, limit: 10 }), []);
      assert.equal((await store.search({ words: [fresh], userId: null, limit: 10 })).length, 2);
    });
  });
}

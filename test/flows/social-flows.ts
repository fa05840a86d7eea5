import assert from 'node:assert/strict';
import { it } from 'node:test';
import { call, createRoom, signup } from '../support/http.js';
import { TestClient } from '../support/ws-client.js';
import type { Target } from './chat-flows.js';

type Person = { token: string; id: string; name: string };

/**
 * Direct conversations, groups with roles, blocking, contacts and user
 * search, as a client sees them. Like chatFlows, each flow spreads its
 * clients and calls over the target's nodes (node i is the (i mod n)-th).
 */
export function socialFlows(target: () => Target): void {
  const node = (i: number) => {
    const { nodes } = target();
    return nodes[i % nodes.length] as { url: string; wsUrl: string };
  };
  const dm = (i: number, who: Person, body: Record<string, unknown>) =>
    call(node(i).url, 'POST', '/api/dm', { token: who.token, body });
  const detail = (i: number, who: Person, roomId: string) =>
    call(node(i).url, 'GET', `/api/room/${roomId}`, { token: who.token });
  const members = (
    i: number,
    who: Person,
    roomId: string,
    method: string,
    path = '',
    body?: unknown,
  ) => call(node(i).url, method, `/api/room/${roomId}/members${path}`, { token: who.token, body });

  it('finds or makes the one direct room of two users, from either side and either node', async () => {
    const alice = await signup(node(0).url, 'ann');
    const bob = await signup(node(1).url, 'ben');
    const opened = await dm(0, alice, { username: bob.name.toUpperCase() });
    assert.equal(opened.status, 200);
    const roomId = opened.body.roomId as string;
    assert.deepEqual(opened.body, {
      roomId,
      roomName: bob.name,
      visibility: 'private',
      kind: 'direct',
      peer: { id: bob.id, name: bob.name },
    });
    const back = await dm(1, bob, { userId: alice.id });
    assert.deepEqual(back.body, {
      roomId,
      roomName: alice.name,
      visibility: 'private',
      kind: 'direct',
      peer: { id: alice.id, name: alice.name },
    });
    const shown = await detail(1, bob, roomId);
    assert.equal(shown.body.kind, 'direct');
    assert.equal(shown.body.roomName, alice.name);
    assert.deepEqual(
      shown.body.members.map((m: { id: string; role: string }) => [m.id, m.role]).sort(),
      [
        [alice.id, 'member'],
        [bob.id, 'member'],
      ].sort(),
    );
    const listed = (await call(node(2).url, 'GET', '/api/rooms', { token: alice.token })).body;
    const entry = listed.find((r: { roomId: string }) => r.roomId === roomId);
    assert.equal(entry.kind, 'direct');
    assert.deepEqual(entry.peer, { id: bob.id, name: bob.name });
    assert.equal(entry.roomName, bob.name);

    // Both are members at once: bob writes without joining anything first.
    const b = await TestClient.connect(node(1).wsUrl, { token: bob.token });
    const ack = await b.request({ type: 'send', roomId, message: 'hi ann' });
    assert.equal(ack.type, 'ack');
    assert.equal(ack.seq, 1);
    await b.close();
  });

  it('gives one direct room when both users open it at the same moment on different nodes', async () => {
    for (let round = 0; round < 3; round++) {
      const alice = await signup(node(0).url, 'race');
      const bob = await signup(node(1).url, 'race');
      const [a, b] = await Promise.all([
        dm(0, alice, { userId: bob.id }),
        dm(1, bob, { userId: alice.id }),
      ]);
      assert.equal(a.status, 200);
      assert.equal(b.status, 200);
      assert.equal(a.body.roomId, b.body.roomId);
      const contacts = await call(node(2).url, 'GET', '/api/contacts', { token: alice.token });
      assert.equal(contacts.body.length, 1);
    }
  });

  it('keeps a direct room to its two users: strangers see nothing, and nobody is added', async () => {
    const alice = await signup(node(0).url);
    const bob = await signup(node(1).url);
    const eve = await signup(node(2).url);
    const roomId = (await dm(0, alice, { userId: bob.id })).body.roomId as string;
    assert.equal((await detail(2, eve, roomId)).body.error.code, 'room_not_found');
    const history = await call(node(1).url, 'GET', `/api/room/${roomId}/messages`, {
      token: eve.token,
    });
    assert.equal(history.status, 404);
    const e = await TestClient.connect(node(2).wsUrl, { token: eve.token });
    assert.equal((await e.request({ type: 'join', roomId })).code, 'room_not_found');
    assert.equal((await e.request({ type: 'send', roomId, message: 'x' })).code, 'room_not_found');
    await e.close();
    const added = await members(0, alice, roomId, 'POST', '', { username: eve.name });
    assert.equal(added.status, 403);
    assert.equal(added.body.error.code, 'forbidden');
    const strangerAdds = await members(2, eve, roomId, 'POST', '', { username: eve.name });
    assert.equal(strangerAdds.status, 404);
    const leaving = await members(1, bob, roomId, 'DELETE', `/${bob.id}`);
    assert.equal(leaving.body.error.code, 'forbidden');
    const b = await TestClient.connect(node(1).wsUrl, { token: bob.token });
    await b.request({ type: 'join', roomId });
    assert.equal((await b.request({ type: 'leave', roomId })).code, 'forbidden');
    await b.close();
  });

  it('refuses bad direct-room requests with clear codes', async () => {
    const alice = await signup(node(0).url);
    const self = await dm(0, alice, { userId: alice.id });
    assert.equal(self.status, 400);
    assert.equal(self.body.error.code, 'invalid_request');
    const unknown = await dm(1, alice, { username: 'nobody-by-this-name' });
    assert.equal(unknown.status, 404);
    assert.equal(unknown.body.error.code, 'user_not_found');
    assert.equal((await dm(0, alice, { userId: crypto.randomUUID() })).status, 404);
    assert.equal((await dm(0, alice, {})).body.error.code, 'invalid_request');
    assert.equal(
      (await dm(0, alice, { username: 'x', userId: alice.id })).body.error.code,
      'invalid_request',
    );
    assert.equal((await dm(0, alice, { username: 5 })).status, 400);
    const bodiless = await call(node(1).url, 'POST', '/api/dm', { token: alice.token });
    assert.equal(bodiless.status, 400);
    assert.equal(bodiless.body.error.code, 'invalid_request');
    const roomId = await createRoom(node(0).url, alice.token, { visibility: 'private' });
    for (const method of ['POST', 'PATCH']) {
      const path = method === 'POST' ? '' : `/${alice.id}`;
      const answer = await call(node(2).url, method, `/api/room/${roomId}/members${path}`, {
        token: alice.token,
      });
      assert.equal(answer.status, 400, method);
      assert.equal(answer.body.error.code, 'invalid_request');
    }
    const anonymous = await call(node(1).url, 'POST', '/api/dm', { body: { userId: alice.id } });
    assert.equal(anonymous.status, 401);
  });

  it('lets the owner and admins manage a group, and stops a removed member at once', async () => {
    const owner = await signup(node(0).url, 'own');
    const bob = await signup(node(1).url, 'bob');
    const carol = await signup(node(2).url, 'car');
    const dave = await signup(node(0).url, 'dav');
    const eve = await signup(node(1).url, 'eve');
    const roomId = await createRoom(node(0).url, owner.token, {
      name: 'Crew',
      visibility: 'private',
    });
    const first = await detail(1, owner, roomId);
    assert.equal(first.body.kind, 'room');
    assert.deepEqual(first.body.members, [
      { id: owner.id, name: owner.name, online: false, role: 'owner' },
    ]);
    assert.equal((await members(1, owner, roomId, 'POST', '', { userId: bob.id })).status, 204);
    assert.equal(
      (await members(2, owner, roomId, 'POST', '', { username: carol.name })).status,
      204,
    );
    // The room reads who brought each one in, not that they joined of their own accord.
    const history = await call(node(1).url, 'GET', `/api/room/${roomId}/messages`, {
      token: owner.token,
    });
    assert.deepEqual(
      history.body.map((m: { type: string; memberId: string; message: string }) => [
        m.type,
        m.memberId,
        m.message,
      ]),
      [
        ['joined', owner.id, `${owner.name} joined the room`],
        ['joined', bob.id, `${bob.name} was added by ${owner.name}`],
        ['joined', carol.id, `${carol.name} was added by ${owner.name}`],
      ],
    );
    // A plain member may no longer add; a stranger does not see the room.
    const byMember = await members(0, bob, roomId, 'POST', '', { username: dave.name });
    assert.equal(byMember.status, 403);
    assert.equal(byMember.body.error.code, 'forbidden');
    const byStranger = await members(0, eve, roomId, 'POST', '', { username: dave.name });
    assert.equal(byStranger.status, 404);
    assert.equal(byStranger.body.error.code, 'room_not_found');
    // Only the owner names admins.
    assert.equal(
      (await members(2, bob, roomId, 'PATCH', `/${carol.id}`, { role: 'admin' })).status,
      403,
    );
    assert.equal(
      (await members(2, owner, roomId, 'PATCH', `/${owner.id}`, { role: 'member' })).status,
      403,
    );
    assert.equal(
      (await members(2, owner, roomId, 'PATCH', `/${bob.id}`, { role: 'boss' })).status,
      400,
    );
    assert.equal(
      (await members(2, owner, roomId, 'PATCH', `/${eve.id}`, { role: 'admin' })).body.error.code,
      'user_not_found',
    );
    assert.equal(
      (await members(2, owner, roomId, 'PATCH', `/${bob.id}`, { role: 'admin' })).status,
      204,
    );
    assert.equal((await members(0, bob, roomId, 'POST', '', { userId: dave.id })).status, 204);
    const roles = (await detail(2, carol, roomId)).body.members.map(
      (m: { id: string; role: string }) => [m.id, m.role],
    );
    assert.deepEqual(roles, [
      [owner.id, 'owner'],
      [bob.id, 'admin'],
      [carol.id, 'member'],
      [dave.id, 'member'],
    ]);
    // Who may remove whom.
    assert.equal((await members(2, carol, roomId, 'DELETE', `/${dave.id}`)).status, 403);
    assert.equal((await members(1, bob, roomId, 'DELETE', `/${owner.id}`)).status, 403);
    const ownerLeaves = await members(0, owner, roomId, 'DELETE', `/${owner.id}`);
    assert.equal(ownerLeaves.status, 403);
    assert.equal(ownerLeaves.body.error.code, 'forbidden');
    assert.equal((await members(1, bob, roomId, 'DELETE', `/${eve.id}`)).status, 404);
    const o = await TestClient.connect(node(0).wsUrl, { token: owner.token });
    await o.request({ type: 'join', roomId });
    assert.equal((await o.request({ type: 'leave', roomId })).code, 'forbidden');

    // Carol listens on another node than the one that removes her.
    const c = await TestClient.connect(node(2).wsUrl, { token: carol.token });
    await c.request({ type: 'join', roomId });
    assert.equal((await members(1, bob, roomId, 'DELETE', `/${carol.id}`)).status, 204);
    const left = await c.next((f) => f.type === 'left' && f.roomId === roomId);
    assert.deepEqual(left, { type: 'left', roomId, by: { id: bob.id, name: bob.name } });
    const [notice] = await o.messages(roomId, 1);
    assert.equal(notice?.type, 'left');
    assert.equal(notice?.memberId, carol.id);
    assert.equal(notice?.message, `${carol.name} was removed by ${bob.name}`);
    await o.request({ type: 'send', roomId, message: 'after carol' });
    await o.messages(roomId, 1);
    const refused = await c.request({ type: 'send', roomId, message: 'still here?' });
    assert.equal(refused.code, 'room_not_found');
    assert.equal(
      c.frames.some(
        (f) => f.type === 'message' && (f.data as { message: string }).message === 'after carol',
      ),
      false,
      'a removed member receives nothing more',
    );
    assert.equal((await detail(0, carol, roomId)).status, 404);
    // A member leaves by removing themself.
    assert.equal((await members(0, dave, roomId, 'DELETE', `/${dave.id}`)).status, 204);
    assert.equal((await detail(0, dave, roomId)).status, 404);
    await Promise.all([o.close(), c.close()]);
  });

  it('tells the room of a role change, and a removed member who removed them, on every node at once', async () => {
    const owner = await signup(node(0).url, 'rol');
    const bob = await signup(node(1).url, 'rol');
    const roomId = await createRoom(node(0).url, owner.token, { visibility: 'private' });
    assert.equal((await members(0, owner, roomId, 'POST', '', { userId: bob.id })).status, 204);
    const o = await TestClient.connect(node(0).wsUrl, { token: owner.token });
    const b = await TestClient.connect(node(1).wsUrl, { token: bob.token });
    try {
      await o.request({ type: 'join', roomId });
      await b.request({ type: 'join', roomId });
      const bobView = { id: bob.id, name: bob.name };
      for (const role of ['admin', 'member'] as const) {
        const set = await members(2, owner, roomId, 'PATCH', `/${bob.id}`, { role });
        assert.equal(set.status, 204);
        for (const client of [o, b]) {
          const frame = await client.next((f) => f.type === 'role' && f.role === role);
          assert.deepEqual(frame, { type: 'role', roomId, user: bobView, role });
        }
      }
      // The same role again changes nothing and says nothing: the next role frame is the removal's absence.
      assert.equal(
        (await members(2, owner, roomId, 'PATCH', `/${bob.id}`, { role: 'member' })).status,
        204,
      );
      assert.equal((await members(2, owner, roomId, 'DELETE', `/${bob.id}`)).status, 204);
      const left = await b.next((f) => f.type === 'left' && f.roomId === roomId);
      assert.deepEqual(left, { type: 'left', roomId, by: { id: owner.id, name: owner.name } });
      const [notice] = await o.messages(roomId, 1);
      assert.equal(notice?.message, `${bob.name} was removed by ${owner.name}`);
      assert.equal(
        b.frames.filter((f) => f.type === 'role').length,
        2,
        'no frame for a role that did not change',
      );
      // Leaving by oneself says no `by`.
      const carol = await signup(node(2).url, 'rol');
      assert.equal((await members(0, owner, roomId, 'POST', '', { userId: carol.id })).status, 204);
      const c1 = await TestClient.connect(node(2).wsUrl, { token: carol.token });
      const c2 = await TestClient.connect(node(0).wsUrl, { token: carol.token });
      await c1.request({ type: 'join', roomId });
      await c2.request({ type: 'join', roomId });
      await c1.request({ type: 'leave', roomId });
      assert.deepEqual(await c2.next((f) => f.type === 'left'), { type: 'left', roomId });
      await Promise.all([c1.close(), c2.close()]);
    } finally {
      await Promise.all([o.close(), b.close()]);
    }
  });

  it('holds a block on direct rooms, their messages and additions, and lifts it', async () => {
    const alice = await signup(node(0).url, 'blk');
    const bob = await signup(node(1).url, 'blk');
    const roomId = (await dm(0, alice, { userId: bob.id })).body.roomId as string;
    const blocks = (i: number, who: Person, method: string, path = '') =>
      call(node(i).url, method, `/api/blocks${path}`, { token: who.token });
    assert.equal((await blocks(0, alice, 'PUT', `/${bob.id}`)).status, 204);
    assert.equal((await blocks(2, alice, 'PUT', `/${bob.id}`)).status, 204, 'idempotent');
    assert.deepEqual((await blocks(1, alice, 'GET')).body, [{ id: bob.id, name: bob.name }]);
    assert.deepEqual((await blocks(1, bob, 'GET')).body, []);

    for (const [i, who, peer] of [
      [1, bob, alice],
      [0, alice, bob],
    ] as const) {
      const refused = await dm(i, who, { userId: peer.id });
      assert.equal(refused.status, 403);
      assert.equal(refused.body.error.code, 'blocked');
    }
    const b = await TestClient.connect(node(1).wsUrl, { token: bob.token });
    const frame = await b.request({ type: 'send', roomId, message: 'let me talk' });
    assert.equal(frame.type, 'error');
    assert.equal(frame.code, 'blocked');
    const history = await call(node(2).url, 'GET', `/api/room/${roomId}/messages`, {
      token: alice.token,
    });
    assert.deepEqual(history.body, [], 'nothing stored');
    const group = await createRoom(node(1).url, bob.token, { visibility: 'private' });
    const added = await members(1, bob, group, 'POST', '', { userId: alice.id });
    assert.equal(added.status, 403);
    assert.equal(added.body.error.code, 'blocked');

    assert.equal((await blocks(2, alice, 'DELETE', `/${bob.id}`)).status, 204);
    assert.deepEqual((await blocks(0, alice, 'GET')).body, []);
    assert.equal((await dm(1, bob, { userId: alice.id })).body.roomId, roomId);
    assert.equal((await b.request({ type: 'send', roomId, message: 'thanks' })).type, 'ack');
    assert.equal((await members(1, bob, group, 'POST', '', { userId: alice.id })).status, 204);
    await b.close();
  });

  it("keeps a blocked user's typing from the blocker, and the earlier history readable to both", async () => {
    const alice = await signup(node(0).url, 'tyb');
    const bob = await signup(node(1).url, 'tyb');
    const roomId = (await dm(0, alice, { userId: bob.id })).body.roomId as string;
    const a = await TestClient.connect(node(0).wsUrl, { token: alice.token });
    const b = await TestClient.connect(node(1).wsUrl, { token: bob.token });
    try {
      await a.request({ type: 'join', roomId });
      await b.request({ type: 'join', roomId });
      const said = await b.request({ type: 'send', roomId, message: 'said before' });
      assert.equal(said.type, 'ack');
      const messageId = said.messageId as string;
      await a.next((f) => f.type === 'message');
      const blocked = await call(node(2).url, 'PUT', `/api/blocks/${bob.id}`, {
        token: alice.token,
      });
      assert.equal(blocked.status, 204);
      b.send({ type: 'typing', roomId });
      // Frames of one connection are served in order: the pong comes after the typing was handled.
      assert.equal((await b.request({ type: 'ping' })).type, 'pong');
      for (const [i, who] of [
        [0, alice],
        [1, bob],
      ] as const) {
        const history = await call(node(i).url, 'GET', `/api/room/${roomId}/messages`, {
          token: who.token,
        });
        assert.deepEqual(
          history.body.map((m: { message: string }) => m.message),
          ['said before'],
          'what was written before the block stays readable to both',
        );
      }
      for (const change of [
        { type: 'edit', roomId, messageId, message: 'changed' },
        { type: 'react', roomId, messageId, emoji: '👍' },
        { type: 'topic', roomId, topic: 'us' },
      ]) {
        const refused = await b.request(change);
        assert.equal(refused.code, 'blocked', `${change.type} refused under a block`);
      }
      const taken = await b.request({ type: 'delete', roomId, messageId });
      assert.equal(taken.type, 'ack', 'one may take back what one said');
      await call(node(2).url, 'DELETE', `/api/blocks/${bob.id}`, { token: alice.token });
      assert.equal((await b.request({ type: 'send', roomId, message: 'after' })).type, 'ack');
      await a.next(
        (f) => f.type === 'message' && (f.data as { message: string }).message === 'after',
      );
      assert.deepEqual(
        a.frames.filter((f) => f.type === 'typing'),
        [],
        'no typing frame reached the blocker',
      );
      b.send({ type: 'typing', roomId });
      const typing = await a.next((f) => f.type === 'typing');
      assert.deepEqual(typing.user, { id: bob.id, name: bob.name }, 'unblocked: relayed again');
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });

  it('refuses bad block requests', async () => {
    const alice = await signup(node(0).url);
    const self = await call(node(0).url, 'PUT', `/api/blocks/${alice.id}`, { token: alice.token });
    assert.equal(self.body.error.code, 'invalid_request');
    const unknown = await call(node(1).url, 'PUT', `/api/blocks/${crypto.randomUUID()}`, {
      token: alice.token,
    });
    assert.equal(unknown.status, 404);
    assert.equal(unknown.body.error.code, 'user_not_found');
    assert.equal((await call(node(1).url, 'GET', '/api/blocks')).status, 401);
  });

  it('ranks contacts by the last message, filters them by name, and says who is online', async () => {
    const me = await signup(node(0).url, 'me');
    const peers = [
      await signup(node(1).url, 'Kim'),
      await signup(node(2).url, 'lee'),
      await signup(node(0).url, 'kit'),
    ] as const;
    const rooms: string[] = [];
    for (const peer of peers) rooms.push((await dm(0, me, { userId: peer.id })).body.roomId);
    const m = await TestClient.connect(node(1).wsUrl, { token: me.token });
    await m.request({ type: 'send', roomId: rooms[1], message: 'to lee' });
    await m.request({ type: 'send', roomId: rooms[0], message: 'to kim' });
    const online = await TestClient.connect(node(2).wsUrl, { token: peers[0].token });
    await online.next((f) => f.type === 'welcome');
    const contacts = await call(node(2).url, 'GET', '/api/contacts', { token: me.token });
    assert.equal(contacts.status, 200);
    assert.deepEqual(
      contacts.body.map((c: { user: { name: string } }) => c.user.name),
      [peers[0].name, peers[1].name, peers[2].name],
    );
    assert.deepEqual(contacts.body[0].user, { id: peers[0].id, name: peers[0].name, online: true });
    assert.equal(contacts.body[0].roomId, rooms[0]);
    assert.equal(contacts.body[2].user.online, false);
    assert.match(contacts.body[0].lastActivity, /^\d{4}-\d\d-\d\dT/);
    const two = await call(node(0).url, 'GET', '/api/contacts?limit=2', { token: me.token });
    assert.equal(two.body.length, 2);
    const ki = await call(node(1).url, 'GET', '/api/contacts?q=KI', { token: me.token });
    assert.deepEqual(
      ki.body.map((c: { user: { id: string } }) => c.user.id),
      [peers[0].id, peers[2].id],
    );
    for (const bad of ['limit=0', 'limit=101', 'limit=x', `q=${'a'.repeat(101)}`]) {
      const answer = await call(node(0).url, 'GET', `/api/contacts?${bad}`, { token: me.token });
      assert.equal(answer.status, 400, bad);
      assert.equal(answer.body.error.code, 'invalid_request');
    }
    assert.equal((await call(node(0).url, 'GET', '/api/contacts')).status, 401);
    await Promise.all([m.close(), online.close()]);
  });

  it('searches accounts by username prefix, whatever the case, leaving guests out', async () => {
    const tag = `srch${process.pid}${Date.now().toString(36)}`;
    const me = await signup(node(0).url, tag);
    const other = await signup(node(1).url, tag.toUpperCase());
    const guest = await call(node(0).url, 'POST', '/api/guest');
    const found = await call(node(2).url, 'GET', `/api/users?q=${tag.toUpperCase()}`, {
      token: guest.body.token,
    });
    assert.equal(found.status, 200);
    assert.deepEqual(found.body.map((u: { id: string }) => u.id).sort(), [me.id, other.id].sort());
    assert.deepEqual(
      found.body.find((u: { id: string }) => u.id === me.id),
      {
        id: me.id,
        name: me.name,
      },
    );
    const short = await call(node(0).url, 'GET', '/api/users?q=s', { token: me.token });
    assert.equal(short.status, 400);
    assert.equal(short.body.error.code, 'invalid_request');
    assert.equal((await call(node(0).url, 'GET', '/api/users', { token: me.token })).status, 400);
    const guestName = encodeURIComponent(guest.body.user.name.slice(0, 4));
    const guests = await call(node(0).url, 'GET', `/api/users?q=${guestName}`, { token: me.token });
    assert.equal(
      guests.body.some((u: { id: string }) => u.id === guest.body.user.id),
      false,
      'no guests',
    );
  });

  it('answers a NUL character in an id as not found, and stores and delivers one in a text as U+FFFD (PostgreSQL refuses U+0000)', async () => {
    const alice = await signup(node(0).url, 'nul');
    const bob = await signup(node(1).url, 'nul');
    const roomId = await createRoom(node(0).url, alice.token, { visibility: 'private' });
    const asAlice = { token: alice.token };
    const notFound: Array<[string, string, string, unknown?]> = [
      ['GET', '/api/room/a%00b', 'room_not_found'],
      ['GET', '/api/room/a%00b/messages', 'room_not_found'],
      ['POST', '/api/dm', 'user_not_found', { username: 'a\u0000b' }],
      ['POST', '/api/dm', 'user_not_found', { userId: 'a\u0000b' }],
      ['POST', `/api/room/${roomId}/members`, 'user_not_found', { username: 'a\u0000b' }],
      ['DELETE', `/api/room/${roomId}/members/a%00b`, 'user_not_found'],
      ['PATCH', `/api/room/${roomId}/members/a%00b`, 'user_not_found', { role: 'admin' }],
      ['PUT', '/api/blocks/a%00b', 'user_not_found'],
    ];
    for (const [method, path, code, body] of notFound) {
      const answer = await call(node(1).url, method, path, { ...asAlice, body });
      assert.equal(answer.body?.error?.code, code, `${method} ${path} ${JSON.stringify(body)}`);
    }
    for (const path of ['/api/users?q=nu%00l', '/api/contacts?q=%00']) {
      const answer = await call(node(2).url, 'GET', path, asAlice);
      assert.deepEqual([answer.status, answer.body], [200, []], path);
    }
    const room = await dm(0, alice, { userId: bob.id });
    const a = await TestClient.connect(node(1).wsUrl, { token: alice.token });
    try {
      const joined = await a.request({ type: 'join', roomId: 'a\u0000b' });
      assert.equal(joined.code, 'room_not_found');
      await a.request({ type: 'join', roomId: room.body.roomId });
      const ack = await a.request({ type: 'send', roomId: room.body.roomId, message: 'a\u0000b' });
      assert.equal(ack.type, 'ack', JSON.stringify(ack));
      const [live] = await a.messages(room.body.roomId, 1);
      const history = await call(node(2).url, 'GET', `/api/room/${room.body.roomId}/messages`, {
        token: bob.token,
      });
      assert.equal(history.body.at(-1).seq, ack.seq);
      // One text on both engines, live and stored alike.
      assert.deepEqual([live?.message, history.body.at(-1).message], ['a\ufffdb', 'a\ufffdb']);
    } finally {
      await a.close();
    }
  });
}

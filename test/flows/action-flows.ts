import assert from 'node:assert/strict';
import { it } from 'node:test';
import { call, createRoom, signup } from '../support/http.js';
import { TestClient } from '../support/ws-client.js';
import type { Target } from './chat-flows.js';

type Person = { token: string; id: string; name: string };
type Message = Record<string, unknown> & { id: string; seq: number; type: string };

export interface ActionTarget extends Target {
  /** How many stored rows (or bytes of the file) hold `text` now; undefined: checked elsewhere. */
  storedCount?: (text: string) => Promise<number>;
  /** Words of deleted messages, for a check after the server stopped (the SQLite file). */
  deletedWords: string[];
}

/** The room's message frames the client receives, up to and including seq `last`. */
async function until(client: TestClient, roomId: string, last: number): Promise<Message[]> {
  const out: Message[] = [];
  while ((out.at(-1)?.seq ?? 0) < last)
    out.push(...((await client.messages(roomId, 1)) as Message[]));
  return out;
}

/**
 * Replies, edits, deletions, reactions, topics and search, as clients see
 * them, over the real protocol: each flow spreads its clients over the
 * target's nodes (node i is the (i mod n)-th).
 */
export function actionFlows(target: () => ActionTarget): void {
  const node = (i: number) => {
    const { nodes } = target();
    return nodes[i % nodes.length] as { url: string; wsUrl: string };
  };
  const connect = async (i: number, who: Person, roomId: string, since?: number) => {
    const client = await TestClient.connect(node(i).wsUrl, { token: who.token });
    await client.next((f) => f.type === 'welcome');
    const joined = await client.request({
      type: 'join',
      roomId,
      ...(since === undefined ? {} : { since }),
    });
    assert.equal(joined.type, 'joined', JSON.stringify(joined));
    return client;
  };
  const history = async (i: number, who: Person, roomId: string, query = 'after=0&limit=200') =>
    (await call(node(i).url, 'GET', `/api/room/${roomId}/messages?${query}`, { token: who.token }))
      .body as Message[];
  const search = (i: number, who: Person | null, query: string) =>
    call(node(i).url, 'GET', `/api/search?${query}`, who ? { token: who.token } : {});
  const addMember = (owner: Person, roomId: string, who: Person) =>
    call(node(0).url, 'POST', `/api/room/${roomId}/members`, {
      token: owner.token,
      body: { userId: who.id },
    });

  it('carries a reply, an edit, a reaction and a deletion live, and replays them by since', async () => {
    const alice = await signup(node(0).url, 'act');
    const bob = await signup(node(1).url, 'act');
    const roomId = await createRoom(node(0).url, alice.token);
    const a = await connect(0, alice, roomId);
    const b = await connect(1, bob, roomId);
    const secret = `quokka${Date.now().toString(36)}`;
    target().deletedWords.push(secret);

    const sent = await a.request({ type: 'send', roomId, message: `the ${secret} plan` });
    const original = (
      await b.next(
        (f) =>
          f.type === 'message' && f.data !== undefined && (f.data as Message).id === sent.messageId,
      )
    ).data as Message;
    const since = original.seq;
    const replyAck = await b.request({
      type: 'send',
      roomId,
      message: 'agreed',
      replyTo: original.id,
    });
    assert.equal(replyAck.type, 'ack');
    const editAck = await a.request({
      type: 'edit',
      roomId,
      messageId: original.id,
      message: `the ${secret} plan, revised`,
    });
    const reactAck = await b.request({
      type: 'react',
      roomId,
      messageId: original.id,
      emoji: '👍',
    });
    const again = await b.request({ type: 'react', roomId, messageId: original.id, emoji: '👍' });
    assert.deepEqual(
      { seq: again.seq, messageId: again.messageId, unchanged: again.unchanged },
      { seq: original.seq, messageId: original.id, unchanged: true },
    );
    const deleteAck = await a.request({
      type: 'delete',
      roomId,
      messageId: original.id,
      id: 'del-1',
    });
    // A resend of the same frame id is answered as the first time, not applied again.
    const resent = await a.request({ type: 'delete', roomId, messageId: original.id, id: 'del-1' });
    assert.deepEqual([resent.seq, resent.messageId], [deleteAck.seq, deleteAck.messageId]);

    const seqs = [replyAck.seq, editAck.seq, reactAck.seq, deleteAck.seq] as number[];
    assert.deepEqual(seqs, [since + 1, since + 2, since + 3, since + 4]);
    const live = (await until(a, roomId, since + 4)).filter((m) => (m.seq as number) > since);
    assert.deepEqual(
      live.map((m) => [m.seq, m.type, m.targetId ?? m.replyTo]),
      [
        [since + 1, 'chat', original.id],
        [since + 2, 'edit', original.id],
        [since + 3, 'reaction', original.id],
        [since + 4, 'delete', original.id],
      ],
    );
    assert.deepEqual(live[0]?.reply, {
      seq: original.seq,
      memberId: alice.id,
      memberName: alice.name,
      excerpt: `the ${secret} plan`,
    });
    await b.close();

    // A client resuming from before the reply gets every event in order, the deleted text gone.
    const c = await connect(2, bob, roomId, since);
    const replayed = await c.messages(roomId, 4);
    assert.deepEqual(
      replayed.map((m) => [m.seq, m.type, m.message]),
      [
        [since + 1, 'chat', 'agreed'],
        [since + 2, 'edit', ''],
        [since + 3, 'reaction', '👍'],
        [since + 4, 'delete', ''],
      ],
    );
    await c.close();
    await a.close();

    const page = await history(1, bob, roomId);
    const shown = page.find((m) => m.id === original.id);
    assert.equal(shown?.deleted, true);
    assert.equal(shown?.message, '');
    assert.equal(shown?.changedSeq, since + 4);
    const reply = page.find((m) => m.seq === since + 1);
    assert.deepEqual(reply?.reply, {
      seq: original.seq,
      memberId: alice.id,
      memberName: alice.name,
      excerpt: '',
      deleted: true,
    });
    assert.ok(!JSON.stringify(page).includes(secret), 'the deleted text is in the history');
    const found = await search(0, alice, `q=${secret}`);
    assert.deepEqual(found.body, { results: [] });
    const storedCount = target().storedCount;
    if (storedCount) assert.equal(await storedCount(secret), 0, 'the deleted text is still stored');
  });

  it('shows an edit and reactions in history, and keeps them through HTTP', async () => {
    const alice = await signup(node(0).url, 'act');
    const bob = await signup(node(1).url, 'act');
    const roomId = await createRoom(node(0).url, alice.token);
    const a = await connect(0, alice, roomId);
    const b = await connect(1, bob, roomId);
    const sent = await a.request({ type: 'send', roomId, message: 'lunch at noon' });
    const at = `/api/room/${roomId}/messages/${sent.messageId}`;
    const edit = await call(node(1).url, 'PATCH', at, {
      token: alice.token,
      body: { message: 'lunch at one' },
    });
    assert.equal(edit.status, 200);
    assert.equal(edit.body.type, 'edit');
    const heart = encodeURIComponent('❤️');
    const put = await call(node(1).url, 'PUT', `${at}/reactions/${heart}`, { token: bob.token });
    assert.equal(put.status, 200);
    assert.equal(put.body.message, '❤️');
    assert.equal(
      (await call(node(0).url, 'PUT', `${at}/reactions/${heart}`, { token: bob.token })).status,
      204,
    );
    await call(node(0).url, 'PUT', `${at}/reactions/${encodeURIComponent('👀')}`, {
      token: alice.token,
    });
    const off = await call(node(0).url, 'DELETE', `${at}/reactions/${encodeURIComponent('👀')}`, {
      token: alice.token,
    });
    assert.equal(off.body.removed, true);
    assert.equal(
      (await call(node(0).url, 'DELETE', `${at}/reactions/x`, { token: alice.token })).status,
      204,
    );
    // Bob's connection saw each change live, in order.
    const live = await b.messages(roomId, 5);
    assert.deepEqual(
      live.map((m) => m.type),
      ['chat', 'edit', 'reaction', 'reaction', 'reaction'],
    );
    const [shown] = await history(1, alice, roomId, `after=${(sent.seq as number) - 1}&limit=1`);
    assert.equal(shown?.message, 'lunch at one');
    assert.equal(shown?.edited, edit.body.sent);
    assert.equal(shown?.changedSeq, off.body.seq);
    assert.deepEqual(shown?.reactions, [
      { emoji: '❤️', count: 1, users: [{ id: bob.id, name: bob.name }] },
    ]);
    // Bob may not edit or delete Alice's message; bad input is refused with its code.
    const refused = await b.request({
      type: 'edit',
      roomId,
      messageId: sent.messageId,
      message: 'no',
    });
    assert.equal(refused.code, 'forbidden');
    assert.equal(
      (await call(node(0).url, 'DELETE', at, { token: bob.token })).body.error.code,
      'forbidden',
    );
    assert.equal(
      (await b.request({ type: 'react', roomId, messageId: sent.messageId, emoji: 'a b' })).code,
      'invalid_request',
    );
    assert.equal(
      (await b.request({ type: 'react', roomId, messageId: 'nope', emoji: '👍' })).code,
      'message_not_found',
    );
    assert.equal(
      (await b.request({ type: 'edit', roomId, messageId: edit.body.id, message: 'x' })).code,
      'message_not_found',
    );
    assert.equal(
      (await b.request({ type: 'send', roomId, message: 'x', replyTo: 'nope' })).code,
      'message_not_found',
    );
    await a.close();
    await b.close();
  });

  it("lets owners and admins delete others' messages and set a private room's topic", async () => {
    const owner = await signup(node(0).url, 'own');
    const admin = await signup(node(1).url, 'adm');
    const member = await signup(node(2).url, 'mem');
    const roomId = await createRoom(node(0).url, owner.token, {
      visibility: 'private',
      name: 'Ops',
    });
    for (const who of [admin, member])
      assert.equal((await addMember(owner, roomId, who)).status, 204);
    await call(node(0).url, 'PATCH', `/api/room/${roomId}/members/${admin.id}`, {
      token: owner.token,
      body: { role: 'admin' },
    });
    const m = await connect(2, member, roomId);
    const first = await m.request({ type: 'send', roomId, message: 'one' });
    const second = await m.request({ type: 'send', roomId, message: 'two' });
    const o = await connect(0, owner, roomId);
    const topic = await m.request({ type: 'topic', roomId, topic: 'mine now' });
    assert.equal(topic.code, 'forbidden');
    const set = await call(node(1).url, 'PUT', `/api/room/${roomId}/topic`, {
      token: admin.token,
      body: { topic: 'Deploys on Tuesdays' },
    });
    assert.equal(set.status, 200);
    assert.equal(set.body.type, 'topic');
    const live = await m.next((f) => f.type === 'message' && (f.data as Message).type === 'topic');
    assert.equal((live.data as Message).message, 'Deploys on Tuesdays');
    const detail = await call(node(2).url, 'GET', `/api/room/${roomId}`, { token: member.token });
    assert.equal(detail.body.topic, 'Deploys on Tuesdays');
    const listed = await call(node(2).url, 'GET', '/api/rooms', { token: member.token });
    assert.equal(
      listed.body.find((r: { roomId: string }) => r.roomId === roomId)?.topic,
      'Deploys on Tuesdays',
    );
    assert.equal(
      (await o.request({ type: 'delete', roomId, messageId: first.messageId })).type,
      'ack',
    );
    const byAdmin = await call(
      node(1).url,
      'DELETE',
      `/api/room/${roomId}/messages/${second.messageId}`,
      {
        token: admin.token,
      },
    );
    assert.equal(byAdmin.status, 200);
    assert.equal(byAdmin.body.memberId, admin.id);
    await o.close();
    await m.close();
  });

  it("searches old messages of one's rooms, by pages, never a deleted one or a stranger's room", async () => {
    const alice = await signup(node(0).url, 'srch');
    const bob = await signup(node(1).url, 'srch');
    const word = `narwhal${Date.now().toString(36)}`;
    const pub = await createRoom(node(0).url, alice.token, { name: 'Open' });
    const secret = await createRoom(node(0).url, alice.token, { visibility: 'private' });
    const a = await connect(0, alice, pub);
    await a.request({ type: 'join', roomId: secret });
    const old = await a.request({ type: 'send', roomId: pub, message: `an old ${word} sighting` });
    for (let i = 0; i < 30; i++)
      await a.request({ type: 'send', roomId: pub, message: `filler ${i}` });
    const doomed = await a.request({ type: 'send', roomId: pub, message: `a ${word} to delete` });
    await a.request({ type: 'delete', roomId: pub, messageId: doomed.messageId });
    await a.request({ type: 'send', roomId: secret, message: `a private ${word}` });
    const newer = await a.request({
      type: 'send',
      roomId: pub,
      message: `${word.toUpperCase()} again`,
    });

    const prefix = word.slice(0, 9);
    const forBob = await search(1, bob, `q=${prefix}`);
    assert.equal(forBob.status, 200);
    assert.deepEqual(
      forBob.body.results.map((h: Message) => h.id),
      [newer.messageId, old.messageId],
    );
    assert.equal(forBob.body.results[1].roomName, 'Open');
    const forAlice = await search(0, alice, `q=${encodeURIComponent(`${word} private`)}`);
    assert.equal(forAlice.body.results.length, 1);
    const page1 = await search(2, alice, `q=${word}&limit=2`);
    assert.equal(page1.body.results.length, 2);
    assert.equal(typeof page1.body.next, 'string');
    const page2 = await search(
      2,
      alice,
      `q=${word}&limit=2&before=${encodeURIComponent(page1.body.next)}`,
    );
    assert.deepEqual(
      page2.body.results.map((h: Message) => h.id),
      [old.messageId],
    );
    assert.equal(page2.body.next, undefined);
    const inRoom = await search(0, bob, `q=${word}&roomId=${secret}`);
    assert.equal(inRoom.status, 404);
    assert.equal(inRoom.body.error.code, 'room_not_found');
    const anonymous = await search(0, null, `q=${word}`);
    assert.equal(anonymous.body.results.length, 2);
    for (const bad of ['', 'q=', 'q=%20!!', `q=${word}&limit=51`, `q=${word}&before=nonsense`]) {
      const answer = await search(0, alice, bad);
      assert.equal(answer.status, 400, bad);
      assert.equal(answer.body.error.code, 'invalid_request');
    }
    await a.close();
  });
}

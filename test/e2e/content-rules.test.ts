import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { call, createRoom, signup } from '../support/http.js';
import { type ConfabProcess, removeDataDir, startConfab } from '../support/server.js';
import { TestClient } from '../support/ws-client.js';

/** A user joined to a new room of their own, ready to send. */
async function sender(server: ConfabProcess) {
  const user = await signup(server.url);
  const roomId = await createRoom(server.url, user.token);
  const client = await TestClient.connect(server.wsUrl, { token: user.token });
  await client.request({ type: 'join', roomId });
  const chat = async () =>
    (await call(server.url, 'GET', `/api/room/${roomId}/messages`)).body.filter(
      (m: { type: string }) => m.type === 'chat',
    ) as Array<{ message: string }>;
  return { client, roomId, chat };
}

// These servers run with RATE_LIMITS=off (the tests' default): content rules stay on regardless.
describe('content rules: WORD_FILTER=mask (the default), MAX_LINKS, DENIED_DOMAINS', () => {
  let server: ConfabProcess;

  before(async () => {
    server = await startConfab({ DENIED_DOMAINS: 'spam.example, Bad.Test' });
  });
  after(async () => {
    await server.stop();
    removeDataDir(server);
  });

  it('stores and delivers listed words masked, look-alike spellings included', async () => {
    const { client, roomId, chat } = await sender(server);
    const sent = ['what the fuck', 'sh1t happens', 'ｆｕｃｋ this', 'Scunthorpe classic'];
    for (const message of sent) {
      assert.equal((await client.request({ type: 'send', roomId, message })).type, 'ack');
    }
    const live = (await client.messages(roomId, 4)).map((m) => m.message);
    const expected = ['what the ****', '**** happens', '**** this', 'Scunthorpe classic'];
    assert.deepEqual(live, expected);
    assert.deepEqual(
      (await chat()).map((m) => m.message),
      expected,
      'history holds the masked text',
    );
    await client.close();
  });

  it('refuses more than MAX_LINKS links with message_rejected, storing nothing', async () => {
    const { client, roomId, chat } = await sender(server);
    const three = 'see https://a.example/1 and b.com and www.c.org';
    assert.equal((await client.request({ type: 'send', roomId, message: three })).type, 'ack');
    const four = `${three} and d.de`;
    const refused = await client.request({ type: 'send', roomId, message: four });
    assert.equal(refused.code, 'message_rejected');
    assert.match(refused.message as string, /at most 3 links/);
    assert.equal((await chat()).length, 1);
    await client.close();
  });

  it('refuses links to denied domains and their subdomains, with or without a scheme', async () => {
    const { client, roomId, chat } = await sender(server);
    for (const message of [
      'cheap at www.spam.example/offer',
      'go to https://x.bad.test',
      'SPAM.EXAMPLE',
    ]) {
      const refused = await client.request({ type: 'send', roomId, message });
      assert.equal(refused.code, 'message_rejected', message);
      assert.match(refused.message as string, /denied domains/);
    }
    assert.equal(
      (
        await client.request({
          type: 'send',
          roomId,
          message: 'notspam.example and bad.testing.com are fine',
        })
      ).type,
      'ack',
    );
    assert.equal((await chat()).length, 1);
    await client.close();
  });
});

describe('content rules: WORD_FILTER=reject', () => {
  let server: ConfabProcess;

  before(async () => {
    server = await startConfab({ WORD_FILTER: 'reject' });
  });
  after(async () => {
    await server.stop();
    removeDataDir(server);
  });

  it('refuses a listed word with message_rejected naming the word filter, storing nothing', async () => {
    const { client, roomId, chat } = await sender(server);
    const refused = await client.request({ type: 'send', roomId, message: 'you b1tch' });
    assert.equal(refused.code, 'message_rejected');
    assert.match(refused.message as string, /word filter/);
    assert.equal((await client.request({ type: 'send', roomId, message: 'sorry' })).type, 'ack');
    assert.deepEqual(
      (await chat()).map((m) => m.message),
      ['sorry'],
    );
    await client.close();
  });

  it('answers message_rejected over HTTP-shaped errors too: 422 in the catalogue', async () => {
    const { ERROR_CATALOGUE } = await import('../../src/core/errors.js');
    assert.equal(ERROR_CATALOGUE.message_rejected.status, 422);
  });
});

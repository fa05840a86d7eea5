import assert from 'node:assert/strict';
import { createRoom, signup } from './http.js';
import { type Frame, TestClient } from './ws-client.js';

/** A signed-up user connected to a fresh room of its own, ready to type commands. */
export async function roomWithClient(
  url: string,
  wsUrl: string,
): Promise<{ client: TestClient; roomId: string; token: string }> {
  const user = await signup(url, 'cmd');
  const roomId = await createRoom(url, user.token);
  const client = await TestClient.connect(wsUrl, { token: user.token });
  await client.request({ type: 'join', roomId });
  return { client, roomId, token: user.token };
}

let sends = 0;

/** Sends a command and waits for its ack; returns the send's id. */
export async function sendCommand(
  client: TestClient,
  roomId: string,
  text: string,
): Promise<string> {
  const id = `cmd-${++sends}`;
  const ack = await client.request({ type: 'send', roomId, message: text, id });
  assert.equal(ack.type, 'ack', `the command is stored and acked: ${JSON.stringify(ack)}`);
  return id;
}

/** The next bot or failed message of the room. */
export async function botMessage(
  client: TestClient,
  roomId: string,
  timeoutMs = 10_000,
): Promise<Record<string, unknown>> {
  const frame = await client.next(
    (f) =>
      f.type === 'message' &&
      (f.data as { roomId: string; type: string }).roomId === roomId &&
      ['bot', 'failed'].includes((f.data as { type: string }).type),
    timeoutMs,
  );
  return frame.data as Record<string, unknown>;
}

/** The error frame that answers the send `id` (after its ack). */
export function errorFor(client: TestClient, id: string, timeoutMs = 10_000): Promise<Frame> {
  return client.next((f) => f.type === 'error' && f.id === id, timeoutMs);
}

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { freePort } from '../support/free-port.js';
import { call, signup } from '../support/http.js';
import { type ConfabProcess, removeDataDir, startConfab } from '../support/server.js';
import { TestClient } from '../support/ws-client.js';
import {
  confirmedTexts,
  createRoomInUi,
  launchBrowser,
  messageBox,
  openRoom,
  openViewer,
  screenshot,
  send,
  shownSeqs,
  signUp,
  skipReason,
  uniqueName,
  type Viewer,
  WAIT_MS,
  waitForMessage,
} from './harness.js';

/** Reconnecting waits up to 5 s between attempts; give a restart two of them. */
const RECONNECT_MS = WAIT_MS + 5_000;

describe('the web client across a server restart', { skip: skipReason() }, () => {
  let server: ConfabProcess;
  let browser: Browser;
  const viewers: Viewer[] = [];

  before(async () => {
    // The page must find the server again at the same address: a fixed port, chosen free.
    const port = await freePort();
    [server, browser] = await Promise.all([startConfab({ PORT: String(port) }), launchBrowser()]);
  });
  after(async () => {
    for (const viewer of viewers) {
      assert.deepEqual(viewer.errors, [], 'no page errors, console errors or dialogs');
    }
    await browser?.close();
    await server?.stop();
    if (server) removeDataDir(server);
  });

  it('reconnects by itself and carries on, losing and repeating nothing', {
    timeout: 120_000,
  }, async () => {
    const alice = await openViewer(browser, server.url);
    const bob = await openViewer(browser, server.url, { dark: true });
    viewers.push(alice, bob);
    await signUp(alice.page, uniqueName('alice'));
    await signUp(bob.page, uniqueName('bob'));
    await createRoomInUi(alice.page, 'Resilience');
    const roomId = decodeURIComponent(alice.page.url().split('#/room/')[1] ?? '');
    await openRoom(bob.page, 'Resilience');
    await bob.page.getByRole('button', { name: 'Join room' }).click();
    await messageBox(bob.page).waitFor();
    await send(alice.page, 'before the restart');
    await send(bob.page, 'me too, before it');
    await waitForMessage(alice.page, 'me too, before it');
    await waitForMessage(bob.page, 'before the restart');

    // The server goes away: both pages say so.
    await server.stop();
    for (const { page } of [alice, bob]) {
      await page.getByTestId('connection-banner').waitFor();
      // Nobody can be known to be online while the client cannot hear from the server.
      await page.locator('.member--online').first().waitFor({ state: 'detached' });
      assert.doesNotMatch(
        (await page.locator('.conversation-title p').textContent()) ?? '',
        /online/,
      );
    }
    // Alice writes anyway: her message waits, shown as pending.
    await send(alice.page, 'written while the server was down');
    await alice.page
      .locator('.msg[data-status="sending"]', { hasText: 'written while the server was down' })
      .getByText('Waiting for the connection…')
      .waitFor();
    await screenshot(alice.page, '14-reconnecting-light');
    await screenshot(bob.page, '15-reconnecting-dark');

    // Same port, same data. Someone else speaks as soon as it is up, maybe before the pages are back.
    server = await startConfab({ ...server.env });
    const carol = await signup(server.url, 'carol');
    const carolSocket = await TestClient.connect(server.wsUrl, { token: carol.token });
    await carolSocket.request({ type: 'join', roomId });
    for (let i = 1; i <= 3; i++) {
      await carolSocket.request({ type: 'send', roomId, message: `while you were away ${i}` });
    }
    await carolSocket.close();

    for (const { page } of [alice, bob]) {
      await page
        .getByTestId('connection-banner')
        .waitFor({ state: 'hidden', timeout: RECONNECT_MS });
      await waitForMessage(page, 'while you were away 3');
      await waitForMessage(page, 'written while the server was down');
    }
    await send(bob.page, 'after the restart');
    await waitForMessage(alice.page, 'after the restart');
    // Bob's own copy comes on his socket, maybe after Alice's: the checks below read each page once.
    await waitForMessage(bob.page, 'after the restart');

    // Each page shows exactly what the server stored: every seq once, in order.
    const history = await call(server.url, 'GET', `/api/room/${roomId}/messages?limit=200`, {
      token: carol.token,
    });
    assert.equal(history.status, 200);
    const stored = history.body as Array<{ seq: number; type: string; message: string }>;
    const storedTexts = stored.filter((m) => m.type === 'chat').map((m) => m.message);
    // Alice's retry and Carol's messages race each other; each is stored once either way.
    assert.deepEqual([...storedTexts].sort(), [
      'after the restart',
      'before the restart',
      'me too, before it',
      'while you were away 1',
      'while you were away 2',
      'while you were away 3',
      'written while the server was down',
    ]);
    for (const { page } of [alice, bob]) {
      assert.deepEqual(
        await shownSeqs(page),
        stored.map((m) => m.seq),
      );
      assert.deepEqual(await confirmedTexts(page), storedTexts);
      assert.equal(await page.locator('.msg--pending').count(), 0, 'nothing left pending');
    }
    await screenshot(alice.page, '16-after-restart');
  });
});

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { call, createRoom, signup } from '../support/http.js';
import { type ConfabProcess, removeDataDir, startConfab } from '../support/server.js';
import { TestClient } from '../support/ws-client.js';
import {
  chatMessages,
  confirmedTexts,
  createRoomInUi,
  eventually,
  FAKE_NOTIFICATIONS,
  launchBrowser,
  messageBox,
  openRoom,
  openViewer,
  PHONE,
  screenshot,
  seedRoom,
  send,
  shownSeqs,
  signUp,
  skipReason,
  uniqueName,
  type Viewer,
  waitForMessage,
} from './harness.js';

/** Each test's deadline: a hang fails the test instead of stalling the run. */
const LIMIT = { timeout: 90_000 };

/** A few lines for the rooms that tests only visit. */
const CONVERSATION: Array<[0 | 1, string]> = [
  [0, 'Has anyone started the new chapter?'],
  [1, 'Halfway through. The twist at the lighthouse!'],
  [1, 'No spoilers past page 120, please!'],
  [0, 'Deal. Notes are here: https://example.org/notes'],
];

describe('the web client in Chromium', { skip: skipReason() }, () => {
  let server: ConfabProcess;
  let browser: Browser;
  const viewers: Viewer[] = [];

  const open = async (options: Parameters<typeof openViewer>[2] = {}) => {
    const viewer = await openViewer(browser, server.url, options);
    viewers.push(viewer);
    return viewer;
  };

  before(async () => {
    [server, browser] = await Promise.all([startConfab(), launchBrowser()]);
  });
  after(async () => {
    for (const viewer of viewers) {
      assert.deepEqual(viewer.errors, [], 'no page errors, console errors or dialogs');
    }
    await browser?.close();
    await server?.stop();
    if (server) removeDataDir(server);
  });

  it('serves the client at / and keeps JSON 404s under /api', LIMIT, async () => {
    const page = await fetch(`${server.url}/`);
    assert.equal(page.status, 200);
    assert.match(page.headers.get('content-type') ?? '', /text\/html/);
    assert.match(page.headers.get('content-security-policy') ?? '', /script-src 'self'/);
    const missing = await call(server.url, 'GET', '/api/nothing-here');
    assert.equal(missing.status, 404);
    assert.equal(missing.body.error.code, 'not_found');
  });

  it('lets two people sign up, see a new room appear live, join it and chat', LIMIT, async () => {
    const alice = await open();
    const bob = await open({ dark: true });
    await screenshot(alice.page, '01-sign-in');
    const aliceName = uniqueName('alice');
    const bobName = uniqueName('bob');
    await signUp(alice.page, aliceName);
    await signUp(bob.page, bobName);

    await createRoomInUi(alice.page, 'Lounge', 'public', () =>
      screenshot(alice.page, '02-new-room-dialog'),
    );

    // Bob did nothing: the room arrives over his socket.
    await bob.page.getByRole('navigation').getByRole('link', { name: 'Lounge' }).waitFor();
    await openRoom(bob.page, 'Lounge');
    await bob.page.getByRole('button', { name: 'Join room' }).click();
    await messageBox(bob.page).waitFor();
    await alice.page.getByRole('log').getByText(`${bobName} joined the room`).waitFor();

    await send(alice.page, 'Hello Bob, welcome to the lounge');
    await waitForMessage(bob.page, 'Hello Bob, welcome to the lounge');
    // Bob types: Alice sees it, then his message.
    await messageBox(bob.page).pressSequentially('Hi Al');
    await alice.page.getByText(`${bobName} is typing…`).waitFor();
    await messageBox(bob.page).pressSequentially('ice! Docs are at https://example.com/guide.');
    await messageBox(bob.page).press('Enter');
    await waitForMessage(alice.page, 'Hi Alice! Docs are at https://example.com/guide.');
    await alice.page.getByText(`${bobName} is typing…`).waitFor({ state: 'hidden' });

    // Own messages are marked as one's own; the link is a safe anchor.
    await alice.page.locator('.msg--own[data-status="sent"]').first().waitFor();
    const link = alice.page
      .getByRole('log')
      .getByRole('link', { name: 'https://example.com/guide' });
    assert.equal(await link.getAttribute('href'), 'https://example.com/guide');
    assert.equal(await link.getAttribute('rel'), 'noopener noreferrer nofollow');
    assert.equal(await link.getAttribute('target'), '_blank');

    await send(alice.page, 'Multi-line messages\nkeep their lines');
    await waitForMessage(bob.page, 'Multi-line messages\nkeep their lines');
    // The member list shows both, online.
    const members = alice.page.getByRole('complementary', { name: /Members/ });
    await members.getByText(bobName).waitFor();
    assert.match((await members.textContent()) ?? '', /2 online/);

    await screenshot(alice.page, '03-conversation-desktop-light');
    await screenshot(bob.page, '04-conversation-desktop-dark');
    assert.deepEqual(await confirmedTexts(bob.page), await confirmedTexts(alice.page));
  });

  it('keeps a private room invisible to everyone but its members', LIMIT, async () => {
    const alice = await open();
    const bob = await open();
    await signUp(alice.page, uniqueName('alice'));
    const bobName = uniqueName('bob');
    await signUp(bob.page, bobName);

    await createRoomInUi(alice.page, 'Secret plans', 'private');
    const url = alice.page.url();
    await send(alice.page, 'nobody else can read this');
    await waitForMessage(alice.page, 'nobody else can read this');
    await alice.page
      .getByRole('navigation')
      .locator('[data-section="private"]')
      .getByRole('link', { name: /Secret plans/ })
      .waitFor();

    // A public room made after it does reach Bob, so he has had every chance to hear of the private one.
    await createRoomInUi(alice.page, 'Open house');
    await bob.page.getByRole('navigation').getByRole('link', { name: 'Open house' }).waitFor();
    await bob.page.reload();
    await bob.page.getByRole('navigation').getByRole('link', { name: 'Open house' }).waitFor();
    assert.equal(await bob.page.getByText('Secret plans').count(), 0);

    // Even its address shows nothing.
    await bob.page.goto(url);
    await bob.page.getByRole('heading', { name: 'Room not found' }).waitFor();
    assert.equal(await bob.page.getByText('nobody else can read this').count(), 0);
    await screenshot(bob.page, '05-private-room-not-found');

    // Once Alice adds him, it is his too.
    await openRoom(alice.page, 'Secret plans');
    await alice.page.getByLabel('Add someone by username').fill(bobName);
    await alice.page.getByRole('button', { name: 'Add', exact: true }).click();
    await alice.page.getByText(`${bobName} can now see this room.`).waitFor();
    await screenshot(alice.page, '06-private-room-members');
    await bob.page.reload();
    await openRoom(bob.page, 'Secret plans');
    await waitForMessage(bob.page, 'nobody else can read this');
  });

  it('shows markup as text: an XSS payload stays inert', LIMIT, async () => {
    const alice = await open();
    const bob = await open();
    await signUp(alice.page, uniqueName('alice'));
    await signUp(bob.page, uniqueName('bob'));
    const payloads = [
      '<img src=x onerror=alert(1)>',
      '<img src=x onerror="window.__xss=1">',
      '<script>alert(2)</script>',
      '"><svg onload=alert(3)>',
      'javascript:alert(4) and [click](javascript:alert(5))',
    ];
    await createRoomInUi(alice.page, '<b>bold</b> room');
    await openRoom(bob.page, '<b>bold</b> room');
    await bob.page.getByRole('button', { name: 'Join room' }).click();
    await messageBox(bob.page).waitFor();
    for (const payload of payloads) await send(bob.page, payload);
    for (const payload of payloads) await waitForMessage(alice.page, payload);

    for (const page of [alice.page, bob.page]) {
      const log = page.getByRole('log');
      assert.equal(await log.locator('img, script, svg:not([aria-hidden]), b').count(), 0);
      assert.equal(await log.getByRole('link').count(), 0, 'javascript: never becomes a link');
      const injected = await page.evaluate('typeof window.__xss');
      assert.equal(injected, 'undefined');
    }
    await screenshot(alice.page, '07-xss-inert');
  });

  it('loads older pages as the reader scrolls up, with no gap and no repeat', LIMIT, async () => {
    const owner = await signup(server.url, 'seed');
    const roomId = await createRoom(server.url, owner.token, { name: 'Archive' });
    const writer = await TestClient.connect(server.wsUrl, { token: owner.token });
    await writer.request({ type: 'join', roomId });
    const total = 130;
    for (let i = 1; i <= total; i++) {
      writer.send({ type: 'send', roomId, message: `archived ${i}`, id: `seed-${i}` });
    }
    await writer.messages(roomId, total);
    await writer.close();

    const reader = await open();
    await signUp(reader.page, uniqueName('reader'));
    await openRoom(reader.page, 'Archive');
    await waitForMessage(reader.page, `archived ${total}`);
    // The newest page first, not the whole room.
    const first = await shownSeqs(reader.page);
    assert.ok(first.length < total, `only a page is loaded at first (${first.length})`);
    assert.equal(first.at(-1), total + 1, 'the newest message is shown');

    const log = reader.page.getByRole('log');
    await eventually(
      'the beginning of the room',
      async () => {
        await log.evaluate((el) => {
          el.scrollTop = 0;
        });
        return reader.page.getByText('This is the very beginning of Archive.').count();
      },
      (count) => count === 1,
    );
    const seqs = await shownSeqs(reader.page);
    assert.deepEqual(
      seqs,
      Array.from({ length: total + 1 }, (_, i) => i + 1),
      'every seq once, in order',
    );
    const texts = await confirmedTexts(reader.page);
    assert.deepEqual(
      texts,
      Array.from({ length: total }, (_, i) => `archived ${i + 1}`),
    );
    await log.evaluate((el) => {
      el.scrollTop = 0;
    });
    await screenshot(reader.page, '08-history-beginning');
  });

  it(
    'lets a guest in, keeps them signed in across a reload, and signs them out',
    LIMIT,
    async () => {
      await seedRoom(server, 'Book club', CONVERSATION);
      const guest = await open({ viewport: PHONE });
      await guest.page.getByRole('button', { name: 'Continue as a guest' }).click();
      await guest.page.getByRole('button', { name: 'Sign out' }).waitFor();
      const name = await guest.page.locator('.account-name').textContent();
      await screenshot(guest.page, '09-phone-room-list');

      await guest.page.reload();
      await guest.page.getByRole('button', { name: 'Sign out' }).waitFor();
      assert.equal(await guest.page.locator('.account-name').textContent(), name);

      await openRoom(guest.page, 'Book club');
      await guest.page.getByRole('button', { name: 'Join room' }).click();
      await send(guest.page, 'A guest says hello from a phone');
      await waitForMessage(guest.page, 'A guest says hello from a phone');
      await screenshot(guest.page, '10-phone-conversation');
      // Back to the list on a phone, then out.
      await guest.page.getByRole('link', { name: 'All rooms' }).click();
      await guest.page.getByRole('button', { name: 'Sign out' }).click();
      // A guest is asked first: the account cannot be signed into again.
      await guest.page
        .getByRole('dialog', { name: /Sign out/ })
        .getByRole('button', { name: 'Sign out' })
        .click();
      await guest.page.getByRole('button', { name: 'Continue as a guest' }).waitFor();
      await guest.page.reload();
      await guest.page.getByRole('button', { name: 'Continue as a guest' }).waitFor();
    },
  );

  it('works from the keyboard alone, in the dark, at 375 px', LIMIT, async () => {
    await seedRoom(server, 'Night owls', CONVERSATION);
    const viewer = await open({ viewport: PHONE, dark: true });
    const name = uniqueName('keys');
    const { page } = viewer;
    // Tab to the "Create account" switch and on to the fields; Enter submits.
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await page.keyboard.press('Tab');
    await page.keyboard.type(name);
    await page.keyboard.press('Tab');
    await page.keyboard.type('correct horse battery');
    await page.keyboard.press('Enter');
    await page.getByRole('button', { name: 'Sign out' }).waitFor();

    await page.getByRole('navigation').getByRole('link', { name: 'Night owls' }).focus();
    await page.keyboard.press('Enter');
    // The button is disabled until the membership check answers; a keypress then would be lost.
    await page.getByRole('button', { name: 'Join room', disabled: false }).focus();
    await page.keyboard.press('Enter');
    await messageBox(page).focus();
    await page.keyboard.type('typed without a mouse');
    await page.keyboard.press('Enter');
    await waitForMessage(page, 'typed without a mouse');
    await page.getByRole('button', { name: 'Members' }).focus();
    await screenshot(page, '11-phone-dark-keyboard-focus');
    await page.keyboard.press('Enter');
    await page
      .getByRole('complementary', { name: /Members/ })
      .getByText(name)
      .waitFor();
    await screenshot(page, '12-phone-dark-members');
  });

  it('notifies of new messages while the tab is hidden, once allowed', LIMIT, async () => {
    const roomId = await seedRoom(server, 'Notified', [[0, 'first']]);
    const viewer = await open();
    const { page } = viewer;
    // Headless Chromium shows no notifications: record them instead, and let the test hide the tab.
    await page.addInitScript(FAKE_NOTIFICATIONS);
    await page.reload();
    await signUp(page, uniqueName('nina'));
    await openRoom(page, 'Notified');
    await page.getByRole('button', { name: 'Join room' }).click();
    await messageBox(page).waitFor();
    const bell = page.getByRole('button', { name: 'Notifications', exact: true });
    await bell.click();
    assert.equal(await bell.getAttribute('aria-pressed'), 'true');

    const other = await signup(server.url, 'otto');
    const socket = await TestClient.connect(server.wsUrl, { token: other.token });
    await socket.request({ type: 'join', roomId });
    await socket.request({ type: 'send', roomId, message: 'seen while looking' });
    await waitForMessage(page, 'seen while looking');
    await page.evaluate('window.__hidden = true');
    await socket.request({ type: 'send', roomId, message: 'sent while away' });
    await socket.close();
    const shown = await eventually(
      'a notification',
      () => page.evaluate('window.__notifications'),
      (list) => Array.isArray(list) && list.length > 0,
    );
    assert.deepEqual(shown, [{ title: 'Notified', body: `${other.name}: sent while away` }]);
  });

  it(
    'shows a rate limit beside the message box and sends the held-back message when allowed',
    LIMIT,
    async () => {
      const limited = await startConfab({
        RATE_LIMITS: 'on',
        MESSAGE_RATE: '0.5',
        MESSAGE_BURST: '2',
      });
      const viewer = await openViewer(browser, limited.url);
      viewers.push(viewer);
      try {
        const { page } = viewer;
        await signUp(page, uniqueName('fast'));
        await createRoomInUi(page, '');
        for (const text of ['one', 'two', 'three']) await send(page, text);
        const alert = page.locator('.composer').getByRole('alert');
        await alert.getByText("You're sending messages too fast.").waitFor();
        // The held message may already be on its way again: find it by its text, not its status.
        const clientId = await chatMessages(page)
          .filter({ hasText: /^three$/ })
          .first()
          .getAttribute('data-client-id');
        assert.ok(clientId);
        await screenshot(page, '13-rate-limited');
        // No click: the held message goes out by itself once the server allows it.
        await page.locator(`.msg[data-status="sent"][data-client-id="${clientId}"]`).waitFor();
        await alert.waitFor({ state: 'detached' });
        assert.deepEqual(await confirmedTexts(page), ['one', 'two', 'three']);
        assert.equal(await chatMessages(page).count(), 3);
      } finally {
        // The page goes first, so that it does not watch its server shut down.
        await viewer.context.close();
        await limited.stop();
        removeDataDir(limited);
      }
    },
  );
});

/// <reference lib="dom" />
// The functions passed to page.evaluate run in the browser.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Locator, Page } from 'playwright-core';
import { createRoom, signup } from '../support/http.js';
import { type ConfabProcess, removeDataDir, startConfab } from '../support/server.js';
import { TestClient } from '../support/ws-client.js';
import {
  confirmedTexts,
  createRoomInUi,
  eventually,
  joinRooms,
  launchBrowser,
  messageBox,
  openRoom,
  openViewer,
  PHONE,
  say,
  screenshot,
  seedRoom,
  send,
  signInAs,
  signUp,
  skipReason,
  uniqueName,
  type Viewer,
  waitForMessage,
} from './harness.js';

/** Each test's deadline: a hang fails the test; a loaded machine takes its time. */
const LIMIT = { timeout: 90_000 };

/** Whether the element lies wholly inside the log's visible area. */
async function inView(log: Locator, item: Locator): Promise<boolean> {
  const [view, box] = await Promise.all([log.boundingBox(), item.boundingBox()]);
  if (!view || !box) return false;
  return box.y >= view.y - 1 && box.y + box.height <= view.y + view.height + 1;
}

/** What has the keyboard focus: its tag, its text or label, and its id. */
function focused(page: Page) {
  return page.evaluate(() => {
    const el = document.activeElement;
    return {
      tag: el?.tagName.toLowerCase(),
      id: el?.id || undefined,
      label: el?.getAttribute('aria-label') ?? undefined,
      text: el?.tagName === 'A' ? el.textContent : undefined,
    };
  });
}

describe('the web client in a conversation', { skip: skipReason() }, () => {
  let server: ConfabProcess;
  let browser: Browser;
  const viewers: Viewer[] = [];

  const open = async (options: Parameters<typeof openViewer>[2] = {}, url = server.url) => {
    const viewer = await openViewer(browser, url, options);
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

  it("keeps each room's draft while the user switches rooms", LIMIT, async () => {
    const { page } = await open();
    await signUp(page, uniqueName('drafter'));
    await createRoomInUi(page, 'Drafts one');
    await messageBox(page).fill('half a thought for one');
    await createRoomInUi(page, 'Drafts two');
    assert.equal(await messageBox(page).inputValue(), '');
    await messageBox(page).fill('another for two');
    const draft = (expected: string) =>
      eventually(
        'the draft',
        () => messageBox(page).inputValue(),
        (v) => v === expected,
      );
    await openRoom(page, 'Drafts one');
    await draft('half a thought for one');
    await openRoom(page, 'Drafts two');
    await draft('another for two');
    // Sending empties the draft for good.
    await messageBox(page).press('Enter');
    await waitForMessage(page, 'another for two');
    await openRoom(page, 'Drafts one');
    await draft('half a thought for one');
    await openRoom(page, 'Drafts two');
    await draft('');
  });

  it('opens a room at its first unread message, below a divider', LIMIT, async () => {
    const me = await signup(server.url, 'back');
    const other = await signup(server.url, 'chatty');
    const roomId = await createRoom(server.url, other.token, { name: 'Catch up' });
    await say(server, other.token, roomId, ['read long ago']);
    await joinRooms(server, me.token, [roomId]);
    const unread = Array.from({ length: 70 }, (_, i) => `catch-up ${i + 1}`);
    await say(server, other.token, roomId, unread);

    const { page } = await open();
    await signInAs(page, me);
    await openRoom(page, 'Catch up');
    const log = page.getByRole('log');
    const divider = log.getByRole('separator', { name: 'New messages' });
    await divider.waitFor();
    const after = await divider.evaluate(
      (el) => el.nextElementSibling?.querySelector('.bubble')?.textContent,
    );
    assert.equal(after, 'catch-up 1', 'the divider sits just above the first unread message');
    const first = log.locator('.bubble', { hasText: /^catch-up 1$/ });
    await eventually('the first unread message in view', () => inView(log, first), Boolean);
    assert.equal(await inView(log, divider), true, 'the divider is in view');
    const newest = log.locator('.bubble', { hasText: /^catch-up 70$/ });
    assert.equal(await inView(log, newest), false, 'the room did not open at its newest message');
    await screenshot(page, '22-unread-divider');
  });

  it('asks before a guest signs out and before anyone leaves a room', LIMIT, async () => {
    const { page } = await open();
    await page.getByRole('button', { name: 'Continue as a guest' }).click();
    const signOut = page.getByRole('button', { name: 'Sign out' });
    await signOut.click();
    const confirmOut = page.getByRole('dialog', { name: /Sign out/ });
    await confirmOut.getByText(/guest/).first().waitFor();
    await screenshot(page, '23-confirm-guest-sign-out');
    await confirmOut.getByRole('button', { name: 'Cancel' }).click();
    await confirmOut.waitFor({ state: 'hidden' });
    assert.equal(await signOut.count(), 1, 'still signed in after Cancel');

    // A room of someone else's: its owner could not leave it.
    const host = await signup(server.url, 'host');
    await createRoom(server.url, host.token, { name: 'Leaving soon' });
    await openRoom(page, 'Leaving soon');
    await page.getByRole('button', { name: 'Join room', disabled: false }).click();
    await messageBox(page).waitFor();
    await page.locator('.conversation-head').getByRole('button', { name: 'Leave' }).click();
    const confirmLeave = page.getByRole('dialog', { name: /Leave Leaving soon/ });
    await confirmLeave.waitFor();
    await screenshot(page, '24-confirm-leave');
    await page.keyboard.press('Escape');
    await confirmLeave.waitFor({ state: 'hidden' });
    await messageBox(page).waitFor();
    await page.locator('.conversation-head').getByRole('button', { name: 'Leave' }).click();
    await confirmLeave.getByRole('button', { name: 'Leave room' }).click();
    await page.getByRole('button', { name: 'Join room' }).waitFor();

    await signOut.click();
    await confirmOut.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('button', { name: 'Continue as a guest' }).waitFor();
  });

  it('updates a previewed room live, with who is online', LIMIT, async () => {
    const owner = await signup(server.url, 'host');
    const friend = await signup(server.url, 'friend');
    const roomId = await createRoom(server.url, owner.token, { name: 'Window shopping' });
    const socket = await TestClient.connect(server.wsUrl, { token: friend.token });
    await socket.request({ type: 'join', roomId });

    const { page } = await open();
    await signUp(page, uniqueName('looker'));
    await openRoom(page, 'Window shopping');
    await page.getByRole('button', { name: 'Join room', disabled: false }).waitFor();
    const subtitle = page.locator('.conversation-title p');
    await eventually(
      'one online',
      async () => (await subtitle.textContent()) ?? '',
      (t) => /2 members · 1 online/.test(t),
    );
    await socket.request({ type: 'send', roomId, message: 'live while you look' });
    await waitForMessage(page, 'live while you look');
    await socket.close();
    await eventually(
      'nobody online',
      async () => (await subtitle.textContent()) ?? '',
      (t) => /0 online/.test(t),
    );
  });

  it('gives messages a structure to move through by keyboard', LIMIT, async () => {
    await seedRoom(server, 'Structure', [
      [0, 'First, see https://example.org/one'],
      [1, 'Then https://example.org/two and https://example.org/three'],
      [0, 'Plain words last'],
    ]);
    const { page } = await open();
    const name = uniqueName('keys');
    await signUp(page, name);
    await openRoom(page, 'Structure');
    await page.getByRole('button', { name: 'Join room', disabled: false }).click();
    await messageBox(page).waitFor();
    await waitForMessage(page, 'Plain words last');
    const log = page.getByRole('log');
    await log.getByText(`${name} joined the room`).waitFor();
    const articles = log.getByRole('article');
    const labels = await articles.evaluateAll((nodes) =>
      nodes.map((n) => n.getAttribute('aria-label') ?? ''),
    );
    // Three messages and the notices of who joined, each labelled with its author and time.
    assert.equal(await log.locator('article.msg').count(), 3);
    for (const label of labels) assert.match(label, /^(maya|theo|keys)\S*, .*\d{1,2}:\d{2}/);

    // The history's links are not Tab stops: Tab goes from the list to the message box.
    await log.focus();
    await page.keyboard.press('Tab');
    assert.equal((await focused(page)).id, 'composer-input');
    await page.keyboard.press('Shift+Tab');
    assert.equal((await focused(page)).label, 'Messages in Structure');

    // Arrows move from message to message; Tab then reaches that message's links and actions only.
    await page.keyboard.press('ArrowUp');
    assert.equal((await focused(page)).label, labels.at(-1));
    await page.keyboard.press('ArrowUp');
    assert.equal((await focused(page)).label, labels.at(-2));
    await page.keyboard.press('ArrowUp');
    const third = await focused(page);
    assert.equal(third.tag, 'article');
    assert.equal(third.label, labels.at(-3));
    assert.match(third.label ?? '', /^theo/);
    await page.keyboard.press('Tab');
    assert.equal((await focused(page)).text, 'https://example.org/two');
    await page.keyboard.press('Tab');
    assert.equal((await focused(page)).text, 'https://example.org/three');
    // Then that message's actions (someone else's: react and reply), then the message box.
    await page.keyboard.press('Tab');
    assert.equal((await focused(page)).label, 'Add reaction');
    await page.keyboard.press('Tab');
    assert.equal((await focused(page)).label, 'Reply');
    await page.keyboard.press('Tab');
    assert.equal((await focused(page)).id, 'composer-input');
    await log.focus();
    await page.keyboard.press('Home');
    assert.equal((await focused(page)).label, labels[0]);
    await page.keyboard.press('ArrowDown');
    assert.equal((await focused(page)).label, labels[1]);
    await page.keyboard.press('End');
    assert.equal((await focused(page)).label, labels.at(-1));
  });

  it('counts a rate limit down and sends every held message by itself', LIMIT, async () => {
    const limited = await startConfab({
      RATE_LIMITS: 'on',
      MESSAGE_RATE: '0.5',
      MESSAGE_BURST: '2',
    });
    const viewer = await open({ viewport: PHONE }, limited.url);
    try {
      const { page } = viewer;
      await signUp(page, uniqueName('hasty'));
      await createRoomInUi(page, 'Hurry');
      const texts = ['one', 'two', 'three', 'four', 'five'];
      for (const text of texts) await send(page, text);
      const notice = page.locator('.composer').getByRole('alert');
      await notice.waitFor();
      await screenshot(page, '25-rate-limit-countdown-phone');
      const seen = new Set<string>();
      await eventually(
        'every held message sent, with no click',
        async () => {
          const alerts = await page.getByRole('alert').allInnerTexts();
          assert.ok(alerts.length <= 1, `one notice, not one per message: ${alerts.join(' | ')}`);
          const countdown = alerts[0]?.match(/(\d+) s/)?.[1];
          if (countdown) seen.add(countdown);
          return confirmedTexts(page);
        },
        (shown) => shown.length === texts.length,
        20_000,
      );
      assert.deepEqual(await confirmedTexts(page), texts, 'in the order written');
      assert.ok(seen.size >= 2, `the wait counted down (${[...seen].join(', ')})`);
      await notice.waitFor({ state: 'hidden' });
    } finally {
      await viewer.context.close();
      await limited.stop();
      removeDataDir(limited);
    }
  });

  it('applies batched presence in a big room', LIMIT, async () => {
    const batched = await startConfab({ PRESENCE_BATCH_ABOVE: '0', PRESENCE_BATCH_MS: '50' });
    const viewer = await open({}, batched.url);
    try {
      const other = await signup(batched.url, 'crowd');
      const roomId = await createRoom(batched.url, other.token, { name: 'Big room' });
      const { page } = viewer;
      await signUp(page, uniqueName('among'));
      await openRoom(page, 'Big room');
      await page.getByRole('button', { name: 'Join room', disabled: false }).click();
      await messageBox(page).waitFor();
      const panel = page.getByRole('complementary', { name: /Members/ });
      const entry = panel.locator('.member', { hasText: other.name });
      await entry.waitFor();
      assert.equal(await entry.getAttribute('class'), 'member', `${other.name} starts offline`);

      const socket = await TestClient.connect(batched.wsUrl, { token: other.token });
      await socket.request({ type: 'join', roomId });
      await panel.locator('.member--online', { hasText: other.name }).waitFor();
      await socket.close();
      await panel.locator('.member:not(.member--online)', { hasText: other.name }).waitFor();
    } finally {
      await viewer.context.close();
      await batched.stop();
      removeDataDir(batched);
    }
  });

  it('looks right on a phone in the dark', LIMIT, async () => {
    await seedRoom(server, 'Dark phone', [
      [0, 'Is this readable at night?'],
      [1, 'Perfectly, and nothing scrolls away'],
    ]);
    const { page } = await open({ viewport: PHONE, dark: true });
    await signUp(page, uniqueName('owl'));
    await openRoom(page, 'Dark phone');
    await waitForMessage(page, 'Perfectly, and nothing scrolls away');
    await screenshot(page, '26-phone-dark-preview');
  });
});

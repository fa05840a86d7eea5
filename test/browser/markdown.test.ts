/// <reference lib="dom" />
// The functions passed to page.evaluate run in the browser.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createRoom, signup } from '../support/http.js';
import { TestClient } from '../support/ws-client.js';
import {
  browserSuite,
  eventually,
  FAKE_NOTIFICATIONS,
  messageBox,
  openRoom,
  PHONE,
  screenshot,
  send,
  signInAs,
  skipReason,
  twoInARoom,
  type Viewer,
  waitForMessage,
} from './harness.js';

const LIMIT = { timeout: 90_000 };

/** The bubble of the confirmed message whose text contains `text`. */
function bubble(viewer: Viewer, text: string) {
  return viewer.page
    .getByRole('log')
    .locator('.msg[data-status="sent"] .bubble', { hasText: text })
    .first();
}

describe('markdown and mentions in the web client', { skip: skipReason() }, () => {
  const suite = browserSuite();

  it(
    'draws markdown, and script, event attributes, javascript: and data: stay inert',
    LIMIT,
    async () => {
      const { a, b } = await twoInARoom(suite, 'Formatting', { bobDark: true });
      const formatted = [
        'Plain **bold**, _italic_, `inline <code>` and ~~gone~~',
        '> a quoted line\n\nand the answer',
        '```\nconst x = "<b>not bold</b>";\n```',
        'See [the docs](https://example.com/docs) or https://example.org/a.',
      ];
      const payloads = [
        '<script>window.__xss = 1</script>',
        '<img src=x onerror="window.__xss=2">',
        '[click me](javascript:window.__xss=3)',
        '<a href="javascript:window.__xss=4">a</a>',
        '[data](data:text/html;base64,PHNjcmlwdD53aW5kb3cuX194c3M9NTwvc2NyaXB0Pg==)',
        '![pic](https://example.com/x.png) ![x](javascript:alert(6)) <javascript:alert(7)>',
        '**<svg onload="window.__xss=8">** `<iframe src="javascript:alert(9)">`',
      ];
      for (const text of [...formatted, ...payloads]) await send(b.page, text);
      await bubble(a, 'iframe').waitFor();

      for (const viewer of [a, b]) {
        const log = viewer.page.getByRole('log');
        const first = bubble(viewer, 'Plain');
        assert.equal(await first.locator('strong').innerText(), 'bold');
        assert.equal(await first.locator('em').innerText(), 'italic');
        assert.equal(await first.locator('code').innerText(), 'inline <code>');
        assert.equal(await first.locator('del').innerText(), 'gone');
        assert.equal(
          await bubble(viewer, 'quoted').locator('blockquote').innerText(),
          'a quoted line',
        );
        assert.equal(
          await bubble(viewer, 'const x').locator('pre code').innerText(),
          'const x = "<b>not bold</b>";',
        );
        const links = bubble(viewer, 'See').getByRole('link');
        assert.deepEqual(
          await links.evaluateAll((nodes) =>
            nodes.map((n) => [
              n.getAttribute('href'),
              n.getAttribute('target'),
              n.getAttribute('rel'),
            ]),
          ),
          [
            ['https://example.com/docs', '_blank', 'noopener noreferrer nofollow'],
            ['https://example.org/a', '_blank', 'noopener noreferrer nofollow'],
          ],
        );

        // Nothing but the formatted messages' two links, and no element a payload names.
        assert.equal(
          await log.locator('script, img, svg:not([aria-hidden]), iframe, b').count(),
          0,
        );
        const hrefs = await log
          .getByRole('link')
          .evaluateAll((nodes) => nodes.map((n) => n.getAttribute('href')));
        assert.equal(hrefs.length, 3, `only http(s) links: ${hrefs.join(' ')}`);
        assert.ok(hrefs.every((href) => href?.startsWith('https://')));
        const handlers = await log.evaluate(
          (el) =>
            [...el.querySelectorAll('*')].filter((n) =>
              n.getAttributeNames().some((a) => a.startsWith('on')),
            ).length,
        );
        assert.equal(handlers, 0, 'no element carries an on… attribute');
        // The payloads show as the characters they are.
        assert.equal(await bubble(viewer, '__xss = 1').innerText(), payloads[0]);
        assert.equal(await bubble(viewer, 'onerror').innerText(), payloads[1]);
        assert.equal(await bubble(viewer, 'click me').innerText(), payloads[2]);
        assert.equal(await bubble(viewer, 'base64').innerText(), payloads[4]);
        assert.equal(await viewer.page.evaluate('typeof window.__xss'), 'undefined');
      }
      await screenshot(a.page, '40-markdown-desktop');
      await screenshot(b.page, '41-markdown-dark');
    },
  );

  it(
    'suggests members after @, picked by keyboard, and marks a mention of the reader',
    LIMIT,
    async () => {
      const { alice, a, b } = await twoInARoom(suite, 'Mentions', {
        bobViewport: PHONE,
        bobDark: true,
      });
      const box = messageBox(b.page);
      await box.click();
      await box.pressSequentially(`Hello @${alice.name.slice(0, 4)}`);
      const menu = b.page.getByRole('listbox', { name: 'People to mention' });
      await menu.waitFor();
      const option = menu.getByRole('option', { name: alice.name });
      assert.equal(await option.getAttribute('aria-selected'), 'true');
      assert.equal(
        await box.getAttribute('aria-activedescendant'),
        await option.getAttribute('id'),
      );
      await screenshot(b.page, '42-mention-suggestions-phone-dark');
      await box.press('Enter');
      await menu.waitFor({ state: 'detached' });
      assert.equal(await box.inputValue(), `Hello @${alice.name} `);
      await box.pressSequentially('are you there?');
      await box.press('Enter');

      const mention = bubble(a, 'are you there?').locator('.mention');
      await mention.waitFor();
      assert.equal(await mention.innerText(), `@${alice.name}`);
      assert.match((await mention.getAttribute('class')) ?? '', /mention--me/);
      // The sender sees the mention, not marked as theirs.
      const sent = bubble(b, 'are you there?').locator('.mention');
      await sent.waitFor();
      assert.doesNotMatch((await sent.getAttribute('class')) ?? '', /mention--me/);
      // Escape closes the menu; typing on opens it again.
      await box.pressSequentially('@');
      await menu.waitFor();
      await box.press('Escape');
      await menu.waitFor({ state: 'detached' });
      await screenshot(a.page, '43-mention-highlighted');
    },
  );

  it(
    'notifies of a room per its level: all, only mentions, or none, kept across a reload',
    LIMIT,
    async () => {
      const { server } = suite;
      const alice = await signup(server.url, 'alice');
      const roomId = await createRoom(server.url, alice.token, { name: 'Quiet room' });
      const viewer = await suite.open();
      const { page } = viewer;
      await page.addInitScript(FAKE_NOTIFICATIONS);
      await signInAs(page, alice);
      await page.getByRole('button', { name: 'Notifications', exact: true }).click();
      await openRoom(page, 'Quiet room');

      const level = page.getByRole('button', { name: /^Notifications: / });
      assert.equal(await level.getAttribute('aria-label'), 'Notifications: All messages');
      await level.click();
      const dialog = page.getByRole('dialog', { name: 'Notifications for Quiet room' });
      await dialog.getByRole('radio', { name: /Only @mentions/ }).check();
      await screenshot(page, '44-notification-level');
      await dialog.getByRole('button', { name: 'Done' }).click();
      await dialog.waitFor({ state: 'detached' });
      assert.equal(await level.getAttribute('aria-label'), 'Notifications: Only @mentions');

      // A reload keeps the choice (this browser's storage, per user).
      await page.reload();
      await page.getByRole('heading', { level: 1, name: 'Quiet room' }).waitFor();
      // The heading may come from the room's detail, before the room list brings the level.
      await page
        .getByRole('button', { name: 'Notifications: Only @mentions', exact: true })
        .waitFor();
      // Messages a page of history brings are not notified: Otto's must come on the socket, which
      // has joined the room once a message of Alice's, sent after that join, is confirmed.
      await send(page, 'back again');
      await waitForMessage(page, 'back again');

      const other = await signup(server.url, 'otto');
      const socket = await TestClient.connect(server.wsUrl, { token: other.token });
      await socket.request({ type: 'join', roomId });
      await page.evaluate('window.__hidden = true');
      await socket.request({ type: 'send', roomId, message: 'not for anyone in particular' });
      await socket.request({
        type: 'send',
        roomId,
        message: `\`@${alice.name}\` in code is no mention`,
      });
      await socket.request({ type: 'send', roomId, message: `@${alice.name} look at this` });
      const shown = await eventually(
        'the mention notified',
        () => page.evaluate('window.__notifications') as Promise<Array<{ body: string }>>,
        (list) => list.length > 0,
      );
      assert.deepEqual(
        shown.map((n) => n.body),
        [`${other.name}: @${alice.name} look at this`],
      );

      // None: nothing at all, mentions included.
      await page.evaluate('window.__hidden = false');
      await level.click();
      await dialog.getByRole('radio', { name: /Nothing/ }).check();
      await dialog.getByRole('button', { name: 'Done' }).click();
      await page.evaluate('window.__hidden = true');
      await socket.request({ type: 'send', roomId, message: `@${alice.name} again` });
      await socket.request({ type: 'send', roomId, message: 'the last one' });
      await page.getByRole('log').locator('.bubble', { hasText: 'the last one' }).waitFor();
      assert.equal(((await page.evaluate('window.__notifications')) as unknown[]).length, 1);
      await socket.close();
    },
  );
});

/// <reference lib="dom" />
// The functions passed to page.evaluate run in the browser.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { call, createRoom } from '../support/http.js';
import { TestClient } from '../support/ws-client.js';
import {
  browserSuite,
  cutConnection,
  eventually,
  joinRooms,
  messageBox,
  openRoom,
  PHONE,
  restoreConnection,
  say,
  screenshot,
  send,
  signInAs,
  skipReason,
  twoInARoom,
  waitForMessage,
} from './harness.js';

const LIMIT = { timeout: 120_000 };

/** The confirmed message whose bubble holds `text` (not a reply quoting it). */
function message(page: Page, text: string) {
  return page
    .getByRole('log')
    .locator('.msg[data-status="sent"]')
    .filter({ has: page.locator('.bubble', { hasText: text }) })
    .first();
}

/** Puts focus in a message (a tap on a phone, a click on a desktop), which shows its toolbar. */
async function act(page: Page, text: string, action: string): Promise<void> {
  const item = message(page, text);
  await item.locator('.bubble').click();
  await item.getByRole('button', { name: action, exact: true }).click();
}

async function reactions(page: Page, text: string): Promise<string[]> {
  return message(page, text)
    .locator('.reaction')
    .evaluateAll((nodes) =>
      nodes.map(
        (node) => `${node.getAttribute('aria-label')}|${node.getAttribute('aria-pressed')}`,
      ),
    );
}

describe('message actions, topics and search in the web client', { skip: skipReason() }, () => {
  // Search seeds hundreds of messages at once: no message rate for this server.
  const suite = browserSuite({ RATE_LIMITS: 'off' });

  it(
    'a reply, an edit, a delete, a reaction and a mention travel live, and hold after a reload and a reconnect with since',
    LIMIT,
    async () => {
      const { alice, bob, a, b } = await twoInARoom(suite, 'Actions', {
        bobViewport: PHONE,
        bobDark: true,
        bobCuttable: true,
      });
      for (const text of ['the first word', 'a slip to delete', 'a typo to fixx']) {
        await send(a.page, text);
      }
      await waitForMessage(b.page, 'a typo to fixx');

      // Bob, on a phone, replies to Alice's first message and mentions her: a tap shows the actions.
      await message(b.page, 'the first word').locator('.bubble').click();
      await message(b.page, 'the first word').getByRole('toolbar').waitFor();
      await screenshot(b.page, '57-actions-toolbar-phone-dark');
      await act(b.page, 'the first word', 'Reply');
      await b.page.getByTestId('composing').getByText('Replying to').waitFor();
      await send(b.page, `@${alice.name} agreed`);
      const reply = message(a.page, 'agreed');
      await reply.locator('.quote', { hasText: 'the first word' }).waitFor();
      await reply.locator('.mention--me').waitFor();
      assert.equal(
        await b.page.getByTestId('composing').count(),
        0,
        'the reply bar goes once sent',
      );

      // Alice edits her typo, with markdown and a script that must stay text.
      await act(a.page, 'a typo to fixx', 'Edit');
      // An effect after paint puts the text in the box: typing before it would be overwritten.
      await eventually(
        'the message in the box',
        () => messageBox(a.page).inputValue(),
        (value) => value === 'a typo to fixx',
      );
      await messageBox(a.page).fill('a typo **fixed** <script>window.__xss = 1</script>');
      await messageBox(a.page).press('Enter');
      const edited = message(b.page, 'fixed');
      await edited.locator('.msg-edited').waitFor();
      assert.equal(await edited.locator('.bubble strong').innerText(), 'fixed');
      assert.match(
        await edited.locator('.bubble').innerText(),
        /<script>window.__xss = 1<\/script>/,
      );
      assert.equal(await b.page.evaluate(() => (window as { __xss?: number }).__xss), undefined);
      // Emptied when Alice's HTTP call answers, which may come after Bob's socket showed the edit.
      await eventually(
        'the box empty again',
        () => messageBox(a.page).inputValue(),
        (value) => value === '',
      );

      // Alice deletes her slip, after saying yes.
      await act(a.page, 'a slip to delete', 'Delete');
      await a.page
        .getByRole('dialog', { name: 'Delete this message?' })
        .getByRole('button', {
          name: 'Delete message',
        })
        .click();
      await eventually(
        'the slip gone for Bob',
        () => b.page.getByRole('log').innerText(),
        (text) => !text.includes('a slip to delete'),
      );
      assert.equal(await b.page.locator('.bubble--deleted').count(), 1);

      // Bob reacts to the first message; Alice sees who did.
      await act(b.page, 'the first word', 'Add reaction');
      await message(b.page, 'the first word')
        .getByRole('button', { name: 'React with 👍' })
        .click();
      await eventually(
        'Bob’s reaction at Alice’s',
        () => reactions(a.page, 'the first word'),
        (r) => r.length === 1 && r[0] === `👍 1: ${bob.name}|false`,
      );
      // Bob's own page hears it on its socket, maybe after Alice's.
      await eventually(
        'Bob’s reaction at Bob’s',
        () => reactions(b.page, 'the first word'),
        (r) => r.length === 1 && r[0] === '👍 1: you|true',
      );
      await screenshot(a.page, '50-actions-desktop');
      await screenshot(b.page, '51-actions-phone-dark');

      // A reload shows the same from history.
      for (const page of [a.page, b.page]) {
        await page.reload();
        await waitForMessage(page, `@${alice.name} agreed`);
        await message(page, 'agreed').locator('.quote', { hasText: 'the first word' }).waitFor();
        await message(page, 'fixed').locator('.msg-edited').waitFor();
        assert.equal(await page.locator('.bubble--deleted').count(), 1);
        assert.doesNotMatch(await page.getByRole('log').innerText(), /a slip to delete/);
      }
      assert.deepEqual(await reactions(a.page, 'the first word'), [`👍 1: ${bob.name}|false`]);

      // Bob's connection drops; meanwhile Alice edits, reacts, deletes and replies.
      await cutConnection(b.page);
      await act(a.page, 'the first word', 'Edit');
      await eventually(
        'the first word in the box',
        () => messageBox(a.page).inputValue(),
        (value) => value === 'the first word',
      );
      await messageBox(a.page).fill('the first word, revised');
      await messageBox(a.page).press('Enter');
      await message(a.page, 'revised').locator('.msg-edited').waitFor();
      await act(a.page, 'agreed', 'Add reaction');
      await message(a.page, 'agreed').getByRole('button', { name: 'React with 🎉' }).click();
      await act(a.page, 'the first word', 'Add reaction');
      await message(a.page, 'the first word')
        .getByRole('button', { name: 'React with 👍' })
        .click();
      await eventually(
        'two reactions on the first message',
        () => reactions(a.page, 'the first word'),
        (r) => r[0]?.startsWith('👍 2:') === true,
      );
      await act(a.page, 'fixed', 'Delete');
      await a.page
        .getByRole('dialog', { name: 'Delete this message?' })
        .getByRole('button', {
          name: 'Delete message',
        })
        .click();
      await eventually(
        'two deleted at Alice’s',
        () => a.page.locator('.bubble--deleted').count(),
        (n) => n === 2,
      );

      // Back: the join with `since` replays the events, and each lands on its message.
      await restoreConnection(b.page);
      await message(b.page, 'revised').locator('.msg-edited').waitFor();
      // The reply's quote follows the message it answers.
      await message(b.page, 'agreed').locator('.quote', { hasText: 'revised' }).waitFor();
      await eventually(
        'the replayed reactions at Bob’s',
        () => reactions(b.page, 'the first word'),
        (r) => r.length === 1 && r[0] === `👍 2: you, ${alice.name}|true`,
      );
      // The deletion was stored after the 👍: replayed after it, maybe not yet shown.
      await eventually(
        'the replayed deletion at Bob’s',
        () => b.page.locator('.bubble--deleted').count(),
        (n) => n === 2,
      );
      await eventually(
        'the replayed 🎉 at Bob’s',
        () => reactions(b.page, 'agreed'),
        (r) => r.length === 1 && r[0] === `🎉 1: ${alice.name}|false`,
      );
      assert.doesNotMatch(await b.page.getByRole('log').innerText(), /fixed/);

      // Bob takes his reaction back.
      await message(b.page, 'the first word').locator('.bubble').click();
      await message(b.page, 'the first word').getByRole('button', { name: /^👍 2/ }).click();
      await eventually(
        'Bob’s reaction gone at Alice’s',
        () => reactions(a.page, 'the first word'),
        (r) => r.length === 1 && r[0] === '👍 1: you|true',
      );
    },
  );

  it('a reply opens the message it answers, loading older history to reach it', LIMIT, async () => {
    const { server } = suite;
    const { alice, roomId, a } = await twoInARoom(suite, 'Long memory');
    await say(server, alice.token, roomId, ['the original, long ago']);
    const original = await call(server.url, 'GET', `/api/room/${roomId}/messages?limit=200`, {
      token: alice.token,
    });
    const id = (original.body as Array<{ id: string; message: string }>).find(
      (m) => m.message === 'the original, long ago',
    )?.id;
    assert.ok(id);
    await say(
      server,
      alice.token,
      roomId,
      Array.from({ length: 120 }, (_, i) => `filler ${i + 1}`),
    );
    const client = await TestClient.connect(server.wsUrl, { token: alice.token });
    await client.request({ type: 'join', roomId });
    await client.request({ type: 'send', roomId, message: 'answering the old one', replyTo: id });
    await client.close();
    await a.page.reload();
    await waitForMessage(a.page, 'answering the old one');
    assert.equal(await message(a.page, 'the original, long ago').count(), 0, 'not loaded yet');
    await message(a.page, 'answering the old one').locator('.quote').click();
    const target = message(a.page, 'the original, long ago');
    await target.and(a.page.locator('.msg--marked')).waitFor();
    assert.ok(await target.isVisible());
    assert.equal(
      await a.page.evaluate(() => document.activeElement?.textContent?.includes('long ago')),
      true,
    );
  });

  it('search finds an old message, pages, and opens it in place', LIMIT, async () => {
    const { server } = suite;
    const { alice, bob, roomId, a } = await twoInARoom(suite, 'Haystack');
    const elsewhere = await createRoom(server.url, bob.token, { name: 'Elsewhere' });
    await joinRooms(server, alice.token, [elsewhere]);
    await say(server, bob.token, elsewhere, ['a needle in another room']);
    await say(server, alice.token, roomId, ['the golden needle is here']);
    await say(
      server,
      bob.token,
      roomId,
      Array.from({ length: 260 }, (_, i) => `hay bale ${i + 1}`),
    );
    await a.page.reload();
    await waitForMessage(a.page, 'hay bale 260');
    assert.equal(await message(a.page, 'golden needle').count(), 0, 'far above the newest page');

    await a.page.getByRole('button', { name: 'Search messages' }).click();
    const panel = a.page.getByRole('complementary', { name: 'Search' });
    await panel.getByRole('searchbox', { name: 'Search messages' }).fill('needle');
    await panel.getByRole('searchbox', { name: 'Search messages' }).press('Enter');
    const hits = panel.locator('.search-hit');
    await hits.first().waitFor();
    assert.equal(await hits.count(), 1, 'this room only');
    await screenshot(a.page, '52-search-desktop');
    await hits.first().click();
    const found = message(a.page, 'the golden needle is here');
    await found.and(a.page.locator('.msg--marked')).waitFor();
    assert.ok(await found.isVisible(), 'scrolled into view');
    // Nothing is missing between it and the newest message.
    const seqs = await a.page
      .getByRole('log')
      .locator('[data-seq]')
      .evaluateAll((nodes) => nodes.map((n) => Number(n.getAttribute('data-seq'))));
    for (let i = 1; i < seqs.length; i++) assert.equal(seqs[i], (seqs[i - 1] ?? 0) + 1);
    await screenshot(a.page, '53-search-opened');

    // Every room: the other room's needle too; opening it switches rooms.
    await panel.getByRole('radio', { name: 'All rooms' }).check();
    await eventually(
      'results from both rooms',
      () => hits.count(),
      (n) => n === 2,
    );
    await panel.locator('.search-hit', { hasText: 'another room' }).click();
    await a.page.getByRole('heading', { level: 1, name: 'Elsewhere' }).waitFor();
    await message(a.page, 'a needle in another room').and(a.page.locator('.msg--marked')).waitFor();

    // Paging: 20 results a page.
    await openRoom(a.page, 'Haystack');
    await a.page.getByRole('button', { name: 'Search messages' }).click();
    await panel.getByRole('searchbox', { name: 'Search messages' }).fill('bale');
    await panel.getByRole('searchbox', { name: 'Search messages' }).press('Enter');
    await eventually(
      'a first page',
      () => hits.count(),
      (n) => n === 20,
    );
    await panel.getByRole('button', { name: 'More results' }).click();
    await eventually(
      'a second page',
      () => hits.count(),
      (n) => n === 40,
    );
    const texts = await hits.locator('.search-hit-text').allInnerTexts();
    assert.equal(texts[0], 'hay bale 260', 'newest first');
    assert.equal(new Set(texts).size, 40, 'no result twice');
  });

  it('search on a phone, in the dark', LIMIT, async () => {
    const { server } = suite;
    const { bob, roomId, b } = await twoInARoom(suite, 'Pocket', {
      bobViewport: PHONE,
      bobDark: true,
    });
    await say(server, bob.token, roomId, ['where is the phone charger', 'on the shelf']);
    await waitForMessage(b.page, 'on the shelf');
    await b.page.getByRole('button', { name: 'Search messages' }).click();
    const panel = b.page.getByRole('complementary', { name: 'Search' });
    await panel.getByRole('searchbox', { name: 'Search messages' }).fill('charger');
    await panel.getByRole('searchbox', { name: 'Search messages' }).press('Enter');
    await panel.locator('.search-hit').first().waitFor();
    await screenshot(b.page, '54-search-phone-dark');
    await panel.locator('.search-hit').first().click();
    // The panel gives the phone's screen back to the conversation.
    await panel.waitFor({ state: 'detached' });
    await message(b.page, 'phone charger').and(b.page.locator('.msg--marked')).waitFor();
  });

  it('a topic is set in the header and seen live; markup in it stays text', LIMIT, async () => {
    const { server } = suite;
    const { alice, bob, a, b } = await twoInARoom(suite, 'Topical', { bobViewport: PHONE });
    await a.page.getByRole('button', { name: 'Add a topic' }).click();
    const dialog = a.page.getByRole('dialog', { name: 'Topic of Topical' });
    const topic = 'Release **plans** <img src=x onerror="window.__xss=1">';
    await dialog.getByRole('textbox', { name: 'Topic' }).fill(topic);
    await dialog.getByRole('button', { name: 'Save topic' }).click();
    await dialog.waitFor({ state: 'detached' });
    for (const page of [a.page, b.page]) {
      await eventually(
        'the topic in the header',
        () => page.getByTestId('room-topic').innerText(),
        (text) => text === topic,
      );
      await page
        .getByRole('log')
        .locator('.notice-line--topic', { hasText: `${alice.name} set the topic` })
        .waitFor();
      assert.equal(await page.locator('.conversation-head img').count(), 0);
    }
    assert.equal(await b.page.evaluate(() => (window as { __xss?: number }).__xss), undefined);
    await screenshot(a.page, '55-topic-desktop');
    await screenshot(b.page, '56-topic-phone');

    // In a public room any member may change it; a reload keeps it.
    await b.page.getByTestId('room-topic').click();
    const bobs = b.page.getByRole('dialog', { name: 'Topic of Topical' });
    await bobs.getByRole('textbox', { name: 'Topic' }).fill('');
    await bobs.getByRole('button', { name: 'Save topic' }).click();
    await a.page.getByRole('button', { name: 'Add a topic' }).waitFor();
    await a.page.reload();
    await a.page.getByRole('button', { name: 'Add a topic' }).waitFor();

    // In a private room a plain member is shown the topic but cannot change it.
    const secret = await createRoom(server.url, alice.token, {
      name: 'Backroom',
      visibility: 'private',
    });
    await call(server.url, 'POST', `/api/room/${secret}/members`, {
      token: alice.token,
      body: { username: bob.name },
    });
    await call(server.url, 'PUT', `/api/room/${secret}/topic`, {
      token: alice.token,
      body: { topic: 'owners only' },
    });
    await b.page.goto(`/#/room/${encodeURIComponent(secret)}`);
    await b.page.getByRole('heading', { level: 1, name: 'Backroom' }).waitFor();
    await eventually(
      'the private topic',
      () => b.page.getByTestId('room-topic').innerText(),
      (text) => text.includes('owners only'),
    );
    assert.equal(await b.page.getByRole('button', { name: /topic/i }).count(), 0);
  });

  it(
    'a hostile user: a 10,000-character message, unbroken text, a long code line and topic keep the layout',
    LIMIT,
    async () => {
      const { server } = suite;
      const { alice, roomId, a } = await twoInARoom(suite, 'Hostile');
      await send(a.page, 'x'.repeat(10_000));
      const refused = a.page.locator('.msg[data-status="failed"]');
      await refused
        .getByRole('alert')
        .getByText(/at most/)
        .waitFor();
      // Sending it again would be refused again: no Retry, but Edit puts the text back to shorten.
      assert.equal(await refused.getByRole('button', { name: 'Retry' }).count(), 0);
      await refused.getByRole('button', { name: 'Edit' }).click();
      assert.equal((await messageBox(a.page).inputValue()).length, 10_000);
      assert.equal(await refused.count(), 0);
      await messageBox(a.page).fill('');

      await say(server, alice.token, roomId, [
        'W'.repeat(3_990),
        `\`\`\`\n${'code'.repeat(300)}\n\`\`\``,
        'the last word',
      ]);
      await call(server.url, 'PUT', `/api/room/${roomId}/topic`, {
        token: alice.token,
        body: { topic: 'T'.repeat(300) },
      });
      const phone = await suite.open({ viewport: PHONE, dark: true });
      await signInAs(phone.page, alice);
      await phone.page.goto(`/#/room/${encodeURIComponent(roomId)}`);
      await waitForMessage(phone.page, 'the last word');
      await phone.page.locator('.notice-line--topic').waitFor();
      await message(phone.page, 'the last word').locator('.bubble').click();
      await message(phone.page, 'the last word')
        .getByRole('button', { name: 'Add reaction' })
        .click();
      await message(phone.page, 'the last word')
        .getByRole('button', { name: 'React with 👍' })
        .waitFor({ state: 'visible' });
      await screenshot(phone.page, '58-hostile-phone-dark');
      const outside = await phone.page.evaluate(() =>
        [...document.querySelectorAll('.bubble, .notice-line, .emoji-picker')]
          .map((el) => el.getBoundingClientRect())
          .filter((r) => r.left < 0 || r.right > window.innerWidth + 0.5)
          .map((r) => `${r.left}..${r.right}`),
      );
      assert.deepEqual(outside, [], 'nothing wider than the phone');
      assert.equal(await phone.page.evaluate(() => document.documentElement.scrollWidth), 375);
    },
  );

  it('the actions are reachable from the keyboard alone', LIMIT, async () => {
    const { a } = await twoInARoom(suite, 'Keys');
    await send(a.page, 'react to me by keyboard');
    await waitForMessage(a.page, 'react to me by keyboard');
    const { page } = a;
    await page.getByRole('log').focus();
    await page.keyboard.press('End');
    await page.keyboard.press('Tab');
    assert.equal(
      await page.evaluate(() => document.activeElement?.getAttribute('aria-label')),
      'Add reaction',
    );
    // The emoji open with the keyboard on the first.
    await page.keyboard.press('Enter');
    await eventually(
      'the keyboard on the first emoji',
      () => page.evaluate(() => document.activeElement?.getAttribute('aria-label')),
      (label) => label === 'React with 👍',
    );
    await page.keyboard.press('Enter');
    await eventually(
      'the reaction',
      () => reactions(page, 'react to me by keyboard'),
      (r) => r.length === 1 && r[0] === '👍 1: you|true',
    );
    // Edit from the keyboard: Up in the empty box, then Enter saves.
    await messageBox(page).focus();
    await page.keyboard.press('ArrowUp');
    await eventually(
      'the message in the box',
      () => messageBox(page).inputValue(),
      (value) => value === 'react to me by keyboard',
    );
    await page.keyboard.press('End');
    await page.keyboard.type(', edited');
    await page.keyboard.press('Enter');
    await message(page, 'react to me by keyboard, edited').locator('.msg-edited').waitFor();
    // Escape leaves an edit and gives the draft back.
    await messageBox(page).fill('a draft');
    await message(page, 'edited').locator('.bubble').click();
    await message(page, 'edited').getByRole('button', { name: 'Edit', exact: true }).click();
    await eventually(
      'the edited text in the box',
      () => messageBox(page).inputValue(),
      (value) => value === 'react to me by keyboard, edited',
    );
    await page.keyboard.press('Escape');
    await eventually(
      'the draft back',
      () => messageBox(page).inputValue(),
      (value) => value === 'a draft',
    );
  });
});

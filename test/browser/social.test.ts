import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { call } from '../support/http.js';
import { type ConfabProcess, removeDataDir, startConfab } from '../support/server.js';
import {
  createRoomInUi,
  eventually,
  launchBrowser,
  openRoom,
  openViewer,
  screenshot,
  send,
  signUp,
  skipReason,
  uniqueName,
  type Viewer,
  waitForMessage,
} from './harness.js';

/** Each test's deadline: a hang fails the test instead of stalling the run (two browsers each, on a shared machine). */
const LIMIT = { timeout: Number(process.env.BROWSER_TEST_LIMIT_MS ?? 120_000) };

function directSection(page: Page) {
  return page.getByRole('region', { name: /Direct messages/ });
}

/** Opens the member panel and the actions of the member named `name`. */
async function personActions(page: Page, name: string) {
  const panel = page.getByRole('complementary', { name: /Members/ });
  await showMembers(page);
  await panel.getByRole('button', { name, exact: true }).click();
  return panel.getByRole('group', { name: `Actions for ${name}` });
}

/** Opens the member panel unless it is open (wide screens show it from the start). */
async function showMembers(page: Page): Promise<void> {
  const toggle = page.getByRole('button', { name: 'Members', exact: true });
  if ((await toggle.getAttribute('aria-expanded')) !== 'true') await toggle.click();
}

/** The signed-in session's token, as the client keeps it. */
async function token(page: Page): Promise<string> {
  const raw = await page.evaluate("localStorage.getItem('confab.session')");
  return (JSON.parse(String(raw)) as { token: string }).token;
}

describe('direct messages, groups and blocking in the web client', { skip: skipReason() }, () => {
  let server: ConfabProcess;
  let browser: Browser;
  const viewers: Viewer[] = [];
  const open = async () => {
    const viewer = await openViewer(browser, server.url);
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

  it(
    'starts a conversation from user search, and lists it under Direct messages',
    LIMIT,
    async () => {
      const alice = await open();
      const bob = await open();
      const aliceName = uniqueName('alice');
      const bobName = uniqueName('bob');
      const carolName = uniqueName('carol');
      await signUp(alice.page, aliceName);
      await signUp(bob.page, bobName);
      await call(server.url, 'POST', '/api/signup', {
        body: { username: carolName, password: 'correct horse' },
      });

      await alice.page.getByRole('button', { name: 'New message' }).click();
      const dialog = alice.page.getByRole('dialog', { name: 'New message' });
      await dialog.getByLabel('Search people by username').fill(bobName.toUpperCase());
      await screenshot(alice.page, 'social-01-user-search');
      await dialog.getByRole('button', { name: `Message ${bobName}` }).click();
      await alice.page.getByRole('heading', { level: 1, name: bobName }).waitFor();
      await send(alice.page, 'hello bob, just us');
      await waitForMessage(alice.page, 'hello bob, just us');

      // Bob hears of the conversation live, named after Alice.
      await directSection(bob.page)
        .getByRole('link', { name: new RegExp(aliceName) })
        .click();
      await bob.page.getByRole('heading', { level: 1, name: aliceName }).waitFor();
      await waitForMessage(bob.page, 'hello bob, just us');

      // A second conversation, then a message in the first: the first comes back on top.
      await alice.page.getByRole('button', { name: 'New message' }).click();
      await alice.page.getByLabel('Search people by username').fill(carolName);
      await alice.page.getByRole('button', { name: `Message ${carolName}` }).click();
      await alice.page.getByRole('heading', { level: 1, name: carolName }).waitFor();
      await send(bob.page, 'hi alice');
      const order = () =>
        directSection(alice.page)
          .getByRole('link')
          .evaluateAll((links) =>
            links.map((link) => link.querySelector('.room-link-name')?.textContent ?? ''),
          );
      await eventually('Bob first', order, (names) => names.join() === [bobName, carolName].join());
      await screenshot(alice.page, 'social-02-direct-messages');
    },
  );

  it(
    'lets an owner add, promote and remove a member, who then sees nothing more',
    LIMIT,
    async () => {
      const alice = await open();
      const bob = await open();
      const aliceName = uniqueName('owner');
      const bobName = uniqueName('member');
      await signUp(alice.page, aliceName);
      await signUp(bob.page, bobName);

      await createRoomInUi(alice.page, 'Crew room', 'private');
      await showMembers(alice.page);
      await alice.page.getByLabel('Add someone by username').fill(bobName);
      await alice.page.getByRole('button', { name: 'Add', exact: true }).click();
      await alice.page.getByText(`${bobName} can now see this room.`).waitFor();
      await alice.page.getByRole('log').getByText(`${bobName} was added by ${aliceName}`).waitFor();

      const actions = await personActions(alice.page, bobName);
      await actions.getByRole('button', { name: `Make ${bobName} an admin` }).click();
      const panel = alice.page.getByRole('complementary', { name: /Members/ });
      await panel.locator('.member', { hasText: bobName }).getByText('admin').waitFor();
      await screenshot(alice.page, 'social-03-admin');

      await bob.page.reload();
      await openRoom(bob.page, 'Crew room');
      await send(bob.page, 'glad to be here');
      await waitForMessage(alice.page, 'glad to be here');

      const again = await personActions(alice.page, bobName);
      await again.getByRole('button', { name: `Remove ${bobName} from the room` }).click();
      await panel.locator('.member', { hasText: bobName }).waitFor({ state: 'detached' });
      // Bob's client is told at once: the room leaves his list.
      await bob.page
        .getByRole('navigation', { name: 'Room list' })
        .getByRole('link', { name: /Crew room/ })
        .waitFor({ state: 'detached' });
      await send(alice.page, 'after bob left');
      await waitForMessage(alice.page, 'after bob left');
      assert.equal(await bob.page.getByText('after bob left').count(), 0);
    },
  );

  it(
    'starts a conversation from a member name, and blocks and unblocks from it',
    LIMIT,
    async () => {
      const alice = await open();
      const bob = await open();
      const aliceName = uniqueName('ann');
      const bobName = uniqueName('ben');
      await signUp(alice.page, aliceName);
      await signUp(bob.page, bobName);
      await createRoomInUi(alice.page, 'Open talk');
      await openRoom(bob.page, 'Open talk');
      await bob.page.getByRole('button', { name: 'Join room' }).click();
      await send(bob.page, 'bob is here');
      await waitForMessage(alice.page, 'bob is here');

      const actions = await personActions(bob.page, aliceName);
      await actions.getByRole('button', { name: `Message ${aliceName}` }).click();
      await bob.page.getByRole('heading', { level: 1, name: aliceName }).waitFor();
      await send(bob.page, 'psst');
      await waitForMessage(bob.page, 'psst');

      const blocking = await personActions(alice.page, bobName);
      await blocking.getByRole('button', { name: `Block ${bobName}` }).click();
      await eventually(
        'the block stored',
        async () =>
          (await call(server.url, 'GET', '/api/blocks', { token: await token(alice.page) })).body,
        (list) => Array.isArray(list) && list.length === 1,
      );
      await send(bob.page, 'are you there?');
      await bob.page
        .getByRole('alert')
        .filter({ hasText: /blocked/ })
        .waitFor();
      await screenshot(bob.page, 'social-04-blocked');

      const unblocking = await personActions(alice.page, bobName);
      await unblocking.getByRole('button', { name: `Unblock ${bobName}` }).click();
      await blocking
        .getByRole('button', { name: `Block ${bobName}` })
        .waitFor({ state: 'detached' });
      await eventually(
        'the block lifted',
        async () =>
          (await call(server.url, 'GET', '/api/blocks', { token: await token(alice.page) })).body,
        (list) => Array.isArray(list) && list.length === 0,
      );
      await send(bob.page, 'back again');
      await waitForMessage(bob.page, 'back again');
    },
  );
});

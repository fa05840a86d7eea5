import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { call, createRoom } from '../support/http.js';
import { type ConfabProcess, removeDataDir, startConfab } from '../support/server.js';
import {
  cutConnection,
  launchBrowser,
  openRoom,
  openViewer,
  PHONE,
  restoreConnection,
  screenshot,
  send,
  signInAs,
  signUp,
  skipReason,
  uniqueName,
  type Viewer,
  waitForMessage,
} from './harness.js';

/** Each test's deadline: a hang fails the test instead of stalling the run (two browsers each, on a shared machine). */
const LIMIT = { timeout: Number(process.env.BROWSER_TEST_LIMIT_MS ?? 120_000) };

/** The signed-in session as the client keeps it. */
async function session(page: Page): Promise<{ token: string; id: string }> {
  const raw = await page.evaluate("localStorage.getItem('confab.session')");
  const parsed = JSON.parse(String(raw)) as { token: string; user: { id: string } };
  return { token: parsed.token, id: parsed.user.id };
}

function membersPanel(page: Page) {
  return page.getByRole('complementary', { name: /Members/ });
}

/** Opens the member panel unless it is open (wide screens show it from the start). */
async function showMembers(page: Page): Promise<void> {
  const toggle = page.getByRole('button', { name: 'Members', exact: true });
  if ((await toggle.getAttribute('aria-expanded')) !== 'true') await toggle.click();
}

/** What of the member panel's rows, names, roles and buttons reaches past the panel's right edge. */
function outsideMemberPanel(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const panel = document.querySelector('aside.members') as HTMLElement;
    const edge = panel.getBoundingClientRect().right;
    return [...panel.querySelectorAll('.member, .member-role, .member button')]
      .filter((el) => el.getBoundingClientRect().right > edge + 0.5)
      .map((el) => `${el.className}: ${el.textContent}`);
  });
}

describe('live roles, removal notices, blocks in groups, search hints and direct headers', {
  skip: skipReason(),
}, () => {
  let server: ConfabProcess;
  let browser: Browser;
  const viewers: Viewer[] = [];
  const open = async () => {
    const viewer = await openViewer(browser, server.url);
    viewers.push(viewer);
    return viewer;
  };
  /** Signs `name` up in a fresh browser; its token and id. */
  const person = async (prefix: string) => {
    const viewer = await open();
    const name = uniqueName(prefix);
    await signUp(viewer.page, name);
    return { ...viewer, name, ...(await session(viewer.page)) };
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
    "shows a promoted member's admin powers at once, takes them away on demotion, and tells a removed member",
    LIMIT,
    async () => {
      const alice = await person('owner');
      const bob = await person('member');
      const carol = await person('other');
      const roomName = `Crew ${uniqueName('r')}`;
      const roomId = await createRoom(server.url, alice.token, {
        name: roomName,
        visibility: 'private',
      });
      for (const who of [bob, carol]) {
        const added = await call(server.url, 'POST', `/api/room/${roomId}/members`, {
          token: alice.token,
          body: { userId: who.id },
        });
        assert.equal(added.status, 204);
      }
      await openRoom(bob.page, roomName);
      await showMembers(bob.page);
      const panel = membersPanel(bob.page);
      const addField = panel.getByLabel('Add someone by username');
      await panel.getByRole('button', { name: carol.name, exact: true }).waitFor();
      assert.equal(await addField.count(), 0, 'a plain member cannot add');
      // The panel comes over HTTP; roles and the removal notice reach Bob only once his socket has
      // joined the room. A message of his, confirmed, was handled after that join.
      await send(bob.page, 'count me in');
      await waitForMessage(bob.page, 'count me in');

      // Promoted by the owner elsewhere: Bob's panel follows without a reload.
      const role = (value: string) =>
        call(server.url, 'PATCH', `/api/room/${roomId}/members/${bob.id}`, {
          token: alice.token,
          body: { role: value },
        });
      assert.equal((await role('admin')).status, 204);
      await addField.waitFor();
      await panel.getByRole('button', { name: carol.name, exact: true }).click();
      const actions = panel.getByRole('group', { name: `Actions for ${carol.name}` });
      await actions.getByRole('button', { name: `Remove ${carol.name} from the room` }).waitFor();
      await screenshot(bob.page, 'social-live-01-promoted');

      assert.equal((await role('member')).status, 204);
      await addField.waitFor({ state: 'detached' });
      await actions
        .getByRole('button', { name: `Remove ${carol.name} from the room` })
        .waitFor({ state: 'detached' });

      // Removed: told so, by whom, wherever the app then is.
      const removed = await call(server.url, 'DELETE', `/api/room/${roomId}/members/${bob.id}`, {
        token: alice.token,
      });
      assert.equal(removed.status, 204);
      const notice = bob.page.getByRole('alert').filter({ hasText: 'You were removed from' });
      await notice.waitFor();
      assert.equal(
        (await notice.textContent())?.includes(
          `You were removed from ${roomName} by ${alice.name}.`,
        ),
        true,
      );
      await screenshot(bob.page, 'social-live-02-removed');
      await notice.getByRole('button', { name: 'Dismiss' }).click();
      await notice.waitFor({ state: 'detached' });
    },
  );

  it(
    'tells a member removed while their connection was down, and drops the room from the list',
    LIMIT,
    async () => {
      const alice = await person('owner');
      const bob = await openViewer(browser, server.url, { cuttable: true });
      viewers.push(bob);
      await signUp(bob.page, uniqueName('away'));
      const bobId = (await session(bob.page)).id;
      const roomName = `Away ${uniqueName('r')}`;
      const roomId = await createRoom(server.url, alice.token, {
        name: roomName,
        visibility: 'private',
      });
      await call(server.url, 'POST', `/api/room/${roomId}/members`, {
        token: alice.token,
        body: { userId: bobId },
      });
      await openRoom(bob.page, roomName);

      await cutConnection(bob.page);
      const removed = await call(server.url, 'DELETE', `/api/room/${roomId}/members/${bobId}`, {
        token: alice.token,
      });
      assert.equal(removed.status, 204);
      await restoreConnection(bob.page);
      await bob.page
        .getByRole('alert')
        .filter({ hasText: `You are no longer a member of ${roomName}.` })
        .waitFor();
      const link = bob.page.getByRole('navigation').getByRole('link', { name: roomName });
      await link.waitFor({ state: 'detached' });
      await bob.page
        .getByRole('heading', { level: 1, name: roomName })
        .waitFor({ state: 'detached' });
    },
  );

  it(
    'marks people one blocked in the member list and collapses what they say in groups',
    LIMIT,
    async () => {
      const alice = await person('blocker');
      const bob = await person('blocked');
      const roomName = `Open ${uniqueName('r')}`;
      await call(server.url, 'POST', '/api/room', { token: alice.token, body: { name: roomName } });
      await openRoom(bob.page, roomName);
      await bob.page.getByRole('button', { name: 'Join room' }).click();
      await openRoom(alice.page, roomName);
      await send(bob.page, 'before the block');
      await waitForMessage(alice.page, 'before the block');

      const blocked = await call(server.url, 'PUT', `/api/blocks/${bob.id}`, {
        token: alice.token,
      });
      assert.equal(blocked.status, 204);
      await alice.page.reload();
      await openRoom(alice.page, roomName);
      await showMembers(alice.page);
      await membersPanel(alice.page)
        .locator('.member', { hasText: bob.name })
        .getByText('blocked', { exact: true })
        .waitFor();

      // A block does not reach into groups: bob still writes here, and alice's client collapses it.
      await send(bob.page, 'after the block');
      await waitForMessage(bob.page, 'after the block');
      const hidden = alice.page.getByText(`Hidden: you blocked ${bob.name}.`);
      // 'before the block' is hidden too since the reload: wait for the second, or `last()` is the first.
      await hidden.nth(1).waitFor();
      assert.equal(await alice.page.getByText('after the block').count(), 0);
      await screenshot(alice.page, 'social-live-03-hidden');
      await alice.page.getByRole('button', { name: 'Show message' }).last().click();
      await alice.page.getByText('after the block').waitFor();
    },
  );

  it(
    'hints a search shorter than 2 letters, and says a search for oneself finds only oneself',
    LIMIT,
    async () => {
      const alice = await person('zed');
      await alice.page.getByRole('button', { name: 'New message' }).click();
      const dialog = alice.page.getByRole('dialog', { name: 'New message' });
      const field = dialog.getByLabel('Search people by username');
      await field.fill('z');
      await dialog.getByText('Type at least 2 letters of a username.').waitFor();
      await field.fill(alice.name);
      await dialog.getByText("That's you: search for someone else.").waitFor();
      assert.equal(await dialog.getByText('Nobody by that name.').count(), 0);
      await field.fill(`${alice.name}-nobody`);
      await dialog.getByText('Nobody by that name.').waitFor();
      await dialog.getByRole('button', { name: 'Cancel' }).click();
    },
  );

  it(
    "heads a direct conversation with the other person's name and presence, not room wording",
    LIMIT,
    async () => {
      const alice = await person('dm');
      const bob = await person('dm');
      await alice.page.getByRole('button', { name: 'New message' }).click();
      await alice.page.getByLabel('Search people by username').fill(bob.name);
      await alice.page.getByRole('button', { name: `Message ${bob.name}` }).click();
      const main = alice.page.getByRole('main');
      await main.getByRole('heading', { level: 1, name: bob.name }).waitFor();
      await main.getByText('Online', { exact: true }).waitFor();
      await main
        .getByText(`This is the beginning of your conversation with ${bob.name}.`)
        .waitFor();
      assert.equal(await main.getByText(/Welcome to|Private ·|members/).count(), 0);
      await screenshot(alice.page, 'social-live-04-direct-header');
      // "Offline" is signalled only in rooms Bob's socket has joined, and heard only by Alice's
      // socket in it: a message from Bob, confirmed on both pages, says both have joined.
      await openRoom(bob.page, alice.name);
      await send(bob.page, 'here');
      await waitForMessage(bob.page, 'here');
      await waitForMessage(alice.page, 'here');
      await bob.context.close();
      await main.getByText('Offline', { exact: true }).waitFor();
    },
  );

  it(
    'keeps 32-character names, their roles and actions inside the member panel, and a removal notice as wide as a phone',
    LIMIT,
    async () => {
      const alice = await person('owner');
      // Usernames at their longest, one unbroken word each.
      const longName = (prefix: string) => `${uniqueName(prefix)}_`.padEnd(32, 'x');
      const [bob, carol] = [longName('bob'), longName('carol')];
      const accounts = [];
      for (const username of [bob, carol]) {
        const made = await call(server.url, 'POST', '/api/signup', {
          body: { username, password: 'correct horse' },
        });
        accounts.push({ token: made.body.token, id: made.body.user.id, name: username });
      }
      const roomName = `Long names ${uniqueName('r')}`;
      const roomId = await createRoom(server.url, alice.token, {
        name: roomName,
        visibility: 'private',
      });
      for (const who of accounts) {
        await call(server.url, 'POST', `/api/room/${roomId}/members`, {
          token: alice.token,
          body: { userId: who.id },
        });
      }
      await call(server.url, 'PATCH', `/api/room/${roomId}/members/${accounts[1]?.id}`, {
        token: alice.token,
        body: { role: 'admin' },
      });

      await openRoom(alice.page, roomName);
      await showMembers(alice.page);
      const panel = membersPanel(alice.page);
      await panel.getByRole('button', { name: bob, exact: true }).click();
      await panel
        .getByRole('group', { name: `Actions for ${bob}` })
        .getByRole('button', { name: `Remove ${bob} from the room` })
        .waitFor();
      await panel.getByText('admin', { exact: true }).waitFor();
      await screenshot(alice.page, 'social-live-05-long-names');
      assert.deepEqual(await outsideMemberPanel(alice.page), []);

      // Removed while on a phone: the notice takes the screen's width, not half of it.
      const phone = await openViewer(browser, server.url, { viewport: PHONE });
      viewers.push(phone);
      await signInAs(phone.page, accounts[0] as (typeof accounts)[number]);
      await phone.page.getByRole('link', { name: new RegExp(roomName) }).waitFor();
      // The link comes from the room list; the notice needs the phone's socket in the room, which
      // Alice sees as Bob coming online. Removed before that, the phone would hear no `left`.
      await panel.getByText('2 online', { exact: true }).waitFor();
      await call(server.url, 'DELETE', `/api/room/${roomId}/members/${accounts[0]?.id}`, {
        token: alice.token,
      });
      const notice = phone.page.getByRole('alert').filter({ hasText: 'You were removed from' });
      await notice.waitFor();
      await screenshot(phone.page, 'social-live-06-removed-on-a-phone');
      const box = await notice.boundingBox();
      assert.ok(box && box.width >= PHONE.width - 24 - 1, `notice ${JSON.stringify(box)}`);
    },
  );
});

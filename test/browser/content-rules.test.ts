import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { type ConfabProcess, removeDataDir, startConfab } from '../support/server.js';
import {
  createRoomInUi,
  launchBrowser,
  openViewer,
  screenshot,
  send,
  signUp,
  skipReason,
  uniqueName,
  type Viewer,
  waitForMessage,
} from './harness.js';

const LIMIT = { timeout: 30_000 };

describe('content rules in the web client', { skip: skipReason() }, () => {
  let server: ConfabProcess;
  let browser: Browser;
  let viewer: Viewer | undefined;

  before(async () => {
    [server, browser] = await Promise.all([
      startConfab({ DENIED_DOMAINS: 'spam.example' }),
      launchBrowser(),
    ]);
  });
  after(async () => {
    assert.deepEqual(viewer?.errors ?? [], [], 'no page errors, console errors or dialogs');
    await viewer?.context.close();
    await browser?.close();
    await server?.stop();
    if (server) removeDataDir(server);
  });

  it(
    'shows a masked word masked, and a refused message where it was sent, without a retry',
    LIMIT,
    async () => {
      viewer = await openViewer(browser, server.url);
      const { page } = viewer;
      await signUp(page, uniqueName('carl'));
      await createRoomInUi(page, '');
      await send(page, 'oh shit');
      await waitForMessage(page, 'oh ****');
      await send(page, 'cheap pills at spam.example');
      const refused = page.locator('.msg[data-status="failed"]');
      await refused
        .getByRole('alert')
        .getByText(/denied domains/)
        .waitFor();
      assert.equal(await refused.getByRole('button', { name: 'Retry' }).count(), 0);
      assert.equal(await refused.getByRole('button', { name: 'Discard' }).count(), 1);
      assert.equal(await refused.getByRole('button', { name: 'Edit' }).count(), 1);
      await screenshot(page, '20-message-rejected');
    },
  );
});

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { QuoteServer } from '../support/quote-server.js';
import { type ConfabProcess, removeDataDir, startConfab } from '../support/server.js';
import {
  createRoomInUi,
  launchBrowser,
  messageBox,
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

describe('slash commands in the web client', { skip: skipReason() }, () => {
  let server: ConfabProcess;
  let quotes: QuoteServer;
  let browser: Browser;
  let viewer: Viewer;

  before(async () => {
    quotes = await QuoteServer.start();
    [server, browser] = await Promise.all([
      startConfab({
        STOCK_QUOTE_URL: quotes.url,
        STOCK_QUOTE_TIMEOUT: '20s',
        COMMAND_TIMEOUT: '1500ms',
      }),
      launchBrowser(),
    ]);
    viewer = await openViewer(browser, server.url);
    await signUp(viewer.page, uniqueName('cmd'));
    await createRoomInUi(viewer.page, 'Markets');
  });
  after(async () => {
    assert.deepEqual(viewer?.errors ?? [], [], 'no page errors, console errors or dialogs');
    await browser?.close();
    await server?.stop();
    if (server) removeDataDir(server);
    await quotes?.close();
  });

  it(
    'offers the commands on "/", picked with the keyboard, and shows the bot answer apart',
    LIMIT,
    async () => {
      const { page } = viewer;
      const box = messageBox(page);
      await box.fill('/');
      const menu = page.getByRole('listbox', { name: 'Commands' });
      await menu.getByRole('option', { name: /\/stock=<symbol>/ }).waitFor();
      assert.equal(await menu.getByRole('option').count(), 3, '/help, /stock and /time');
      await screenshot(page, '20-command-menu');

      await box.press('s');
      assert.equal(await menu.getByRole('option').count(), 1, 'narrowed to /stock');
      await box.press('Escape');
      await menu.waitFor({ state: 'hidden' });
      await box.fill('/');
      await box.press('ArrowDown');
      const stock = menu.getByRole('option', { name: /\/stock=<symbol>/ });
      assert.equal(await stock.getAttribute('aria-selected'), 'true');
      assert.equal(await box.getAttribute('aria-activedescendant'), await stock.getAttribute('id'));
      await box.press('Enter');
      assert.equal(await box.inputValue(), '/stock=');
      await menu.waitFor({ state: 'hidden' });
      await box.pressSequentially('aapl.us');
      await box.press('Enter');

      await waitForMessage(page, '/stock=aapl.us');
      await waitForMessage(page, 'AAPL.US quote is $229.87 per share');
      const answer = page.getByRole('log').locator('.msg', { hasText: 'AAPL.US quote is' });
      assert.match((await answer.getAttribute('class')) ?? '', /msg--bot/);
      await answer.getByText('stock bot').waitFor();
      await answer.getByText('bot', { exact: true }).waitFor();
      await screenshot(page, '21-bot-answer');
    },
  );

  it(
    'shows a failed answer apart, and a timeout on the command that timed out',
    LIMIT,
    async () => {
      const { page } = viewer;
      await send(page, '/stock=broken.us');
      await waitForMessage(page, 'The quote service answered HTTP 500; try again later.');
      const failed = page.getByRole('log').locator('.msg', { hasText: 'answered HTTP 500' });
      assert.match((await failed.getAttribute('class')) ?? '', /msg--bot-failed/);

      quotes.hold = true;
      await send(page, '/stock=msft.us');
      const command = page.getByRole('log').locator('.msg', { hasText: '/stock=msft.us' });
      await command.getByRole('status').filter({ hasText: 'No bot answered' }).waitFor();
      assert.match((await command.getByRole('status').textContent()) ?? '', /\/stock in time/);
      quotes.release();

      await send(page, '/dance');
      const unknown = page.getByRole('log').locator('.msg', { hasText: '/dance' });
      await unknown
        .getByRole('status')
        .filter({ hasText: /No command \/dance/ })
        .waitFor();
      await screenshot(page, '22-command-timeout');
    },
  );
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { confab } from '../support/confab-cli.js';
import { waitUntil } from '../support/wait.js';
import {
  browserSuite,
  createRoomInUi,
  send,
  signUp,
  skipReason,
  uniqueName,
  waitForMessage,
} from './harness.js';

/** A process start and a browser on a loaded machine: waits longer than a wait's default. */
const LOADED_MS = 30_000;

describe('confab chat and the web client', { skip: skipReason() }, () => {
  const suite = browserSuite();

  it('hold a conversation: a browser user and a terminal guest in one room', {
    timeout: 120_000,
  }, async (t) => {
    const { page } = await suite.open();
    const name = uniqueName('web');
    await signUp(page, name);
    const room = uniqueName('Porch');
    await createRoomInUi(page, room);
    await send(page, 'anyone on a terminal?');
    await waitForMessage(page, 'anyone on a terminal?');

    const chat = confab(['chat', '--url', suite.server.url, '--room', room]);
    t.after(() => chat.child.kill());
    await waitUntil(
      `the terminal to join ${room}`,
      () => chat.stdout().includes(`* joined ${room}`),
      LOADED_MS,
    );
    // The browser's line, with its time and author, in the terminal's history.
    await waitUntil('the browser line in the terminal', () =>
      new RegExp(`\\[\\d\\d:\\d\\d\\] ${name}\\S*: anyone on a terminal\\?`).test(chat.stdout()),
    );

    chat.child.stdin?.write('here, from a shell\n');
    await waitForMessage(page, 'here, from a shell');
    await send(page, 'welcome!');
    await waitUntil('the live reply in the terminal', () =>
      new RegExp(`\\] ${name}\\S*: welcome!`).test(chat.stdout()),
    );
    chat.child.stdin?.write('/quit\n');
    assert.equal(await chat.exited, 0, chat.stderr());
  });
});

/// <reference lib="dom" />
// The functions passed to page.evaluate run in the browser.

import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before } from 'node:test';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { createRoom, signup } from '../support/http.js';
import { type ConfabProcess, removeDataDir, startConfab } from '../support/server.js';
import { TestClient } from '../support/ws-client.js';

/** Debian's Chromium; playwright-core never downloads a browser of its own. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const ARTIFACTS = join(import.meta.dirname, '..', '..', 'test-artifacts', 'browser');
export const PASSWORD = 'correct horse battery';

/** Long enough for a slow CI machine, short enough that a hang fails fast. */
export const WAIT_MS = 10_000;

const REQUIRED = process.env.CONFAB_TEST_REQUIRE_SERVICES === '1';

/**
 * The reason to skip the browser tests, or undefined to run them. Without
 * Chromium they skip, unless CONFAB_TEST_REQUIRE_SERVICES=1 (CI), where the
 * launch then fails and says why.
 */
export function skipReason(): string | undefined {
  if (existsSync(CHROMIUM) || REQUIRED) return undefined;
  return `no Chromium at ${CHROMIUM}; run \`apt-get install chromium\` to enable the browser tests`;
}

export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `CONFAB_TEST_REQUIRE_SERVICES=1 but there is no Chromium at ${CHROMIUM}: apt-get install chromium`,
    );
  }
  mkdirSync(ARTIFACTS, { recursive: true });
  // playwright gives every launch a fresh, empty profile directory of its own.
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/**
 * The setup every browser test file shares, as `before` and `after` hooks
 * of the calling `describe`: a server (with `env`) and a browser, and at the
 * end, a check that no page logged an error, then both stopped and the
 * server's data removed. `open` gives a new person's page.
 */
export function browserSuite(env: Record<string, string> = {}) {
  const suite = {
    server: undefined as unknown as ConfabProcess,
    browser: undefined as unknown as Browser,
    viewers: [] as Viewer[],
    open: async (options: Parameters<typeof openViewer>[2] = {}): Promise<Viewer> => {
      const viewer = await openViewer(suite.browser, suite.server.url, options);
      suite.viewers.push(viewer);
      return viewer;
    },
  };
  before(async () => {
    [suite.server, suite.browser] = await Promise.all([startConfab(env), launchBrowser()]);
  });
  after(async () => {
    for (const viewer of suite.viewers) {
      assert.deepEqual(viewer.errors, [], 'no page errors, console errors or dialogs');
    }
    await suite.browser?.close();
    await suite.server?.stop();
    if (suite.server) removeDataDir(suite.server);
  });
  return suite;
}

export interface Viewer {
  context: BrowserContext;
  page: Page;
  /** Uncaught errors and console errors seen in the page. */
  errors: string[];
}

/** Stands in for the Notification API and for document.visibilityState; runs before the app. */
export const FAKE_NOTIFICATIONS = `
  window.__notifications = [];
  window.__hidden = false;
  window.Notification = class {
    static permission = 'granted';
    static requestPermission() { return Promise.resolve('granted'); }
    constructor(title, options) { window.__notifications.push({ title, body: options.body }); }
    close() {}
  };
  Object.defineProperty(document, 'visibilityState', {
    configurable: true,
    get: () => (window.__hidden ? 'hidden' : 'visible'),
  });
`;

export const DESKTOP = { width: 1280, height: 800 };
export const PHONE = { width: 375, height: 740 };

/** A fresh browser context (its own storage: another person), with its page's errors collected. */
export async function openViewer(
  browser: Browser,
  baseUrl: string,
  options: {
    viewport?: { width: number; height: number };
    dark?: boolean;
    /** Installs the socket switch that `cutConnection` uses. */
    cuttable?: boolean;
  } = {},
): Promise<Viewer> {
  const context = await browser.newContext({
    baseURL: baseUrl,
    viewport: options.viewport ?? DESKTOP,
    colorScheme: options.dark ? 'dark' : 'light',
    reducedMotion: 'reduce',
  });
  context.setDefaultTimeout(WAIT_MS);
  // tsx compiles tests with esbuild's keepNames: a function passed to page.evaluate may call its __name.
  await context.addInitScript('globalThis.__name ??= (fn) => fn;');
  if (options.cuttable) await context.addInitScript(SOCKET_SWITCH);
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (err) => errors.push(`pageerror: ${err.message}`));
  page.on('console', (message) => {
    if (
      message.type() !== 'error' ||
      expectedConsoleError(message.text(), message.location().url)
    ) {
      return;
    }
    errors.push(`console: ${message.text()} (${message.location().url})`);
  });
  page.on('dialog', (dialog) => {
    errors.push(`dialog: ${dialog.message()}`);
    void dialog.dismiss();
  });
  await page.goto('/');
  return { context, page, errors };
}

/**
 * What Chromium logs for failures a test causes on purpose: a refused
 * WebSocket while the server restarts, and the 404 of a room one may not see.
 */
function expectedConsoleError(text: string, url: string): boolean {
  if (/WebSocket|ERR_CONNECTION_REFUSED/.test(text)) return true;
  return /status of 404/.test(text) && /\/api\/room\/[^/]+$/.test(url);
}

let counter = 0;

/** A username that no other test (or earlier run on the same data) has taken. */
export function uniqueName(prefix: string): string {
  counter += 1;
  return `${prefix}${process.pid % 10_000}${counter}`;
}

/** Signs up through the form and waits for the signed-in app. */
export async function signUp(page: Page, username: string): Promise<void> {
  await page.getByRole('button', { name: 'Create account' }).first().click();
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.locator('form').getByRole('button', { name: 'Create account' }).click();
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
}

/** Opens a room from the sidebar by its name. */
export async function openRoom(page: Page, name: string): Promise<void> {
  await page.getByRole('navigation', { name: 'Room list' }).getByRole('link', { name }).click();
  await page.getByRole('heading', { level: 1, name }).waitFor();
}

export function messageBox(page: Page) {
  return page.getByRole('textbox', { name: 'Message', exact: true });
}

export async function send(page: Page, text: string): Promise<void> {
  await messageBox(page).fill(text);
  await messageBox(page).press('Enter');
}

/** The chat bubbles shown in the open conversation, confirmed (with a seq) or not. */
export function chatMessages(page: Page) {
  return page.getByRole('log').locator('.msg');
}

/** Waits until the log holds a confirmed message with exactly this text. */
export async function waitForMessage(page: Page, text: string): Promise<void> {
  await page
    .getByRole('log')
    .locator('.msg[data-status="sent"] .bubble', { hasText: text })
    .filter({ hasText: new RegExp(`^${escapeRegExp(text)}$`) })
    .first()
    .waitFor();
}

/** Texts of the confirmed messages in the log, in order. */
export async function confirmedTexts(page: Page): Promise<string[]> {
  return page.getByRole('log').locator('.msg[data-status="sent"] .bubble').allInnerTexts();
}

export async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`) });
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Polls `probe` until `accept` holds: for conditions no locator can wait on
 * (counts, orders). A deadline, never a fixed sleep.
 */
export async function eventually<T>(
  what: string,
  probe: () => Promise<T>,
  accept: (value: T) => boolean,
  timeoutMs = WAIT_MS,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T = await probe();
  while (!accept(last)) {
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for ${what}; last saw ${JSON.stringify(last)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
    last = await probe();
  }
  return last;
}

/** The seqs of the confirmed messages and notices in the open log, in page order. */
export async function shownSeqs(page: Page): Promise<number[]> {
  const values = await page
    .getByRole('log')
    .locator('[data-seq]')
    .evaluateAll((nodes) => nodes.map((node) => Number(node.getAttribute('data-seq'))));
  return values;
}

/**
 * A public room with a short conversation between two seeded people, made
 * over the API, so that a test can open a lived-in room of its own.
 */
export async function seedRoom(
  server: { url: string; wsUrl: string },
  name: string,
  lines: Array<[speaker: 0 | 1, text: string]>,
): Promise<string> {
  const people = [await signup(server.url, 'maya'), await signup(server.url, 'theo')];
  const roomId = await createRoom(server.url, people[0]!.token, { name });
  const clients = await Promise.all(
    people.map((p) => TestClient.connect(server.wsUrl, { token: p.token })),
  );
  for (const client of clients) await client.request({ type: 'join', roomId });
  for (const [speaker, text] of lines) {
    await clients[speaker]!.request({ type: 'send', roomId, message: text });
  }
  await Promise.all(clients.map((c) => c.close()));
  return roomId;
}

/** Creates a room through the "New room" dialog and waits for its conversation. */
export async function createRoomInUi(
  page: Page,
  name: string,
  visibility: 'public' | 'private' = 'public',
  beforeCreate?: () => Promise<void>,
): Promise<void> {
  await page.getByRole('button', { name: 'New room' }).first().click();
  const dialog = page.getByRole('dialog', { name: 'New room' });
  await dialog.getByLabel('Name').fill(name);
  if (visibility === 'private') await dialog.getByRole('radio', { name: /Private/ }).check();
  await beforeCreate?.();
  await dialog.getByRole('button', { name: 'Create room' }).click();
  if (name) await page.getByRole('heading', { level: 1, name }).waitFor();
  await messageBox(page).waitFor();
}

/** Signs a page in as an account made over the API, by storing its session as the client does. */
export async function signInAs(
  page: Page,
  account: { token: string; id: string; name: string },
): Promise<void> {
  const session = { token: account.token, user: { id: account.id, name: account.name } };
  await page.evaluate(
    (value) => localStorage.setItem('confab.session', value),
    JSON.stringify(session),
  );
  await page.reload();
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
}

/** Joins each room on a socket as `token`'s user, then leaves the socket: a member, offline. */
export async function joinRooms(
  server: { wsUrl: string },
  token: string,
  roomIds: readonly string[],
): Promise<void> {
  const client = await TestClient.connect(server.wsUrl, { token });
  for (const roomId of roomIds) await client.request({ type: 'join', roomId });
  await client.close();
}

/** Sends lines into a room as `token`'s user (a member), each confirmed before the next. */
export async function say(
  server: { wsUrl: string },
  token: string,
  roomId: string,
  lines: readonly string[],
): Promise<void> {
  const client = await TestClient.connect(server.wsUrl, { token });
  await client.request({ type: 'join', roomId });
  // Ids of their own: a repeated send id is stored once, and every new client counts from 1.
  for (const message of lines) {
    await client.request({ type: 'send', roomId, message, id: randomUUID() });
  }
  await client.close();
}

/** Two people over the API, both members of a new public room, each signed in a browser of their own. */
export async function twoInARoom(
  suite: ReturnType<typeof browserSuite>,
  roomName: string,
  options: {
    bobViewport?: { width: number; height: number };
    bobDark?: boolean;
    /** Whether Bob's page may have its WebSocket cut (see `cutConnection`). */
    bobCuttable?: boolean;
  } = {},
) {
  const { server } = suite;
  const alice = await signup(server.url, 'alice');
  const bob = await signup(server.url, 'bob');
  const roomId = await createRoom(server.url, alice.token, { name: roomName });
  await joinRooms(server, bob.token, [roomId]);
  const a = await suite.open();
  const b = await suite.open({
    ...(options.bobViewport ? { viewport: options.bobViewport } : {}),
    dark: options.bobDark ?? false,
    cuttable: options.bobCuttable ?? false,
  });
  await signInAs(a.page, alice);
  await signInAs(b.page, bob);
  await openRoom(a.page, roomName);
  await openRoom(b.page, roomName);
  return { alice, bob, roomId, a, b };
}

/**
 * Lets a test cut a page's WebSocket and keep it from reconnecting: every
 * socket the app opens is remembered, and while `__socketsCut` is set a new
 * one goes to a path where nothing answers the upgrade (refused, as in an outage).
 */
const SOCKET_SWITCH = `
  window.__sockets = [];
  window.__socketsCut = false;
  const NativeWebSocket = window.WebSocket;
  window.WebSocket = class extends NativeWebSocket {
    constructor(url, protocols) {
      const target = new URL(String(url));
      // A path with no WebSocket behind it: refused like a server that is down (and allowed by the CSP).
      if (window.__socketsCut) target.pathname = '/api/cut';
      super(target.href, protocols);
      window.__sockets.push(this);
    }
  };
`;

/** Closes the page's connection and keeps it down until `restoreConnection`. */
export async function cutConnection(page: Page): Promise<void> {
  await page.evaluate(() => {
    const w = window as unknown as { __socketsCut: boolean; __sockets: WebSocket[] };
    w.__socketsCut = true;
    for (const socket of w.__sockets) socket.close();
  });
  await page.getByTestId('connection-banner').waitFor();
}

/** Lets the page connect again; it does by itself within its backoff (at most 5 s). */
export async function restoreConnection(page: Page): Promise<void> {
  await page.evaluate(() => {
    (window as unknown as { __socketsCut: boolean }).__socketsCut = false;
    // What a browser says when the network is back: the client skips the rest of its wait.
    window.dispatchEvent(new Event('online'));
  });
  await page
    .getByTestId('connection-banner')
    .waitFor({ state: 'hidden', timeout: WAIT_MS + 5_000 });
}

/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
// The functions passed to page.evaluate run in the browser.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { createRoom, signup } from '../support/http.js';
import { type ConfabProcess, removeDataDir, startConfab } from '../support/server.js';
import {
  DESKTOP,
  joinRooms,
  launchBrowser,
  openRoom,
  openViewer,
  PHONE,
  say,
  screenshot,
  seedRoom,
  signInAs,
  signUp,
  skipReason,
  uniqueName,
  type Viewer,
  waitForMessage,
} from './harness.js';

/** Each test's deadline: a hang fails the test; a loaded machine takes its time. */
const LIMIT = { timeout: 90_000 };

/** A long lived-in conversation: runs of one speaker, so most messages continue a group. */
function longTalk(count: number): Array<[0 | 1, string]> {
  return Array.from({ length: count }, (_, i) => [
    (Math.floor(i / 4) % 2) as 0 | 1,
    `line ${i + 1}: ${'a fairly long sentence that wraps on a phone '.repeat(1 + (i % 3)).trim()}`,
  ]);
}

/** WCAG AA for body text. */
const AA = 4.5;

/** The grey texts the issue measured, and the other quiet texts of the same colour. */
const QUIET_TEXTS = {
  timestamps: '.msg-meta time',
  notices: '.notice-line',
  'section headings': '.room-section-title',
  'room times': '.room-link-age',
  'header subtitle': '.conversation-title p',
  'member summary': '.members-summary',
  'offline members': '.member:not(.member--online)',
  'day labels': '.day span',
  'composer hint': '.composer-hint',
};

/**
 * The lowest contrast ratio among the visible elements matching each
 * selector, from their computed colours: the text colour over the
 * background it actually sits on (the ancestors' backgrounds, blended).
 */
async function contrasts(page: Page): Promise<Record<string, number>> {
  return page.evaluate((selectors) => {
    const canvas = document.createElement('canvas');
    canvas.width = 1;
    canvas.height = 1;
    const ctx = canvas.getContext('2d', { willReadFrequently: true });
    if (!ctx) throw new Error('no canvas');
    // The canvas turns any CSS colour (rgb(), color(srgb …), color-mix results) into bytes.
    const rgba = (css: string): [number, number, number, number] => {
      ctx.clearRect(0, 0, 1, 1);
      ctx.fillStyle = css;
      ctx.fillRect(0, 0, 1, 1);
      const [r, g, b, a] = ctx.getImageData(0, 0, 1, 1).data;
      return [r ?? 0, g ?? 0, b ?? 0, (a ?? 0) / 255];
    };
    const over = (top: number[], below: number[]) =>
      [0, 1, 2].map((i) => (top[i] ?? 0) * (top[3] ?? 1) + (below[i] ?? 0) * (1 - (top[3] ?? 1)));
    const backgroundOf = (el: Element): number[] => {
      const layers: number[][] = [];
      for (let node: Element | null = el; node; node = node.parentElement) {
        const colour = rgba(getComputedStyle(node).backgroundColor);
        if (colour[3] > 0) layers.push(colour);
        if (colour[3] === 1) break;
      }
      let result = [255, 255, 255];
      for (const layer of layers.reverse()) result = over(layer, result);
      return result;
    };
    const luminance = (c: number[]) => {
      const [r, g, b] = c.map((v) => {
        const s = v / 255;
        return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
      });
      return 0.2126 * (r ?? 0) + 0.7152 * (g ?? 0) + 0.0722 * (b ?? 0);
    };
    const out: Record<string, number> = {};
    for (const [name, selector] of Object.entries(selectors)) {
      for (const el of document.querySelectorAll(selector)) {
        const box = el.getBoundingClientRect();
        if (box.width === 0 || box.height === 0) continue;
        const background = backgroundOf(el);
        const text = over(rgba(getComputedStyle(el).color), background);
        const [hi, lo] = [luminance(text), luminance(background)].sort((a, b) => b - a);
        const ratio = ((hi ?? 0) + 0.05) / ((lo ?? 0) + 0.05);
        out[name] = Math.min(out[name] ?? Number.POSITIVE_INFINITY, Math.round(ratio * 100) / 100);
      }
    }
    return out;
  }, QUIET_TEXTS);
}

describe('the web client keeps its shape', { skip: skipReason() }, () => {
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

  it('never scrolls the app off the screen, on a desktop or a phone', LIMIT, async () => {
    const lines = longTalk(48);
    await seedRoom(server, 'Long talk', lines);
    for (const [size, viewport] of [
      ['desktop', DESKTOP],
      ['phone', PHONE],
    ] as const) {
      const { page } = await open({ viewport });
      await signUp(page, uniqueName(size));
      await openRoom(page, 'Long talk');
      await waitForMessage(page, lines.at(-1)?.[1] ?? '');
      for (const target of [page.getByRole('log'), page.locator('.conversation-head')]) {
        const box = await target.boundingBox();
        assert.ok(box);
        await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
        await page.mouse.wheel(0, -2500);
        await page.mouse.wheel(0, 2500);
      }
      const measured = await page.evaluate(() => ({
        height: document.scrollingElement?.scrollHeight,
        window: window.innerHeight,
        scrolled: window.scrollY,
      }));
      assert.deepEqual(
        measured,
        { height: viewport.height, window: viewport.height, scrolled: 0 },
        `the page is exactly the window (${size})`,
      );
      const head = await page.locator('.conversation-head').boundingBox();
      assert.equal(head?.y, 0, `the header stays at the top (${size})`);
    }
  });

  it('keeps every unread badge in view beside an 80-character room name', LIMIT, async () => {
    const me = await signup(server.url, 'reader');
    const other = await signup(server.url, 'writer');
    const longName =
      'The quarterly planning thread for every regional office north of the equator, ok';
    assert.equal(longName.length, 80);
    const names = [longName, 'Short', 'Another room'];
    const roomIds: string[] = [];
    for (const name of names) roomIds.push(await createRoom(server.url, other.token, { name }));
    await joinRooms(server, me.token, roomIds);
    for (const roomId of roomIds) await say(server, other.token, roomId, ['news', 'more news']);

    const { page } = await open();
    await signInAs(page, me);
    const sidebar = page.getByRole('navigation', { name: 'Room list' });
    const bounds = await sidebar.boundingBox();
    assert.ok(bounds);
    for (const name of names) {
      const link = sidebar.getByRole('link', { name: new RegExp(`^${name}, 2 unread$`) });
      await link.waitFor();
      const badge = await link.locator('.badge').boundingBox();
      const age = await link.locator('.room-link-age').boundingBox();
      const row = await link.boundingBox();
      assert.ok(badge && age && row);
      assert.ok(row.width <= bounds.width, `the row of ${name} fits the sidebar (${row.width})`);
      for (const part of [badge, age]) {
        assert.ok(
          part.x >= bounds.x && part.x + part.width <= bounds.x + bounds.width,
          `the badge and time of ${name} are in view`,
        );
      }
    }
    const cut = await sidebar
      .getByRole('link', { name: new RegExp(`^${longName}`) })
      .locator('.room-link-name')
      .evaluate((el) => ({
        overflow: getComputedStyle(el).textOverflow,
        cut: el.scrollWidth > el.clientWidth,
      }));
    assert.deepEqual(cut, { overflow: 'ellipsis', cut: true }, 'the long name ends in an ellipsis');
    await screenshot(page, '20-long-room-name');
  });

  it('gives quiet text at least 4.5:1 contrast, in light and in dark', LIMIT, async () => {
    await seedRoom(server, 'Contrast', [
      [0, 'Timestamps, notices and headings must stay readable'],
      [1, 'Even the grey ones'],
    ]);
    for (const dark of [false, true]) {
      const { page } = await open({ dark });
      const name = uniqueName(dark ? 'night' : 'day');
      await signUp(page, name);
      await openRoom(page, 'Contrast');
      await page.getByRole('button', { name: 'Join room' }).click();
      await page.getByRole('log').getByText(`${name} joined the room`).waitFor();
      await page.getByRole('complementary', { name: /Members/ }).waitFor();
      const found = await contrasts(page);
      for (const what of Object.keys(QUIET_TEXTS).filter((k) => k !== 'offline members')) {
        assert.ok(found[what] !== undefined, `${what} are on screen to measure`);
      }
      for (const [what, ratio] of Object.entries(found)) {
        assert.ok(ratio >= AA, `${what} at ${ratio}:1 in ${dark ? 'dark' : 'light'} mode`);
      }
      await screenshot(page, `21-contrast-${dark ? 'dark' : 'light'}`);
    }
  });

  it('keeps the day label from covering the messages it dates', LIMIT, async () => {
    const lines = longTalk(40);
    await seedRoom(server, 'Day labels', lines);
    const { page } = await open();
    await signUp(page, uniqueName('days'));
    await openRoom(page, 'Day labels');
    await waitForMessage(page, lines.at(-1)?.[1] ?? '');
    const log = page.getByRole('log');
    for (const share of [0.25, 0.5, 0.75]) {
      const overlaps = await log.evaluate((el, at) => {
        el.scrollTop = (el.scrollHeight - el.clientHeight) * at;
        const view = el.getBoundingClientRect();
        const bodies = [...el.querySelectorAll('.msg-body')].map((b) => b.getBoundingClientRect());
        const hits: string[] = [];
        for (const label of el.querySelectorAll('.day span')) {
          const l = label.getBoundingClientRect();
          if (l.bottom <= view.top || l.top >= view.bottom) continue;
          for (const b of bodies) {
            const x = Math.min(l.right, b.right) - Math.max(l.left, b.left);
            const y = Math.min(l.bottom, b.bottom) - Math.max(l.top, b.top);
            if (x > 0 && y > 0) hits.push(`${Math.round(x)}x${Math.round(y)}`);
          }
        }
        return hits;
      }, share);
      assert.deepEqual(overlaps, [], `no day label lies over a message at ${share * 100}%`);
    }
  });
});

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { CLIENT_FRAMES } from '../../src/protocol/frames.js';

const ROOT = join(import.meta.dirname, '..', '..');
const docs = readFileSync(join(ROOT, 'docs', 'protocol.md'), 'utf8');
const source = readFileSync(join(ROOT, 'src', 'protocol', 'frames.ts'), 'utf8');
const clientSection = docs.slice(
  docs.indexOf('### Client to server'),
  docs.indexOf('### Server to client'),
);
const websocketSection = docs.slice(docs.indexOf('## WebSocket'), docs.indexOf('## Errors'));

/** The server's frame types, read from the `ServerFrame` union's text (types leave nothing at run time). */
const union = source.slice(source.indexOf('export type ServerFrame'));
const SERVER_TYPES = [...new Set([...union.matchAll(/type: '([a-z_]+)'/g)].map((m) => m[1]))];
const CLIENT_TYPES = Object.keys(CLIENT_FRAMES);

describe('the WebSocket frames and the docs', () => {
  it('finds the frame types in the code', () => {
    assert.ok(SERVER_TYPES.length >= 10, `read ${SERVER_TYPES.join(', ')}`);
    assert.ok(SERVER_TYPES.includes('error') && SERVER_TYPES.includes('welcome'));
  });

  it('documents every client frame in the client-to-server table', () => {
    for (const type of CLIENT_TYPES) {
      assert.match(
        clientSection,
        new RegExp(`^\\| \`\\{"type":"${type}"`, 'm'),
        `docs/protocol.md lacks a row for the client frame ${type}`,
      );
    }
  });

  it('documents every server frame', () => {
    for (const type of SERVER_TYPES) {
      assert.ok(
        websocketSection.includes(`{"type":"${type}"`),
        `docs/protocol.md does not show the server frame ${type}`,
      );
    }
  });

  it('documents no frame type the code does not have', () => {
    const documented = new Set(
      [...websocketSection.matchAll(/\{"type":"([a-z_]+)"/g)].map((m) => m[1] as string),
    );
    const known = new Set([...CLIENT_TYPES, ...SERVER_TYPES]);
    assert.deepEqual(
      [...documented].filter((type) => !known.has(type)),
      [],
    );
  });
});

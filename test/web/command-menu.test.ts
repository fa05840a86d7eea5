import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { commandMatches, completion } from '../../web/src/chat/command-menu.js';

const COMMANDS = [
  { name: 'help', usage: '/help', help: 'Lists the commands.' },
  { name: 'stock', usage: '/stock=<symbol>', help: 'A quote.' },
  { name: 'time', usage: '/time=<zone>', help: 'The time.' },
];

describe('the command menu', () => {
  it('offers every command for "/", and those that start with what follows', () => {
    assert.deepEqual(
      commandMatches(COMMANDS, '/').map((c) => c.name),
      ['help', 'stock', 'time'],
    );
    assert.deepEqual(
      commandMatches(COMMANDS, '/ST').map((c) => c.name),
      ['stock'],
    );
  });

  it('offers nothing once the name is complete, arguments begin, or the text is no command', () => {
    assert.deepEqual(commandMatches(COMMANDS, '/help'), []);
    assert.deepEqual(commandMatches(COMMANDS, '/stock='), []);
    assert.deepEqual(commandMatches(COMMANDS, '/stock aapl'), []);
    assert.deepEqual(commandMatches(COMMANDS, 'hello /'), []);
    assert.deepEqual(commandMatches(COMMANDS, ''), []);
  });

  it('completes to the name and the "=" its usage shows', () => {
    assert.equal(completion(COMMANDS[0]!), '/help');
    assert.equal(completion(COMMANDS[1]!), '/stock=');
    assert.equal(completion({ name: 'roll', usage: '/roll <sides>', help: '' }), '/roll ');
  });
});

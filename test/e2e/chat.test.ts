import { after, before, describe } from 'node:test';
import { chatFlows } from '../flows/chat-flows.js';
import { type ConfabProcess, removeDataDir, startConfab } from '../support/server.js';

describe('chatting over /api/ws', () => {
  let server: ConfabProcess;

  before(async () => {
    server = await startConfab();
  });
  after(async () => {
    await server.stop();
    removeDataDir(server);
  });

  chatFlows(() => ({ nodes: [server] }));
});

import { after, before, describe } from 'node:test';
import { socialFlows } from '../flows/social-flows.js';
import { type ConfabProcess, removeDataDir, startConfab } from '../support/server.js';

describe('direct rooms, groups, blocks and contacts on the embedded store', () => {
  let server: ConfabProcess;

  before(async () => {
    server = await startConfab();
  });
  after(async () => {
    await server.stop();
    removeDataDir(server);
  });

  socialFlows(() => ({ nodes: [server] }));
});

import { after, before, describe } from 'node:test';
import { chatFlows } from '../flows/chat-flows.js';
import { Cluster } from '../support/cluster.js';
import { skipUnless } from '../support/services.js';

describe('chatting across a 3-node cluster', {
  skip: skipUnless('DATABASE_URL', 'REDIS_URL'),
}, () => {
  let cluster: Cluster;

  before(async () => {
    cluster = await Cluster.start({ nodes: 3 });
  });
  after(() => cluster.stop());

  chatFlows(() => cluster);
});

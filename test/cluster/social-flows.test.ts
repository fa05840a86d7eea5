import { after, before, describe } from 'node:test';
import { socialFlows } from '../flows/social-flows.js';
import { Cluster } from '../support/cluster.js';
import { skipUnless } from '../support/services.js';

describe('direct rooms, groups, blocks and contacts across a 3-node cluster', {
  skip: skipUnless('DATABASE_URL', 'REDIS_URL'),
}, () => {
  let cluster: Cluster;

  before(async () => {
    cluster = await Cluster.start({ nodes: 3 });
  });
  after(() => cluster.stop());

  socialFlows(() => cluster);
});

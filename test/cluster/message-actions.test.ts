import { after, before, describe } from 'node:test';
import pg from 'pg';
import { type ActionTarget, actionFlows } from '../flows/action-flows.js';
import { Cluster } from '../support/cluster.js';
import { skipUnless } from '../support/services.js';

describe('replies, edits, deletions, reactions, topics and search across a 2-node cluster', {
  skip: skipUnless('DATABASE_URL', 'REDIS_URL'),
}, () => {
  let cluster: Cluster;
  const target: ActionTarget = { nodes: [], deletedWords: [] };

  before(async () => {
    cluster = await Cluster.start({ nodes: 2 });
    target.nodes = cluster.nodes;
    // Every row of every table that holds text: a deleted message's text is in none.
    target.storedCount = async (text) => {
      const client = new pg.Client({ connectionString: cluster.database.url });
      await client.connect();
      try {
        const { rows } = await client.query(
          `select (select count(*) from messages where strpos(body, $1) > 0)
             + (select count(*) from reactions where strpos(emoji, $1) > 0) as n`,
          [text],
        );
        return Number(rows[0].n);
      } finally {
        await client.end();
      }
    };
  });
  after(() => cluster.stop());

  actionFlows(() => target);
});

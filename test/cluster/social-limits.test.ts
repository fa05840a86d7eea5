import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Cluster } from '../support/cluster.js';
import { skipUnless } from '../support/services.js';

describe('signups and new direct rooms counted across a 2-node cluster (Redis)', {
  skip: skipUnless('DATABASE_URL', 'REDIS_URL'),
}, () => {
  let cluster: Cluster;

  before(async () => {
    cluster = await Cluster.start({
      nodes: 2,
      env: {
        RATE_LIMITS: 'on',
        TRUST_PROXY: 'true',
        SIGNUP_RATE: '3/1h',
        ROOM_CREATE_RATE: '2/1m',
      },
    });
  });
  after(() => cluster.stop());

  /** A JSON call to node `i` as if from `address`. */
  const from = async (
    i: number,
    address: string,
    method: string,
    path: string,
    body: unknown,
    token?: string,
  ) => {
    const node = cluster.nodes[i % cluster.nodes.length] as (typeof cluster.nodes)[number];
    const response = await fetch(`${node.url}${path}`, {
      method,
      headers: {
        'x-forwarded-for': address,
        'content-type': 'application/json',
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      body: JSON.stringify(body),
    });
    return { status: response.status, body: await response.json() };
  };
  const account = (i: number, address: string, name: string) =>
    from(i, address, 'POST', '/api/signup', {
      username: `${name}${process.pid}`,
      password: 'correct horse',
    });

  it('refuses the fourth signup from one address, whichever node each reaches', async () => {
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await account(i, '10.9.0.1', `cs${i}x`)).status);
    assert.deepEqual(statuses, [201, 201, 201, 429]);
  });

  it('counts new direct rooms on both nodes against one ROOM_CREATE_RATE', async () => {
    type Session = { token: string; user: { id: string } };
    const people: Session[] = [];
    for (let i = 0; i < 4; i++) {
      const made = await account(i, `10.9.1.${i}`, `cd${i}x`);
      assert.equal(made.status, 201);
      people.push(made.body as Session);
    }
    const [me, ...others] = people as [Session, ...Session[]];
    const dm = (i: number, peer: Session | undefined) =>
      from(i, '10.9.2.1', 'POST', '/api/dm', { userId: peer?.user.id }, me.token);
    const statuses = [
      (await dm(0, others[0])).status,
      (await dm(1, others[0])).status, // found again: not counted
      (await dm(1, others[1])).status,
      (await dm(0, others[2])).status,
    ];
    assert.deepEqual(statuses, [200, 200, 200, 429]);
  });
});

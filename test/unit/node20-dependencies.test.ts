// Two transitive dependencies declare `node >=22` while their code runs on
// Node 20: content-disposition (under @fastify/static, for `reply.download`)
// and cookie (under light-my-request, behind `fastify.inject`). npm warns
// about them on install; these tests show that what their dependents call
// works on the Node that runs the suite (docs/development.md).
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { describe, it } from 'node:test';

const requireFrom = (dependent: string) =>
  createRequire(createRequire(import.meta.url).resolve(dependent));

describe('dependencies whose engines field says node >=22', () => {
  it('content-disposition builds the header @fastify/static sends', () => {
    const { create, parse } = requireFrom('@fastify/static')('content-disposition');
    const header = create('naïve report.txt');
    assert.equal(
      header,
      'attachment; filename="na?ve report.txt"; filename*=UTF-8\'\'na%C3%AFve%20report.txt',
    );
    assert.equal(parse(header).parameters.filename, 'naïve report.txt');
  });

  it('cookie parses and serializes as light-my-request uses it', () => {
    const cookie = requireFrom('light-my-request')('cookie');
    assert.deepEqual({ ...cookie.parseCookie('a=1; b=x%20y') }, { a: '1', b: 'x y' });
    assert.equal(
      cookie.stringifySetCookie({ name: 'sid', value: 'v 1', httpOnly: true }),
      'sid=v%201; HttpOnly',
    );
  });

  it('fastify.inject carries cookies both ways', async () => {
    const { default: Fastify } = await import('fastify');
    const app = Fastify();
    app.get('/', (request, reply) => {
      reply.header('set-cookie', 'seen=yes; Path=/');
      return { cookie: request.headers.cookie };
    });
    const response = await app.inject({ method: 'GET', url: '/', cookies: { who: 'me' } });
    assert.deepEqual(response.json(), { cookie: 'who=me' });
    assert.equal(response.cookies[0]?.name, 'seen');
    await app.close();
  });
});

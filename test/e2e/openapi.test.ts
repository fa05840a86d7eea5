import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parseConfig } from '../../src/config/config.js';
import { createLogger } from '../../src/logger.js';
import { type RunningServer, startServer } from '../../src/server.js';

interface OpenApiDocument {
  openapi: string;
  paths: Record<string, Record<string, { tags?: string[]; summary?: string }>>;
}

// In process, so that the test can read the routes the server registered.
describe('the OpenAPI document', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'confab-openapi-'));
  let server: RunningServer;
  let base: string;
  let doc: OpenApiDocument;

  before(async () => {
    const config = parseConfig({
      HOST: '127.0.0.1',
      PORT: '0',
      DATA_DIR: dataDir,
      LOG_LEVEL: 'silent',
    });
    server = await startServer(config, createLogger(config.log));
    base = `http://127.0.0.1:${server.port}`;
    const answer = await fetch(`${base}/api/openapi.json`);
    assert.equal(answer.status, 200);
    doc = (await answer.json()) as OpenApiDocument;
  });

  after(async () => {
    await server.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const documented = () =>
    Object.entries(doc.paths).flatMap(([path, operations]) =>
      Object.keys(operations).map(
        (method) => `${method.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`,
      ),
    );

  it('is OpenAPI 3 and lists every route, and only routes that exist', () => {
    assert.match(doc.openapi, /^3\./);
    assert.deepEqual(documented().sort(), [...server.routes].sort());
    assert.ok(server.routes.includes('POST /api/signup'));
    assert.ok(server.routes.includes('GET /api/room/:roomId/messages'));
  });

  it('carries the schemas that validate the requests', () => {
    const signup = doc.paths['/api/signup']?.post as Record<string, any>;
    const body = signup.requestBody.content['application/json'].schema;
    assert.deepEqual(Object.keys(body.properties).sort(), ['password', 'username']);
    const history = doc.paths['/api/room/{roomId}/messages']?.get as Record<string, any>;
    const names = (history.parameters as Array<{ name: string; in: string }>).map(
      (p) => `${p.in}:${p.name}`,
    );
    assert.deepEqual(names.sort(), ['path:roomId', 'query:after', 'query:before', 'query:limit']);
    for (const operations of Object.values(doc.paths)) {
      for (const operation of Object.values(operations)) {
        assert.ok(operation.tags?.length && operation.summary, JSON.stringify(operation));
      }
    }
  });

  it('documents routes that answer (none is the not-found answer)', async () => {
    for (const route of documented()) {
      const [method, path] = route.split(' ') as [string, string];
      const url = `${base}${path.replace(/:\w+/g, 'no-such-room')}`;
      const answer = await fetch(url, {
        method,
        headers: method === 'POST' ? { 'content-type': 'application/json' } : {},
        body: method === 'POST' ? '{}' : undefined,
      });
      const text = await answer.text();
      assert.ok(!text.includes('"not_found"'), `${route} answered ${answer.status} ${text}`);
    }
  });

  it('has a page at /docs served from the package, nothing from another site', async () => {
    const page = await fetch(`${base}/docs/`);
    assert.equal(page.status, 200);
    const html = await page.text();
    const sources = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1] as string);
    assert.ok(sources.length > 0);
    for (const source of sources) assert.doesNotMatch(source, /^(https?:)?\/\//, source);
    const script = sources.find((s) => s.endsWith('swagger-ui-bundle.js')) as string;
    const bundle = await fetch(new URL(script, `${base}/docs/`));
    assert.equal(bundle.status, 200);
    // One document: the page reads /api/openapi.json, and the plugin's /docs/json leads there.
    const init = await fetch(`${base}/docs/static/swagger-initializer.js`);
    const urls = /"urls":\[\{"url":"([^"]+)"/.exec(await init.text());
    assert.equal(new URL(urls?.[1] as string, `${base}/docs/`).pathname, '/api/openapi.json');
    assert.equal(new URL(urls?.[1] as string, `${base}/docs`).pathname, '/api/openapi.json');
    const moved = await fetch(`${base}/docs/json`, { redirect: 'manual' });
    assert.equal(moved.status, 302);
    const target = new URL(moved.headers.get('location') as string, `${base}/docs/json`);
    assert.equal(target.pathname, '/api/openapi.json');
  });
});

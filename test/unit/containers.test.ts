import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';

// Docker does not run in CI: these checks keep the container files true to
// the configuration and the docs, which is what can drift unseen.
const ROOT = join(import.meta.dirname, '..', '..');
const read = (...path: string[]) => readFileSync(join(ROOT, ...path), 'utf8');
const compose = read('compose.yaml');
const dockerfile = read('Dockerfile');
const operations = read('docs', 'operations.md');
const config = read('src', 'config', 'config.ts');

/** UPPER_CASE keys of `environment:` maps, and `${NAME}` references. */
function variables(text: string): string[] {
  const keys = [...text.matchAll(/^\s+([A-Z][A-Z0-9_]+):/gm)].map((m) => m[1] as string);
  const refs = [...text.matchAll(/\$\{([A-Z][A-Z0-9_]+)/g)].map((m) => m[1] as string);
  return [...new Set([...keys, ...refs])];
}

describe('the container files', () => {
  it('documents every variable of compose.yaml in docs/operations.md', () => {
    const names = variables(compose);
    assert.ok(names.includes('DATABASE_URL') && names.includes('POSTGRES_PASSWORD'));
    for (const name of names) {
      assert.ok(operations.includes(`\`${name}\``), `docs/operations.md does not name ${name}`);
    }
  });

  it("gives Confab's nodes only settings the server reads", () => {
    const block = compose.slice(compose.indexOf('x-confab:'), compose.indexOf('\nservices:'));
    const names = variables(block);
    assert.ok(names.length >= 5);
    for (const name of names)
      assert.ok(config.includes(`'${name}'`), `config.ts does not read ${name}`);
  });

  it('builds in stages, runs as a non-root user without dev dependencies, checks readiness', () => {
    assert.ok((dockerfile.match(/^FROM /gm) ?? []).length >= 2, 'multi-stage');
    assert.match(dockerfile, /^USER node$/m);
    assert.match(dockerfile, /npm ci --omit=dev/);
    assert.match(dockerfile, /^HEALTHCHECK [\s\S]*\/api\/readyz/m);
    for (const [, name] of dockerfile.matchAll(/^\s*(?:ENV )?([A-Z][A-Z0-9_]+)=/gm)) {
      assert.ok(operations.includes(`\`${name}\``), `docs/operations.md does not name ${name}`);
    }
    assert.match(read('deploy', 'Caddyfile'), /health_uri \/api\/readyz/);
  });

  it('keeps /metrics off the proxy: Prometheus scrapes each node inside the network', () => {
    assert.match(read('deploy', 'Caddyfile'), /^\s*respond \/metrics\* 404$/m);
  });
});

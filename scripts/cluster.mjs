// `npm run cluster`: three Confab nodes on this machine, sharing one PostgreSQL
// database and one Redis, on ports 8081-8083. Ctrl-C stops them all.
//
//   DATABASE_URL  default postgres://postgres@127.0.0.1:5432/confab (created if missing)
//   REDIS_URL     default redis://127.0.0.1:6379
//   JWT_SECRET    default: generated once into ./data/cluster-secret
//   CLUSTER_NODES, CLUSTER_PORT  how many nodes (3), the first port (8081)
// Every other variable (LOG_LEVEL, PRESENCE_TTL, ...) is passed to the nodes.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import pg from 'pg';

const root = join(import.meta.dirname, '..');
const main = join(root, 'dist', 'src', 'main.js');
const databaseUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/confab';
const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const count = Number(process.env.CLUSTER_NODES ?? 3);
const firstPort = Number(process.env.CLUSTER_PORT ?? 8081);
const dataDir = join(process.cwd(), 'data');

if (!existsSync(main)) {
  console.error('cluster: dist/src/main.js is missing; run `npm run build` first');
  process.exit(1);
}
await ensureDatabase(databaseUrl);
const jwtSecret = process.env.JWT_SECRET ?? clusterSecret();

const children = [];
let stopping = false;
for (let i = 0; i < count; i++) {
  const port = firstPort + i;
  const child = spawn(process.execPath, [main], {
    env: {
      ...process.env,
      HOST: process.env.HOST ?? '127.0.0.1',
      PORT: String(port),
      DATA_DIR: join(dataDir, 'cluster', `node${i + 1}`),
      DATABASE_URL: databaseUrl,
      REDIS_URL: redisUrl,
      JWT_SECRET: jwtSecret,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const name = `node${i + 1}`;
  for (const stream of [child.stdout, child.stderr]) {
    createInterface({ input: stream }).on('line', (line) => {
      process.stdout.write(`[${name}] ${line}\n`);
      if (line.includes('"confab listening"')) {
        process.stdout.write(
          `cluster: ${name} at http://127.0.0.1:${port}  ws://127.0.0.1:${port}/api/ws\n`,
        );
      }
    });
  }
  child.on('exit', (code, signal) => {
    process.stdout.write(`cluster: ${name} exited (${signal ?? code})\n`);
    if (!stopping) stop(1);
  });
  children.push(child);
}

function stop(code = 0) {
  if (stopping) return;
  stopping = true;
  process.stdout.write('cluster: stopping every node\n');
  const running = children.filter((child) => child.exitCode === null && child.signalCode === null);
  let left = running.length;
  if (left === 0) process.exit(code);
  for (const child of running) {
    child.once('exit', () => {
      left -= 1;
      if (left === 0) process.exit(code);
    });
    child.kill('SIGTERM');
  }
}
process.on('SIGINT', () => stop(0));
process.on('SIGTERM', () => stop(0));

/** Creates the database named in `url` when the server has none of that name. */
async function ensureDatabase(url) {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
  try {
    await client.connect();
    await client.end();
    return;
  } catch (err) {
    await client.end().catch(() => {});
    if (err.code !== '3D000') throw err;
  }
  const name = decodeURIComponent(new URL(url).pathname.slice(1));
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const adminClient = new pg.Client({ connectionString: admin.toString() });
  await adminClient.connect();
  try {
    await adminClient.query(`CREATE DATABASE "${name.replaceAll('"', '""')}"`);
    process.stdout.write(`cluster: created database ${name}\n`);
  } finally {
    await adminClient.end();
  }
}

/** One secret for every node, generated on first use and kept in ./data/cluster-secret. */
function clusterSecret() {
  const file = join(dataDir, 'cluster-secret');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(32).toString('hex');
  writeFileSync(file, `${secret}\n`, { mode: 0o600 });
  return secret;
}

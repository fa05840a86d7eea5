/**
 * Tests that need PostgreSQL, Redis or RabbitMQ run when the variable naming
 * the service is set, and skip with one line saying how to enable them
 * otherwise. CI sets CONFAB_TEST_REQUIRE_SERVICES=1: there a missing service
 * is a failure, never a skip.
 */
export type ServiceVariable = 'DATABASE_URL' | 'REDIS_URL' | 'AMQP_URL';

const HOW = {
  DATABASE_URL: 'DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres',
  REDIS_URL: 'REDIS_URL=redis://127.0.0.1:6379',
  AMQP_URL: 'AMQP_URL=amqp://guest:guest@127.0.0.1:5672',
} as const;

/** `false` when every service is configured, else the skip reason (for `describe(name, { skip })`). */
export function skipUnless(...variables: ServiceVariable[]): string | false {
  const missing = variables.filter((v) => !process.env[v]);
  if (missing.length === 0) return false;
  const reason = `needs ${missing.join(', ')}: run with ${missing.map((v) => HOW[v]).join(' ')}`;
  if (process.env.CONFAB_TEST_REQUIRE_SERVICES === '1') {
    throw new Error(`CONFAB_TEST_REQUIRE_SERVICES=1 but this test ${reason}`);
  }
  return reason;
}

/** A prefix unique to this test run, for databases, Redis keys and channels, and queues. */
export const RUN_ID = `confab_t${process.pid}_${Date.now().toString(36)}`;

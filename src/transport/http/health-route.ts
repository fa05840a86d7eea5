import type { FastifyInstance } from 'fastify';

export type HealthReport = Record<string, 'ok' | 'down'>;

/**
 * Liveness and readiness. `/api/healthz`: 200 `{status:"ok"}` while every
 * dependency answers, else 503 with which did not. `/api/readyz`: the same,
 * and 503 `draining` once shutdown began, so a load balancer stops sending
 * new connections here before they would be refused.
 */
export function healthRoutes(
  app: FastifyInstance,
  check: () => Promise<HealthReport>,
  isDraining: () => boolean,
): void {
  const healthz = {
    tags: ['operations'],
    summary: 'Liveness: 200 while the store and the bus answer, else 503 naming what is down',
  };
  app.get('/api/healthz', { schema: healthz }, async (_request, reply) => {
    const report = await check();
    const healthy = Object.values(report).every((state) => state === 'ok');
    return reply
      .status(healthy ? 200 : 503)
      .send({ status: healthy ? 'ok' : 'unavailable', ...report });
  });
  const readyz = {
    tags: ['operations'],
    summary:
      'Readiness: 200 while the node takes new connections; 503 while draining or a dependency is down',
  };
  app.get('/api/readyz', { schema: readyz }, async (_request, reply) => {
    if (isDraining()) return reply.status(503).send({ status: 'draining' });
    const report = await check();
    const ready = Object.values(report).every((state) => state === 'ok');
    return reply
      .status(ready ? 200 : 503)
      .send({ status: ready ? 'ready' : 'unavailable', ...report });
  });
}

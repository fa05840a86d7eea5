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
  app.get('/api/healthz', async (_request, reply) => {
    const report = await check();
    const healthy = Object.values(report).every((state) => state === 'ok');
    return reply
      .status(healthy ? 200 : 503)
      .send({ status: healthy ? 'ok' : 'unavailable', ...report });
  });
  app.get('/api/readyz', async (_request, reply) => {
    if (isDraining()) return reply.status(503).send({ status: 'draining' });
    const report = await check();
    const ready = Object.values(report).every((state) => state === 'ok');
    return reply
      .status(ready ? 200 : 503)
      .send({ status: ready ? 'ready' : 'unavailable', ...report });
  });
}

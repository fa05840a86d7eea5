import type { FastifyInstance } from 'fastify';

export type HealthReport = Record<string, 'ok' | 'down'>;

/** 200 `{status:"ok"}` while every dependency answers, else 503 with which did not. */
export function healthRoute(app: FastifyInstance, check: () => Promise<HealthReport>): void {
  app.get('/api/healthz', async (_request, reply) => {
    const report = await check();
    const healthy = Object.values(report).every((state) => state === 'ok');
    return reply
      .status(healthy ? 200 : 503)
      .send({ status: healthy ? 'ok' : 'unavailable', ...report });
  });
}

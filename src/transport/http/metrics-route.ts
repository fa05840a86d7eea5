import type { FastifyInstance } from 'fastify';
import type { Metrics } from '../../core/ports/metrics.js';

export type RenderMetrics = () => Promise<{ contentType: string; body: string }>;

/** `GET /metrics` in Prometheus' text format, and every HTTP error answer counted by code. */
export function metricsRoute(app: FastifyInstance, metrics: Metrics, render: RenderMetrics): void {
  const schema = {
    tags: ['operations'],
    summary: "Prometheus metrics, in Prometheus' text format",
  };
  app.get('/metrics', { schema }, async (_request, reply) => {
    const { contentType, body } = await render();
    return reply.type(contentType).send(body);
  });
  app.addHook('onSend', async (_request, reply, payload) => {
    if (reply.statusCode >= 400 && typeof payload === 'string') {
      metrics.error(errorCode(payload) ?? 'unknown');
    }
    return payload;
  });
}

/** The code of the contract's error body `{error:{code}}`, if the payload is one. */
function errorCode(payload: string): string | undefined {
  try {
    const code = (JSON.parse(payload) as { error?: { code?: unknown } }).error?.code;
    return typeof code === 'string' ? code : undefined;
  } catch {
    return undefined;
  }
}

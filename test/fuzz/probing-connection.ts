import WebSocket from 'ws';

export type Frame = Record<string, unknown> & { type: string };

interface Probe {
  id: string;
  input: string | Uint8Array;
  answers: Frame[];
  resolve(answers: Frame[]): void;
  reject(error: Error): void;
  timer: NodeJS.Timeout;
}

/**
 * A fuzzing connection that pipelines its inputs: each one is followed by a
 * ping with an id of its own, and many may be in flight at once. The server
 * handles a connection's frames in arrival order, so the frames that arrive
 * after one probe's pong and before the next one's are the answers to that
 * probe's input, and the pong proves the input was handled.
 *
 * It keeps no frame once its probe is answered: the scan of a growing list
 * of frames for each reply, as TestClient does, made long runs quadratic.
 */
export class ProbingConnection {
  /** Inputs sent, oldest first, whose pong has not come yet. */
  private readonly inFlight: Probe[] = [];
  private counter = 0;
  /** Random, so that no generated ping's id can pass for a probe's. */
  private readonly prefix = `probe-${crypto.randomUUID()}-`;
  closeCode: number | undefined;
  readonly closed: Promise<number>;

  private constructor(private readonly ws: WebSocket) {
    ws.on('message', (data) => this.receive(JSON.parse(data.toString()) as Frame));
    this.closed = new Promise((resolve) =>
      ws.on('close', (code) => {
        this.closeCode = code;
        for (const probe of this.inFlight.splice(0)) {
          clearTimeout(probe.timer);
          probe.reject(new Error(`closed with ${code} after ${shown(probe.input)}`));
        }
        resolve(code);
      }),
    );
  }

  static async open(wsUrl: string, token: string): Promise<ProbingConnection> {
    const ws = new WebSocket(`${wsUrl}/api/ws?token=${encodeURIComponent(token)}`);
    const connection = new ProbingConnection(ws);
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    return connection;
  }

  /** Sends `input` and its probe; resolves with the frames that answered it once its pong comes. */
  probe(input: string | Uint8Array, timeoutMs: number): Promise<Frame[]> {
    if (this.closeCode !== undefined) return Promise.reject(new Error('connection closed'));
    const id = `${this.prefix}${++this.counter}`;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`no pong within ${timeoutMs} ms after ${shown(input)}`)),
        timeoutMs,
      );
      this.inFlight.push({ id, input, answers: [], resolve, reject, timer });
      this.ws.send(input);
      this.ws.send(JSON.stringify({ type: 'ping', id }));
    });
  }

  close(): Promise<number> {
    if (this.closeCode === undefined) this.ws.close();
    return this.closed;
  }

  private receive(frame: Frame): void {
    const oldest = this.inFlight[0];
    if (!oldest) return; // the welcome, or a room's message between probes
    if (frame.type === 'pong' && frame.id === oldest.id) {
      this.inFlight.shift();
      clearTimeout(oldest.timer);
      oldest.resolve(oldest.answers);
      return;
    }
    oldest.answers.push(frame);
  }
}

/** The input, short enough for an assertion message. */
export function shown(input: string | Uint8Array): string {
  return typeof input === 'string'
    ? JSON.stringify(input.slice(0, 200))
    : `${input.length} binary bytes`;
}

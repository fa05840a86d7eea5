import { connect, createServer, type Server, type Socket } from 'node:net';

/**
 * A TCP proxy of the test's own on a free loopback port, between a node and a
 * service, that the test can cut and restore.
 *
 * `cut('reset')` closes every proxied connection and refuses new ones, as a
 * restarted or crashed server would. `cut('blackhole')` keeps the sockets but
 * forwards nothing and answers nothing, as a network that drops packets would:
 * only the client's own timeouts can tell.
 */
export class TcpProxy {
  private readonly pairs = new Set<[Socket, Socket]>();
  private mode: 'open' | 'reset' | 'blackhole' = 'open';

  private constructor(
    private readonly server: Server,
    readonly port: number,
  ) {}

  static async start(targetPort: number, targetHost = '127.0.0.1'): Promise<TcpProxy> {
    let proxy: TcpProxy | undefined;
    const server = createServer((client) => proxy?.accept(client, targetHost, targetPort));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    proxy = new TcpProxy(server, typeof address === 'object' && address ? address.port : 0);
    return proxy;
  }

  cut(how: 'reset' | 'blackhole' = 'reset'): void {
    this.mode = how;
    for (const [client, upstream] of this.pairs) {
      if (how === 'reset') {
        client.resetAndDestroy();
        upstream.destroy();
      } else {
        client.pause();
        upstream.pause();
      }
    }
    if (how === 'reset') this.pairs.clear();
  }

  /** Forwards again. Connections held by a blackhole are dropped: their streams are out of step. */
  restore(): void {
    for (const [client, upstream] of this.pairs) {
      client.destroy();
      upstream.destroy();
    }
    this.pairs.clear();
    this.mode = 'open';
  }

  async close(): Promise<void> {
    this.restore();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private accept(client: Socket, host: string, port: number): void {
    client.on('error', () => {});
    if (this.mode === 'reset') {
      client.resetAndDestroy();
      return;
    }
    const upstream = connect(port, host);
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
    const pair: [Socket, Socket] = [client, upstream];
    this.pairs.add(pair);
    const forget = () => {
      this.pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    client.on('close', forget);
    upstream.on('close', forget);
    if (this.mode === 'blackhole') {
      client.pause();
      upstream.pause();
      return;
    }
    client.pipe(upstream);
    upstream.pipe(client);
  }
}

/** A frame sent with an `id` whose reply (`joined`, `left` or `error`) the client waits for. */
export type Request =
  | { kind: 'join'; roomId: string; since: number | undefined }
  | { kind: 'leave'; roomId: string };

/**
 * Matches the server's replies to the join and leave frames sent: each
 * frame gets an id of its own (`join-3`), and the reply carrying it is
 * taken once. Sends are matched by the outbox, by their random ids.
 */
export class Requests {
  private readonly open = new Map<string, Request>();
  private count = 0;

  /** Remembers `request` and returns the id for its frame. */
  add(request: Request): string {
    this.count += 1;
    const id = `${request.kind}-${this.count}`;
    this.open.set(id, request);
    return id;
  }

  /** The request a reply answers, forgotten from now on; undefined when not one of these. */
  take(id: string | undefined): Request | undefined {
    if (id === undefined) return undefined;
    const request = this.open.get(id);
    this.open.delete(id);
    return request;
  }

  /** The frame never left (no connection): no reply will come. */
  drop(id: string): void {
    this.open.delete(id);
  }
}

import type { FastifyRequest } from 'fastify';
import type { Accounts } from '../../core/accounts.js';
import type { User } from '../../core/domain.js';
import { ChatError } from '../../core/errors.js';

/** Reads `Authorization: Bearer <token>`: the user, null when there is no token, or 401. */
export class Authenticator {
  constructor(
    private readonly accounts: Accounts,
    private readonly allowGuests: boolean,
  ) {}

  async optional(request: FastifyRequest): Promise<User | null> {
    const header = request.headers.authorization;
    if (!header) {
      if (!this.allowGuests) throw new ChatError('unauthorized');
      return null;
    }
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match?.[1]) throw new ChatError('unauthorized', 'Use "Authorization: Bearer <token>".');
    return this.accounts.authenticate(match[1]);
  }

  async required(request: FastifyRequest): Promise<User> {
    const header = request.headers.authorization;
    if (!header) throw new ChatError('unauthorized');
    const user = await this.optional(request);
    if (!user) throw new ChatError('unauthorized');
    return user;
  }
}

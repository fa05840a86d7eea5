import type { Chat } from './chat.js';
import type { Delivery } from './delivery/delivery.js';
import type { User } from './domain.js';
import { ChatError } from './errors.js';
import { notice } from './notices.js';
import { findPerson, type PersonRef } from './people.js';
import type { Store } from './ports/store.js';
import { mayAdd, mayRemove, maySetRole } from './roles.js';
import type { Rooms } from './rooms.js';

/**
 * A room's members managed by its members: adding, removing and naming
 * admins, by the rules of roles.ts. A private room is seen by members only:
 * to a stranger every call answers room_not_found.
 */
export class Groups {
  constructor(
    private readonly store: Store,
    private readonly rooms: Rooms,
    private readonly chat: Chat,
    private readonly delivery: Delivery,
  ) {}

  /** Brings someone in: in a private room only its owner and admins may; nobody, into a direct room. */
  async add(actor: User, roomId: string, ref: PersonRef): Promise<void> {
    const room = await this.rooms.visible(actor, roomId);
    const role = await this.store.role(roomId, actor.id);
    if (!role) throw new ChatError('not_member', 'Join the room before adding people to it.');
    if (!mayAdd(room, role)) {
      throw new ChatError(
        'forbidden',
        room.kind === 'direct'
          ? 'Nobody is added to a direct conversation.'
          : "Only the room's owner and admins may add members.",
      );
    }
    const invitee = await findPerson(this.store, ref);
    if (invitee.id !== actor.id && (await this.store.eitherBlocked(actor.id, invitee.id))) {
      throw new ChatError('blocked');
    }
    const by = invitee.id === actor.id ? undefined : actor;
    const change = await this.store.join(roomId, invitee, notice(roomId, invitee, 'joined', by));
    if (change.notice) this.delivery.publish(change.notice);
    // The invitee's open connections learn of the room at once, private ones included.
    if (change.changed)
      this.delivery.announce(await this.rooms.viewFor(room, invitee), [invitee.id]);
  }

  /**
   * Ends `userId`'s membership: the owner or an admin removing a member, or
   * anyone but the owner leaving. Their connections, on every node, stop
   * receiving the room at once (the stored notice, or a `left` signal in a big room).
   */
  async remove(actor: User, roomId: string, userId: string): Promise<void> {
    const room = await this.rooms.visible(actor, roomId);
    const actorRole = await this.store.role(roomId, actor.id);
    if (!actorRole) throw new ChatError('forbidden', 'Only members manage a room.');
    const targetRole = userId === actor.id ? actorRole : await this.store.role(roomId, userId);
    const target = targetRole && (await this.store.getUser(userId));
    if (!targetRole || !target) throw new ChatError('user_not_found', 'No such member.');
    if (!mayRemove(room, { id: actor.id, role: actorRole }, { id: userId, role: targetRole })) {
      throw new ChatError(
        'forbidden',
        forbiddenRemoval(room.kind, targetRole, actor.id === userId),
      );
    }
    await this.chat.leave(target, roomId, { removedBy: actor.id === userId ? undefined : actor });
  }

  /** The owner names an admin, or makes one a plain member again. */
  async setRole(
    actor: User,
    roomId: string,
    userId: string,
    role: 'admin' | 'member',
  ): Promise<void> {
    const room = await this.rooms.visible(actor, roomId);
    if ((await this.store.role(roomId, actor.id)) !== 'owner' || room.kind === 'direct') {
      throw new ChatError('forbidden', "Only the room's owner names admins.");
    }
    const targetRole = await this.store.role(roomId, userId);
    const target = targetRole && (await this.store.getUser(userId));
    if (!targetRole || !target) throw new ChatError('user_not_found', 'No such member.');
    if (!maySetRole(room, 'owner', targetRole)) {
      throw new ChatError('forbidden', "The owner's role does not change.");
    }
    await this.store.setRole(roomId, userId, role);
    // Every connection in the room, the member's own included, hears it at once: menus follow the role.
    if (role !== targetRole) {
      this.delivery.signal({
        kind: 'role',
        roomId,
        user: { id: target.id, name: target.name },
        role,
      });
    }
  }
}

function forbiddenRemoval(kind: string, targetRole: string, self: boolean): string {
  if (kind === 'direct') return 'Nobody leaves or is removed from a direct conversation.';
  if (targetRole === 'owner') {
    return self ? 'The owner cannot leave the room.' : 'The owner cannot be removed.';
  }
  return "Only the room's owner and admins remove members.";
}

import { useState } from 'preact/hooks';
import { describeError } from '../../api/api-error.js';
import type { ChatClient } from '../../chat/chat-client.js';
import { goToRoom } from '../../chat/router.js';
import type { MemberView, Role, RoomKind } from '../../protocol.js';

/**
 * A person's name in a member list, as a button that opens what one can do
 * with them: message them, manage their place in the room (by the server's
 * rules: the owner names admins; owner and admins remove members), block or
 * unblock them. Each action's accessible name says whom it concerns.
 */
export function PersonMenu({
  client,
  roomId,
  roomKind,
  member,
  myRole,
}: {
  client: ChatClient;
  roomId: string;
  roomKind: RoomKind;
  member: MemberView;
  myRole: Role | undefined;
}) {
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const { name } = member;
  const blocked = client.blocked.value.has(member.id);
  const group = roomKind !== 'direct';
  const canPromote = group && myRole === 'owner' && member.role !== 'owner';
  const canRemove =
    group &&
    member.role !== 'owner' &&
    (myRole === 'owner' || (myRole === 'admin' && member.role === 'member'));
  const menuId = `person-${member.id}`;

  const run = (action: () => Promise<void>) => async () => {
    setBusy(true);
    setProblem(null);
    try {
      await action();
      setOpen(false);
    } catch (err) {
      setProblem(describeError(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div class="person">
      <button
        type="button"
        class="link-button person-name"
        aria-expanded={open}
        aria-controls={open ? menuId : undefined}
        onClick={() => setOpen(!open)}
      >
        {name}
      </button>
      {open && (
        <fieldset class="person-actions" id={menuId}>
          <legend class="visually-hidden">Actions for {name}</legend>
          <button
            type="button"
            class="button button--small"
            disabled={busy || blocked}
            onClick={run(async () => goToRoom(await client.openDirect(member.id)))}
          >
            Message {name}
          </button>
          {canPromote && (
            <button
              type="button"
              class="button button--small button--quiet"
              disabled={busy}
              onClick={run(() =>
                client.setRole(roomId, member.id, member.role === 'admin' ? 'member' : 'admin'),
              )}
            >
              {member.role === 'admin' ? `Make ${name} a member` : `Make ${name} an admin`}
            </button>
          )}
          {canRemove && (
            <button
              type="button"
              class="button button--small button--quiet"
              disabled={busy}
              onClick={run(() => client.removeMember(roomId, member.id))}
            >
              Remove {name} from the room
            </button>
          )}
          {!client.me.guest && (
            <button
              type="button"
              class="button button--small button--quiet"
              disabled={busy}
              onClick={run(() => client.setBlocked(member.id, !blocked))}
            >
              {blocked ? `Unblock ${name}` : `Block ${name}`}
            </button>
          )}
          {problem && (
            <span class="error" role="alert">
              {problem}
            </span>
          )}
        </fieldset>
      )}
    </div>
  );
}

import { useState } from 'preact/hooks';
import { describeError } from '../../api/api-error.js';
import type { ChatClient } from '../../chat/chat-client.js';
import type { RoomState } from '../../chat/room-state.js';
import type { MemberView } from '../../protocol.js';
import { Avatar } from '../common/Avatar.js';
import { CloseIcon } from '../common/icons.js';
import { PersonMenu } from '../people/PersonMenu.js';

/** Who is in the room, online first, with their roles; a private room's owner and admins add people here. */
export function MemberPanel({
  client,
  state,
  privateRoom,
  onClose,
}: {
  client: ChatClient;
  state: RoomState;
  privateRoom: boolean;
  onClose: () => void;
}) {
  // While the connection is down nobody is known to be online: presence may have changed unheard.
  const live = client.socket.state.value.status === 'online';
  const members = sortMembers(
    (state.members.value ?? []).map((m) => (live || !m.online ? m : { ...m, online: false })),
  );
  const online = members.filter((m) => m.online).length;
  const kind = client.roomList.find(state.roomId)?.kind ?? 'room';
  const myRole = members.find((m) => m.id === client.me.id)?.role;
  const canAdd =
    privateRoom &&
    kind !== 'direct' &&
    state.membership.value === 'member' &&
    (myRole === 'owner' || myRole === 'admin');
  return (
    <aside class="members" aria-labelledby="members-title">
      <header class="members-head">
        <h2 id="members-title">
          Members <span class="muted">{members.length}</span>
        </h2>
        <button type="button" class="icon-button" aria-label="Close members" onClick={onClose}>
          <CloseIcon />
        </button>
      </header>
      <p class="members-summary">
        {live ? `${online} online` : 'Who is online: unknown until reconnected'}
      </p>
      {state.members.value === null && (
        <div class="list-placeholder" role="status" data-testid="members-placeholder">
          <span class="visually-hidden">Loading members…</span>
          {[60, 45, 70].map((width) => (
            <span key={width} class="placeholder-row" aria-hidden="true">
              <span class="placeholder-dot" />
              <span class="placeholder-line" style={{ width: `${width}%` }} />
            </span>
          ))}
        </div>
      )}
      <ul class="member-list">
        {members.map((member) => (
          <li key={member.id} class={`member${member.online ? ' member--online' : ''}`}>
            <span class="member-avatar">
              <Avatar id={member.id} name={member.name} size="sm" />
              <span class="presence-dot" aria-hidden="true" />
            </span>
            <span class="member-name">
              {member.id === client.me.id ? (
                <>
                  {member.name}
                  <span class="muted"> (you)</span>
                </>
              ) : (
                <PersonMenu
                  client={client}
                  roomId={state.roomId}
                  roomKind={kind}
                  member={member}
                  myRole={myRole}
                />
              )}
              {member.role !== 'member' && <span class="member-role"> {member.role}</span>}
              {client.blocked.value.has(member.id) && (
                <span class="member-role member-blocked"> blocked</span>
              )}
            </span>
            <span class="visually-hidden">{member.online ? ', online' : ', offline'}</span>
          </li>
        ))}
      </ul>
      {canAdd && <AddMemberForm client={client} roomId={state.roomId} />}
    </aside>
  );
}

function AddMemberForm({ client, roomId }: { client: ChatClient; roomId: string }) {
  const [username, setUsername] = useState('');
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<{ ok: boolean; text: string } | null>(null);

  const submit = async (event: Event) => {
    event.preventDefault();
    const name = username.trim();
    if (!name) return;
    setBusy(true);
    setResult(null);
    try {
      await client.addMember(roomId, name);
      setUsername('');
      setResult({ ok: true, text: `${name} can now see this room.` });
    } catch (err) {
      setResult({ ok: false, text: describeError(err) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <form class="add-member" onSubmit={submit}>
      <label for="add-member-input">Add someone by username</label>
      <div class="inline-field">
        <input
          id="add-member-input"
          autocomplete="off"
          autocapitalize="none"
          spellcheck={false}
          value={username}
          onInput={(e) => setUsername(e.currentTarget.value)}
        />
        <button type="submit" class="button button--small" disabled={busy || !username.trim()}>
          Add
        </button>
      </div>
      {result && (
        <p class={result.ok ? 'success' : 'error'} role={result.ok ? 'status' : 'alert'}>
          {result.text}
        </p>
      )}
    </form>
  );
}

function sortMembers(members: readonly MemberView[]): MemberView[] {
  return [...members].sort(
    (a, b) => Number(b.online) - Number(a.online) || a.name.localeCompare(b.name),
  );
}

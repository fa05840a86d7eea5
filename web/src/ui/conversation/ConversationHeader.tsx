import { useState } from 'preact/hooks';
import type { RoomEntry } from '../../api/endpoints.js';
import type { ChatClient } from '../../chat/chat-client.js';
import { maySetTopic } from '../../chat/permissions.js';
import type { RoomState } from '../../chat/room-state.js';
import { Avatar } from '../common/Avatar.js';
import { ConfirmDialog } from '../common/ConfirmDialog.js';
import { BackIcon, BellIcon, HashIcon, LockIcon, PeopleIcon, SearchIcon } from '../common/icons.js';
import { NOTIFY_LABELS, NotifyDialog } from './NotifyDialog.js';
import { TopicDialog } from './TopicDialog.js';

export function ConversationHeader({
  client,
  state,
  room,
  panel,
  onToggleMembers,
  onToggleSearch,
}: {
  client: ChatClient;
  state: RoomState;
  room: RoomEntry | undefined;
  panel: 'members' | 'search' | null;
  onToggleMembers: () => void;
  onToggleSearch: () => void;
}) {
  const membersOpen = panel === 'members';
  const [confirmingLeave, setConfirmingLeave] = useState(false);
  const [settingTopic, setSettingTopic] = useState(false);
  const [choosingNotify, setChoosingNotify] = useState(false);
  const notifyLevel = client.notifyLevels.of(state.roomId);
  const members = state.members.value;
  const online = members?.filter((m) => m.online).length ?? 0;
  // Presence heard before the connection dropped may be stale: say nothing rather than "online".
  const live = client.socket.state.value.status === 'online';
  const isPrivate = room?.visibility === 'private';
  const member = state.membership.value === 'member';
  const roomName = room?.roomName ?? 'this room';
  // A direct conversation is about the other person: their name and whether they are online.
  const peer = room?.kind === 'direct' ? room.peer : undefined;
  const peerMember = peer && members?.find((m) => m.id === peer.id);
  // The owner cannot leave, nor anyone a direct conversation.
  const myRole = members?.find((m) => m.id === client.me.id)?.role;
  const mayLeave = room?.kind !== 'direct' && myRole !== 'owner';
  const topic = room?.topic;
  const mayTopic = member && maySetTopic({ id: client.me.id, role: myRole ?? 'member' }, room);
  return (
    <header class="conversation-head">
      <a class="icon-button back-link" href="#/" aria-label="All rooms">
        <BackIcon />
      </a>
      {peer ? (
        <span class="conversation-icon conversation-icon--person">
          <Avatar id={peer.id} name={peer.name} />
        </span>
      ) : (
        <span class="conversation-icon" aria-hidden="true">
          {isPrivate ? <LockIcon size={20} /> : <HashIcon size={20} />}
        </span>
      )}
      <div class="conversation-title">
        <h1 id="conversation-title">{room?.roomName ?? 'Room'}</h1>
        {peer ? (
          <p class="muted">
            {/* Presence heard before the connection dropped may be stale: say nothing then. */}
            {live && peerMember && (peerMember.online ? 'Online' : 'Offline')}
          </p>
        ) : (
          <p class="muted">
            <span
              class={`conversation-visibility conversation-visibility--${isPrivate ? 'private' : 'public'}`}
            >
              {isPrivate ? 'Private' : 'Public'}
              {members && ' · '}
            </span>
            {members && (
              <>
                {members.length} {members.length === 1 ? 'member' : 'members'}
                {live && ` · ${online} online`}
              </>
            )}
          </p>
        )}
        {mayTopic ? (
          <button
            type="button"
            class={`conversation-topic topic-button${topic ? '' : ' topic-button--empty'}`}
            title={topic ? `${topic} (change the topic)` : undefined}
            aria-label={topic ? `Topic: ${topic}. Change the topic` : 'Add a topic'}
            onClick={() => setSettingTopic(true)}
            data-testid="room-topic"
          >
            {topic ?? 'Add a topic'}
          </button>
        ) : (
          topic && (
            <p class="conversation-topic" title={topic} data-testid="room-topic">
              <span class="visually-hidden">Topic: </span>
              {topic}
            </p>
          )
        )}
      </div>
      <span
        class={`head-status status--${client.socket.state.value.status}`}
        title={client.socket.state.value.status === 'online' ? 'Connected' : 'Not connected'}
      >
        <span class="status-dot" aria-hidden="true" />
      </span>
      <div class="conversation-actions">
        {member && (
          <button
            type="button"
            class={`icon-button notify-button notify-button--${notifyLevel}`}
            aria-label={`Notifications: ${NOTIFY_LABELS[notifyLevel].title}`}
            title={`Notifications: ${NOTIFY_LABELS[notifyLevel].title}`}
            aria-haspopup="dialog"
            onClick={() => setChoosingNotify(true)}
          >
            <BellIcon off={notifyLevel === 'none'} />
            {notifyLevel === 'mentions' && (
              <span class="notify-at" aria-hidden="true">
                @
              </span>
            )}
          </button>
        )}
        <button
          type="button"
          class="icon-button"
          aria-label="Search messages"
          aria-expanded={panel === 'search'}
          aria-controls={panel === 'search' ? 'search-panel' : undefined}
          title="Search messages"
          onClick={onToggleSearch}
        >
          <SearchIcon />
        </button>
        <button
          type="button"
          class="icon-button"
          aria-label="Members"
          aria-expanded={membersOpen}
          aria-controls={membersOpen ? 'members-panel' : undefined}
          title="Members"
          onClick={onToggleMembers}
        >
          <PeopleIcon />
        </button>
        {member && mayLeave && (
          <button
            type="button"
            class="button button--small button--quiet"
            onClick={() => setConfirmingLeave(true)}
          >
            Leave
          </button>
        )}
      </div>
      {choosingNotify && (
        <NotifyDialog
          levels={client.notifyLevels}
          roomId={state.roomId}
          roomName={roomName}
          onClose={() => setChoosingNotify(false)}
        />
      )}
      {settingTopic && (
        <TopicDialog
          roomName={roomName}
          topic={topic ?? ''}
          onSave={(value) => client.actions.setTopic(state.roomId, value)}
          onClose={() => setSettingTopic(false)}
        />
      )}
      {confirmingLeave && (
        <ConfirmDialog
          title={`Leave ${roomName}?`}
          confirmLabel="Leave room"
          onConfirm={() => client.leave(state.roomId)}
          onClose={() => setConfirmingLeave(false)}
        >
          <p>
            {isPrivate
              ? 'It is private: only a member can add you again.'
              : 'You stop receiving its messages. You can join again from the room list.'}
          </p>
        </ConfirmDialog>
      )}
    </header>
  );
}

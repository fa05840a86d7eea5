import { useEffect, useState } from 'preact/hooks';
import type { ChatClient } from '../../chat/chat-client.js';
import { Composer } from './Composer.js';
import { ConversationHeader } from './ConversationHeader.js';
import { JoinBar } from './JoinBar.js';
import { MemberPanel } from './MemberPanel.js';
import { MessageLog } from './MessageLog.js';
import { SearchPanel } from './SearchPanel.js';
import { TypingLine } from './TypingLine.js';

/** Wide screens show the member list beside the conversation from the start. */
const WIDE = '(min-width: 1180px)';

/** The panel beside the conversation (over it on narrower screens): members or search. */
type Panel = 'members' | 'search' | null;

/**
 * One conversation, whatever its kind (a public or private room, a group, a
 * direct conversation): the view asks only for a state, a name, whether it
 * is private and, for a direct one, the peer.
 */
export function Conversation({ client, roomId }: { client: ChatClient; roomId: string }) {
  const state = client.room(roomId);
  const room = client.roomList.find(roomId);
  const [panel, setPanel] = useState<Panel>(() =>
    window.matchMedia(WIDE).matches ? 'members' : null,
  );
  const toggle = (which: Panel) => setPanel(panel === which ? null : which);
  const roomName = room?.roomName ?? 'this room';
  const problem = state.problem.value;
  const membership = state.membership.value;

  useEffect(() => {
    void client.open(roomId);
  }, [client, roomId]);

  if (problem?.code === 'room_not_found') {
    return (
      <section class="conversation conversation--missing" aria-labelledby="missing-title">
        <div class="empty">
          <h1 id="missing-title">Room not found</h1>
          <p>This room does not exist, or it is private and you are not a member.</p>
          <a class="button" href="#/">
            Back to your rooms
          </a>
        </div>
      </section>
    );
  }

  return (
    <section class="conversation" aria-labelledby="conversation-title">
      <ConversationHeader
        client={client}
        state={state}
        room={room}
        panel={panel}
        onToggleMembers={() => toggle('members')}
        onToggleSearch={() => toggle('search')}
      />
      <div class="conversation-body">
        <div class="conversation-main">
          {problem && (
            <p class="error banner-error" role="alert">
              {problem.message}
            </p>
          )}
          <MessageLog
            client={client}
            state={state}
            roomName={roomName}
            isPrivate={room?.visibility === 'private'}
            peer={room?.kind === 'direct' ? room.peer : undefined}
          />
          <TypingLine users={state.typing.users.value} />
          {membership === 'member' ? (
            <Composer client={client} state={state} roomName={roomName} />
          ) : (
            <JoinBar client={client} state={state} roomName={roomName} />
          )}
        </div>
        {panel === 'members' && (
          <div id="members-panel" class="members-slot">
            <MemberPanel
              client={client}
              state={state}
              privateRoom={room?.visibility === 'private'}
              onClose={() => setPanel(null)}
            />
          </div>
        )}
        {panel === 'search' && (
          <div id="search-panel" class="members-slot">
            <SearchPanel
              client={client}
              roomId={roomId}
              roomName={roomName}
              onPicked={() => {
                if (!window.matchMedia(WIDE).matches) setPanel(null);
              }}
              onClose={() => setPanel(null)}
            />
          </div>
        )}
      </div>
    </section>
  );
}

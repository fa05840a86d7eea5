import { useState } from 'preact/hooks';
import type { ChatClient } from '../../chat/chat-client.js';
import type { Notifier } from '../../chat/notifier.js';
import { Logo, PlusIcon } from '../common/icons.js';
import { NewMessageDialog } from '../people/NewMessageDialog.js';
import { AccountBar } from './AccountBar.js';
import { ConnectionStatus } from './ConnectionStatus.js';
import { RoomSections, sectionsOf } from './RoomSections.js';

export function Sidebar({
  client,
  notifier,
  onNewRoom,
}: {
  client: ChatClient;
  notifier: Notifier;
  onNewRoom: () => void;
}) {
  const { roomList } = client;
  const [messaging, setMessaging] = useState(false);
  return (
    <aside class="sidebar" aria-label="Rooms">
      <header class="sidebar-head">
        <div class="brand">
          <Logo />
          <span class="brand-name">Confab</span>
        </div>
        <ConnectionStatus state={client.socket.state.value} />
      </header>
      <div class="sidebar-actions">
        <button type="button" class="button button--primary button--block" onClick={onNewRoom}>
          <PlusIcon />
          <span>New room</span>
        </button>
        {!client.me.guest && (
          <button type="button" class="button button--block" onClick={() => setMessaging(true)}>
            New message
          </button>
        )}
        {messaging && <NewMessageDialog client={client} onClose={() => setMessaging(false)} />}
      </div>
      <nav class="sidebar-rooms" aria-label="Room list">
        {roomList.problem.value && (
          <p class="error" role="alert">
            {roomList.problem.value}{' '}
            <button type="button" class="link-button" onClick={() => void roomList.refresh()}>
              Try again
            </button>
          </p>
        )}
        {roomList.loaded.value ? (
          <RoomSections
            sections={sectionsOf(roomList.rooms.value)}
            activeRoomId={client.activeRoomId.value}
          />
        ) : (
          !roomList.problem.value && (
            <div class="list-placeholder" role="status" data-testid="rooms-placeholder">
              <span class="visually-hidden">Loading rooms…</span>
              {[70, 52, 64, 45].map((width) => (
                <span key={width} class="placeholder-row" aria-hidden="true">
                  <span class="placeholder-dot" />
                  <span class="placeholder-line" style={{ width: `${width}%` }} />
                </span>
              ))}
            </div>
          )
        )}
      </nav>
      <AccountBar me={client.me} notifier={notifier} />
    </aside>
  );
}

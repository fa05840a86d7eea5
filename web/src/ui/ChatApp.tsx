import { useEffect, useMemo, useState } from 'preact/hooks';
import type { Session } from '../api/endpoints.js';
import { ChatClient } from '../chat/chat-client.js';
import { Notifier } from '../chat/notifier.js';
import { goHome, goToRoom, route } from '../chat/router.js';
import { signOut } from '../session/session.js';
import { ConnectionBanner } from './ConnectionBanner.js';
import { Conversation } from './conversation/Conversation.js';
import { EmptyState } from './EmptyState.js';
import { NoticeToast } from './NoticeToast.js';
import { NewRoomDialog } from './sidebar/NewRoomDialog.js';
import { Sidebar } from './sidebar/Sidebar.js';

const notifier = new Notifier();

/** Moves focus to the message box (a link to #composer-input would change the route in the hash). */
function skipToComposer(): void {
  document.getElementById('composer-input')?.focus();
}

/** The signed-in app: a client for this session, the sidebar, and the open conversation. */
export function ChatApp({ session }: { session: Session }) {
  const client = useMemo(
    () =>
      new ChatClient(
        session,
        notifier,
        () => signOut('Your session has expired. Please sign in again.'),
        (roomId) => (roomId ? goToRoom(roomId) : goHome()),
      ),
    [session],
  );
  const [creating, setCreating] = useState(false);

  useEffect(() => {
    void client.start();
    return () => client.stop();
  }, [client]);

  const current = route.value;
  const roomId = current.page === 'room' ? current.roomId : null;
  useEffect(() => {
    if (roomId === null) void client.open(null);
  }, [client, roomId]);

  const rooms = client.roomList.rooms.value;
  const unread = rooms.reduce((sum, r) => sum + r.unread, 0);
  const roomName = roomId ? client.roomList.find(roomId)?.roomName : undefined;
  useEffect(() => {
    document.title = `${unread > 0 ? `(${unread}) ` : ''}${roomName ? `${roomName} · ` : ''}Confab`;
  }, [unread, roomName]);

  const create = async (name: string, visibility: 'public' | 'private') => {
    const created = await client.createRoom(name, visibility);
    goToRoom(created);
  };

  return (
    <div class="shell" data-view={roomId ? 'room' : 'list'}>
      {roomId && (
        <button type="button" class="skip-link" onClick={skipToComposer}>
          Skip to the message box
        </button>
      )}
      <Sidebar client={client} notifier={notifier} onNewRoom={() => setCreating(true)} />
      <main class="main">
        <ConnectionBanner state={client.socket.state.value} onRetry={client.socket.retryNow} />
        {roomId ? (
          <Conversation key={roomId} client={client} roomId={roomId} />
        ) : (
          <EmptyState name={client.me.name} onNewRoom={() => setCreating(true)} />
        )}
      </main>
      <NoticeToast notice={client.notice} />
      {creating && <NewRoomDialog onCreate={create} onClose={() => setCreating(false)} />}
    </div>
  );
}

import type { RoomEntry } from '../../api/endpoints.js';
import { roomHref } from '../../chat/router.js';
import { fullTime, shortAge } from '../../text/time.js';
import { HashIcon, LockIcon } from '../common/icons.js';

/** One room in the sidebar: its name, how recent its last activity is, and what is unread. */
export function RoomLink({ room, active }: { room: RoomEntry; active: boolean }) {
  const unread = room.unread > 0 ? `, ${room.unread} unread` : '';
  return (
    <li>
      <a
        class={`room-link${active ? ' room-link--active' : ''}${room.unread > 0 ? ' room-link--unread' : ''}`}
        href={roomHref(room.roomId)}
        aria-current={active ? 'page' : undefined}
        aria-label={`${room.roomName}${room.visibility === 'private' ? ', private' : ''}${unread}`}
        data-room-id={room.roomId}
      >
        <span class="room-link-icon" aria-hidden="true">
          {room.visibility === 'private' ? <LockIcon size={16} /> : <HashIcon size={16} />}
        </span>
        <span class="room-link-name">{room.roomName}</span>
        <time
          class="room-link-age"
          dateTime={room.lastActivity}
          title={fullTime(room.lastActivity)}
        >
          {shortAge(room.lastActivity)}
        </time>
        {room.unread > 0 && (
          <span class="badge" aria-hidden="true">
            {room.unread > 99 ? '99+' : room.unread}
          </span>
        )}
      </a>
    </li>
  );
}

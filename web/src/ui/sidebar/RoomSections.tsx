import type { RoomEntry } from '../../api/endpoints.js';
import { RoomLink } from './RoomLink.js';

/**
 * The sidebar's list, in sections. Direct messages and groups will come as
 * further sections; each section only needs a title and its entries.
 */
export interface Section {
  id: string;
  title: string;
  rooms: readonly RoomEntry[];
  empty: string;
}

export function sectionsOf(rooms: readonly RoomEntry[]): Section[] {
  return [
    {
      id: 'direct',
      title: 'Direct messages',
      // The list is kept newest activity first: the order of contacts.
      rooms: rooms.filter((r) => r.kind === 'direct'),
      empty: 'Start a conversation with "New message" or from a member\'s name.',
    },
    {
      id: 'private',
      title: 'Private rooms',
      rooms: rooms.filter((r) => r.visibility === 'private' && r.kind !== 'direct'),
      empty: 'Private rooms you create or are added to appear here.',
    },
    {
      id: 'public',
      title: 'Public rooms',
      rooms: rooms.filter((r) => r.visibility === 'public'),
      empty: 'No public rooms yet. Create the first one.',
    },
  ];
}

export function RoomSections({
  sections,
  activeRoomId,
}: {
  sections: Section[];
  activeRoomId: string | null;
}) {
  return (
    <>
      {sections.map((section) => (
        <section class="room-section" key={section.id} aria-labelledby={`section-${section.id}`}>
          <h2 class="room-section-title" id={`section-${section.id}`}>
            {section.title}
            <span class="room-section-count">{section.rooms.length}</span>
          </h2>
          {section.rooms.length === 0 ? (
            <p class="room-section-empty">{section.empty}</p>
          ) : (
            <ul class="room-list" data-section={section.id}>
              {section.rooms.map((room) => (
                <RoomLink key={room.roomId} room={room} active={room.roomId === activeRoomId} />
              ))}
            </ul>
          )}
        </section>
      ))}
    </>
  );
}

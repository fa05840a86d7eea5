import type { UserView } from '../../protocol.js';

/** "alice is typing…", announced politely; an empty line keeps the layout from jumping. */
export function TypingLine({ users }: { users: readonly UserView[] }) {
  return (
    <div class="typing" aria-live="polite">
      {users.length > 0 && (
        <>
          <span class="typing-dots" aria-hidden="true">
            <span />
            <span />
            <span />
          </span>
          <span>{describe(users)}</span>
        </>
      )}
    </div>
  );
}

function describe(users: readonly UserView[]): string {
  const [first, second] = users;
  if (users.length === 1 && first) return `${first.name} is typing…`;
  if (users.length === 2 && first && second) return `${first.name} and ${second.name} are typing…`;
  return `${users.length} people are typing…`;
}

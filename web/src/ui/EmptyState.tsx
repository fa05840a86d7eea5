import { Logo } from './common/icons.js';

/** The main area before a room is chosen (on wide screens; narrow ones show the list instead). */
export function EmptyState({ name, onNewRoom }: { name: string; onNewRoom: () => void }) {
  return (
    <section class="empty" aria-labelledby="welcome-title">
      <Logo size={56} />
      <h1 id="welcome-title">Welcome, {name}</h1>
      <p>Pick a room on the left, or start a new one.</p>
      <button type="button" class="button button--primary" onClick={onNewRoom}>
        New room
      </button>
    </section>
  );
}

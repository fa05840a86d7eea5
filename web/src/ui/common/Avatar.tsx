import { hueOf, initials } from '../../text/identity.js';

/** Initials on a colour of the user's own; decorative, as the name is always written beside it. */
export function Avatar({
  id,
  name,
  size = 'md',
}: {
  id: string;
  name: string;
  size?: 'sm' | 'md';
}) {
  return (
    <span
      class={`avatar avatar--${size}`}
      style={{ '--hue': String(hueOf(id)) }}
      aria-hidden="true"
    >
      {initials(name)}
    </span>
  );
}

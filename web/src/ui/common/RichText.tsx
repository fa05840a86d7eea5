import { linkify } from '../../text/linkify.js';

/**
 * A message's text, as text: each piece is a text node or an anchor built
 * by Preact, never markup parsed from the message, so `<img onerror=…>`
 * shows as the characters it is. Links open in a new tab without telling
 * the target where they came from. In the history, links are Tab stops only
 * in the message the keyboard is on (`tabbable`), not one per link.
 */
export function RichText({ text, tabbable = true }: { text: string; tabbable?: boolean }) {
  return (
    <>
      {linkify(text).map((segment, i) =>
        segment.kind === 'text' ? (
          segment.text
        ) : (
          <a
            key={i}
            href={segment.href}
            target="_blank"
            rel="noopener noreferrer nofollow"
            tabIndex={tabbable ? undefined : -1}
          >
            {segment.text}
          </a>
        ),
      )}
    </>
  );
}

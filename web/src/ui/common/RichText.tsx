import { linkify } from '../../text/linkify.js';

/**
 * A message's text, as text: each piece is a text node or an anchor built
 * by Preact, never markup parsed from the message, so `<img onerror=…>`
 * shows as the characters it is. Links open in a new tab without telling
 * the target where they came from.
 */
export function RichText({ text }: { text: string }) {
  return (
    <>
      {linkify(text).map((segment, i) =>
        segment.kind === 'text' ? (
          segment.text
        ) : (
          <a key={i} href={segment.href} target="_blank" rel="noopener noreferrer nofollow">
            {segment.text}
          </a>
        ),
      )}
    </>
  );
}

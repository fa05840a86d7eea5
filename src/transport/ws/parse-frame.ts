import type { TSchema } from '@sinclair/typebox';
import { type TypeCheck, TypeCompiler } from '@sinclair/typebox/compiler';
import { ChatError } from '../../core/errors.js';
import { CLIENT_FRAMES, type ClientFrame } from '../../protocol/frames.js';

const checkers = new Map<string, TypeCheck<TSchema>>(
  Object.entries(CLIENT_FRAMES).map(([type, schema]) => [type, TypeCompiler.Compile(schema)]),
);

/** Text that is, or is not, one JSON object. */
export type ParsedText = { kind: 'object'; value: Record<string, unknown> } | { kind: 'text' };

export function parseText(text: string): ParsedText {
  if (!text.trimStart().startsWith('{')) return { kind: 'text' };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { kind: 'text' };
  }
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? { kind: 'object', value: value as Record<string, unknown> }
    : { kind: 'text' };
}

/** The `id` of a frame, when it has a usable one, so that even its error reply can carry it. */
export function frameId(value: Record<string, unknown>): string | undefined {
  return typeof value.id === 'string' && value.id.length <= 128 ? value.id : undefined;
}

/** Validates a JSON object against the frame schema its `type` names. */
export function toClientFrame(value: Record<string, unknown>): ClientFrame {
  const type = value.type;
  if (typeof type !== 'string')
    throw new ChatError('invalid_request', 'A frame needs a string "type".');
  const checker = checkers.get(type);
  if (!checker)
    throw new ChatError('invalid_request', `Unknown frame type "${type.slice(0, 40)}".`);
  if (!checker.Check(value)) {
    const first = checker.Errors(value).First();
    const where = first?.path ? first.path.slice(1).replaceAll('/', '.') : type;
    throw new ChatError('invalid_request', `${type}: ${where} ${first?.message ?? 'is invalid'}.`);
  }
  // Stored as a send's idempotency key, an id must come back as sent: no NUL, no lone surrogate
  // (either would be stored as U+FFFD, and two different ids would be one).
  if (typeof value.id === 'string' && (!value.id.isWellFormed() || value.id.includes('\0'))) {
    throw new ChatError('invalid_request', `${type}: id must be well-formed text without NUL.`);
  }
  return value as unknown as ClientFrame;
}

import type { ChatMessage, ServerFrame } from '../protocol.js';

type FrameOf<T extends ServerFrame['type']> = Extract<ServerFrame, { type: T }>;

/** What the client does with each server frame (`welcome` and `pong` are the socket's). */
export interface FrameHandlers {
  message(message: ChatMessage): void;
  joined(frame: FrameOf<'joined'>): void;
  left(frame: FrameOf<'left'>): void;
  role(frame: FrameOf<'role'>): void;
  ack(frame: FrameOf<'ack'>): void;
  error(frame: FrameOf<'error'>): void;
  presence(frame: FrameOf<'presence'>): void;
  presences(frame: FrameOf<'presences'>): void;
  typing(frame: FrameOf<'typing'>): void;
  room(frame: FrameOf<'room'>): void;
  roomDeleted(frame: FrameOf<'room_deleted'>): void;
}

/**
 * Hands a frame to its handler. The switch covers every frame type: a type
 * added to the protocol is a compile error here until it is handled. At run
 * time a frame from a newer server is ignored.
 */
export function dispatchFrame(frame: ServerFrame, handlers: FrameHandlers): void {
  switch (frame.type) {
    case 'message':
      handlers.message(frame.data);
      return;
    case 'joined':
      handlers.joined(frame);
      return;
    case 'left':
      handlers.left(frame);
      return;
    case 'role':
      handlers.role(frame);
      return;
    case 'ack':
      handlers.ack(frame);
      return;
    case 'error':
      handlers.error(frame);
      return;
    case 'presence':
      handlers.presence(frame);
      return;
    case 'presences':
      handlers.presences(frame);
      return;
    case 'typing':
      handlers.typing(frame);
      return;
    case 'room':
      handlers.room(frame);
      return;
    case 'room_deleted':
      handlers.roomDeleted(frame);
      return;
    case 'welcome':
    case 'pong':
      return;
    default:
      unhandled(frame);
  }
}

function unhandled(_frame: never): void {}

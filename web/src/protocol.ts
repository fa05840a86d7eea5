/**
 * The wire types, shared with the server: the client imports them as types
 * only (the layer rule checks it), so no server code reaches the bundle.
 */
import type { CLOSE_CODES } from '../../src/protocol/errors.js';

export type { CommandInfo } from '../../src/protocol/commands.js';
export type { ErrorBody, ErrorCode } from '../../src/protocol/errors.js';
export type { ClientFrame, ServerFrame } from '../../src/protocol/frames.js';
export type {
  ChatMessage,
  MemberView,
  MessageType,
  NotifyLevel,
  ReactionView,
  ReplyQuote,
  Role,
  RoomDetail,
  RoomKind,
  RoomSummary,
  RoomView,
  SearchHit,
  SearchPage,
  UserView,
  Visibility,
} from '../../src/protocol/message.js';

type CloseCodes = typeof CLOSE_CODES;

/** The server's close codes, restated as values; the annotations fail to compile if they drift. */
export const CLOSE: {
  slowConsumer: CloseCodes['slowConsumer'];
  goingAway: CloseCodes['goingAway'];
  unauthorized: CloseCodes['unauthorized'];
  tooManyConnections: CloseCodes['tooManyConnections'];
} = {
  slowConsumer: 4000,
  goingAway: 4001,
  unauthorized: 4401,
  tooManyConnections: 4429,
};

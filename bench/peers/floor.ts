/**
 * The floor: the thinnest server that can run the benchmark's workloads.
 * Plain `ws`, rooms as in-memory sets, no authentication, no storage, no
 * acks beyond the echo. It speaks a subset of Confab's frames so that one
 * client drives both:
 *   {"type":"join","id","roomId"}           -> {"type":"joined","id","roomId"}
 *   {"type":"leave","id","roomId"}          -> {"type":"left","id","roomId"}
 *   {"type":"send","id","roomId","message"} -> {"type":"message","data":{roomId,memberId,clientId,message}}
 *                                              to every member, the sender included
 * A message is encoded once and the same bytes go to every member.
 * Env: PORT (0 picks one), HOST (127.0.0.1). Prints {"msg":"floor listening","port":N}.
 */
import { createServer } from 'node:http';
import { type WebSocket, WebSocketServer } from 'ws';

interface Member {
  id: number;
  rooms: Set<string>;
}

const rooms = new Map<string, Set<WebSocket>>();
const members = new WeakMap<WebSocket, Member>();
let nextId = 0;

const http = createServer((_request, response) => {
  response.writeHead(404).end();
});
const wss = new WebSocketServer({ server: http, perMessageDeflate: false, clientTracking: false });

wss.on('connection', (ws) => {
  const member: Member = { id: ++nextId, rooms: new Set() };
  members.set(ws, member);
  ws.on('message', (data) => handle(ws, member, data.toString()));
  ws.on('close', () => {
    for (const roomId of member.rooms) leaveRoom(ws, roomId);
  });
  ws.on('error', () => {});
});

function handle(ws: WebSocket, member: Member, text: string): void {
  let frame: { type?: unknown; id?: unknown; roomId?: unknown; message?: unknown };
  try {
    frame = JSON.parse(text);
  } catch {
    return;
  }
  const roomId = String(frame.roomId);
  const id = typeof frame.id === 'string' ? frame.id : undefined;
  switch (frame.type) {
    case 'join': {
      let room = rooms.get(roomId);
      if (!room) {
        room = new Set();
        rooms.set(roomId, room);
      }
      room.add(ws);
      member.rooms.add(roomId);
      ws.send(JSON.stringify({ type: 'joined', id, roomId }));
      return;
    }
    case 'leave':
      leaveRoom(ws, roomId);
      ws.send(JSON.stringify({ type: 'left', id, roomId }));
      return;
    case 'send': {
      const room = rooms.get(roomId);
      if (!room?.has(ws)) return;
      const bytes = Buffer.from(
        JSON.stringify({
          type: 'message',
          data: { roomId, memberId: member.id, clientId: id, message: frame.message },
        }),
      );
      for (const peer of room) peer.send(bytes, { binary: false });
      return;
    }
  }
}

function leaveRoom(ws: WebSocket, roomId: string): void {
  members.get(ws)?.rooms.delete(roomId);
  const room = rooms.get(roomId);
  if (!room) return;
  room.delete(ws);
  if (room.size === 0) rooms.delete(roomId);
}

http.listen(Number(process.env.PORT ?? 0), process.env.HOST ?? '127.0.0.1', () => {
  const address = http.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  process.stdout.write(`${JSON.stringify({ msg: 'floor listening', port })}\n`);
});
process.on('SIGTERM', () => process.exit(0));
process.on('SIGINT', () => process.exit(0));

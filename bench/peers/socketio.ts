/**
 * The Socket.IO 4 peer: the same workloads the Socket.IO way, WebSocket
 * transport only, no authentication, no storage.
 *   emit('join', roomId, ack)                 -> ack()
 *   emit('leave', roomId, ack)                -> ack()
 *   emit('send', {roomId, id, message})       -> io.to(roomId).emit('message', {roomId, memberId, clientId, message})
 * Socket.IO encodes a broadcast once for all its receivers.
 * With REDIS_URL, rooms span nodes through @socket.io/redis-adapter (the cluster scenario).
 * Env: PORT (0 picks one), HOST (127.0.0.1), REDIS_URL. Prints {"msg":"socketio listening","port":N}.
 */
import { createServer } from 'node:http';
import { createAdapter } from '@socket.io/redis-adapter';
import { createClient } from 'redis';
import { Server } from 'socket.io';

const http = createServer();
const io = new Server(http, {
  transports: ['websocket'],
  perMessageDeflate: false,
  serveClient: false,
  cors: { origin: '*' },
});

const redisUrl = process.env.REDIS_URL;
if (redisUrl) {
  const pub = createClient({ url: redisUrl });
  const sub = pub.duplicate();
  await Promise.all([pub.connect(), sub.connect()]);
  io.adapter(createAdapter(pub, sub, { key: process.env.SOCKETIO_KEY ?? 'bench-socket.io' }));
}

io.on('connection', (socket) => {
  socket.on('join', (roomId: string, ack?: () => void) => {
    socket.join(String(roomId));
    ack?.();
  });
  socket.on('leave', (roomId: string, ack?: () => void) => {
    socket.leave(String(roomId));
    ack?.();
  });
  socket.on('send', (frame: { roomId: string; id?: string; message: string }) => {
    const roomId = String(frame.roomId);
    if (!socket.rooms.has(roomId)) return;
    io.to(roomId).emit('message', {
      roomId,
      memberId: socket.id,
      clientId: frame.id,
      message: frame.message,
    });
  });
});

http.listen(Number(process.env.PORT ?? 0), process.env.HOST ?? '127.0.0.1', () => {
  const address = http.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  process.stdout.write(`${JSON.stringify({ msg: 'socketio listening', port })}\n`);
});
process.on('SIGTERM', () => process.exit(0));
process.on('SIGINT', () => process.exit(0));

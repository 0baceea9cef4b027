// Presence the way Socket.IO users write it: rooms, a per-room map of who is there, the
// list broadcast to the room on every join and leave. With --relay, heartbeats are also
// relayed to the room (the variant that keeps "last active" fresh for everyone).
//   node socketio.mjs PORT [--relay]   → prints "listening PORT"
import http from 'node:http'
import { Server } from 'socket.io'

const port = Number(process.argv[2] ?? 0)
const relay = process.argv.includes('--relay')
const server = http.createServer()
const io = new Server(server, { transports: ['websocket'], serveClient: false })
const rooms = new Map() // room → Map(userId → number of sockets)

function members(room) {
  return [...(rooms.get(room) ?? new Map()).keys()].map(userId => ({ userId, online: true }))
}

io.on('connection', socket => {
  const joined = new Map() // room → userId
  socket.on('join', ({ room, userId }) => {
    if (joined.has(room)) return
    joined.set(room, userId)
    socket.join(room)
    const here = rooms.get(room) ?? new Map()
    rooms.set(room, here)
    const before = here.get(userId) ?? 0
    here.set(userId, before + 1)
    if (before === 0) io.to(room).emit('presence', members(room))
    else socket.emit('presence', members(room))
  })
  socket.on('heartbeat', ({ room, userId }) => {
    if (relay && joined.has(room)) socket.to(room).emit('heartbeat', { userId, at: Date.now() })
  })
  const leave = room => {
    const userId = joined.get(room)
    joined.delete(room)
    socket.leave(room)
    const here = rooms.get(room)
    if (!here) return
    const left = (here.get(userId) ?? 1) - 1
    if (left > 0) { here.set(userId, left); return }
    here.delete(userId)
    io.to(room).emit('presence', members(room))
  }
  socket.on('leave', ({ room }) => leave(room))
  socket.on('disconnect', () => { for (const room of [...joined.keys()]) leave(room) })
})

server.listen(port, '127.0.0.1', () => console.log(`listening ${server.address().port}`))

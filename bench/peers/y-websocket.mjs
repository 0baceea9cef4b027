// y-websocket's stock server (@y/websocket-server): Yjs documents with awareness.
//   node y-websocket.mjs PORT   → prints "listening PORT"
import http from 'node:http'
import { WebSocketServer } from 'ws'
import { setupWSConnection } from '@y/websocket-server/utils'

const port = Number(process.argv[2] ?? 0)
const server = http.createServer((request, response) => {
  response.writeHead(200, { 'Content-Type': 'text/plain' })
  response.end('okay')
})
const wss = new WebSocketServer({ noServer: true })
wss.on('connection', setupWSConnection)
server.on('upgrade', (request, socket, head) => {
  wss.handleUpgrade(request, socket, head, ws => wss.emit('connection', ws, request))
})
server.listen(port, '127.0.0.1', () => console.log(`listening ${server.address().port}`))

// Hocuspocus with its awareness (presence) as users run it: the stock Server, no extensions.
//   node hocuspocus.mjs PORT   → prints "listening PORT"
import { Server } from '@hocuspocus/server'

const port = Number(process.argv[2] ?? 0)
const server = new Server({ port, address: '127.0.0.1', quiet: true })
await server.listen()
console.log(`listening ${server.httpServer.address().port}`)

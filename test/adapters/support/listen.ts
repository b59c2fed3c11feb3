import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

/** A server listening on an ephemeral port on 127.0.0.1; `close` ends it and its open connections. */
export interface Running {
  readonly origin: string
  readonly port: number
  close(): Promise<void>
}

/** Starts `server` (or a server around `listener`) on 127.0.0.1 on an ephemeral port. */
export async function listen(
  serverOrListener: Server | ((req: IncomingMessage, res: ServerResponse) => void),
): Promise<Running> {
  const server = typeof serverOrListener === 'function' ? createServer(serverOrListener) : serverOrListener
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    origin: `http://127.0.0.1:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

import { connect } from 'node:net'

/**
 * Sends only the head of a POST that announces a 50 MiB body, sends none of it, and resolves with
 * what came back once the server closed the socket (a test times out if the server never does).
 */
export function announceLargeBody(url: string): Promise<{ text: string; closed: boolean }> {
  const { hostname, port, pathname } = new URL(url)
  return new Promise((resolve) => {
    let text = ''
    const socket = connect(Number(port), hostname, () => {
      socket.write(`POST ${pathname} HTTP/1.1\r\nHost: x\r\nContent-Length: ${50 * 1024 * 1024}\r\n\r\n`)
    })
    socket.setEncoding('utf8')
    socket.on('data', (chunk: string) => {
      text += chunk
    })
    socket.on('close', () => resolve({ text, closed: true }))
    socket.on('error', () => {})
  })
}

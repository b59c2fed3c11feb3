/**
 * Ends the process quietly (exit code so far, else 0) when a reader of `stream` goes away, as in
 * `smartsupp-hook check dir | head -1`, instead of an unhandled EPIPE error with a stack trace.
 * Other stream errors are left to Node.
 */
export function exitOnBrokenPipe(stream: NodeJS.WriteStream): void {
  stream.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code !== 'EPIPE') throw e
    process.exit(typeof process.exitCode === 'number' ? process.exitCode : 0)
  })
}

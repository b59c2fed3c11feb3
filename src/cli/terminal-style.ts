/** Colour functions for one output stream; each returns its text unchanged when colour is off. */
export interface TerminalStyle {
  readonly enabled: boolean
  readonly red: (text: string) => string
  readonly green: (text: string) => string
  readonly yellow: (text: string) => string
  readonly dim: (text: string) => string
  readonly bold: (text: string) => string
}

/** Colour only on a terminal, and never when `NO_COLOR` is set to a non-empty value (no-color.org). */
export function colorEnabled(
  stream: { readonly isTTY?: boolean },
  env: Readonly<Record<string, string | undefined>>,
): boolean {
  const noColor = env.NO_COLOR
  return stream.isTTY === true && (noColor === undefined || noColor === '')
}

/** The style for a stream: ANSI colours when `enabled`, plain text otherwise. */
export function terminalStyle(enabled: boolean): TerminalStyle {
  const paint = (open: number, close: number) => (text: string) =>
    enabled ? `\u001b[${open}m${text}\u001b[${close}m` : text
  return {
    enabled,
    red: paint(31, 39),
    green: paint(32, 39),
    yellow: paint(33, 39),
    dim: paint(2, 22),
    bold: paint(1, 22),
  }
}

// C0 controls but tab and newline, DEL, C1 controls, and what reorders or breaks a line: the bidi
// marks, embeddings, overrides and isolates (U+061C, U+200E/F, U+202A-E, U+2066-9) and the line
// and paragraph separators (U+2028/9). A U+202E in a visitor's name would print the rest of the
// line backwards; an escape sequence would drive the terminal.
const UNSAFE =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
  /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g

// The same but C0, which this command's own colours use (ESC [ … m): what no output of ours ever
// holds, so it can be escaped in everything written, whatever forgot to call `printable`.
const NEVER_OURS = /[\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g

const escaped = (c: string) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`

/**
 * Text from a payload made safe for a terminal: control characters (an escape sequence in a
 * visitor's message, say) and bidi controls (U+202E, which would show the rest of a line
 * reversed) become visible `\u001b`-style escapes instead of acting on the terminal. Inside a
 * JSON string such an escape is valid JSON for the same character.
 */
export function printable(text: string): string {
  return text.replace(UNSAFE, escaped)
}

/**
 * Makes every string written to `stream` escape what no output of this command holds on purpose
 * (DEL, C1 controls, bidi controls, line and paragraph separators), so no payload text reaches
 * the terminal raw even where a caller forgot `printable`. Returns a function that undoes it.
 */
export function guardTerminal(stream: NodeJS.WriteStream): () => void {
  const write = stream.write
  const guarded = function (this: NodeJS.WriteStream, chunk: unknown, ...rest: unknown[]): boolean {
    const safe = typeof chunk === 'string' ? chunk.replace(NEVER_OURS, escaped) : chunk
    return (write as (...args: unknown[]) => boolean).call(this, safe, ...rest)
  }
  stream.write = guarded as typeof stream.write
  return () => {
    if (stream.write === guarded) stream.write = write
  }
}

/** Text on one line: any run of line breaks and the spaces around it becomes one space. */
export function oneLine(text: string): string {
  return text.replace(/\s*[\r\n]+\s*/g, ' ')
}

/**
 * Text from a payload, a file name or a peer, made safe for one line of terminal output: line
 * breaks folded (`oneLine`), then control and bidi characters escaped (`printable`). Use it for
 * every such line.
 */
export function displayLine(text: string): string {
  return printable(oneLine(text))
}

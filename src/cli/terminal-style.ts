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

// C0 controls but tab and newline, DEL, and C1 controls: what could drive a terminal.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g

/**
 * Text from a payload made safe for a terminal: control characters (an escape sequence in a
 * visitor's message, say) become visible `\u001b`-style escapes instead of acting on the terminal.
 */
export function printable(text: string): string {
  return text.replace(CONTROL, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
}

/** Text on one line: any run of line breaks and the spaces around it becomes one space. */
export function oneLine(text: string): string {
  return text.replace(/\s*[\r\n]+\s*/g, ' ')
}

/**
 * Text from a payload, a file name or a peer, made safe for one line of terminal output: line
 * breaks folded (`oneLine`), then C0 and C1 controls escaped (`printable`). Use it for every such line.
 */
export function displayLine(text: string): string {
  return printable(oneLine(text))
}

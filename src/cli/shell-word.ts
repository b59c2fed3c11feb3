/** `text` as one POSIX shell word: itself when it is plain, else single-quoted, for a command line to copy. */
export function shellWord(text: string): string {
  return /^[\w.:@%+,/=-]+$/.test(text) ? text : `'${text.replaceAll("'", "'\\''")}'`
}

/** `n` and the noun, with an English plural `s` unless `n` is 1: `1 message`, `3 messages`. */
export function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`
}

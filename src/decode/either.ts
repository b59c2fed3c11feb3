import type { Either, Left, Right } from 'fp-ts/lib/Either.js'

// fp-ts's Either is a plain tagged object; building it here keeps fp-ts a types-only import
// on the decode path (no runtime module to resolve, nothing to load).
export function left<E, A = never>(e: E): Either<E, A> {
  return { _tag: 'Left', left: e } satisfies Left<E>
}

export function right<A, E = never>(a: A): Either<E, A> {
  return { _tag: 'Right', right: a } satisfies Right<A>
}

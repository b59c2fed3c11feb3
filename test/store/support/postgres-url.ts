// Where the PostgreSQL tests find their server: SMARTSUPP_TEST_POSTGRES_URL, which vitest's global
// setup (test/support/postgres-global-setup.ts) sets when it is unset, after starting a private
// PostgreSQL; so under `npm test` or `npx vitest` they always run. Only a run without that setup
// finds no URL: then outside CI they skip, and in CI (CI set) they fail.

export const postgresUrl: string | undefined = process.env.SMARTSUPP_TEST_POSTGRES_URL || undefined

/** True in CI: `CI` set to anything but `false`/`0`/empty. */
export const inCi: boolean = !['', 'false', '0', undefined].includes(process.env.CI)

/** Skip the PostgreSQL tests only when there is no server and this is not CI. */
export const skipPostgres: boolean = postgresUrl === undefined && !inCi

/** The server's URL, or an error that says how to get one. */
export function requirePostgresUrl(): string {
  if (postgresUrl === undefined) {
    throw new Error(
      'SMARTSUPP_TEST_POSTGRES_URL is not set, and in CI the PostgreSQL tests must run: run them with ' +
        'vitest.config.ts (its global setup starts a server), or set the variable to a database URL',
    )
  }
  return postgresUrl
}

let counter = 0

/** A table prefix no other test (or test file running in parallel) uses. */
export function uniquePrefix(tag: string): string {
  counter += 1
  return `t${tag}_${process.pid.toString(36)}${Date.now().toString(36)}_${counter}_`
}

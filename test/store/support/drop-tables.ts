import type { SqlQuery } from '../../../src/store/sql/sql-client.js'

/** Drops a test's tables (the prefix came from uniquePrefix, so nothing else is touched). */
export async function dropTables(db: SqlQuery, prefix: string): Promise<void> {
  if (!/^t[a-z0-9_]+_$/.test(prefix)) throw new Error(`refusing to drop tables of prefix ${prefix}`)
  for (const table of ['events', 'conversations', 'schema_version']) {
    await db.query(`DROP TABLE IF EXISTS ${prefix}${table}`)
  }
}

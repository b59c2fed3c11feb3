// The fault suite (issue 17 item 8): real receiver processes on PGlite and PostgreSQL, signed
// events over real HTTP from a Smartsupp-like deliverer that re-delivers every answer but 200, and
// faults done to real processes (a PostgreSQL stopped or frozen, receivers killed or stopped, a
// hung callback, a PGlite directory opened twice, hostile values, forged captures replayed). Each scenario asserts that
// every event answered 200 is stored, every conversation's last export is whole, and each
// conversation was exported once per revision, counting and reporting the documented exceptions
// (docs/stores.md, "Under faults"). Scenarios share no server, so they run concurrently (at most
// vitest's maxConcurrency, 5, at a time), the longest first. One alone: `-t '<its describe>'`.
import { describe } from 'vitest'
import { forgedCaptures } from './forged-captures.js'
import { hostileValues } from './hostile-values.js'
import { hungCallback } from './hung-callback.js'
import { postgresFrozen } from './postgres-frozen.js'
import { postgresStopped } from './postgres-stopped.js'
import { receiverKilled } from './receiver-killed.js'
import { shortLease } from './short-lease.js'
import { shutdownDuringExport } from './shutdown-during-export.js'
import { twoOpeners } from './two-openers.js'

describe.concurrent('fault suite', () => {
  postgresFrozen()
  postgresStopped()
  receiverKilled()
  twoOpeners()
  hostileValues()
  hungCallback()
  shortLease()
  shutdownDuringExport()
  forgedCaptures()
})

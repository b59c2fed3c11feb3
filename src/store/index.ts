/**
 * `smartsupp-hook/store`: the event store's interface, the in-memory store and the helpers that
 * turn a received body into what to store. The SQL stores have their own subpaths, so a driver is
 * loaded only by whoever uses it: `smartsupp-hook/store/pglite`, `smartsupp-hook/store/postgres`.
 *
 * @module smartsupp-hook/store
 */
export { ClaimLostError } from './claim-lost-error.js'
export {
  type ClosableServer,
  type CloseOnSignalsOptions,
  closeOnSignals,
  type ShutdownSignal,
} from './close-on-signals.js'
export { ConversationFailedError } from './conversation-failed-error.js'
export type {
  AppendOutcome,
  ClaimOptions,
  ConversationExportState,
  EventStore,
  ExportClaim,
  ExportedEvents,
  ListOptions,
  NewStoredEvent,
  ReleaseOptions,
  RetryFailedOptions,
  StoredConversation,
  StoredEvent,
} from './event-store.js'
export {
  AssemblyError,
  DEFAULT_EXPORT_TIMEOUT_MS,
  DEFAULT_LEASE_MS,
  DEFAULT_MAX_EXPORT_ATTEMPTS,
  DEFAULT_QUIET_MS,
  DEFAULT_SETTLE_MS,
  type ExportFailure,
  type ExportFinishedOptions,
  ExportNotMarkedError,
  type ExportReport,
  exportFinished,
  type FinishedContext,
  type OnConversationFinished,
} from './export-finished.js'
export { ExportStoppedError } from './export-stopped-error.js'
export { type StopExportSweepOptions, stopExportSweep } from './export-sweeps.js'
export { ExportTimeoutError } from './export-timeout-error.js'
export { type MemoryEventStoreOptions, memoryEventStore } from './memory-event-store.js'
export { poisonedEventKey } from './poisoned-event-key.js'
export { storedConversationId } from './storable-text.js'
export { poisonedStoredEventOf, storedEventOf } from './stored-event-of.js'

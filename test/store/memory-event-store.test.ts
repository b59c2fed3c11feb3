import { describe } from 'vitest'
import { memoryEventStore } from '../../src/store/memory-event-store.js'
import { eventStoreContract } from './contract.js'

describe('memoryEventStore', () => {
  eventStoreContract(async (clock) => {
    const store = memoryEventStore({ clock })
    return { store, another: async () => store }
  })
})

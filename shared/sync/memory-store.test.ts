import { describeStoreContract } from '../../test/helpers/store-contract.ts';
import { createMemoryStore } from './memory-store.ts';

describeStoreContract('in-memory', async () => createMemoryStore());

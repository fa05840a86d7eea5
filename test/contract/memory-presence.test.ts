import { MemoryPresence } from '../../src/adapters/presence/memory-presence.js';
import { presenceContract } from './presence.contract.js';

const presence = new MemoryPresence();
presenceContract('in-process', async () => presence, { nodes: 'shared' });

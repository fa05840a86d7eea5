import { MemoryNotifyClaims } from '../../src/adapters/notify/memory-notify-claims.js';
import { notifyClaimsContract } from './notify-claims.contract.js';

notifyClaimsContract('in memory', async () => new MemoryNotifyClaims(), 'shared');

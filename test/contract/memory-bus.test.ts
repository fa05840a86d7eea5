import { MemoryBus } from '../../src/adapters/bus/memory-bus.js';
import { busContract } from './bus.contract.js';

const bus = new MemoryBus();
busContract('in-process', async () => bus, { nodes: 'shared' });

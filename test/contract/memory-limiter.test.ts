import { FlexibleLimiters } from '../../src/adapters/limits/flexible-limiters.js';
import { limiterContract } from './limiter.contract.js';

limiterContract('in memory', () => FlexibleLimiters.inMemory());

import { after, describe } from 'node:test';
import pino from 'pino';
import { RedisBus } from '../../src/adapters/bus/redis-bus.js';
import { deleteKeys, testPrefix } from '../support/redis.js';
import { skipUnless } from '../support/services.js';
import { busContract } from './bus.contract.js';

const skip = skipUnless('REDIS_URL');
const url = process.env.REDIS_URL ?? '';
const prefix = testPrefix('bus');

describe('Redis bus', { skip }, () => {
  after(() => deleteKeys(url, prefix));
  busContract('Redis', () => RedisBus.open(url, prefix, pino({ level: 'silent' })), {
    nodes: 'separate',
  });
});

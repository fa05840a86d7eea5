import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { describe, it } from 'node:test';
import { SignJWT } from 'jose';
import { JwtTokens } from '../../src/adapters/auth/jwt-tokens.js';

const SECRET = 'a-test-secret-of-at-least-32-characters!';
const key = new TextEncoder().encode(SECRET);
const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const sign = (header: unknown, claims: unknown, secret = SECRET) => {
  const input = `${b64(header)}.${b64(claims)}`;
  return `${input}.${createHmac('sha256', secret).update(input).digest('base64url')}`;
};
const now = Math.floor(Date.now() / 1000);
const claims = { sub: 'u1', name: 'alice', guest: false, iat: now, exp: now + 60 };
const unauthorized = { code: 'unauthorized' };

describe('JwtTokens', () => {
  it('verifies the tokens it issues, and others signed with the same key', async () => {
    const tokens = new JwtTokens(SECRET, '1h');
    const before = Date.now();
    const token = await tokens.issue({ id: 'u1', name: 'alice', guest: true });
    const mine = await tokens.verify(token);
    assert.equal(mine.userId, 'u1');
    assert.ok(mine.issuedAt >= before && mine.issuedAt <= Date.now(), 'issued at, to the ms');
    const foreign = await new SignJWT({ name: 'bob' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('u2')
      .setIssuedAt(now)
      .sign(key);
    assert.deepEqual(await tokens.verify(foreign), { userId: 'u2', issuedAt: now * 1000 });
  });

  it('refuses tampered, foreign, unsigned, expired, not-yet-valid and malformed tokens', async () => {
    const tokens = new JwtTokens(SECRET, '1h');
    const good = sign({ alg: 'HS256', typ: 'JWT' }, claims);
    assert.ok(await tokens.verify(good));
    const [h, , s] = good.split('.');
    const refused = [
      `${h}.${b64({ ...claims, name: 'mallory' })}.${s}`,
      sign({ alg: 'HS256' }, claims, 'another-secret-of-at-least-32-characters'),
      `${b64({ alg: 'none' })}.${b64(claims)}.`,
      sign({ alg: 'none' }, claims),
      sign({ alg: 'HS512' }, claims),
      sign({ alg: 'HS256', crit: ['exp'] }, claims),
      sign({ alg: 'HS256' }, { ...claims, exp: now - 1 }),
      sign({ alg: 'HS256' }, { ...claims, exp: 'soon' }),
      sign({ alg: 'HS256' }, { ...claims, nbf: now + 60 }),
      sign({ alg: 'HS256' }, { name: 'no subject', iat: now }),
      sign({ alg: 'HS256' }, { sub: 'u1', name: 'no issue time' }),
      'not.a.jwt',
      `${good}.extra`,
      '',
    ];
    for (const token of refused) await assert.rejects(tokens.verify(token), unauthorized, token);
  });

  it('forgets a remembered token once it expires', async () => {
    let clock = now;
    const tokens = new JwtTokens(SECRET, '1h', () => clock);
    const token = sign({ alg: 'HS256' }, { ...claims, exp: now + 5 });
    assert.ok(await tokens.verify(token));
    clock = now + 10;
    await assert.rejects(tokens.verify(token), unauthorized);
  });
});

import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { describe, it } from 'node:test';
import { SignJWT } from 'jose';
import { JwtTokens, verifyHs256 } from '../../src/adapters/auth/jwt-tokens.js';

const SECRET = 'a-test-secret-of-at-least-32-characters!';
const key = new TextEncoder().encode(SECRET);
const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const sign = (header: unknown, claims: unknown, secret = SECRET) => {
  const input = `${b64(header)}.${b64(claims)}`;
  return `${input}.${createHmac('sha256', secret).update(input).digest('base64url')}`;
};
const now = Math.floor(Date.now() / 1000);
const claims = { sub: 'u1', name: 'alice', guest: false, iat: now, exp: now + 60 };

describe('JwtTokens', () => {
  it('verifies the tokens it issues', async () => {
    const tokens = new JwtTokens(SECRET, '1h');
    const token = await tokens.issue({ id: 'u1', name: 'alice', guest: true });
    assert.deepEqual(await tokens.verify(token), { id: 'u1', name: 'alice', guest: true });
  });

  it('accepts a token signed by jose with the same key and no expiry', async () => {
    const token = await new SignJWT({ name: 'bob' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('u2')
      .sign(key);
    assert.deepEqual(verifyHs256(token, key, now), { id: 'u2', name: 'bob', guest: false });
  });

  it('refuses tampered, foreign, unsigned, expired, not-yet-valid and malformed tokens', async () => {
    const good = sign({ alg: 'HS256', typ: 'JWT' }, claims);
    assert.ok(verifyHs256(good, key, now));
    const [h, , s] = good.split('.');
    const refused = [
      `${h}.${b64({ ...claims, name: 'mallory' })}.${s}`,
      sign({ alg: 'HS256' }, claims, 'another-secret-of-at-least-32-characters'),
      `${b64({ alg: 'none' })}.${b64(claims)}.`,
      sign({ alg: 'none' }, claims),
      sign({ alg: 'HS512' }, claims),
      sign({ alg: 'HS256', crit: ['exp'] }, claims),
      sign({ alg: 'HS256', b64: false }, claims),
      sign({ alg: 'HS256' }, { ...claims, exp: now }),
      sign({ alg: 'HS256' }, { ...claims, exp: 'soon' }),
      sign({ alg: 'HS256' }, { ...claims, nbf: now + 10 }),
      sign({ alg: 'HS256' }, { name: 'no subject' }),
      sign({ alg: 'HS256' }, [1, 2]),
      'not.a.jwt',
      `${good}.extra`,
      good.replace('.', '+.'),
      '',
    ];
    for (const token of refused) assert.equal(verifyHs256(token, key, now), undefined, token);
    await assert.rejects(new JwtTokens(SECRET, '1h').verify(refused[0] as string), {
      code: 'unauthorized',
    });
  });
});

import fc from 'fast-check';
import { CLIENT_FRAMES } from '../../src/protocol/frames.js';

/** The JSON Schema keywords our TypeBox frame schemas use. */
interface Schema {
  type?: string;
  const?: unknown;
  properties?: Record<string, Schema>;
  required?: string[];
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
}

/** Strings that have found bugs in chat servers: ids of other kinds, markup, odd Unicode. */
const NASTY_STRINGS = [
  '',
  ' ',
  '\u0000',
  '\ud800',
  '\udfff',
  '👩‍👩‍👧‍👦',
  '<script>alert(1)</script>',
  "'; drop table messages; --",
  '../../etc/passwd',
  '%00',
  '__proto__',
  'constructor',
  'x'.repeat(5000),
];

/**
 * Values for one field: mostly valid for its schema, sometimes at or past its
 * bounds, sometimes of another JSON type altogether.
 */
function fieldValue(
  schema: Schema,
  pools: { roomIds: string[] },
  name: string,
): fc.Arbitrary<unknown> {
  const valid: fc.Arbitrary<unknown>[] = [];
  if (schema.const !== undefined) valid.push(fc.constant(schema.const));
  else if (schema.type === 'string') {
    if (name === 'roomId') valid.push(fc.constantFrom(...pools.roomIds));
    valid.push(
      fc.string({
        minLength: schema.minLength ?? 0,
        maxLength: Math.min(schema.maxLength ?? 64, 64),
      }),
      fc.constantFrom(...NASTY_STRINGS),
      fc.string({ unit: 'binary', maxLength: 32 }),
    );
  } else if (schema.type === 'integer' || schema.type === 'number') {
    valid.push(
      fc.nat({ max: 50 }),
      fc.constantFrom(-1, 0.5, 2 ** 53 + 2, 1e308, -0, schema.maximum ?? 1e9),
      fc.double(),
    );
  } else if (schema.type === 'boolean') {
    valid.push(fc.boolean());
  }
  // A keyword this generator does not know yet: any JSON value, rather than no frame at all.
  if (valid.length === 0) valid.push(fc.jsonValue({ maxDepth: 2 }));
  return fc.oneof(
    { weight: 6, arbitrary: fc.oneof(...valid) },
    { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }) },
  );
}

/**
 * A frame built from one of the protocol's own schemas (src/protocol/frames.ts),
 * then perhaps mutated: a field dropped, an unknown field added, or the type changed.
 */
export function clientFrame(pools: { roomIds: string[] }): fc.Arbitrary<unknown> {
  const perType = Object.values(CLIENT_FRAMES).map((frameSchema) => {
    const schema = frameSchema as unknown as Schema;
    const fields = Object.entries(schema.properties ?? {}).map(
      ([name, field]) => [name, fieldValue(field, pools, name)] as const,
    );
    const record = fc.record(Object.fromEntries(fields), {
      requiredKeys: (schema.required ?? []).filter((key) => key !== 'id'),
    });
    return fc
      .tuple(record, fc.nat({ max: 9 }), fc.string(), fc.jsonValue({ maxDepth: 1 }))
      .map(([frame, mutation, key, value]) => {
        const copy: Record<string, unknown> = { ...frame };
        const keys = Object.keys(copy);
        if (mutation === 0 && keys.length > 0) delete copy[keys[0] as string];
        if (mutation === 1) copy[key] = value;
        if (mutation === 2) copy.type = value;
        return copy;
      });
  });
  return fc.oneof(...perType);
}

/** Text that is no frame at all, or nearly one. */
export const rawText: fc.Arbitrary<string> = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 200 }),
  fc.json({ maxDepth: 3 }),
  fc.json({ maxDepth: 2 }).map((json) => json.slice(0, Math.max(0, json.length - 1))),
  fc.constantFrom('{', '}', '[]', 'null', '"join"', '{"type":"join","roomId":', '\u0000{}'),
);

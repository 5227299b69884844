// src/checklist/canonical.ts writes canonical JSON through a sorted copy and the engine's
// JSON.stringify, falling back to the `canonicalize` library where only it gives RFC 8785's
// order. The two must agree on every value: the same text, or both refuse it.
import fc from 'fast-check';
import canonicalize from 'canonicalize';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../../src/checklist/canonical.ts';

function outcome(write: () => string | undefined): { text?: string; error?: string } {
  try {
    return { text: write() ?? '<none>' };
  } catch (error) {
    return { error: error instanceof Error ? error.message : String(error) };
  }
}

const text = fc.string({ unit: 'binary', maxLength: 8 });
const key = fc.oneof(text, fc.constantFrom('0', '1', '10', '2', '01', '-1', '1.5', 'a', 'A', ''));
const leaf = fc.oneof(
  text,
  fc.double(),
  fc.integer(),
  fc.boolean(),
  fc.constant(null),
  fc.constant(undefined),
);
const value = fc.letrec((tie) => ({
  node: fc.oneof({ depthSize: 'small' }, leaf, tie('array'), tie('object')),
  array: fc.array(tie('node'), { maxLength: 5 }),
  object: fc.dictionary(key, tie('node'), { maxKeys: 6 }),
})).node;

describe('canonical JSON, fast path', () => {
  it('writes what the canonicalize library writes, or refuses what it refuses', () => {
    fc.assert(
      fc.property(value, (v) => {
        const mine = outcome(() => canonicalJson(v));
        const library = outcome(() => canonicalize(v));
        if (library.text === '<none>') expect(mine.error).toBe('value has no JSON form');
        else expect(mine).toEqual(library);
      }),
      { numRuns: 3000 },
    );
  });

  it('agrees on JSON documents as parsed from a file', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        expect(canonicalJson(v)).toBe(canonicalize(v));
      }),
      { numRuns: 2000 },
    );
  });

  it('writes dates, shared sub-objects and non-JSON values as the library does', () => {
    const shared = { b: 1, a: [2] };
    const cases: unknown[] = [
      { at: new Date(Date.UTC(2017, 4, 12)), x: [undefined, 1] },
      { one: shared, two: shared },
      [() => 1, Symbol('s')],
      { f: Symbol('s'), g: 1 },
      { '10': 1, '9': 2, b: 3, a: 4 },
      -0,
      1e21,
      5e-324,
    ];
    for (const c of cases)
      expect(outcome(() => canonicalJson(c))).toEqual(outcome(() => canonicalize(c)));
  });

  it('keeps a "__proto__" key as the library does', () => {
    for (const text of [
      '{"__proto__":{},"a":1}',
      '{"b":{"__proto__":{"x":1}}}',
      '[{"__proto__":null}]',
    ]) {
      const parsed: unknown = JSON.parse(text);
      expect(canonicalJson(parsed)).toBe(canonicalize(parsed));
    }
    expect(canonicalJson(JSON.parse('{"__proto__":{"x":1},"a":1}'))).toBe(
      '{"__proto__":{"x":1},"a":1}',
    );
  });

  it('refuses cycles, lone surrogates, NaN and infinities', () => {
    const cycle: Record<string, unknown> = { a: 1 };
    cycle.self = cycle;
    expect(() => canonicalJson(cycle)).toThrow('Circular reference detected');
    expect(() => canonicalJson({ a: '\ud800' })).toThrow('Lone surrogate is not allowed');
    expect(() => canonicalJson({ '\udc00': 1 })).toThrow('Lone surrogate is not allowed');
    expect(() => canonicalJson([Number.NaN])).toThrow('NaN is not allowed');
    expect(() => canonicalJson({ x: Number.POSITIVE_INFINITY })).toThrow('Infinity is not allowed');
    expect(canonicalJson({ s: '\ud83d\ude02' })).toBe('{"s":"\ud83d\ude02"}');
  });
});

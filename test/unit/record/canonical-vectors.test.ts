// RFC 8785's published test vectors (cyberphone/json-canonicalization, testdata/: the inputs
// and the canonical outputs, written out here as JavaScript values and strings) against both
// canonical forms: the app's (canonicalize, via src/checklist/canonical.ts) and the one the
// no-dependency verifier writes for itself. Both must also refuse a lone surrogate.
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../../src/checklist/canonical.ts';
import { canonicalize } from '../../../scripts/verify-record.mjs';

const vectors: { name: string; input: string; output: string }[] = [
  {
    name: 'values.json',
    input:
      '{"numbers": [1E30, 4.50, 333333333.33333329, 2e-3, 0.000000000000000000000000001], "escaping": "\\u20ac$\\u000F\\u000aA\'\\u0042\\u0022\\u005c\\\\\\"\\/", "literals": [null, true, false]}',
    output:
      '{"escaping":"€$\\u000f\\nA\'B\\"\\\\\\\\\\"/","literals":[null,true,false],"numbers":[1e+30,4.5,333333333.3333333,0.002,1e-27]}',
  },
  {
    name: 'structures.json',
    input:
      '{"1": {"f": {"f": "hi","F": 5} ,"\\n": 56.0}, "10": { }, "": "empty", "a": { }, "111": [ { } ], "A": { }}',
    output: '{"":"empty","1":{"\\n":56,"f":{"F":5,"f":"hi"}},"10":{},"111":[{}],"A":{},"a":{}}',
  },
  {
    name: 'weird.json',
    input:
      '{"\\u20ac": "Euro Sign", "1": "One", "\\u0080": "Control\\u007f", "\\ud83d\\ude02": "Smiley", "\\u00f6": "Latin Small Letter O With Diaeresis", "\\ufb33": "Hebrew Letter Dalet With Dagesh", "</script>": "Browser Challenge"}',
    output:
      // Written with escapes so no editor can change a character: the output is these
      // characters themselves, sorted by UTF-16 code unit.
      '{"1":"One","</script>":"Browser Challenge","\u0080":"Control\u007f","\u00f6":"Latin Small Letter O With Diaeresis","\u20ac":"Euro Sign","\ud83d\ude02":"Smiley","\ufb33":"Hebrew Letter Dalet With Dagesh"}',
  },
];

describe.each([
  ['the app (canonicalize)', canonicalJson],
  ['scripts/verify-record.mjs', canonicalize],
])('RFC 8785 test vectors: %s', (_name, canonical) => {
  it.each(vectors)('$name', ({ input, output }) => {
    expect(canonical(JSON.parse(input))).toBe(output);
  });

  it('refuses a lone surrogate, in a value or a member name', () => {
    expect(() => canonical({ a: '\ud800' })).toThrow();
    expect(() => canonical({ '\udc00': 1 })).toThrow();
    expect(canonical({ a: '\ud83d\ude02' })).toBe('{"a":"😂"}');
  });
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { canonicalJson } from './canonical-json.ts';

// Cases from RFC 8785 (JSON Canonicalization Scheme), https://www.rfc-editor.org/rfc/rfc8785.

test('canonicalJson: the RFC 8785 §3.2.2 example (literals, numbers, string escapes, key order)', () => {
  // source: RFC 8785 §3.2.2 input and §3.2.4 output.
  const input = JSON.parse(
    '{"numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],' +
      ' "string": "\\u20ac$\\u000F\\u000aA\'\\u0042\\u0022\\u005c\\\\\\"\\/",' +
      ' "literals": [null, true, false]}',
  );
  assert.equal(
    canonicalJson(input),
    '{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],' +
      '"string":"€$\\u000f\\nA\'B\\"\\\\\\\\\\"/"}',
  );
});

test('canonicalJson: members sort by UTF-16 code units (RFC 8785 §3.2.3 example)', () => {
  // source: RFC 8785 §3.2.3 — the expected order is \r, 1, \u0080, ö, €, 😀, דּ.
  const input = JSON.parse(
    '{"\\u20ac": "Euro Sign", "\\r": "Carriage Return", "\\ufb33": "Hebrew Letter Dalet With Dagesh",' +
      ' "1": "One", "\\ud83d\\ude00": "Emoji: Grinning Face", "\\u0080": "Control",' +
      ' "\\u00f6": "Latin Small Letter O With Diaeresis"}',
  );
  assert.equal(
    canonicalJson(input),
    '{"\\r":"Carriage Return","1":"One","\u0080":"Control","\u00f6":"Latin Small Letter O With Diaeresis",' +
      '"\u20ac":"Euro Sign","\ud83d\ude00":"Emoji: Grinning Face","\ufb33":"Hebrew Letter Dalet With Dagesh"}',
  );
});

test('canonicalJson: number formatting follows ECMAScript (RFC 8785 §3.2.2.3 and Appendix B)', () => {
  // source: RFC 8785 Appendix B (IEEE-754 → JSON table) and ECMAScript Number::toString boundaries (1e21, 1e-7).
  const cases: [number, string][] = [
    [0, '0'],
    [-0, '0'],
    [5e-324, '5e-324'],
    [-5e-324, '-5e-324'],
    [1.7976931348623157e308, '1.7976931348623157e+308'],
    [9007199254740992, '9007199254740992'],
    [-9007199254740992, '-9007199254740992'],
    [295147905179352830000, '295147905179352830000'],
    [9.999999999999997e22, '9.999999999999997e+22'],
    [1e23, '1e+23'],
    [1e21, '1e+21'],
    [999999999999999700000, '999999999999999700000'],
    [0.000001, '0.000001'],
    [1e-7, '1e-7'],
    [-1.5, '-1.5'],
  ];
  for (const [n, expected] of cases) assert.equal(canonicalJson(n), expected, `for ${n}`);
});

test('canonicalJson: nested objects sort at every level, arrays keep their order, no whitespace', () => {
  assert.equal(
    canonicalJson({ b: [3, { z: 1, a: [] }, 'x'], a: { d: null, c: true } }),
    '{"a":{"c":true,"d":null},"b":[3,{"a":[],"z":1},"x"]}',
  );
});

test('canonicalJson: undefined members are omitted; the result round-trips through JSON.parse', () => {
  const value = { keep: 'yes', drop: undefined, nested: { gone: undefined, n: 1 } };
  const text = canonicalJson(value);
  assert.equal(text, '{"keep":"yes","nested":{"n":1}}');
  assert.equal(canonicalJson(JSON.parse(text)), text);
});

test('canonicalJson: refuses values JCS cannot represent', () => {
  const cyclic: Record<string, unknown> = {};
  cyclic.self = cyclic;
  for (const bad of [
    Number.NaN,
    Number.POSITIVE_INFINITY,
    10n,
    () => 1,
    Symbol('s'),
    undefined,
    [undefined],
    new Date(0),
    new Map(),
    '\ud800 lone high surrogate',
    'lone low \udc00',
    { '\udfff': 1 },
    cyclic,
  ]) {
    assert.throws(() => canonicalJson(bad), /canonicalJson/, `should refuse ${String(bad)}`);
  }
});

test('canonicalJson: a shared (non-cyclic) sub-object may appear twice', () => {
  const shared = { x: 1 };
  assert.equal(canonicalJson({ a: shared, b: [shared] }), '{"a":{"x":1},"b":[{"x":1}]}');
});

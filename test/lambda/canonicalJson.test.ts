import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CanonicalJsonError, canonicalJson, canonicalJsonBytes } from "../../lambda/custody/canonicalJson";

/** The same object with its keys inserted in reverse order, at every level. */
function reverseKeyOrder(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reverseKeyOrder);
  if (value === null || typeof value !== "object") return value;
  const reversed: Record<string, unknown> = {};
  for (const key of Object.keys(value).reverse()) {
    Object.defineProperty(reversed, key, { value: reverseKeyOrder((value as Record<string, unknown>)[key]), enumerable: true });
  }
  return reversed;
}

describe("canonicalJson", () => {
  it("sorts keys recursively and writes no whitespace", () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: true, y: null }], c: "x y" } })).toBe(
      '{"a":{"c":"x y","d":[3,{"y":null,"z":true}]},"b":1}',
    );
  });

  it("keeps the order of array elements", () => {
    expect(canonicalJson([3, 1, [2, 0], "b", "a"])).toBe('[3,1,[2,0],"b","a"]');
  });

  it("does not depend on key insertion order (property)", () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expect(canonicalJson(reverseKeyOrder(value))).toBe(canonicalJson(value));
      }),
      { numRuns: 500 },
    );
  });

  it("is JSON that parses back to the same value (property)", () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const text = canonicalJson(value);
        expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(value)));
        expect(text).not.toMatch(/[\n\r\t]/);
      }),
      { numRuns: 500 },
    );
  });

  it("sorts keys by UTF-16 code units, as RFC 8785 does", () => {
    expect(canonicalJson({ é: 1, z: 2, A: 3, "😀": 4, "\uff61": 5 })).toBe('{"A":3,"z":2,"é":1,"😀":4,"｡":5}');
  });

  it("leaves out properties whose value is undefined", () => {
    expect(canonicalJson({ a: undefined, b: 1 })).toBe('{"b":1}');
  });

  it("encodes as UTF-8 without a byte order mark", () => {
    expect(canonicalJsonBytes({ name: "Zoë" }).toString("hex")).toBe(Buffer.from('{"name":"Zoë"}', "utf8").toString("hex"));
  });

  it.each([
    [{ a: Number.NaN }, "/a"],
    [{ a: [1, undefined] }, "/a/1"],
    [{ when: new Date(0) }, "/when"],
    [{ big: 1n }, "/big"],
  ])("refuses %s, which has no canonical form, naming where", (value, path) => {
    expect(() => canonicalJson(value)).toThrow(CanonicalJsonError);
    expect(() => canonicalJson(value)).toThrow(`at ${path}`);
  });

  it("refuses a cycle", () => {
    const value: Record<string, unknown> = {};
    value.self = value;

    expect(() => canonicalJson(value)).toThrow(/cycle/);
  });
});

import fc from "fast-check";
import IPCIDR from "ip-cidr";
import { describe, expect, it } from "vitest";
import { normalizeCidrList, parseCidr } from "../../../policies/shared/cidrAllowlist";

const ipv4Cidr = fc.tuple(fc.integer({ min: 0, max: 0xffffffff }), fc.integer({ min: 16, max: 32 })).map(([address, prefix]) => {
  const network = prefix === 0 ? 0 : (address >>> (32 - prefix)) << (32 - prefix);
  const octets = [24, 16, 8, 0].map((shift) => ((network >>> 0) >>> shift) & 0xff);
  return `${octets.join(".")}/${prefix}`;
});

const ipv6Cidr = fc
  .tuple(fc.array(fc.integer({ min: 0, max: 0xffff }), { minLength: 8, maxLength: 8 }), fc.integer({ min: 32, max: 128 }))
  .map(([groups, prefix]) => {
    const bits = groups.map((g) => g.toString(2).padStart(16, "0")).join("");
    const masked = bits.slice(0, prefix).padEnd(128, "0");
    const hextets = Array.from({ length: 8 }, (_, i) => Number.parseInt(masked.slice(i * 16, i * 16 + 16), 2).toString(16));
    return `${hextets.join(":")}/${prefix}`;
  });

const validCidr = fc.oneof(ipv4Cidr, ipv6Cidr);

describe("parseCidr", () => {
  it("canonicalizes IPv6 to lowercase compressed form", () => {
    expect(parseCidr("2001:DB8:0:0::/32")).toMatchObject({ text: "2001:db8::/32", family: 6 });
  });

  it("trims surrounding whitespace", () => {
    expect(parseCidr(" 203.0.113.0/24 ")).toMatchObject({ text: "203.0.113.0/24" });
  });

  it("refuses a non-string entry", () => {
    expect(parseCidr(42)).toEqual({ entry: 42, problem: '42 is not a string; write each CIDR as text such as "203.0.113.0/24"' });
  });

  it("honours a custom minimum prefix", () => {
    expect(parseCidr("10.0.0.0/8", { minimumIpv4Prefix: 8, minimumIpv6Prefix: 32 })).toMatchObject({ text: "10.0.0.0/8" });
    expect(parseCidr("10.0.0.0/8", { minimumIpv4Prefix: 9, minimumIpv6Prefix: 32 })).toHaveProperty("problem");
  });
});

describe("normalizeCidrList", () => {
  it("drops duplicates and ranges inside another entry, keeps adjacent ranges apart", () => {
    const result = normalizeCidrList(["10.1.0.0/24", "10.1.1.0/24", "10.1.0.0/16", "10.1.0.0/16", "192.0.2.0/24"]);
    expect(result).toEqual({ cidrs: ["10.1.0.0/16", "192.0.2.0/24"], problems: [] });
    expect(normalizeCidrList(["10.1.0.0/24", "10.1.1.0/24"]).cidrs).toEqual(["10.1.0.0/24", "10.1.1.0/24"]);
  });

  it("lists each refused entry with its problem and keeps the good ones", () => {
    const result = normalizeCidrList(["203.0.113.0/24", "0.0.0.0/0", "nonsense"]);
    expect(result.cidrs).toEqual(["203.0.113.0/24"]);
    expect(result.problems.map((p) => p.entry)).toEqual(["0.0.0.0/0", "nonsense"]);
  });

  it("keeps every address of the input covered and nothing else (property)", () => {
    fc.assert(
      fc.property(fc.array(validCidr, { maxLength: 12 }), (entries) => {
        const { cidrs, problems } = normalizeCidrList(entries);
        expect(problems).toEqual([]);
        const outputs = cidrs.map((c) => new IPCIDR(c));
        for (const entry of entries) {
          const input = new IPCIDR(entry);
          const sameFamily = outputs.filter((o) => o.toString().includes(":") === entry.includes(":"));
          expect(sameFamily.some((o) => o.contains(input.start<string>()) && o.contains(input.end<string>()))).toBe(true);
        }
        // Each output is one of the inputs, canonicalized: nothing was widened.
        const canonicalInputs = new Set(entries.map((e) => (parseCidr(e) as { text: string }).text));
        for (const cidr of cidrs) expect(canonicalInputs.has(cidr)).toBe(true);
      }),
    );
  });

  it("never returns one range inside another, and is idempotent (property)", () => {
    fc.assert(
      fc.property(fc.array(validCidr, { maxLength: 12 }), (entries) => {
        const { cidrs } = normalizeCidrList(entries);
        expect(normalizeCidrList(cidrs).cidrs).toEqual(cidrs);
        for (const a of cidrs) {
          for (const b of cidrs) {
            // ip-address answers "contained" across families (:: contains 0.0.0.0), so compare like with like.
            if (a === b || a.includes(":") !== b.includes(":")) continue;
            const outer = new IPCIDR(a);
            const inner = new IPCIDR(b);
            expect(outer.contains(inner.start<string>()) && outer.contains(inner.end<string>())).toBe(false);
          }
        }
      }),
    );
  });

  it("refuses every prefix broader than the minimum (property)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 15 }), (prefix) => {
        const { cidrs, problems } = normalizeCidrList([`0.0.0.0/${prefix}`]);
        expect(cidrs).toEqual([]);
        expect(problems[0]?.problem).toMatch(/is broader than \/16 \(minimumIpv4Prefix\)/);
      }),
    );
  });
});

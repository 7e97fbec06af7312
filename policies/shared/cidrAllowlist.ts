import IPCIDR from "ip-cidr";

/** Limits every CIDR list in the project is held to. */
export interface CidrRules {
  /** Broadest IPv4 prefix accepted: a /8 is refused when this is 16. @default 16 */
  minimumIpv4Prefix: number;
  /** Broadest IPv6 prefix accepted. @default 32 */
  minimumIpv6Prefix: number;
}

export const DEFAULT_CIDR_RULES: CidrRules = { minimumIpv4Prefix: 16, minimumIpv6Prefix: 32 };

/** One refused entry: the text as given and a sentence saying what is wrong and the fix. */
export interface CidrProblem {
  entry: unknown;
  problem: string;
}

export interface CidrListResult {
  /** Canonical, de-duplicated CIDRs, IPv4 before IPv6, each in ascending address order. */
  cidrs: string[];
  problems: CidrProblem[];
}

interface ParsedCidr {
  text: string;
  family: 4 | 6;
  start: bigint;
  end: bigint;
}

/**
 * Checks one CIDR. ip-cidr does the parsing and range arithmetic; this adds
 * the rules that matter for a bucket policy: no bare addresses, no host bits
 * (a typo such as 10.1.2.3/8 silently means all of 10/8 to AWS), nothing
 * broader than the configured minimum prefix.
 */
export function parseCidr(entry: unknown, rules: CidrRules = DEFAULT_CIDR_RULES): ParsedCidr | CidrProblem {
  if (typeof entry !== "string") {
    return { entry, problem: `${JSON.stringify(entry)} is not a string; write each CIDR as text such as "203.0.113.0/24"` };
  }
  const text = entry.trim();
  if (!text.includes("/") && IPCIDR.isValidAddress(text)) {
    const single = text.includes(":") ? "128" : "32";
    return { entry, problem: `"${entry}" has no prefix length; write "${text}/${single}" for that one address` };
  }
  if (!IPCIDR.isValidCIDR(text)) {
    return { entry, problem: `"${entry}" is not a valid IPv4 or IPv6 CIDR; write it like "203.0.113.0/24" or "2001:db8::/32"` };
  }
  const cidr = new IPCIDR(text);
  const family = cidr.address.v4 ? 4 : 6;
  const prefix = cidr.address.subnetMask;
  const network = cidr.addressStart.correctForm();
  if (prefix === 0) {
    return { entry, problem: `"${entry}" matches every address; list only the ranges that need access` };
  }
  const minimum = family === 4 ? rules.minimumIpv4Prefix : rules.minimumIpv6Prefix;
  if (prefix < minimum) {
    const key = family === 4 ? "minimumIpv4Prefix" : "minimumIpv6Prefix";
    return {
      entry,
      problem: `"${entry}" is broader than /${minimum} (${key}); split it into /${minimum} or narrower ranges`,
    };
  }
  if (cidr.address.correctForm() !== network) {
    const single = family === 4 ? 32 : 128;
    return {
      entry,
      problem: `"${entry}" has host bits set; write "${network}/${prefix}" for the network or "${cidr.address.correctForm()}/${single}" for one address`,
    };
  }
  return {
    text: `${network}/${prefix}`,
    family,
    start: cidr.start<bigint>({ type: "bigInteger" }),
    end: cidr.end<bigint>({ type: "bigInteger" }),
  };
}

function isProblem(value: ParsedCidr | CidrProblem): value is CidrProblem {
  return "problem" in value;
}

/**
 * Validates a CIDR list and collapses it: duplicates and ranges contained in
 * another entry disappear, so the bucket policy lists each address once.
 * Adjacent ranges are kept apart on purpose: merging two /24s into a /23 would
 * make the policy say something the operator never wrote.
 */
export function normalizeCidrList(entries: readonly unknown[], rules: CidrRules = DEFAULT_CIDR_RULES): CidrListResult {
  const parsed: ParsedCidr[] = [];
  const problems: CidrProblem[] = [];
  for (const entry of entries) {
    const result = parseCidr(entry, rules);
    if (isProblem(result)) problems.push(result);
    else parsed.push(result);
  }
  parsed.sort((a, b) => a.family - b.family || compareBigInt(a.start, b.start) || compareBigInt(b.end, a.end));
  const kept: ParsedCidr[] = [];
  for (const candidate of parsed) {
    const previous = kept.at(-1);
    const contained = previous && previous.family === candidate.family && candidate.end <= previous.end;
    if (!contained) kept.push(candidate);
  }
  return { cidrs: kept.map((c) => c.text), problems };
}

function compareBigInt(a: bigint, b: bigint): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Canonical JSON: one byte sequence per value, so a custody manifest's SHA-256
 * (which a later change signs with KMS) can be recomputed by anyone holding
 * the manifest, in any language.
 *
 * Rules (a subset of RFC 8785, "JCS", sufficient for manifests):
 * - object keys sorted recursively by UTF-16 code units (JavaScript's default
 *   sort, as RFC 8785 specifies); properties whose value is `undefined` are
 *   left out, as JSON.stringify does;
 * - array elements keep their order;
 * - no whitespace between tokens;
 * - strings and numbers serialized as JSON.stringify does (ECMAScript's
 *   shortest round-trip number form, lone surrogates escaped);
 * - only null, booleans, finite numbers, strings, arrays and plain objects are
 *   accepted: anything else (NaN, Infinity, bigint, Date, undefined in an
 *   array, cycles) throws CanonicalJsonError rather than guess;
 * - the text is encoded as UTF-8 without a byte order mark.
 */

export class CanonicalJsonError extends Error {
  constructor(
    message: string,
    /** JSON-pointer-like location of the offending value, e.g. "/s3/bytes". */
    readonly path: string,
  ) {
    super(`${message} at ${path || "/"}`);
    this.name = "CanonicalJsonError";
  }
}

function isPlainObject(value: object): value is Record<string, unknown> {
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

function serialize(value: unknown, path: string, ancestors: Set<object>): string {
  if (value === null || typeof value === "boolean" || typeof value === "string") return JSON.stringify(value);
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new CanonicalJsonError(`${value} has no JSON form`, path);
    return JSON.stringify(value);
  }
  if (typeof value !== "object") throw new CanonicalJsonError(`a ${typeof value} has no JSON form`, path);
  if (ancestors.has(value)) throw new CanonicalJsonError("a cycle has no JSON form", path);
  ancestors.add(value);
  try {
    if (Array.isArray(value)) {
      const items = value.map((item, index) => {
        if (item === undefined) throw new CanonicalJsonError("undefined has no JSON form in an array", `${path}/${index}`);
        return serialize(item, `${path}/${index}`, ancestors);
      });
      return `[${items.join(",")}]`;
    }
    if (!isPlainObject(value))
      throw new CanonicalJsonError(`a ${value.constructor?.name ?? "non-plain"} object has no canonical form`, path);
    const members = Object.keys(value)
      .sort()
      .filter((key) => value[key] !== undefined)
      .map((key) => `${JSON.stringify(key)}:${serialize(value[key], `${path}/${key}`, ancestors)}`);
    return `{${members.join(",")}}`;
  } finally {
    ancestors.delete(value);
  }
}

/** The canonical JSON text of a value. */
export function canonicalJson(value: unknown): string {
  return serialize(value, "", new Set());
}

/** The canonical JSON of a value as UTF-8 bytes: what is stored, hashed and signed. */
export function canonicalJsonBytes(value: unknown): Buffer {
  return Buffer.from(canonicalJson(value), "utf8");
}

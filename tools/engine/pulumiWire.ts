// Pulumi's wire form for secrets, as the SDK, the engine and checkpoints
// write it. The markers themselves come from @pulumi/pulumi.
import { specialSecretSig, specialSigKey } from "@pulumi/pulumi/runtime/rpc";

/** Is the value Pulumi's secret envelope ({ <sig key>: <secret sig>, ... })? */
export function isSecretEnvelope(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && (value as Record<string, unknown>)[specialSigKey] === specialSecretSig;
}

/** Wraps a value in the secret envelope of the wire form. */
export function secretEnvelope(value: unknown): Record<string, unknown> {
  return { [specialSigKey]: specialSecretSig, value };
}

/** The same value with every secret envelope replaced by what it holds. */
export function unwrapSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(unwrapSecrets);
  if (value === null || typeof value !== "object") return value;
  if (isSecretEnvelope(value)) return unwrapSecrets(value.value);
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, unwrapSecrets(v)]));
}

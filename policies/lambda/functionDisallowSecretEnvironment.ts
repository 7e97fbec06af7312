import { resourcePolicy } from "../lib/projectPolicy";
import { LAMBDA_FUNCTION } from "../lib/resourceTypes";

type EntropyConfig = {
  minimumRandomLength: number;
  minimumRandomBitsPerCharacter: number;
};

// A name that says the variable holds a secret...
const SECRET_NAME = /SECRET|PASSWORD|PASSWD|PASSPHRASE|TOKEN|PRIVATE_?KEY|API_?KEY|ACCESS_?KEY|CREDENTIAL/;
// ...unless it only points at one: GENESYS_SECRET_ARN is how the exporter finds its Secrets Manager secret.
const REFERENCE_NAME = /_(ARN|ID|NAME|URL)$/;

// Values that are secrets whatever the variable is called, described without repeating them.
const SECRET_VALUES: [pattern: RegExp, looksLike: string][] = [
  [/\b(AKIA|ASIA)[A-Z0-9]{16}\b/, "an AWS access key id"],
  [/-----BEGIN/, "PEM-encoded key material"],
  [/\beyJ[\w-]+\.[\w-]+\.[\w-]*/, "a JSON Web Token"],
];

/** Shannon entropy of the string's own character frequencies, in bits per character. */
function bitsPerCharacter(value: string): number {
  const counts = new Map<string, number>();
  for (const c of value) counts.set(c, (counts.get(c) ?? 0) + 1);
  let bits = 0;
  for (const count of counts.values()) {
    const p = count / value.length;
    bits -= p * Math.log2(p);
  }
  return bits;
}

/**
 * A long single token of the base64/base64url alphabet mixing upper case, lower case and
 * digits, with high entropy: how generated client secrets and API keys look. ARNs, URLs and
 * paths contain ':' or '.', Pulumi autonames and UUIDs are lower case, so none match.
 */
function looksRandom(value: string, config: EntropyConfig): boolean {
  return (
    value.length >= config.minimumRandomLength &&
    /^[A-Za-z0-9+/=_-]+$/.test(value) &&
    /[a-z]/.test(value) &&
    /[A-Z]/.test(value) &&
    /[0-9]/.test(value) &&
    bitsPerCharacter(value) >= config.minimumRandomBitsPerCharacter
  );
}

/** What a value looks like if it looks like a secret; never the value itself. */
function secretLookOf(value: unknown, config: EntropyConfig): string | undefined {
  if (typeof value !== "string") return undefined;
  const known = SECRET_VALUES.find(([pattern]) => pattern.test(value));
  if (known) return known[1];
  return looksRandom(value, config) ? "a randomly generated secret" : undefined;
}

export const lambdaFunctionDisallowSecretEnvironment = resourcePolicy<EntropyConfig>(
  {
    name: "lambda-function-disallow-secret-environment",
    description: "No Lambda environment variable holds a secret, judged by its name or its value.",
    severity: "critical",
    why: "Environment variables are plain text in the Pulumi state and to anyone allowed lambda:GetFunctionConfiguration; a Genesys client secret there lets its reader export or delete-protect recordings as the exporter.",
    remediationSteps:
      "Keep the secret in AWS Secrets Manager, pass its ARN in a variable whose name ends in _ARN (e.g. GENESYS_SECRET_ARN) and let the function read it at run time.",
    resourceTypes: LAMBDA_FUNCTION,
    config: {
      minimumRandomLength: {
        type: "integer",
        minimum: 8,
        default: 32,
        description: "Shortest value judged by its randomness (shorter values are too often ordinary words or ids).",
      },
      minimumRandomBitsPerCharacter: {
        type: "number",
        minimum: 0,
        maximum: 6,
        default: 4,
        description: "Entropy, in bits per character, from which a long mixed-case alphanumeric value counts as a generated secret.",
      },
    },
  },
  (fn, report, config) => {
    const variables = (fn.props.environment as { variables?: Record<string, unknown> } | undefined)?.variables ?? {};
    // Names first: reading a value that is unknown at preview ends the check there.
    const names = Object.keys(variables);
    const secretNamed = names.filter((name) => SECRET_NAME.test(name.toUpperCase()) && !REFERENCE_NAME.test(name.toUpperCase()));
    for (const name of secretNamed) {
      report(
        `Function "${fn.name}" has environment variable "${name}", whose name says it holds a secret; store the secret in Secrets Manager and pass its ARN as ${name}_ARN.`,
      );
    }
    for (const name of names.filter((n) => !secretNamed.includes(n))) {
      const look = secretLookOf(variables[name], config);
      if (look) {
        report(
          `Function "${fn.name}" has environment variable "${name}", whose value looks like ${look}; store it in Secrets Manager and pass the secret's ARN instead.`,
        );
      }
    }
  },
);

import { resourcePolicy } from "../lib/projectPolicy";
import { GENESYS_INTEGRATION_ACTION } from "../lib/resourceTypes";

type ContractCheck = { schema: Record<string, unknown> } | { problem: string };

/** The contract as a JSON Schema object, or why it is not one. */
export function parseContract(contract: unknown): ContractCheck {
  if (typeof contract !== "string")
    return { problem: `is ${contract === undefined ? "missing" : `a ${typeof contract}, not a JSON string`}` };
  let schema: unknown;
  try {
    schema = JSON.parse(contract);
  } catch (error) {
    return { problem: `is not valid JSON (${(error as Error).message})` };
  }
  if (typeof schema !== "object" || schema === null || Array.isArray(schema)) return { problem: "is JSON but not a JSON Schema object" };
  return { schema: schema as Record<string, unknown> };
}

/** What a contract lacks of one field set, one problem per field ("does not require", "does not define", or both). */
function missingOf(schema: Record<string, unknown>, fields: string[]): Array<{ field: string; missing: string }> {
  const required = Array.isArray(schema.required) ? schema.required : [];
  const properties = schema.properties;
  return fields.flatMap((field) => {
    const isRequired = required.includes(field);
    const definition =
      typeof properties === "object" && properties !== null && Object.hasOwn(properties, field)
        ? (properties as Record<string, unknown>)[field]
        : undefined;
    const isDefined = typeof definition === "object" && definition !== null;
    // One field left out is one mistake: a single message says which half is missing.
    const missing =
      !isRequired && !isDefined
        ? "neither requires nor defines"
        : !isRequired
          ? "does not require"
          : !isDefined
            ? "does not define"
            : undefined;
    return missing ? [{ field, missing }] : [];
  });
}

export const genesysIntegrationActionRequireContractFields = resourcePolicy<{ requiredFieldSets: string[][] }>(
  {
    name: "genesys-integrationaction-require-contract-fields",
    description:
      "A Genesys Cloud data action's contractInput is a JSON Schema that requires and defines every field of one configured field set.",
    severity: "high",
    why: "A Lambda can only export what it can attribute: the intake needs conversationId to find the recordings and caseId to file them under the matter; the case export needs caseId and the interval (from, to) its query covers. A contract that does not require them lets Architect call the action without them.",
    remediationSteps:
      'Make contractInput a JSON Schema object whose "required" lists, and whose "properties" defines, each field of one set of policy config requiredFieldSets (default: conversationId and caseId for a conversation export; caseId, from and to for a case export by query).',
    resourceTypes: GENESYS_INTEGRATION_ACTION,
    config: {
      requiredFieldSets: {
        type: "array",
        items: { type: "array", items: { type: "string" } },
        default: [
          ["conversationId", "caseId"],
          ["caseId", "from", "to"],
        ],
        description: "Field sets a data action may take; its contract must require and define every field of at least one.",
      },
    },
  },
  (action, report, { requiredFieldSets }) => {
    if (
      requiredFieldSets.length === 0 ||
      requiredFieldSets.some((set) => set.length === 0 || set.some((f) => typeof f !== "string" || f === ""))
    ) {
      throw new Error(
        `policy genesys-integrationaction-require-contract-fields: requiredFieldSets must be non-empty lists of non-empty strings; got ${JSON.stringify(requiredFieldSets)}`,
      );
    }
    const contract = parseContract(action.props.contractInput);
    if ("problem" in contract) {
      report(`Integration action "${action.name}" contractInput ${contract.problem}; set it to a JSON Schema object (JSON.stringify it).`);
      return;
    }
    const bySet = requiredFieldSets.map((set) => missingOf(contract.schema, set));
    if (bySet.some((missing) => missing.length === 0)) return;
    // Name what the nearest set lacks (the one whose fields the contract mentions most): the action the author meant.
    const mentioned = (index: number) =>
      requiredFieldSets[index].length - bySet[index].filter((entry) => entry.missing === "neither requires nor defines").length;
    const nearestIndex = bySet.reduce(
      (best, missing, index) =>
        mentioned(index) > mentioned(best) || (mentioned(index) === mentioned(best) && missing.length < bySet[best].length) ? index : best,
      0,
    );
    const nearest = bySet[nearestIndex];
    for (const { field, missing } of nearest) {
      report(
        `Integration action "${action.name}" contractInput ${missing} "${field}"; list it in "required" and define it under "properties".`,
      );
    }
  },
);

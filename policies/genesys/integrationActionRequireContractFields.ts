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

export const genesysIntegrationActionRequireContractFields = resourcePolicy<{ requiredFields: string[] }>(
  {
    name: "genesys-integrationaction-require-contract-fields",
    description: "A Genesys Cloud data action's contractInput is a JSON Schema that requires and defines each configured field.",
    severity: "high",
    why: "The intake Lambda can only queue an export it can attribute: without conversationId it cannot find the recordings, without caseId it cannot file them under the matter; a contract that does not require them lets Architect call the action with neither.",
    remediationSteps:
      'Make contractInput a JSON Schema object whose "required" lists each field of policy config requiredFields (default conversationId, caseId) and whose "properties" defines each.',
    resourceTypes: GENESYS_INTEGRATION_ACTION,
    config: {
      requiredFields: {
        type: "array",
        items: { type: "string" },
        default: ["conversationId", "caseId"],
        description: "Input fields every data action must require and define.",
      },
    },
  },
  (action, report, { requiredFields }) => {
    if (requiredFields.some((f) => typeof f !== "string" || f === "")) {
      throw new Error(
        `policy genesys-integrationaction-require-contract-fields: requiredFields must be non-empty strings; got ${JSON.stringify(requiredFields)}`,
      );
    }
    const contract = parseContract(action.props.contractInput);
    if ("problem" in contract) {
      report(`Integration action "${action.name}" contractInput ${contract.problem}; set it to a JSON Schema object (JSON.stringify it).`);
      return;
    }
    const required = Array.isArray(contract.schema.required) ? contract.schema.required : [];
    const properties = contract.schema.properties;
    for (const field of requiredFields) {
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
      if (missing) {
        report(
          `Integration action "${action.name}" contractInput ${missing} "${field}"; list it in "required" and define it under "properties".`,
        );
      }
    }
  },
);

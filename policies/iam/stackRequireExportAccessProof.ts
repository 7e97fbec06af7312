import { UnknownValueError } from "@pulumi/policy";
import { failureMessage, proveExportAccess } from "../lib/iamProof/exportAccessProof";
import { stackPolicy } from "../lib/projectPolicy";
import { GENESYS_AWS_ACCOUNT, GENESYS_FEDRAMP_AWS_ACCOUNT } from "../shared/genesysAccounts";

export const iamStackRequireExportAccessProof = stackPolicy<{ genesysAccountIds: string[] }>(
  {
    name: "iam-stack-require-export-access-proof",
    description:
      "A table of simulated requests proves every legitimate path of the export works and every must-deny request is refused by the resource policies themselves.",
    severity: "critical",
    why: "The legal-hold 403 comes from the interplay of role policies, the bucket policy, the key policy and the condition keys each action carries; only evaluating the requests the exporter really makes, against all of them together, catches it before deploy.",
    remediationSteps: "Read the failed request, the policy statement that decided it and the fix in the message; change that statement.",
    config: {
      genesysAccountIds: {
        type: "array",
        items: { type: "string" },
        default: [GENESYS_AWS_ACCOUNT, GENESYS_FEDRAMP_AWS_ACCOUNT],
        description: "AWS accounts Genesys Cloud assumes roles from (core regions; FedRAMP, unconfirmed).",
      },
    },
  },
  async (resources, report, { genesysAccountIds }) => {
    let proofs: Awaited<ReturnType<typeof proveExportAccess>>;
    try {
      proofs = await proveExportAccess(resources, genesysAccountIds);
    } catch (error) {
      if (!(error instanceof UnknownValueError)) throw error;
      // Say what could not be evaluated rather than pass silently; advisory so a first preview is not blocked.
      report({
        message: `The export access proof cannot run yet: ${(error as Error).message}. It runs on \`pulumi up\` and on \`npm run check\`, where every policy document is known.`,
        enforcementLevel: "advisory",
      } as never);
      return;
    }
    for (const proof of proofs) {
      for (const gap of proof.gaps) {
        report({
          message: `The export access proof for bucket "${proof.archive}" is incomplete: ${gap}.`,
          enforcementLevel: "advisory",
        } as never);
      }
      for (const result of proof.results) {
        if (!result.passed) report(failureMessage(result), result.check.urn);
      }
    }
  },
);

import { parsePolicyDocument, statementCoversAction, wildcardMatches } from "../lib/iamDocument";
import { externalIdOf } from "../lib/iamProof/exportAccessModel";
import { identityDocumentsOf } from "../lib/identityPolicies";
import { stackPolicy } from "../lib/projectPolicy";
import { BucketPurpose, IAM_ROLE, IAM_ROLE_POLICY, KMS_KEY, S3_ENCRYPTION } from "../lib/resourceTypes";
import { resourcesOfType } from "../lib/stackIndex";
import { bucketsOf, configsOf, encryptionKeysOf, linkedFrom, purposeOf } from "../lib/stackLinks";
import { landingRecordingPrefix } from "../shared/bulkExport";
import { GENESYS_AWS_ACCOUNT, GENESYS_FEDRAMP_AWS_ACCOUNT } from "../shared/genesysAccounts";

/** What a role Genesys assumes may do in S3 and KMS to write recording bulk exports. */
const WRITER_S3_ACTIONS = ["s3:PutObject", "s3:GetBucketLocation", "s3:ListBucket"];
const WRITER_KMS_ACTIONS = ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey"];

/** Why each granted action or resource is more than the landing write, in words. */
function problemsOf(
  documents: ReturnType<typeof identityDocumentsOf>,
  landing: { arns: string[]; keyArns: string[]; orgId?: string },
): string[] {
  const problems: string[] = [];
  for (const { label, statements } of documents) {
    for (const statement of statements.filter((s) => s.effect === "Allow")) {
      const patterns = statement.actions.length > 0 ? statement.actions : ["*"];
      const s3 = patterns.filter((p) => wildcardMatches(p.split(":")[0] ?? "", "s3") || p === "*");
      const kms = patterns.filter((p) => wildcardMatches(p.split(":")[0] ?? "", "kms") && p !== "*");
      const extra = [
        ...s3.filter((p) => !WRITER_S3_ACTIONS.some((a) => a.toLowerCase() === p.toLowerCase())),
        ...kms.filter((p) => !WRITER_KMS_ACTIONS.some((a) => a.toLowerCase() === p.toLowerCase())),
      ];
      if (extra.length > 0) problems.push(`the ${label} allows ${extra.join(", ")}`);
      if (statementCoversAction(statement, "s3:PutObject")) {
        const prefixes = landing.arns.map((arn) => `${arn}/${landingRecordingPrefix(landing.orgId ?? "")}`);
        const outside = statement.resources.filter((r) => !prefixes.some((p) => landing.orgId !== undefined && r.startsWith(p)));
        if (outside.length > 0) problems.push(`the ${label} lets it write ${outside.join(", ")}`);
      }
      // Without a known landing key the encryption policies report the bucket; judging keys here would repeat them.
      if (kms.length > 0 && landing.keyArns.length > 0) {
        const otherKeys = statement.resources.filter((r) => !landing.keyArns.includes(r));
        if (otherKeys.length > 0) problems.push(`the ${label} lets it use key ${otherKeys.join(", ")}`);
      }
    }
  }
  return problems;
}

export const iamRoleDisallowGenesysWritesOutsideLanding = stackPolicy<{ genesysAccountIds: string[] }>(
  {
    name: "iam-role-disallow-genesys-writes-outside-landing",
    description:
      "A role Genesys Cloud assumes that is granted any S3 action may only s3:PutObject under {orgId}/ of a landing bucket, with that bucket's key.",
    severity: "critical",
    why: "Genesys' recording bulk export writes with whatever the role it assumes allows: anything beyond PUT into its own landing folder (archive writes, reads, deletes, routing objects, another key) hands a third party's service the evidence or the decision which case a recording belongs to.",
    remediationSteps:
      "Grant the bulk writer role only s3:PutObject on <landing bucket ARN>/<organization id>/* (the ExternalId of its trust) and kms:GenerateDataKey/kms:Decrypt on the landing key, as BulkExportIntegration does.",
    config: {
      genesysAccountIds: {
        type: "array",
        items: { type: "string" },
        default: [GENESYS_AWS_ACCOUNT, GENESYS_FEDRAMP_AWS_ACCOUNT],
        description: "AWS accounts Genesys Cloud assumes roles from.",
      },
    },
  },
  (resources, report, { genesysAccountIds }) => {
    const roles = resourcesOfType(resources, IAM_ROLE);
    const landingBuckets = bucketsOf(resources).filter((b) => purposeOf(b) === BucketPurpose.landing);
    const keys = resourcesOfType(resources, KMS_KEY);
    const keyArns = landingBuckets
      .flatMap((b) => configsOf(b, S3_ENCRYPTION, resources))
      .flatMap((config) => encryptionKeysOf(config, keys))
      .map((k) => String(k.props.arn));
    for (const role of roles) {
      const trust = parsePolicyDocument(role.props.assumeRolePolicy) ?? [];
      // A Genesys trust without an ExternalId is iam-role-require-external-id's to report: one mistake, one violation.
      const byGenesys = trust.some(
        (s) =>
          s.effect === "Allow" &&
          s.awsPrincipals.some((p) => genesysAccountIds.some((id) => p.includes(id))) &&
          Object.values(s.conditions).some((keys) => "sts:ExternalId" in keys),
      );
      if (!byGenesys) continue;
      const documents = [
        ...identityDocumentsOf(role),
        ...linkedFrom(resources, IAM_ROLE_POLICY, "role", roles, "name", role).flatMap((rp) => identityDocumentsOf(rp)),
      ];
      const grantsS3 = documents.some(({ statements }) =>
        statements.some(
          (s) => s.effect === "Allow" && (s.actions.length === 0 || s.actions.some((a) => a === "*" || a.toLowerCase().startsWith("s3:"))),
        ),
      );
      if (!grantsS3) continue;
      const landing = { arns: landingBuckets.map((b) => String(b.props.arn)), keyArns, orgId: externalIdOf(role.props.assumeRolePolicy) };
      const problems = problemsOf(documents, landing);
      if (problems.length > 0)
        report(
          `Role "${role.name}" is assumed by Genesys Cloud and ${problems.join("; ")}; grant it only s3:PutObject on <landing bucket>/${landing.orgId ?? "<organization id>"}/* and kms:GenerateDataKey/kms:Decrypt on the landing key.`,
          role.urn,
        );
    }
  },
);

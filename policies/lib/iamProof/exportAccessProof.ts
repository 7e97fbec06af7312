import type { PolicyResource } from "@pulumi/policy";
import IPCIDR from "ip-cidr";
import { GENESYS_AWS_ACCOUNT } from "../../shared/genesysAccounts";
import { parsePolicyDocument } from "../iamDocument";
import { buildExportAccessModel, type ExportAccessModel, reviewerAccess } from "./exportAccessModel";
import { type SimulatedRequest, type SimulationVerdict, simulate } from "./simulator";

export interface ProofCheck {
  /** Who does what, in words: "the export worker PutObject with legal hold ON". */
  what: string;
  expect: "Allowed" | "Denied";
  request: SimulatedRequest;
  /** What to change when the check fails. */
  fix: string;
  /** The resource a violation is reported on. */
  urn: string;
}

export interface ProofResult {
  check: ProofCheck;
  verdict: SimulationVerdict;
  passed: boolean;
}

export interface ExportAccessProof {
  archive: string;
  results: ProofResult[];
  gaps: string[];
}

const SAMPLE_KEY = "cases/CASE-0001/conversations/00000000-0000-4000-8000-000000000000/recordings/00000000-0000-4000-8000-000000000001.wav";
const ALLOW_ASSUME_ROLE = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "sts:AssumeRole", Resource: "*" }] };
const ALLOW_EVERYTHING_S3 = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "s3:*", Resource: "*" }] };
const ORG_PLACEHOLDER = "00000000-0000-4000-8000-00000000a11d";

/** An IPv4 address outside every listed CIDR (documentation and shared ranges first). */
function addressOutside(cidrs: string[]): string {
  const candidates = ["192.0.2.77", "198.51.100.77", "203.0.113.77", "100.64.0.77", "10.255.255.77"];
  const ranges = cidrs.filter((c) => IPCIDR.isValidCIDR(c)).map((c) => new IPCIDR(c));
  return candidates.find((a) => !ranges.some((r) => r.contains(a))) ?? "192.0.2.77";
}

function externalIdOf(trustPolicy: unknown): string | undefined {
  for (const statement of parsePolicyDocument(trustPolicy) ?? []) {
    for (const [operator, keys] of Object.entries(statement.conditions)) {
      if (operator.startsWith("StringEquals") && keys["sts:ExternalId"]?.[0]) return keys["sts:ExternalId"][0];
    }
  }
  return undefined;
}

/** The requests the export makes, and those it must never be able to make. */
export function proofChecks(model: ExportAccessModel, genesysAccountIds: string[]): ProofCheck[] {
  const { archive, key, worker, invoker, accountId, region } = model;
  const object = `${archive.arn}/${SAMPLE_KEY}`;
  const s3 = (
    principal: string,
    identityPolicies: SimulatedRequest["identityPolicies"],
    action: string,
    resource: string,
    context: SimulatedRequest["context"] = {},
  ) => ({
    principal,
    action,
    resource,
    accountId,
    context,
    identityPolicies,
    resourcePolicy: archive.policy,
  });
  const kmsUpload: Record<string, string> = key
    ? { "s3:x-amz-server-side-encryption": "aws:kms", "s3:x-amz-server-side-encryption-aws-kms-key-id": key.arn }
    : {};
  const checks: ProofCheck[] = [];
  const role = worker?.role;
  if (role) {
    const ids = role.identityPolicies;
    const as = role.arn;
    const on = role.resource.urn;
    /** A request by the worker role outside S3's bucket policy (KMS, SQS, Secrets Manager). */
    const byWorker = (
      action: string,
      resource: string,
      context: SimulatedRequest["context"] = {},
      resourcePolicy?: unknown,
    ): SimulatedRequest => ({
      principal: as,
      action,
      resource,
      accountId,
      context,
      identityPolicies: ids,
      resourcePolicy,
    });
    const allow = (what: string, request: SimulatedRequest, fix: string) => checks.push({ what, expect: "Allowed", request, fix, urn: on });
    const deny = (what: string, request: SimulatedRequest, fix: string) => checks.push({ what, expect: "Denied", request, fix, urn: on });
    allow(
      "the export worker uploading a recording with legal hold ON under the archive key (s3:PutObject)",
      s3(as, ids, "s3:PutObject", object, { "s3:object-lock-legal-hold": "ON", ...kmsUpload }),
      "grant s3:PutObject on the archive's objects to the worker role, and keep every bucket-policy Deny from matching an SSE-KMS upload with the archive key",
    );
    allow(
      "the export worker setting the legal hold (s3:PutObjectLegalHold)",
      s3(as, ids, "s3:PutObjectLegalHold", object, { "s3:object-lock-legal-hold": "ON" }),
      "grant s3:PutObjectLegalHold beside s3:PutObject (a legal-hold upload is also authorized as it), and let no Deny that covers it test a key it does not carry",
    );
    allow(
      "the export worker aborting a multipart upload that failed (s3:AbortMultipartUpload)",
      s3(as, ids, "s3:AbortMultipartUpload", object),
      "grant s3:AbortMultipartUpload on the archive's objects, so a failed upload's parts are removed and the abort cannot hide the real error",
    );
    allow(
      "the export worker finding multipart uploads a killed delivery left open (s3:ListBucketMultipartUploads)",
      s3(as, ids, "s3:ListBucketMultipartUploads", archive.arn),
      "grant s3:ListBucketMultipartUploads on the archive bucket, so uploads a killed worker left open are found and aborted",
    );
    allow(
      "the export worker reading back what it wrote (s3:GetObject)",
      s3(as, ids, "s3:GetObject", object),
      "grant s3:GetObject on the archive's objects and exempt the worker from the reviewer-network Deny by aws:PrincipalArn",
    );
    allow(
      "the export worker confirming the hold (s3:GetObjectLegalHold)",
      s3(as, ids, "s3:GetObjectLegalHold", object),
      "grant s3:GetObjectLegalHold on the archive's objects",
    );
    if (key) {
      const viaS3 = { "kms:ViaService": `s3.${region}.amazonaws.com`, "kms:CallerAccount": accountId };
      const kms = (action: string) => byWorker(action, key.arn, viaS3, key.policy);
      allow(
        "the export worker encrypting through S3 (kms:GenerateDataKey)",
        kms("kms:GenerateDataKey"),
        "name the worker role in the key policy (an IAM grant alone has no effect on a KMS key) and allow it kms:GenerateDataKey via S3",
      );
      allow(
        "the export worker assembling multipart uploads through S3 (kms:Decrypt)",
        kms("kms:Decrypt"),
        "allow kms:Decrypt to the worker role in its IAM policy and in the key policy: multipart uploads above 5 MiB need it",
      );
    }
    if (worker?.signingKey) {
      const signingKey = worker.signingKey;
      allow(
        "the export worker signing a custody manifest digest (kms:Sign)",
        byWorker("kms:Sign", signingKey.arn, { "kms:MessageType": "DIGEST", "kms:SigningAlgorithm": "ECDSA_SHA_256" }, signingKey.policy),
        "allow kms:Sign on the signing key to the worker role, in its IAM policy and in the key policy (for DIGEST messages with ECDSA_SHA_256)",
      );
    }
    if (worker?.queueArn)
      allow(
        "the export worker receiving export jobs (sqs:ReceiveMessage)",
        byWorker("sqs:ReceiveMessage", worker.queueArn),
        "grant sqs:ReceiveMessage and sqs:DeleteMessage on the job queue",
      );
    if (worker?.secretArn)
      allow(
        "the export worker reading the Genesys client credentials (secretsmanager:GetSecretValue)",
        byWorker("secretsmanager:GetSecretValue", worker.secretArn),
        "grant secretsmanager:GetSecretValue on the credentials secret",
      );
    deny(
      "the export worker deleting an archived version (s3:DeleteObjectVersion)",
      s3(as, ids, "s3:DeleteObjectVersion", object),
      "remove delete actions from the worker role and keep the bucket policy's delete Deny",
    );
    deny(
      "the export worker bypassing governance retention (s3:BypassGovernanceRetention)",
      s3(as, ids, "s3:BypassGovernanceRetention", object),
      "remove the action from the worker role and deny it in the bucket policy",
    );
    deny(
      "the export worker replacing the bucket policy (s3:PutBucketPolicy)",
      s3(as, ids, "s3:PutBucketPolicy", archive.arn),
      "remove the action from the worker role; only administrators may change the bucket policy",
    );
    deny(
      "the export worker changing Object Lock settings (s3:PutBucketObjectLockConfiguration)",
      s3(as, ids, "s3:PutBucketObjectLockConfiguration", archive.arn),
      "remove the action from the worker role; only administrators may change Object Lock settings",
    );
  }
  const outsider = `arn:aws:iam::${accountId}:role/not-the-archive-writer`;
  checks.push({
    what: "a role with s3:* that is not a writer uploading into the archive (s3:PutObject)",
    expect: "Denied",
    request: s3(outsider, [{ name: "broad-s3-access", policy: ALLOW_EVERYTHING_S3 }], "s3:PutObject", object, kmsUpload),
    fix: 'deny s3:PutObject, s3:PutObjectLegalHold and s3:PutObjectRetention to every principal but the writer roles (ArnNotEquals "aws:PrincipalArn")',
    urn: archive.bucket.urn,
  });
  const reviewers = reviewerAccess(archive.policy);
  const reviewer = reviewers.principals[0];
  if (reviewer && reviewers.cidrs.length > 0) {
    checks.push({
      what: `reviewer ${reviewer} reading from outside the reviewer networks (s3:GetObject)`,
      expect: "Denied",
      request: s3(reviewer, [], "s3:GetObject", object, { "aws:SourceIp": addressOutside(reviewers.cidrs) }),
      fix: "deny s3:GetObject* when aws:SourceIp is not in the reviewer CIDRs (NotIpAddress), exempting only the writers",
      urn: archive.bucket.urn,
    });
  }
  if (invoker) {
    const trust = invoker.role.trustPolicy;
    const trusted = (parsePolicyDocument(trust) ?? []).flatMap((s) => s.awsPrincipals);
    const genesys = genesysAccountIds.find((id) => trusted.some((p) => p.includes(id))) ?? genesysAccountIds[0] ?? GENESYS_AWS_ACCOUNT;
    const orgId = externalIdOf(trust) ?? ORG_PLACEHOLDER;
    const assume = (context: SimulatedRequest["context"]): SimulatedRequest => ({
      principal: `arn:aws:iam::${genesys}:root`,
      action: "sts:AssumeRole",
      resource: invoker.role.arn,
      accountId,
      context,
      identityPolicies: [{ name: "genesys-cloud-account", policy: ALLOW_ASSUME_ROLE }],
      resourcePolicy: trust,
    });
    const on = invoker.role.resource.urn;
    checks.push(
      {
        what: `Genesys Cloud (${genesys}) assuming the invoker role with the organization id as ExternalId`,
        expect: "Allowed",
        request: assume({ "sts:ExternalId": orgId }),
        fix: `trust arn:aws:iam::${genesys}:root for sts:AssumeRole with StringEquals sts:ExternalId = your organization id`,
        urn: on,
      },
      {
        what: `Genesys Cloud (${genesys}) assuming the invoker role with another organization's ExternalId`,
        expect: "Denied",
        request: assume({ "sts:ExternalId": "11111111-2222-4333-8444-555555555555" }),
        fix: "require StringEquals sts:ExternalId = your organization id in the trust policy",
        urn: on,
      },
      {
        what: `Genesys Cloud (${genesys}) assuming the invoker role without an ExternalId`,
        expect: "Denied",
        request: assume({}),
        fix: "require StringEquals sts:ExternalId = your organization id in the trust policy",
        urn: on,
      },
    );
    if (invoker.intakeArn) {
      const invoke = (resource: string): SimulatedRequest => ({
        principal: invoker.role.arn,
        action: "lambda:InvokeFunction",
        resource,
        accountId,
        context: {},
        identityPolicies: invoker.role.identityPolicies,
      });
      const other = invoker.intakeArn.replace(/function:[^:]+/, "function:not-the-intake");
      checks.push(
        {
          what: "the invoker role invoking the intake function",
          expect: "Allowed",
          request: invoke(invoker.intakeArn),
          fix: "allow lambda:InvokeFunction on the intake function's ARN to the invoker role",
          urn: on,
        },
        {
          what: "the invoker role invoking another function",
          expect: "Denied",
          request: invoke(other),
          fix: "allow lambda:InvokeFunction on the intake function's ARN only, never on *",
          urn: on,
        },
      );
    }
  }
  return checks;
}

/**
 * Keys AWS puts on every signed request that the simulator does not derive by
 * itself: without aws:PrincipalArn an ArnNotEquals exemption would misfire.
 */
function withRequestContext(request: SimulatedRequest): SimulatedRequest {
  const account = request.principal.split(":")[4] ?? "";
  return {
    ...request,
    context: {
      "aws:PrincipalArn": request.principal,
      "aws:PrincipalAccount": account,
      "aws:SecureTransport": "true",
      ...request.context,
    },
  };
}

/** Proves, for every archive of the stack, that the export may do what it must and nothing it must not. */
export async function proveExportAccess(resources: PolicyResource[], genesysAccountIds: string[]): Promise<ExportAccessProof[]> {
  const proofs: ExportAccessProof[] = [];
  for (const model of buildExportAccessModel(resources)) {
    const results: ProofResult[] = [];
    for (const check of proofChecks(model, genesysAccountIds)) {
      const verdict = await simulate(withRequestContext(check.request));
      const passed =
        check.expect === "Allowed"
          ? verdict.outcome === "Allowed"
          : verdict.outcome === "ExplicitlyDenied" || verdict.outcome === "ImplicitlyDenied";
      results.push({ check, verdict, passed });
    }
    proofs.push({ archive: model.archive.bucket.name, results, gaps: model.gaps });
  }
  return proofs;
}

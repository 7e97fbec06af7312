import { LANDING_ROUTING_PREFIX, landingRecordingPrefix } from "../../shared/bulkExport";
import { GENESYS_AWS_ACCOUNT } from "../../shared/genesysAccounts";
import { parsePolicyDocument } from "../iamDocument";
import { type Actor, rowMaker, SAMPLE_KEY, sameAccountOutsider, type Target } from "./archiveRequests";
import type { ExportAccessModel } from "./exportAccessModel";
import type { LandingModel } from "./landingModel";
import { ALLOW_ASSUME_ROLE, ORG_PLACEHOLDER } from "./pipelineRequests";
import type { ProofRow, RequestContext } from "./proofRow";

const CONVERSATION = "00000000-0000-4000-8000-000000000000";
const RECORDING = "00000000-0000-4000-8000-000000000001";
/** Genesys' key layout (Genesys Help, "Working with exported recordings in AWS S3 bucket"); month/day/hour unpadded here. */
const landingKey = (orgId: string, file: string) =>
  `${landingRecordingPrefix(orgId)}year=2026/month=3/day=7/hour=9/conversation_id=${CONVERSATION}/${file}`;
/** Any address: the landing bucket policy names no network, so where a request comes from decides nothing. */
const GENESYS_RANGE_ADDRESS = "52.2.0.10";
/** A KMS key id that is not the landing key's. */
const OTHER_KEY_ID = "00000000-0000-4000-8000-0000000000ff";

/** What bulk mode's rows are made on in the landing bucket: Genesys' objects under `{orgId}/`, a routing object, the bucket. */
export function landingTargets(landing: LandingModel, orgId: string) {
  const urn = landing.bucket.urn;
  const target = (on: string, key: string): Target => ({ on, arn: `${landing.arn}/${key}`, policy: landing.policy, urn });
  return {
    recording: target("a landed recording", landingKey(orgId, RECORDING)),
    metadata: target("a landed recording's metadata", landingKey(orgId, `${RECORDING}_metadata.json`)),
    routing: target("a routing object", `${LANDING_ROUTING_PREFIX}conversation_id=${CONVERSATION}/case_id=CASE-0001.json`),
    bucket: { on: "the landing bucket", arn: landing.arn, policy: landing.policy, urn } satisfies Target,
  };
}

/**
 * Bulk mode's requests: Genesys (as the role it assumes) may write landing
 * objects under `{orgId}/` and nothing else; nobody else writes there, from
 * whatever address; the landing bucket's and key's guards each stop a request.
 * The sealer's and the case export's rows are in bulkReaderRequests.ts.
 */
export function landingRows(model: ExportAccessModel, genesysAccountIds: string[]): ProofRow[] {
  const { landing, accountId, region, archive } = model;
  const rows: ProofRow[] = [];
  if (!landing) return rows;
  const row = rowMaker(accountId, rows);
  const orgId = landing.organizationId ?? ORG_PLACEHOLDER;
  const { recording, metadata, routing, bucket } = landingTargets(landing, orgId);
  const archived: Target = {
    on: "an archived recording",
    arn: `${archive.arn}/${SAMPLE_KEY}`,
    policy: archive.policy,
    urn: archive.bucket.urn,
  };
  const viaS3: RequestContext = { "kms:ViaService": `s3.${region}.amazonaws.com`, "kms:CallerAccount": accountId };
  const outsider = sameAccountOutsider(accountId);

  const writerRole = landing.writer;
  if (writerRole) {
    const trust = writerRole.trustPolicy;
    const trusted = (parsePolicyDocument(trust) ?? []).flatMap((s) => s.awsPrincipals);
    const genesys = genesysAccountIds.find((id) => trusted.some((p) => p.includes(id))) ?? genesysAccountIds[0] ?? GENESYS_AWS_ACCOUNT;
    const g: Actor = {
      who: `Genesys Cloud (${genesys})`,
      arn: `arn:aws:iam::${genesys}:root`,
      identityPolicies: [ALLOW_ASSUME_ROLE],
      urn: "",
    };
    const role: Target = { on: "the bulk writer role", arn: writerRole.arn, policy: trust, urn: writerRole.resource.urn };
    row(
      "genesys-assume-bulk-writer",
      g,
      "sts:AssumeRole",
      role,
      { "sts:ExternalId": orgId },
      "Allowed",
      "recording bulk jobs write as this role",
      `trust arn:aws:iam::${genesys}:root for sts:AssumeRole with StringEquals sts:ExternalId = your organization id`,
    );
    row(
      "genesys-assume-bulk-writer-other-org",
      g,
      "sts:AssumeRole",
      role,
      { "sts:ExternalId": "11111111-2222-4333-8444-555555555555" },
      "Denied",
      "another Genesys customer's export must not write into this landing bucket (confused deputy)",
      "require StringEquals sts:ExternalId = your organization id in the bulk writer's trust policy",
    );

    const w: Actor = {
      who: "Genesys' bulk writer",
      arn: writerRole.arn,
      identityPolicies: writerRole.identityPolicies,
      urn: writerRole.resource.urn,
    };
    const grant =
      "grant the bulk writer s3:PutObject on the landing bucket's {orgId}/* and keep it in DenyRecordingWritesExceptGenesysWriter";
    row("bulk-writer-put-recording", w, "s3:PutObject", recording, {}, "Allowed", "Genesys exports each recording here", grant);
    row(
      "bulk-writer-put-metadata",
      w,
      "s3:PutObject",
      metadata,
      {},
      "Allowed",
      "Genesys writes a _metadata.json beside each recording",
      grant,
    );
    row(
      "bulk-writer-put-archive",
      w,
      "s3:PutObject",
      archived,
      {},
      "Denied",
      "only the sealer puts recordings into the archive, under legal hold and with a custody record",
      "grant the bulk writer nothing on the archive, and keep the archive's DenyObjectWritesExceptArchiveWriters",
    );
    row(
      "bulk-writer-read-landing",
      w,
      "s3:GetObject",
      recording,
      {},
      "Denied",
      "Genesys' role writes; reading back exported recordings is not its business",
      "deny s3:GetObject on the landing bucket to everyone but the sealer",
    );
    row(
      "bulk-writer-read-routing",
      w,
      "s3:GetObject",
      routing,
      {},
      "Denied",
      "routing objects name cases and who asked for them; only the sealer and the case export read them",
      "deny s3:GetObject on routing/* to everyone but the sealer and the case export",
    );
    row(
      "bulk-writer-put-routing",
      w,
      "s3:PutObject",
      routing,
      {},
      "Denied",
      "a routing object decides which case a recording is sealed into",
      "deny s3:PutObject on routing/* to everyone but the case export",
    );
    row(
      "bulk-writer-delete-landing",
      w,
      "s3:DeleteObject",
      recording,
      {},
      "Denied",
      "a landed recording leaves only once the sealer verified its archive copy",
      "deny s3:DeleteObject on the landing bucket to everyone but the sealer",
    );
    row(
      "bulk-writer-put-plain-http",
      w,
      "s3:PutObject",
      recording,
      { "aws:SecureTransport": "false" },
      "Denied",
      "recordings travel over TLS only",
      "keep DenyRequestsWithoutTls in the landing bucket policy",
    );
    row(
      "bulk-writer-put-sse-s3",
      w,
      "s3:PutObject",
      recording,
      { "s3:x-amz-server-side-encryption": "AES256" },
      "Denied",
      "a recording under SSE-S3 escapes the landing key's policy",
      "deny s3:PutObject with an x-amz-server-side-encryption other than aws:kms",
    );
    if (landing.key) {
      const keyTarget: Target = {
        on: "the landing key",
        arn: landing.key.arn,
        policy: landing.key.policy,
        urn: landing.key.resource.urn,
        keyPolicy: true,
      };
      row(
        "bulk-writer-put-another-key",
        w,
        "s3:PutObject",
        recording,
        {
          "s3:x-amz-server-side-encryption": "aws:kms",
          "s3:x-amz-server-side-encryption-aws-kms-key-id": `arn:aws:kms:${region}:${accountId}:key/${OTHER_KEY_ID}`,
        },
        "Denied",
        "a recording under another key escapes the landing key's policy",
        "deny s3:PutObject naming a KMS key other than the landing key",
      );
      row(
        "bulk-writer-generate-data-key",
        w,
        "kms:GenerateDataKey",
        keyTarget,
        viaS3,
        "Allowed",
        "S3 encrypts each landed recording under the landing key for the writer",
        "name the bulk writer in the landing key's policy with kms:GenerateDataKey via S3",
      );
      row(
        "bulk-writer-decrypt-multipart",
        w,
        "kms:Decrypt",
        keyTarget,
        viaS3,
        "Allowed",
        "a multipart upload (a long recording) needs kms:Decrypt to assemble its parts (facts §1 cause 3)",
        "name the bulk writer in the landing key's policy with kms:Decrypt via S3",
      );
      row(
        "bulk-writer-decrypt-outside-s3",
        w,
        "kms:Decrypt",
        keyTarget,
        { "kms:CallerAccount": accountId },
        "Denied",
        "the writer's Decrypt is for S3's multipart assembly, never a way to read recordings directly",
        "keep DenyKeyUseOutsideS3 in the landing key's policy",
      );
    }
  }

  row(
    "genesys-range-write-without-role",
    outsider,
    "s3:PutObject",
    recording,
    { "aws:SourceIp": GENESYS_RANGE_ADDRESS },
    "Denied",
    "Genesys is admitted by the role it assumes: an address from Genesys' ranges proves nothing, and every Genesys customer shares them",
    "deny s3:PutObject on {orgId}/* to everyone but the bulk writer role (ArnNotEquals aws:PrincipalArn), never allow by aws:SourceIp",
  );
  if (landing.sealerQueue) {
    const events: Target = {
      on: "the sealer queue",
      arn: landing.sealerQueue.arn,
      policy: landing.sealerQueue.policy,
      urn: landing.sealerQueue.urn,
    };
    row(
      "outsider-send-landing-event-other-bucket",
      outsider,
      "sqs:SendMessage",
      events,
      { "aws:SourceArn": "arn:aws:s3:::another-bucket-of-this-account", "aws:SourceAccount": accountId },
      "Denied",
      "a landing event makes the sealer take an object into custody: only the landing bucket's notifications may send one",
      "deny sqs:SendMessage on the sealer queue unless aws:SourceArn is the landing bucket (ArnNotEquals), except admins",
    );
    row(
      "outsider-send-landing-event-other-account",
      outsider,
      "sqs:SendMessage",
      events,
      { "aws:SourceArn": landing.arn, "aws:SourceAccount": "444455556666" },
      "Denied",
      "a deleted landing bucket's name can be taken by another account, whose events must not reach the sealer",
      "deny sqs:SendMessage on the sealer queue unless aws:SourceAccount is this account, except admins",
    );
    row(
      "outsider-receive-landing-event",
      outsider,
      "sqs:ReceiveMessage",
      events,
      {},
      "Denied",
      "a consumer other than the sealer could hide a landed recording from it until lifecycle expiry deletes it",
      "deny sqs:ReceiveMessage/DeleteMessage on the sealer queue to everyone but the sealer",
    );
    row(
      "outsider-purge-landing-events",
      outsider,
      "sqs:PurgeQueue",
      events,
      {},
      "Denied",
      "purging drops pending landing events: recordings then expire unsealed",
      "deny queue changes (PurgeQueue, SetQueueAttributes, ...) on the sealer queue to everyone but the admins",
    );
  }
  row(
    "outsider-change-landing-policy",
    outsider,
    "s3:PutBucketPolicy",
    bucket,
    {},
    "Denied",
    "the landing bucket's guards are the admins' to change",
    "deny bucket configuration changes to everyone but the admins in the landing bucket policy",
  );
  return rows;
}

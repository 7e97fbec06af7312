import { LANDING_ROUTING_PREFIX } from "../../shared/bulkExport";
import { type Actor, rowMaker, SAMPLE_KEY, type Target } from "./archiveRequests";
import type { ExportAccessModel, KeyModel } from "./exportAccessModel";
import type { BulkFunction } from "./landingModel";
import { landingTargets } from "./landingRequests";
import { ORG_PLACEHOLDER } from "./pipelineRequests";
import type { ProofRow, RequestContext } from "./proofRow";

/** Where the case export writes its signed record of one export (lambda/bulk/caseRouting.ts). */
const CASE_EXPORT_RECORD_KEY = "cases/CASE-0001/exports/0123456789abcdef0123456789abcdef.export.dsse.json";
const DIGEST_SIGNATURE: RequestContext = { "kms:MessageType": "DIGEST", "kms:SigningAlgorithm": "ECDSA_SHA_256" };

const actorOf = (who: string, reader: BulkFunction | undefined): Actor | undefined =>
  reader?.role && { who, arn: reader.role.arn, identityPolicies: reader.role.identityPolicies, urn: reader.role.resource.urn };

const keyTarget = (on: string, key: KeyModel): Target => ({
  on,
  arn: key.arn,
  policy: key.policy,
  urn: key.resource.urn,
  keyPolicy: true,
});

/**
 * The landing bucket's readers: the sealer may read and remove landed
 * recordings and write evidence with a hold, and nothing else; the case
 * export may route conversations to cases and write its case record, and
 * never touch a recording. Rows only for the archive the sealer seals into.
 */
export function bulkReaderRows(model: ExportAccessModel): ProofRow[] {
  const { landing, archive, key, accountId, region } = model;
  const rows: ProofRow[] = [];
  if (!landing) return rows;
  const row = rowMaker(accountId, rows);
  const { recording, routing, bucket } = landingTargets(landing, landing.organizationId ?? ORG_PLACEHOLDER);
  const evidence: Target = {
    on: "an archived recording",
    arn: `${archive.arn}/${SAMPLE_KEY}`,
    policy: archive.policy,
    urn: archive.bucket.urn,
  };
  const kmsHeaders: RequestContext = key
    ? { "s3:x-amz-server-side-encryption": "aws:kms", "s3:x-amz-server-side-encryption-aws-kms-key-id": key.arn }
    : {};
  const evidenceUpload: RequestContext = { "s3:object-lock-legal-hold": "ON", ...kmsHeaders };
  const viaS3: RequestContext = { "kms:ViaService": `s3.${region}.amazonaws.com`, "kms:CallerAccount": accountId };
  const holdOff = (id: string, actor: Actor) =>
    row(
      id,
      actor,
      "s3:PutObjectLegalHold",
      evidence,
      { "s3:object-lock-legal-hold": "OFF" },
      "Denied",
      "writers place holds; only the release role lifts them",
      "deny s3:PutObjectLegalHold with s3:object-lock-legal-hold OFF to every principal but the release role",
    );

  const sealer = landing.sealer?.buckets.includes(archive.bucket) ? actorOf("the landing sealer", landing.sealer) : undefined;
  if (sealer) {
    const readGrant = "grant the sealer s3:GetObject on the landing bucket's {orgId}/* and routing/*";
    row(
      "sealer-read-landed",
      sealer,
      "s3:GetObject",
      recording,
      {},
      "Allowed",
      "the sealer copies each landed recording into the archive",
      readGrant,
    );
    row(
      "sealer-read-routing",
      sealer,
      "s3:GetObject",
      routing,
      {},
      "Allowed",
      "a routing object names the case a landed recording is sealed into",
      readGrant,
    );
    row(
      "sealer-list-routing",
      sealer,
      "s3:ListBucket",
      bucket,
      { "s3:prefix": LANDING_ROUTING_PREFIX },
      "Allowed",
      "the sealer finds a conversation's routing objects by listing routing/",
      "grant the sealer s3:ListBucket on the landing bucket for the prefixes routing/ and {orgId}/",
    );
    row(
      "sealer-delete-landed",
      sealer,
      "s3:DeleteObject",
      recording,
      {},
      "Allowed",
      "a landed recording is removed once its archive copy is verified, so it never waits for lifecycle expiry",
      "grant the sealer s3:DeleteObject on {orgId}/* and exempt it from the landing bucket's delete Deny",
    );
    if (landing.key)
      row(
        "sealer-decrypt-landed",
        sealer,
        "kms:Decrypt",
        keyTarget("the landing key", landing.key),
        viaS3,
        "Allowed",
        "S3 decrypts a landed recording under the landing key for the sealer",
        "name the sealer in the landing key's policy with kms:Decrypt via S3",
      );
    const putGrant = "grant the sealer the archive's writer grant (SealerRole in the archive's writerRoles)";
    row(
      "sealer-put-evidence",
      sealer,
      "s3:PutObject",
      { ...evidence, on: "an archived recording, as PutObject" },
      { ...evidenceUpload, "s3:if-none-match": "*", "s3:ObjectCreationOperation": "true" },
      "Allowed",
      "a sealed recording is written once, with legal hold ON, SSE-KMS under the archive key",
      putGrant,
    );
    row(
      "sealer-mpu-create",
      sealer,
      "s3:PutObject",
      { ...evidence, on: "an archived recording, as CreateMultipartUpload" },
      { ...evidenceUpload, "s3:ObjectCreationOperation": "false" },
      "Allowed",
      "a long recording is copied in parts; CreateMultipartUpload carries the lock and encryption headers",
      putGrant,
    );
    row(
      "sealer-mpu-part",
      sealer,
      "s3:PutObject",
      { ...evidence, on: "an archived recording, as UploadPartCopy" },
      { "s3:ObjectCreationOperation": "false" },
      "Allowed",
      "a part copied from the landing bucket carries neither lock nor encryption headers",
      putGrant,
    );
    row(
      "sealer-mpu-complete",
      sealer,
      "s3:PutObject",
      { ...evidence, on: "an archived recording, as CompleteMultipartUpload" },
      { "s3:if-none-match": "*", "s3:ObjectCreationOperation": "true" },
      "Allowed",
      "CompleteMultipartUpload carries If-None-Match but no lock or encryption headers",
      putGrant,
    );
    row(
      "sealer-hold-on",
      sealer,
      "s3:PutObjectLegalHold",
      evidence,
      { "s3:object-lock-legal-hold": "ON" },
      "Allowed",
      "an upload with legal hold ON is also authorized as s3:PutObjectLegalHold (the classic 403)",
      putGrant,
    );
    if (landing.sealer?.signingKey)
      row(
        "sealer-sign-digest",
        sealer,
        "kms:Sign",
        keyTarget("the custody signing key", landing.sealer.signingKey),
        DIGEST_SIGNATURE,
        "Allowed",
        "a sealed recording gets the same signed custody record as one the worker archives",
        "allow kms:Sign (DIGEST, ECDSA_SHA_256) on the signing key to the sealer, in IAM and in the key policy",
      );
    holdOff("sealer-hold-off", sealer);
    row(
      "sealer-delete-evidence-version",
      sealer,
      "s3:DeleteObjectVersion",
      evidence,
      {},
      "Denied",
      "the sealer removes landing copies, never evidence",
      "grant the sealer no delete on the archive, and keep the archive's Deny on s3:DeleteObjectVersion",
    );
    const landingWrite = "grant the sealer no s3:PutObject on the landing bucket; only Genesys' writer and the case export write there";
    row(
      "sealer-put-landed",
      sealer,
      "s3:PutObject",
      recording,
      {},
      "Denied",
      "a recording in the landing bucket is what Genesys exported: the sealer must not be able to replace one",
      landingWrite,
    );
    row(
      "sealer-put-routing",
      sealer,
      "s3:PutObject",
      routing,
      {},
      "Denied",
      "routing objects decide which case a recording is sealed into: only the case export writes them",
      landingWrite,
    );
  }

  const exporter = landing.caseExport?.buckets.includes(archive.bucket) ? actorOf("the case export", landing.caseExport) : undefined;
  if (exporter) {
    const routingGrant = "grant the case export s3:PutObject and s3:GetObject on the landing bucket's routing/* only";
    row(
      "case-export-put-routing",
      exporter,
      "s3:PutObject",
      routing,
      {},
      "Allowed",
      "each exported conversation is routed to its case before Genesys writes it",
      routingGrant,
    );
    row(
      "case-export-read-routing",
      exporter,
      "s3:GetObject",
      routing,
      {},
      "Allowed",
      "a re-run reads back the routing object it finds to compare it",
      routingGrant,
    );
    if (landing.key)
      row(
        "case-export-encrypt-routing",
        exporter,
        "kms:GenerateDataKey",
        keyTarget("the landing key", landing.key),
        viaS3,
        "Allowed",
        "S3 encrypts each routing object under the landing key for the case export",
        "name the case export in the landing key's policy with kms:GenerateDataKey via S3",
      );
    row(
      "case-export-put-record",
      exporter,
      "s3:PutObject",
      { ...evidence, on: "a case-export record", arn: `${archive.arn}/${CASE_EXPORT_RECORD_KEY}` },
      { ...evidenceUpload, "s3:if-none-match": "*", "s3:ObjectCreationOperation": "true" },
      "Allowed",
      "the case's conversation list is kept as a signed custody record under legal hold, written once",
      "grant the case export the archive's writer grant (CaseExportRole in the archive's writerRoles)",
    );
    if (landing.caseExport?.signingKey)
      row(
        "case-export-sign-digest",
        exporter,
        "kms:Sign",
        keyTarget("the custody signing key", landing.caseExport.signingKey),
        DIGEST_SIGNATURE,
        "Allowed",
        "the case-export record is signed like every custody record",
        "allow kms:Sign (DIGEST, ECDSA_SHA_256) on the signing key to the case export, in IAM and in the key policy",
      );
    const secret = landing.caseExport?.secret;
    if (secret)
      row(
        "case-export-read-secret",
        exporter,
        "secretsmanager:GetSecretValue",
        {
          on: "the Genesys client secret",
          arn: secret.arn,
          policy: secret.policy?.policy,
          urn: secret.policy?.resource.urn ?? exporter.urn,
        },
        {},
        "Allowed",
        "the case export queries Genesys and starts its bulk export jobs",
        "grant the case export secretsmanager:GetSecretValue on the secret and exempt it in the secret's policy",
      );
    const noRecordings =
      "grant the case export nothing on the landing bucket's {orgId}/*: recordings are Genesys' to write and the sealer's to read";
    row(
      "case-export-put-landed",
      exporter,
      "s3:PutObject",
      recording,
      {},
      "Denied",
      "a forged landed recording would be sealed into a case as if Genesys had exported it",
      noRecordings,
    );
    row(
      "case-export-read-landed",
      exporter,
      "s3:GetObject",
      recording,
      {},
      "Denied",
      "the case export routes recordings, it never reads one",
      noRecordings,
    );
    holdOff("case-export-hold-off", exporter);
  }
  return rows;
}

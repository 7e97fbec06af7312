import {
  type Actor,
  addressInside,
  rowMaker,
  SAMPLE_CUSTODY_RECORD_KEY,
  SAMPLE_KEY,
  SAMPLE_RELEASE_RECORD_KEY,
  sameAccountOutsider,
  type Target,
} from "./archiveRequests";
import { type ExportAccessModel, reviewerAccess } from "./exportAccessModel";
import { ALLOW_EVERYTHING, type ProofRow, type RequestContext } from "./proofRow";

const ALLOW_ASSUME_ROLE = {
  name: "may-assume-roles",
  policy: { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "sts:AssumeRole", Resource: "*" }] },
};

/**
 * The rows about the lock itself: nobody weakens it on upload, only the
 * release role lifts a hold, nobody hides or replicates evidence, and nobody
 * but the break-glass principal, with MFA, destroys a key.
 */
export function lockRows(model: ExportAccessModel): ProofRow[] {
  const { archive, key, worker, accountId } = model;
  const rows: ProofRow[] = [];
  const row = rowMaker(accountId, rows);
  const urn = archive.bucket.urn;
  const object: Target = { on: "an archived recording", arn: `${archive.arn}/${SAMPLE_KEY}`, policy: archive.policy, urn };
  const custodyRecord: Target = { on: "a custody record", arn: `${archive.arn}/${SAMPLE_CUSTODY_RECORD_KEY}`, policy: archive.policy, urn };
  const releaseRecord: Target = {
    on: "a case's release record",
    arn: `${archive.arn}/${SAMPLE_RELEASE_RECORD_KEY}`,
    policy: archive.policy,
    urn,
  };
  const recordWrite: RequestContext = { "s3:if-none-match": "*", "s3:ObjectCreationOperation": "true" };
  const bucket: Target = { on: "the archive bucket", arn: archive.arn, policy: archive.policy, urn };
  const kmsHeaders: RequestContext = key
    ? { "s3:x-amz-server-side-encryption": "aws:kms", "s3:x-amz-server-side-encryption-aws-kms-key-id": key.arn }
    : {};
  const single: RequestContext = { ...kmsHeaders, "s3:if-none-match": "*", "s3:ObjectCreationOperation": "true" };
  const holdOn = { "s3:object-lock-legal-hold": "ON" };
  const holdOff = { "s3:object-lock-legal-hold": "OFF" };

  const role = worker?.role;
  if (role) {
    const w: Actor = { who: "the export worker", arn: role.arn, identityPolicies: role.identityPolicies, urn: role.resource.urn };
    const weakened = (id: string, context: RequestContext, why: string, fix: string, operation = "PutObject") =>
      row(id, w, "s3:PutObject", { ...object, on: `an archived recording, as ${operation}` }, context, "Denied", why, fix);
    weakened(
      "worker-put-hold-off",
      { ...single, ...holdOff },
      "an upload may not ask for no legal hold",
      "deny s3:PutObject when s3:object-lock-legal-hold equals OFF (never a negated test on ON: parts carry no hold header)",
    );
    weakened(
      "worker-put-governance",
      { ...single, ...holdOn, "s3:object-lock-mode": "GOVERNANCE", "s3:object-lock-remaining-retention-days": "3650" },
      "GOVERNANCE retention can be bypassed; evidence is COMPLIANCE only",
      "deny s3:PutObject and s3:PutObjectRetention whose s3:object-lock-mode is present and not COMPLIANCE",
    );
    weakened(
      "worker-put-short-retention",
      { ...single, ...holdOn, "s3:object-lock-mode": "COMPLIANCE", "s3:object-lock-remaining-retention-days": "1" },
      "an upload may not ask for less retention than the default",
      "deny s3:PutObject and s3:PutObjectRetention with s3:object-lock-remaining-retention-days below the default retention",
    );
    weakened(
      "worker-put-overwrite",
      { ...kmsHeaders, ...holdOn, "s3:ObjectCreationOperation": "true" },
      "a key holds one version: a second write is refused, not stacked on top",
      "deny s3:PutObject without If-None-Match (Null s3:if-none-match) when s3:ObjectCreationOperation is true",
    );
    weakened(
      "worker-mpu-complete-overwrite",
      { "s3:ObjectCreationOperation": "true" },
      "completing a multipart upload is a write like any other: only if the key is absent",
      "deny s3:PutObject without If-None-Match when s3:ObjectCreationOperation is true (CompleteMultipartUpload accepts it)",
      "CompleteMultipartUpload",
    );
    weakened(
      "worker-put-sse-c",
      {
        ...holdOn,
        "s3:x-amz-server-side-encryption-customer-algorithm": "AES256",
        "s3:if-none-match": "*",
        "s3:ObjectCreationOperation": "true",
      },
      "evidence under a key only the uploader holds is unreadable to everyone else",
      "deny s3:PutObject whenever s3:x-amz-server-side-encryption-customer-algorithm is present",
    );
    row(
      "worker-hold-off",
      w,
      "s3:PutObjectLegalHold",
      object,
      holdOff,
      "Denied",
      "writers place holds; only the release role lifts them",
      "deny s3:PutObjectLegalHold with s3:object-lock-legal-hold OFF to every principal but the release role",
    );
    row(
      "worker-put-release-record",
      w,
      "s3:PutObject",
      releaseRecord,
      { ...kmsHeaders, ...recordWrite },
      "Denied",
      "a release record says counsel released the case; the worker, which signs with the same key, must not be able to forge one",
      "deny s3:PutObject on cases/*/releases/* to every principal but the release role",
    );
    row(
      "worker-put-replication",
      w,
      "s3:PutReplicationConfiguration",
      bucket,
      {},
      "Denied",
      "replication would copy evidence out of the archive's guards",
      "deny every bucket-configuration write, replication included, to everyone but admins",
    );
  }

  const outsider = sameAccountOutsider(accountId);
  row(
    "outsider-hold-on",
    outsider,
    "s3:PutObjectLegalHold",
    object,
    holdOn,
    "Denied",
    "holds are set by the writers and lifted by the release role, nobody else",
    "deny s3:PutObjectLegalHold to every principal but the writers and the release role",
  );

  for (const admin of model.admins.slice(0, 1)) {
    const a: Actor = { who: "an admin", arn: admin, identityPolicies: [ALLOW_EVERYTHING], urn: "" };
    row(
      "admin-delete-marker",
      a,
      "s3:DeleteObject",
      object,
      {},
      "Denied",
      "a delete marker hides evidence from everyone listing the case",
      "deny s3:DeleteObject on the archive's objects to every principal, admins included",
    );
    row(
      "admin-hold-off",
      a,
      "s3:PutObjectLegalHold",
      object,
      holdOff,
      "Denied",
      "administering the archive is not releasing a case",
      "deny s3:PutObjectLegalHold with OFF to every principal but the release role",
    );
    row(
      "admin-replicate-into-archive",
      a,
      "s3:ReplicateObject",
      object,
      {},
      "Denied",
      "replication writes are not s3:PutObject and would pass every write Deny",
      "deny s3:ReplicateObject, s3:ReplicateDelete and s3:ReplicateTags on the archive's objects to every principal",
    );
  }

  const release = model.releaseRole;
  if (release) {
    const r: Actor = {
      who: "the hold-release role",
      arn: release.arn,
      identityPolicies: release.identityPolicies,
      urn: release.resource.urn,
    };
    row(
      "release-lift-hold",
      r,
      "s3:PutObjectLegalHold",
      object,
      holdOff,
      "Allowed",
      "a case's holds are lifted when counsel releases it",
      "grant the release role s3:PutObjectLegalHold and exempt it (aws:PrincipalArn) from the hold-OFF Deny",
    );
    const keepToReleaseRecords =
      "deny the release role s3:PutObject outside cases/*/releases/* (NotResource, ArnEquals aws:PrincipalArn) in the bucket policy";
    row(
      "release-put",
      r,
      "s3:PutObject",
      object,
      { ...single, ...holdOn },
      "Denied",
      "lifting holds does not include writing evidence",
      keepToReleaseRecords,
    );
    row(
      "release-put-custody-record",
      r,
      "s3:PutObject",
      { ...custodyRecord, arn: `${archive.arn}/cases/CASE-0001/conversations/new/recordings/new.wav.custody.dsse.json` },
      { ...single, ...holdOn },
      "Denied",
      "a custody record is the worker's account of a recording; the release role writes only its own release records",
      keepToReleaseRecords,
    );
    row(
      "release-write-record",
      r,
      "s3:PutObject",
      releaseRecord,
      recordWrite,
      "Allowed",
      "each release leaves one signed release record beside the case, written once",
      "grant the release role s3:PutObject on cases/*/releases/* and exempt it from the writer Deny only there",
    );
    row(
      "release-list-versions",
      r,
      "s3:ListBucketVersions",
      { ...bucket, on: "the archive bucket, prefix cases/" },
      { "s3:prefix": "cases/CASE-0001/" },
      "Allowed",
      "a release lists every version of the case before it lifts a hold",
      "grant the release role s3:ListBucket and s3:ListBucketVersions with s3:prefix cases/*",
    );
    const inside = addressInside(reviewerAccess(archive.policy).cidrs);
    if (inside)
      row(
        "release-read-custody-record",
        r,
        "s3:GetObject",
        custodyRecord,
        { "aws:SourceIp": inside },
        "Allowed",
        "the release record repeats each recording's SHA-256 from its custody record, read from the reviewer networks",
        "grant the release role s3:GetObject on cases/*.custody.dsse.json (and kms:Decrypt via S3 on the archive key)",
      );
    if (key)
      row(
        "release-encrypt-record",
        r,
        "kms:GenerateDataKey",
        { on: "the archive key", arn: key.arn, policy: key.policy, urn: key.resource.urn, keyPolicy: true },
        { "kms:ViaService": `s3.${model.region}.amazonaws.com`, "kms:CallerAccount": accountId },
        "Allowed",
        "the release record is stored SSE-KMS like all evidence",
        "name the release role in the archive key policy (kms:GenerateDataKey, kms:Decrypt via S3) and grant it in IAM",
      );
    if (worker?.signingKey)
      row(
        "release-sign-record",
        r,
        "kms:Sign",
        {
          on: "the custody signing key",
          arn: worker.signingKey.arn,
          policy: worker.signingKey.policy,
          urn: worker.signingKey.resource.urn,
          keyPolicy: true,
        },
        { "kms:MessageType": "DIGEST", "kms:SigningAlgorithm": "ECDSA_SHA_256" },
        "Allowed",
        "the release record is signed with the custody signing key, over its digest",
        "allow the release role kms:Sign (DIGEST, ECDSA_SHA_256) on the signing key, in IAM and in the key policy",
      );
    const trust: Target = { on: "the hold-release role", arn: release.arn, policy: release.trustPolicy, urn: release.resource.urn };
    const externalId: RequestContext = model.releaseExternalId ? { "sts:ExternalId": model.releaseExternalId } : {};
    for (const principal of model.releasePrincipals.slice(0, 1)) {
      const p: Actor = { who: "a release principal", arn: principal, identityPolicies: [ALLOW_ASSUME_ROLE], urn: release.resource.urn };
      row(
        "release-principal-assume-mfa",
        p,
        "sts:AssumeRole",
        trust,
        { "aws:MultiFactorAuthPresent": "true", ...externalId },
        "Allowed",
        "counsel signs in with MFA to release a case",
        "trust the release principals for sts:AssumeRole with Bool aws:MultiFactorAuthPresent true",
      );
      row(
        "release-principal-assume-no-mfa",
        p,
        "sts:AssumeRole",
        trust,
        { "aws:MultiFactorAuthPresent": "false", ...externalId },
        "Denied",
        "stolen long-term credentials alone cannot release evidence",
        "require Bool aws:MultiFactorAuthPresent true in the release role's trust policy",
      );
    }
  }

  const keys: Target[] = [];
  if (key) keys.push({ on: "the archive key", arn: key.arn, policy: key.policy, urn: key.resource.urn, keyPolicy: true });
  if (worker?.signingKey)
    keys.push({
      on: "the custody signing key",
      arn: worker.signingKey.arn,
      policy: worker.signingKey.policy,
      urn: worker.signingKey.resource.urn,
      keyPolicy: true,
    });
  if (worker?.secretKey)
    keys.push({
      on: "the secret's key",
      arn: worker.secretKey.arn,
      policy: worker.secretKey.policy,
      urn: worker.secretKey.resource.urn,
      keyPolicy: true,
    });
  const tags: Record<string, string> = {
    "the archive key": "archive-key",
    "the custody signing key": "signing-key",
    "the secret's key": "secret-key",
  };
  for (const target of keys) {
    const tag = tags[target.on] ?? "key";
    for (const admin of model.admins.slice(0, 1)) {
      const a: Actor = { who: "an admin", arn: admin, identityPolicies: [ALLOW_EVERYTHING], urn: "" };
      row(
        `admin-schedule-${tag}-deletion`,
        a,
        "kms:ScheduleKeyDeletion",
        target,
        { "aws:MultiFactorAuthPresent": "true" },
        "Denied",
        "a deleted key makes every recording or custody record unreadable or unverifiable",
        "deny kms:ScheduleKeyDeletion and kms:DisableKey to every principal but the break-glass one",
      );
      row(
        `admin-bypass-${tag}-lockout-check`,
        a,
        "kms:PutKeyPolicy",
        target,
        { "kms:BypassPolicyLockoutSafetyCheck": "true" },
        "Denied",
        "a policy that locks everyone out is as good as a deleted key",
        "deny kms:PutKeyPolicy with kms:BypassPolicyLockoutSafetyCheck true to every principal but the break-glass one",
      );
      row(
        `admin-update-${tag}-policy`,
        a,
        "kms:PutKeyPolicy",
        target,
        { "kms:BypassPolicyLockoutSafetyCheck": "false" },
        "Allowed",
        "admins deploy the stack, key policies included (the alarm reports each change)",
        "keep kms:PutKeyPolicy in the admins' key-policy statement",
      );
    }
    if (model.breakGlass) {
      const b: Actor = { who: "the break-glass principal", arn: model.breakGlass, identityPolicies: [], urn: "" };
      row(
        `break-glass-disable-${tag}-mfa`,
        b,
        "kms:DisableKey",
        target,
        { "aws:MultiFactorAuthPresent": "true" },
        "Allowed",
        "a compromised key must be stoppable by someone",
        "allow the break-glass principal kms:DisableKey with Bool aws:MultiFactorAuthPresent true and exempt it from the destruction Deny",
      );
      row(
        `break-glass-disable-${tag}-no-mfa`,
        b,
        "kms:DisableKey",
        target,
        { "aws:MultiFactorAuthPresent": "false" },
        "Denied",
        "the break-glass principal's credentials alone are not enough",
        "deny kms:ScheduleKeyDeletion and kms:DisableKey when aws:MultiFactorAuthPresent is false (BoolIfExists)",
      );
    }
  }
  return rows;
}

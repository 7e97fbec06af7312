import IPCIDR from "ip-cidr";
import { type ExportAccessModel, type PolicyJson, reviewerAccess } from "./exportAccessModel";
import { ALLOW_EVERYTHING, type ProofRow, type RequestContext } from "./proofRow";
import type { SimulatedRequest } from "./simulator";

/** Someone who makes requests: a role of the stack, or a principal the config names. */
export interface Actor {
  who: string;
  arn: string;
  identityPolicies: SimulatedRequest["identityPolicies"];
  urn: string;
}

/** A role of the archive's account that is none of its principals and holds every permission: only resource policies can stop it. */
export function sameAccountOutsider(accountId: string): Actor {
  return {
    who: "a same-account role with every permission",
    arn: `arn:aws:iam::${accountId}:role/not-an-archive-principal`,
    identityPolicies: [ALLOW_EVERYTHING],
    urn: "",
  };
}

/** What a request is made on, with the resource policy that guards it. */
export interface Target {
  on: string;
  arn: string;
  policy?: PolicyJson;
  urn: string;
  /**
   * A KMS key: its policy alone decides, unless it delegates to IAM through
   * the account root. The all-powerful twin is then judged as if it did.
   */
  keyPolicy?: boolean;
}

export const SAMPLE_KEY =
  "cases/CASE-0001/conversations/00000000-0000-4000-8000-000000000000/recordings/00000000-0000-4000-8000-000000000001.wav";
/** The custody record beside SAMPLE_KEY. */
export const SAMPLE_CUSTODY_RECORD_KEY = `${SAMPLE_KEY}.custody.dsse.json`;
/** The same recording parked outside cases/, where no case-scoped tool would find it. */
export const OUTSIDE_CASES_KEY = "recordings/00000000-0000-4000-8000-000000000001.wav";
/** A release record of SAMPLE_KEY's case, where `hold:release` writes it. */
export const SAMPLE_RELEASE_RECORD_KEY = "cases/CASE-0001/releases/0123456789abcdef0123456789abcdef.release.dsse.json";

/** An IPv4 address outside every listed CIDR (documentation and shared ranges first). */
function addressOutside(cidrs: string[]): string {
  const candidates = ["192.0.2.77", "198.51.100.77", "203.0.113.77", "100.64.0.77", "10.255.255.77"];
  const ranges = cidrs.filter((c) => IPCIDR.isValidCIDR(c)).map((c) => new IPCIDR(c));
  return candidates.find((a) => !ranges.some((r) => r.contains(a))) ?? "192.0.2.77";
}

/** An IPv4 address inside the first IPv4 reviewer CIDR. */
export function addressInside(cidrs: string[]): string | undefined {
  const v4 = cidrs.find((c) => IPCIDR.isValidCIDR(c) && !c.includes(":"));
  return v4 ? String(new IPCIDR(v4).start()) : undefined;
}

/** A key policy plus AWS's default statement that lets IAM policies of the account use the key. */
function withAccountDelegation(policy: PolicyJson | undefined, accountId: string): PolicyJson | undefined {
  if (!policy) return policy;
  const statements = Array.isArray(policy.Statement) ? policy.Statement : [policy.Statement];
  return {
    ...policy,
    Statement: [
      ...statements,
      {
        Sid: "ProofAssumesDelegationToAccount",
        Effect: "Allow",
        Principal: { AWS: `arn:aws:iam::${accountId}:root` },
        Action: "kms:*",
        Resource: "*",
      },
    ],
  };
}

/** Builds rows; a must-deny row by a same-account principal is also run as that principal holding `*`. */
export function rowMaker(accountId: string, rows: ProofRow[]) {
  return (
    id: string,
    actor: Actor,
    action: string,
    target: Target,
    context: RequestContext,
    expect: ProofRow["expect"],
    why: string,
    fix: string,
  ): void => {
    const request: SimulatedRequest = {
      principal: actor.arn,
      action,
      resource: target.arn,
      accountId,
      context,
      identityPolicies: actor.identityPolicies,
      resourcePolicy: target.policy,
    };
    const sameAccount = actor.arn.split(":")[4] === accountId;
    const alreadyAllPowerful = actor.identityPolicies.some((p) => p.policy === ALLOW_EVERYTHING.policy) && !target.keyPolicy;
    rows.push({
      id,
      who: actor.who,
      action,
      on: target.on,
      context,
      expect,
      why,
      fix,
      urn: actor.urn || target.urn,
      request,
      twinResourcePolicy: target.keyPolicy ? withAccountDelegation(target.policy, accountId) : target.policy,
      // Without a resource policy only identity policies decide: an all-powerful twin would prove nothing.
      alsoAllPowerful: expect === "Denied" && sameAccount && !alreadyAllPowerful && target.policy !== undefined,
    });
  };
}

/** The archive's requests: what the worker, reviewers, admins and log delivery must and must not be able to do. */
export function archiveRows(model: ExportAccessModel): ProofRow[] {
  const { archive, key, worker, accountId, region, accessLogs } = model;
  const rows: ProofRow[] = [];
  const row = rowMaker(accountId, rows);
  const bucketUrn = archive.bucket.urn;
  const object: Target = { on: "an archived recording", arn: `${archive.arn}/${SAMPLE_KEY}`, policy: archive.policy, urn: bucketUrn };
  const bucket: Target = { on: "the archive bucket", arn: archive.arn, policy: archive.policy, urn: bucketUrn };
  const kmsHeaders: RequestContext = key
    ? { "s3:x-amz-server-side-encryption": "aws:kms", "s3:x-amz-server-side-encryption-aws-kms-key-id": key.arn }
    : {};
  const viaS3: RequestContext = { "kms:ViaService": `s3.${region}.amazonaws.com`, "kms:CallerAccount": accountId };
  const keyTarget: Target | undefined = key && {
    on: "the archive key",
    arn: key.arn,
    policy: key.policy,
    urn: key.resource.urn,
    keyPolicy: true,
  };

  const role = worker?.role;
  if (role) {
    const w: Actor = { who: "the export worker", arn: role.arn, identityPolicies: role.identityPolicies, urn: role.resource.urn };
    const upload = { "s3:object-lock-legal-hold": "ON", ...kmsHeaders };
    const grantPut = "grant s3:PutObject on the archive's objects to the worker and let no bucket-policy Deny match this request";
    row(
      "worker-put",
      w,
      "s3:PutObject",
      { ...object, on: "an archived recording, as PutObject" },
      { ...upload, "s3:if-none-match": "*", "s3:ObjectCreationOperation": "true" },
      "Allowed",
      "a recording below the part size is one PUT with legal hold ON, SSE-KMS under the archive key, written only if absent",
      grantPut,
    );
    row(
      "worker-mpu-create",
      w,
      "s3:PutObject",
      { ...object, on: "an archived recording, as CreateMultipartUpload" },
      { ...upload, "s3:ObjectCreationOperation": "false" },
      "Allowed",
      "CreateMultipartUpload of a long recording carries the lock and encryption headers but accepts no If-None-Match",
      `${grantPut}; a Deny that needs If-None-Match must exempt s3:ObjectCreationOperation false`,
    );
    row(
      "worker-mpu-part",
      w,
      "s3:PutObject",
      { ...object, on: "an archived recording, as UploadPart" },
      { "s3:ObjectCreationOperation": "false" },
      "Allowed",
      "UploadPart carries neither lock nor encryption headers: a negated condition on either key would deny every part",
      "guard every negated condition on a header with Null (present) so a part, which carries none, passes",
    );
    row(
      "worker-mpu-complete",
      w,
      "s3:PutObject",
      { ...object, on: "an archived recording, as CompleteMultipartUpload" },
      { "s3:if-none-match": "*", "s3:ObjectCreationOperation": "true" },
      "Allowed",
      "CompleteMultipartUpload carries If-None-Match but no lock or encryption headers",
      "guard negated conditions on lock and encryption headers with Null; CompleteMultipartUpload carries neither",
    );
    row(
      "worker-hold-on",
      w,
      "s3:PutObjectLegalHold",
      object,
      { "s3:object-lock-legal-hold": "ON" },
      "Allowed",
      "an upload with legal hold ON is also authorized as s3:PutObjectLegalHold (the classic 403)",
      "grant s3:PutObjectLegalHold beside s3:PutObject, and let no Deny that covers it test a key it does not carry",
    );
    row(
      "worker-abort",
      w,
      "s3:AbortMultipartUpload",
      object,
      {},
      "Allowed",
      "a failed upload is aborted at once, so its parts go and the abort cannot hide the real error",
      "grant s3:AbortMultipartUpload on the archive's objects",
    );
    row(
      "worker-find-open-uploads",
      w,
      "s3:ListBucketMultipartUploads",
      bucket,
      {},
      "Allowed",
      "the next delivery finds and aborts the uploads a killed worker left open",
      "grant s3:ListBucketMultipartUploads on the archive bucket",
    );
    row(
      "worker-read-back",
      w,
      "s3:GetObject",
      object,
      {},
      "Allowed",
      "the worker reads back what it wrote to compare checksums",
      "grant s3:GetObject and exempt the worker from the reviewer-network Deny by aws:PrincipalArn",
    );
    row(
      "worker-read-hold",
      w,
      "s3:GetObjectLegalHold",
      object,
      {},
      "Allowed",
      "the worker confirms the hold it placed",
      "grant s3:GetObjectLegalHold on the archive's objects",
    );
    row(
      "worker-put-sse-s3",
      w,
      "s3:PutObject",
      object,
      { "s3:object-lock-legal-hold": "ON", "s3:x-amz-server-side-encryption": "AES256" },
      "Denied",
      "evidence is never stored under a key the archive does not control",
      "deny s3:PutObject whose x-amz-server-side-encryption header is present and not aws:kms",
    );
    row(
      "worker-put-other-key",
      w,
      "s3:PutObject",
      object,
      {
        "s3:object-lock-legal-hold": "ON",
        "s3:x-amz-server-side-encryption": "aws:kms",
        "s3:x-amz-server-side-encryption-aws-kms-key-id": `arn:aws:kms:${region}:${accountId}:key/00000000-0000-4000-8000-00000000beef`,
      },
      "Denied",
      "a writer cannot encrypt evidence under a key whose policy the archive does not set",
      "deny s3:PutObject whose KMS key header is present and is not the archive key's ARN",
    );
    row(
      "worker-put-outside-cases",
      w,
      "s3:PutObject",
      { ...object, on: "an object outside cases/", arn: `${archive.arn}/${OUTSIDE_CASES_KEY}` },
      { ...upload, "s3:if-none-match": "*", "s3:ObjectCreationOperation": "true" },
      "Denied",
      "evidence lives under cases/ only, where verify, case:produce and hold:release find it",
      "deny s3:PutObject outside cases/* (NotResource) to every principal in the bucket policy",
    );
    row(
      "worker-delete-version",
      w,
      "s3:DeleteObjectVersion",
      object,
      {},
      "Denied",
      "the writer never removes evidence",
      "deny s3:DeleteObjectVersion in the bucket policy to everyone but admins",
    );
    row(
      "worker-bypass-governance",
      w,
      "s3:BypassGovernanceRetention",
      object,
      {},
      "Denied",
      "retention is never bypassed, even if the mode were changed",
      "deny s3:BypassGovernanceRetention to every principal in the bucket policy",
    );
    row(
      "worker-put-bucket-policy",
      w,
      "s3:PutBucketPolicy",
      bucket,
      {},
      "Denied",
      "the guards of the archive are not the writer's to change",
      "deny bucket-configuration writes in the bucket policy to everyone but admins",
    );
    if (keyTarget) {
      const kw: Actor = { ...w };
      row(
        "worker-kms-generate",
        kw,
        "kms:GenerateDataKey",
        keyTarget,
        viaS3,
        "Allowed",
        "S3 asks KMS for a data key for each SSE-KMS upload, as the worker",
        "name the worker in the key policy (an IAM grant alone opens no KMS key) with kms:GenerateDataKey via S3",
      );
      row(
        "worker-kms-decrypt",
        kw,
        "kms:Decrypt",
        keyTarget,
        viaS3,
        "Allowed",
        "multipart uploads need kms:Decrypt to assemble the parts",
        "allow kms:Decrypt to the worker via S3 in its IAM policy and in the key policy",
      );
      row(
        "worker-kms-decrypt-direct",
        kw,
        "kms:Decrypt",
        keyTarget,
        { "kms:CallerAccount": accountId },
        "Denied",
        "the archive key decrypts only through S3, so evidence is read only where the bucket policy decides",
        "allow the key's use only with kms:ViaService = s3.<region>.amazonaws.com",
      );
    }
    if (worker?.signingKey) {
      const signing: Target = {
        on: "the custody signing key",
        arn: worker.signingKey.arn,
        policy: worker.signingKey.policy,
        urn: worker.signingKey.resource.urn,
        keyPolicy: true,
      };
      row(
        "worker-sign-digest",
        w,
        "kms:Sign",
        signing,
        { "kms:MessageType": "DIGEST", "kms:SigningAlgorithm": "ECDSA_SHA_256" },
        "Allowed",
        "each custody record is signed over its digest",
        "allow kms:Sign (DIGEST, ECDSA_SHA_256) on the signing key to the worker, in IAM and in the key policy",
      );
      row(
        "worker-sign-raw",
        w,
        "kms:Sign",
        signing,
        { "kms:MessageType": "RAW", "kms:SigningAlgorithm": "ECDSA_SHA_256" },
        "Denied",
        "the custody key signs digests of custody records only, not arbitrary messages",
        "allow kms:Sign only with kms:MessageType DIGEST",
      );
    }
  }

  const outsider = sameAccountOutsider(accountId);
  row(
    "outsider-put",
    outsider,
    "s3:PutObject",
    object,
    { "s3:object-lock-legal-hold": "ON", ...kmsHeaders, "s3:if-none-match": "*", "s3:ObjectCreationOperation": "true" },
    "Denied",
    "only the writer roles put evidence in the archive, whatever other roles are granted",
    "deny s3:PutObject, s3:PutObjectLegalHold and s3:PutObjectRetention to every principal but the writer roles (ArnNotEquals aws:PrincipalArn)",
  );

  const reviewers = reviewerAccess(archive.policy);
  const reviewerArn = reviewers.principals[0];
  const inside = addressInside(reviewers.cidrs);
  if (reviewerArn && inside) {
    const r: Actor = { who: "a reviewer", arn: reviewerArn, identityPolicies: [], urn: "" };
    row(
      "reviewer-read",
      r,
      "s3:GetObject",
      object,
      { "aws:SourceIp": inside },
      "Allowed",
      "reviewers read evidence from their networks",
      "grant reviewers s3:GetObject in the bucket policy and keep their networks out of the read Deny",
    );
    row(
      "reviewer-list",
      r,
      "s3:ListBucket",
      bucket,
      { "aws:SourceIp": inside },
      "Allowed",
      "reviewers find a case's recordings",
      "grant reviewers s3:ListBucket in the bucket policy",
    );
    if (keyTarget)
      row(
        "reviewer-decrypt",
        r,
        "kms:Decrypt",
        keyTarget,
        viaS3,
        "Allowed",
        "reading SSE-KMS evidence needs the key, through S3",
        "name the reviewers in the key policy with kms:Decrypt via S3",
      );
    row(
      "reviewer-read-outside",
      r,
      "s3:GetObject",
      object,
      { "aws:SourceIp": addressOutside(reviewers.cidrs) },
      "Denied",
      "stolen reviewer credentials are useless outside the reviewer networks",
      "deny s3:GetObject* when aws:SourceIp is not in the reviewer CIDRs (NotIpAddress), exempting only the writers",
    );
    row(
      "reviewer-read-plain-http",
      r,
      "s3:GetObject",
      object,
      { "aws:SourceIp": inside, "aws:SecureTransport": "false" },
      "Denied",
      "evidence never travels in clear",
      "deny every s3:* request with aws:SecureTransport false",
    );
  }

  for (const admin of model.admins.slice(0, 1)) {
    const a: Actor = { who: "an admin", arn: admin, identityPolicies: [ALLOW_EVERYTHING], urn: "" };
    row(
      "admin-put-bucket-policy",
      a,
      "s3:PutBucketPolicy",
      bucket,
      {},
      "Allowed",
      "admins deploy the stack, bucket policy included",
      "exempt the admins (aws:PrincipalArn) from the bucket-configuration Deny",
    );
    row(
      "admin-bypass-governance",
      a,
      "s3:BypassGovernanceRetention",
      object,
      {},
      "Denied",
      "not even an admin bypasses retention",
      "deny s3:BypassGovernanceRetention to every principal",
    );
  }

  if (accessLogs) {
    const logs: Target = {
      on: "an access-log object",
      arn: `${accessLogs.arn}/s3-access/${accountId}/${region}/log`,
      policy: accessLogs.policy,
      urn: accessLogs.bucket.urn,
    };
    const delivery: Actor = { who: "S3 log delivery", arn: "logging.s3.amazonaws.com", identityPolicies: [], urn: "" };
    row(
      "log-delivery-writes",
      delivery,
      "s3:PutObject",
      logs,
      { "aws:SourceArn": archive.arn, "aws:SourceAccount": accountId },
      "Allowed",
      "the record of who read evidence must be written",
      "allow logging.s3.amazonaws.com s3:PutObject on the log bucket with aws:SourceArn = the archive and aws:SourceAccount = this account",
    );
    row(
      "log-delivery-other-bucket",
      delivery,
      "s3:PutObject",
      logs,
      { "aws:SourceArn": "arn:aws:s3:::someone-elses-bucket", "aws:SourceAccount": accountId },
      "Denied",
      "another bucket's logs cannot be mixed into the archive's record",
      "allow log delivery only with aws:SourceArn = the archive bucket",
    );
    row(
      "outsider-write-logs",
      outsider,
      "s3:PutObject",
      logs,
      {},
      "Denied",
      "a forged log line would rewrite the record of who read evidence",
      "deny s3:PutObject on the log bucket to requests without aws:SourceArn (every IAM principal; log delivery always sends it)",
    );
    row(
      "outsider-delete-logs",
      outsider,
      "s3:DeleteObjectVersion",
      logs,
      {},
      "Denied",
      "the record of who read evidence is kept",
      "deny log deletion on the log bucket to everyone but admins",
    );
    row(
      "outsider-log-bucket-lifecycle",
      outsider,
      "s3:PutLifecycleConfiguration",
      { ...logs, on: "the access-log bucket", arn: accessLogs.arn },
      {},
      "Denied",
      "a lifecycle rule could expire the record tomorrow",
      "deny configuration changes of the log bucket to everyone but admins",
    );
    row(
      "outsider-read-logs-plain-http",
      outsider,
      "s3:GetObject",
      logs,
      { "aws:SecureTransport": "false" },
      "Denied",
      "access logs never travel in clear",
      "deny every s3:* request on the log bucket with aws:SecureTransport false",
    );
  }
  return rows;
}

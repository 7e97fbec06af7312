// The misconfiguration corpus: realistic one-change mistakes on the prod stack, each with the policy
// that must report it. The policy tests run all of it in process; the analyzer-protocol test runs a
// sample through Pulumi's own analyzer host.
import type { AnalyzableResource } from "../../tools/engine/policyAnalysis";
import { cloneStack, editPolicy, find, remove, setProp, statementBySid } from "./stackEdits";

const BUCKET = "aws:s3/bucket:Bucket";

export type Misconfiguration = [description: string, policy: string, change: (stack: AnalyzableResource[]) => unknown];
// A change edits the copy in place, or returns a new resource list (removals).

const archiveBucket = (s: AnalyzableResource[]) => find(s, "archive-bucket", BUCKET);
const logBucket = (s: AnalyzableResource[]) => find(s, "archive-access-logs", BUCKET);
const archivePolicy = (s: AnalyzableResource[]) => find(s, "archive-policy");
const keyPolicy = (s: AnalyzableResource[]) => find(s, "archive-key");
const writerGrant = (s: AnalyzableResource[]) => find(s, "archive-writer-0");
const workerRole = (s: AnalyzableResource[]) => find(s, "export-worker-role");
const objectLock = (s: AnalyzableResource[]) => find(s, "archive-object-lock");
const encryption = (s: AnalyzableResource[]) => find(s, "archive-encryption");

/** One change to a copy of the prod stack, and the one policy that must catch it. */
export const PROD_MISCONFIGURATIONS: Misconfiguration[] = [
  // --- the six real causes of "legal-hold PUT gets 403" (facts §1) ---
  [
    "cause 1: the writer may PutObject but not PutObjectLegalHold",
    "iam-policy-missing-legal-hold-action",
    (s) => {
      editPolicy(writerGrant(s), (d) => {
        statementBySid(d, "WriteLegalHoldObjects").Action = ["s3:PutObject", "s3:PutObjectRetention"];
      });
    },
  ],
  [
    "cause 2: a Deny on s3:PutObject* with a negated encryption condition",
    "s3-bucketpolicy-disallow-negated-condition-on-lock-actions",
    (s) => {
      editPolicy(archivePolicy(s), (d) => {
        const deny = statementBySid(d, "DenyPutObjectWithoutKmsEncryption");
        deny.Action = ["s3:PutObject*"];
        deny.Condition = { StringNotEquals: { "s3:x-amz-server-side-encryption": "aws:kms" } };
      });
    },
  ],
  [
    "cause 3: the writer may GenerateDataKey but not Decrypt (multipart uploads fail)",
    "iam-policy-missing-kms-decrypt",
    (s) => {
      editPolicy(writerGrant(s), (d) => {
        statementBySid(d, "UseArchiveKeyForObjects").Action = ["kms:GenerateDataKey"];
      });
    },
  ],
  [
    "cause 4: the key policy does not name the writer",
    "kms-key-missing-writer-principal",
    (s) => {
      editPolicy(keyPolicy(s), (d) => {
        statementBySid(d, "EncryptArchiveObjectsThroughS3").Principal = { AWS: ["arn:aws:iam::111122223333:role/SomeoneElse"] };
      });
    },
  ],
  [
    "cause 5: writes denied outside a CIDR list, with no principal exemption",
    "s3-bucketpolicy-require-principal-exemption-on-ip-deny",
    (s) => {
      editPolicy(archivePolicy(s), (d) => {
        statementBySid(d, "DenyObjectWritesExceptArchiveWriters").Condition = { NotIpAddress: { "aws:SourceIp": ["203.0.113.0/24"] } };
      });
    },
  ],
  [
    "cause 6: a key condition on the object ARN while bucket keys are on",
    "kms-key-require-bucket-arn-context",
    (s) => {
      const bucketArn = archiveBucket(s).outputs.arn as string;
      editPolicy(keyPolicy(s), (d) => {
        const use = statementBySid(d, "EncryptArchiveObjectsThroughS3");
        use.Condition = { ...(use.Condition as object), StringLike: { "kms:EncryptionContext:aws:s3:arn": `${bucketArn}/*` } };
      });
    },
  ],
  // --- the archive bucket ---
  ["the evidence bucket without Object Lock", "s3-bucket-enable-object-lock", (s) => setProp(archiveBucket(s), "objectLockEnabled", false)],
  [
    "a deprecated BucketV2 evidence bucket without Object Lock",
    "s3-bucket-enable-object-lock",
    (s) => {
      const bucket = archiveBucket(s);
      bucket.type = "aws:s3/bucketV2:BucketV2";
      setProp(bucket, "objectLockEnabled", false);
    },
  ],
  ["the evidence bucket with forceDestroy", "s3-bucket-disallow-force-destroy", (s) => setProp(archiveBucket(s), "forceDestroy", true)],
  [
    "the evidence bucket not protected",
    "s3-bucket-require-protect",
    (s) => {
      archiveBucket(s).protect = false;
    },
  ],
  [
    "a bucket without its purpose tag",
    "s3-bucket-missing-purpose-tag",
    (s) => setProp(logBucket(s), "tags", { Project: "legal-hold-archive" }),
  ],
  [
    "versioning suspended",
    "s3-versioning-enable-versioning",
    (s) => setProp(find(s, "archive-versioning"), "versioningConfiguration", { status: "Suspended" }),
  ],
  ["no versioning resource for the evidence bucket", "s3-bucket-missing-versioning", (s) => remove(s, find(s, "archive-versioning"))],
  [
    "Object Lock in GOVERNANCE mode",
    "s3-objectlock-require-compliance-mode",
    (s) => setProp(objectLock(s), "rule", { defaultRetention: { mode: "GOVERNANCE", years: 7 } }),
  ],
  [
    "a 30-day default retention",
    "s3-objectlock-configure-minimum-retention",
    (s) => setProp(objectLock(s), "rule", { defaultRetention: { mode: "COMPLIANCE", days: 30 } }),
  ],
  ["no Object Lock configuration", "s3-bucket-missing-object-lock-configuration", (s) => remove(s, objectLock(s))],
  [
    "evidence encrypted with SSE-S3",
    "s3-encryption-require-customer-kms-key",
    (s) => {
      const config = encryption(s);
      setProp(config, "rules", [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" }, bucketKeyEnabled: true }]);
      config.propertyDependencies.rules = [];
    },
  ],
  [
    "evidence encrypted with the AWS-managed aws/s3 key",
    "s3-encryption-require-customer-kms-key",
    (s) => {
      const config = encryption(s);
      setProp(config, "rules", [
        { applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: "alias/aws/s3" }, bucketKeyEnabled: true },
      ]);
      config.propertyDependencies.rules = [];
    },
  ],
  [
    "SSE-KMS without a bucket key",
    "s3-encryption-enable-bucket-key",
    (s) => {
      const config = encryption(s);
      const [rule] = config.inputs.rules as Record<string, unknown>[];
      setProp(config, "rules", [{ ...rule, bucketKeyEnabled: false }]);
    },
  ],
  ["no encryption configuration", "s3-bucket-missing-encryption", (s) => remove(s, encryption(s))],
  [
    "a public-access-block flag off",
    "s3-publicaccessblock-enable-all-flags",
    (s) => setProp(find(s, "archive-public-access-block"), "restrictPublicBuckets", false),
  ],
  [
    "no public access block on the log bucket",
    "s3-bucket-missing-public-access-block",
    (s) => remove(s, find(s, "access-logs-public-access-block")),
  ],
  [
    "ACLs enabled (ObjectWriter)",
    "s3-ownershipcontrols-require-bucket-owner-enforced",
    (s) => setProp(find(s, "archive-ownership"), "rule", { objectOwnership: "ObjectWriter" }),
  ],
  ["no ownership controls", "s3-bucket-missing-ownership-controls", (s) => remove(s, find(s, "archive-ownership"))],
  ["no bucket policy on the log bucket", "s3-bucket-missing-bucket-policy", (s) => remove(s, find(s, "access-logs-policy"))],
  [
    "the TLS-only Deny removed",
    "s3-bucketpolicy-require-tls-deny",
    (s) => {
      editPolicy(archivePolicy(s), (d) => {
        d.Statement = d.Statement.filter((st) => st.Sid !== "DenyRequestsWithoutTls");
      });
    },
  ],
  [
    "a reviewer CIDR broader than /16",
    "s3-bucketpolicy-configure-source-ip-cidrs",
    (s) => {
      editPolicy(archivePolicy(s), (d) => {
        (statementBySid(d, "DenyObjectReadsOutsideReviewerNetworks").Condition as Record<string, unknown>).NotIpAddress = {
          "aws:SourceIp": ["10.0.0.0/8"],
        };
      });
    },
  ],
  [
    "a reviewer CIDR of the whole internet",
    "s3-bucketpolicy-configure-source-ip-cidrs",
    (s) => {
      editPolicy(archivePolicy(s), (d) => {
        (statementBySid(d, "DenyObjectReadsOutsideReviewerNetworks").Condition as Record<string, unknown>).NotIpAddress = {
          "aws:SourceIp": ["0.0.0.0/0"],
        };
      });
    },
  ],
  [
    "an unconditioned Allow to everyone",
    "s3-bucketpolicy-disallow-unconditioned-public-allow",
    (s) => {
      const bucketArn = archiveBucket(s).outputs.arn as string;
      editPolicy(archivePolicy(s), (d) => {
        d.Statement.push({ Sid: "PublicRead", Effect: "Allow", Principal: "*", Action: "s3:GetObject", Resource: `${bucketArn}/*` });
      });
    },
  ],
  ["no access logging for the evidence bucket", "s3-bucket-missing-access-logging", (s) => remove(s, find(s, "archive-logging"))],
  [
    "access logs written into the evidence bucket itself",
    "s3-logging-disallow-evidence-target",
    (s) => {
      const logging = find(s, "archive-logging");
      const bucket = archiveBucket(s);
      setProp(logging, "targetBucket", bucket.outputs.bucket);
      logging.propertyDependencies.targetBucket = [bucket.urn];
    },
  ],
  // --- the archive key ---
  ["key rotation off", "kms-key-enable-rotation", (s) => setProp(keyPolicy(s), "enableKeyRotation", false)],
  ["a 7-day key deletion window", "kms-key-configure-deletion-window", (s) => setProp(keyPolicy(s), "deletionWindowInDays", 7)],
  [
    "kms:* granted to everyone",
    "kms-key-disallow-public-grant",
    (s) => {
      editPolicy(keyPolicy(s), (d) => {
        d.Statement.push({ Sid: "Everyone", Effect: "Allow", Principal: { AWS: "*" }, Action: "kms:*", Resource: "*" });
      });
    },
  ],
  [
    "the lockout safety check bypassed",
    "kms-key-disallow-lockout-bypass",
    (s) => setProp(keyPolicy(s), "bypassPolicyLockoutSafetyCheck", true),
  ],
  [
    "the key not protected",
    "kms-key-require-protect",
    (s) => {
      keyPolicy(s).protect = false;
    },
  ],
  [
    "a custody signing key on RSA instead of P-256",
    "kms-key-configure-signing-key-spec",
    (s) => setProp(find(s, "archive-signing-key"), "customerMasterKeySpec", "RSA_2048"),
  ],
  // --- IAM ---
  [
    "the writer granted s3:*",
    "iam-policy-disallow-wildcard-action",
    (s) => {
      editPolicy(writerGrant(s), (d) => {
        statementBySid(d, "WriteLegalHoldObjects").Action = ["s3:*"];
      });
    },
  ],
  [
    "the writer granted reads on every bucket",
    "iam-policy-disallow-wildcard-resource",
    (s) => {
      editPolicy(writerGrant(s), (d) => {
        statementBySid(d, "ReadBackArchivedObjects").Resource = "*";
      });
    },
  ],
  [
    "a role anyone may assume",
    "iam-role-disallow-public-trust",
    (s) => {
      editPolicy(
        workerRole(s),
        (d) => {
          d.Statement.push({ Sid: "Anyone", Effect: "Allow", Principal: { AWS: "*" }, Action: "sts:AssumeRole" });
        },
        "assumeRolePolicy",
      );
    },
  ],
  [
    "Genesys' account trusted without an ExternalId",
    "iam-role-require-external-id",
    (s) => {
      editPolicy(
        workerRole(s),
        (d) => {
          d.Statement.push({
            Sid: "Genesys",
            Effect: "Allow",
            Principal: { AWS: "arn:aws:iam::765628985471:root" },
            Action: "sts:AssumeRole",
          });
        },
        "assumeRolePolicy",
      );
    },
  ],
  // --- the export pipeline ---
  [
    "the worker on the deprecated nodejs20.x runtime",
    "lambda-function-configure-runtime",
    (s) => setProp(find(s, "export-worker", "aws:lambda/function:Function"), "runtime", "nodejs20.x"),
  ],
  [
    "a client secret in the worker's environment",
    "lambda-function-disallow-secret-environment",
    (s) => {
      const worker = find(s, "export-worker", "aws:lambda/function:Function");
      const environment = worker.inputs.environment as { variables: Record<string, string> };
      setProp(worker, "environment", { variables: { ...environment.variables, GENESYS_CLIENT_SECRET: "plain-text" } });
    },
  ],
  [
    "the worker without reserved concurrency",
    "lambda-function-require-reserved-concurrency",
    (s) => setProp(find(s, "export-worker", "aws:lambda/function:Function"), "reservedConcurrentExecutions", undefined),
  ],
  [
    "worker logs kept forever",
    "cloudwatch-loggroup-configure-retention",
    (s) => setProp(find(s, "export-worker-logs"), "retentionInDays", 0),
  ],
  [
    "an unencrypted job queue",
    "sqs-queue-enable-encryption",
    (s) => setProp(find(s, "export-jobs", "aws:sqs/queue:Queue"), "sqsManagedSseEnabled", false),
  ],
  [
    "a job queue without a dead-letter queue",
    "sqs-queue-missing-dead-letter-queue",
    (s) => {
      const jobs = find(s, "export-jobs", "aws:sqs/queue:Queue");
      setProp(jobs, "redrivePolicy", undefined);
      jobs.propertyDependencies.redrivePolicy = [];
    },
  ],
  [
    "a job queue hidden for less than 6x the worker timeout",
    "sqs-queue-configure-visibility-timeout",
    (s) => setProp(find(s, "export-jobs", "aws:sqs/queue:Queue"), "visibilityTimeoutSeconds", 900),
  ],
  // --- the Genesys side ---
  [
    "Genesys' account may assume the invoker role without the organization id",
    "iam-role-require-external-id",
    (s) => {
      editPolicy(
        find(s, "genesys-invoker", "aws:iam/role:Role"),
        (d) => {
          delete (d.Statement[0] as Record<string, unknown>).Condition;
        },
        "assumeRolePolicy",
      );
    },
  ],
  [
    "a worker OAuth client with the CODE grant",
    "genesys-oauthclient-require-client-credentials",
    (s) => setProp(find(s, "genesys-worker-client"), "authorizedGrantType", "CODE"),
  ],
  [
    "worker tokens valid for a day",
    "genesys-oauthclient-configure-token-lifetime",
    (s) => setProp(find(s, "genesys-worker-client"), "accessTokenValiditySeconds", 86400),
  ],
  [
    "a wildcard permission in the worker's role",
    "genesys-authrole-configure-permission-allowlist",
    (s) => setProp(find(s, "genesys-worker-role"), "permissionPolicies", [{ domain: "recording", entityName: "*", actionSets: ["*"] }]),
  ],
  [
    "a data action timeout above 60 s",
    "genesys-integrationaction-configure-timeout",
    (s) => setProp(find(s, "genesys-export-action"), "configTimeoutSeconds", 90),
  ],
  [
    "a data action contract without caseId",
    "genesys-integrationaction-require-contract-fields",
    (s) => {
      const action = find(s, "genesys-export-action");
      const contract = JSON.parse(action.inputs.contractInput as string);
      contract.required = ["conversationId"];
      delete contract.properties.caseId;
      setProp(action, "contractInput", JSON.stringify(contract));
    },
  ],
];

/** A copy of the stack with the change applied; the original is left untouched. */
export function misconfigure(stack: AnalyzableResource[], change: Misconfiguration[2]): AnalyzableResource[] {
  const copy = cloneStack(stack);
  const result = change(copy);
  return Array.isArray(result) ? (result as AnalyzableResource[]) : copy;
}

// The misconfiguration corpus: realistic one-change mistakes on the prod stack, as data. Each row says
// what changes and which policy must report it; one test (prodStackMisconfigurations.test.ts) runs every
// row through the pack, another checks that every mandatory policy is caught by at least one row, and
// the analyzer-protocol test runs a sample through Pulumi's own analyzer host.
import type { AnalyzableResource } from "../../tools/engine/policyAnalysis";
import { cloneStack, editPolicy, find, remove, setProp, statementBySid } from "./stackEdits";

const BUCKET = "aws:s3/bucket:Bucket";

/** One change to a copy of the prod stack, and the one policy that must catch it. */
export interface Misconfiguration {
  /** What changes, as a reviewer would say it; unique, it names the test. */
  case: string;
  /** The policy that must report it, alone (the export access proof may report it too). */
  policy: string;
  /** Edits the copy in place, or returns a new resource list (removals). */
  change: (stack: AnalyzableResource[]) => unknown;
}

const archiveBucket = (s: AnalyzableResource[]) => find(s, "archive-bucket", BUCKET);
const logBucket = (s: AnalyzableResource[]) => find(s, "archive-access-logs", BUCKET);
const archivePolicy = (s: AnalyzableResource[]) => find(s, "archive-policy");
const keyPolicy = (s: AnalyzableResource[]) => find(s, "archive-key");
const writerGrant = (s: AnalyzableResource[]) => find(s, "archive-writer-0");
const workerRole = (s: AnalyzableResource[]) => find(s, "export-worker-role");
const objectLock = (s: AnalyzableResource[]) => find(s, "archive-object-lock");
const encryption = (s: AnalyzableResource[]) => find(s, "archive-encryption");
const jobsQueue = (s: AnalyzableResource[]) => find(s, "export-jobs", "aws:sqs/queue:Queue");
const workerFunction = (s: AnalyzableResource[]) => find(s, "export-worker", "aws:lambda/function:Function");
const intakeGrant = (s: AnalyzableResource[]) => find(s, "export-intake-policy");
const jobsQueuePolicy = (s: AnalyzableResource[]) => find(s, "export-jobs-policy");
const landingBucket = (s: AnalyzableResource[]) => find(s, "landing-bucket", BUCKET);
const landingPolicy = (s: AnalyzableResource[]) => find(s, "landing-policy");
const landingLifecycle = (s: AnalyzableResource[]) => find(s, "landing-lifecycle");
/** Genesys Cloud's published ranges as the seed's bucket policy listed them (documentation ranges stand in). */
const GENESYS_CIDRS = ["198.51.100.0/24", "203.0.113.0/24"];
/** The seed's statement: PUTs allowed from Genesys' CIDR ranges, for anyone sending from them. */
const cidrAllow = (s: AnalyzableResource[]) => ({
  Sid: "AllowGenesysCloudCidrRanges",
  Effect: "Allow",
  Principal: "*",
  Action: "s3:PutObject",
  Resource: `${landingBucket(s).outputs.arn}/*`,
  Condition: { IpAddress: { "aws:SourceIp": GENESYS_CIDRS } },
});

/** Adds a resource the program did not declare, beside `sibling` (same parent), linked by property to resources of the stack. */
function addResource(
  s: AnalyzableResource[],
  sibling: AnalyzableResource,
  type: string,
  name: string,
  props: Record<string, unknown>,
  links: Record<string, AnalyzableResource[]> = {},
): void {
  const propertyDependencies = Object.fromEntries(Object.entries(links).map(([k, rs]) => [k, rs.map((r) => r.urn)]));
  s.push({
    // The sibling's URN with its own type and name: the same stack, project and parent chain.
    urn: `${sibling.urn.slice(0, sibling.urn.lastIndexOf("$") + 1)}${type}::${name}`,
    type,
    name,
    parent: sibling.parent,
    protect: false,
    inputs: props,
    outputs: props,
    dependencies: [...new Set(Object.values(propertyDependencies).flat())],
    propertyDependencies,
  });
}

/** Adds a statement to an identity policy document. */
const grant = (statement: Record<string, unknown>) => (d: { Statement: Record<string, unknown>[] }) => {
  d.Statement.push(statement);
};

export const PROD_MISCONFIGURATIONS: Misconfiguration[] = [
  // --- the six real causes of "legal-hold PUT gets 403" (facts §1) ---
  {
    case: "cause 1: the writer may PutObject but not PutObjectLegalHold",
    policy: "iam-policy-missing-legal-hold-action",
    change: (s) => {
      editPolicy(writerGrant(s), (d) => {
        statementBySid(d, "WriteLegalHoldObjects").Action = ["s3:PutObject", "s3:PutObjectRetention"];
      });
    },
  },
  {
    case: "cause 2: a Deny on s3:PutObject* with a negated encryption condition",
    policy: "s3-bucketpolicy-disallow-negated-condition-on-lock-actions",
    change: (s) => {
      editPolicy(archivePolicy(s), (d) => {
        const deny = statementBySid(d, "DenyPutObjectWithoutKmsEncryption");
        deny.Action = ["s3:PutObject*"];
        deny.Condition = { StringNotEquals: { "s3:x-amz-server-side-encryption": "aws:kms" } };
      });
    },
  },
  {
    case: "cause 3: the writer may GenerateDataKey but not Decrypt (multipart uploads fail)",
    policy: "iam-policy-missing-kms-decrypt",
    change: (s) => {
      editPolicy(writerGrant(s), (d) => {
        statementBySid(d, "UseArchiveKeyForObjects").Action = ["kms:GenerateDataKey"];
      });
    },
  },
  {
    case: "cause 4: the key policy does not name the writer",
    policy: "kms-key-missing-writer-principal",
    change: (s) => {
      editPolicy(keyPolicy(s), (d) => {
        // The worker's ARN replaced; the bulk path's writers (sealer, case export) stay named.
        const use = statementBySid(d, "EncryptArchiveObjectsThroughS3");
        const writers = (use.Principal as { AWS: string[] }).AWS;
        use.Principal = {
          AWS: writers.map((arn) => (arn === workerRole(s).outputs.arn ? "arn:aws:iam::111122223333:role/SomeoneElse" : arn)),
        };
      });
    },
  },
  {
    case: "cause 5: writes denied outside a CIDR list, with no principal exemption",
    policy: "s3-bucketpolicy-require-principal-exemption-on-ip-deny",
    change: (s) => {
      editPolicy(archivePolicy(s), (d) => {
        statementBySid(d, "DenyObjectWritesExceptArchiveWriters").Condition = { NotIpAddress: { "aws:SourceIp": ["203.0.113.0/24"] } };
      });
    },
  },
  {
    case: "cause 6: a key condition on the object ARN while bucket keys are on",
    policy: "kms-key-require-bucket-arn-context",
    change: (s) => {
      const bucketArn = archiveBucket(s).outputs.arn as string;
      editPolicy(keyPolicy(s), (d) => {
        const use = statementBySid(d, "EncryptArchiveObjectsThroughS3");
        use.Condition = { ...(use.Condition as object), StringLike: { "kms:EncryptionContext:aws:s3:arn": `${bucketArn}/*` } };
      });
    },
  },
  // --- the archive bucket ---
  {
    case: "the evidence bucket without Object Lock",
    policy: "s3-bucket-enable-object-lock",
    change: (s) => setProp(archiveBucket(s), "objectLockEnabled", false),
  },
  {
    case: "a deprecated BucketV2 evidence bucket without Object Lock",
    policy: "s3-bucket-enable-object-lock",
    change: (s) => {
      const bucket = archiveBucket(s);
      bucket.type = "aws:s3/bucketV2:BucketV2";
      setProp(bucket, "objectLockEnabled", false);
    },
  },
  {
    case: "the evidence bucket with forceDestroy",
    policy: "s3-bucket-disallow-force-destroy",
    change: (s) => setProp(archiveBucket(s), "forceDestroy", true),
  },
  {
    case: "the evidence bucket not protected",
    policy: "s3-bucket-require-protect",
    change: (s) => {
      archiveBucket(s).protect = false;
    },
  },
  {
    case: "a bucket without its purpose tag",
    policy: "s3-bucket-missing-purpose-tag",
    change: (s) => setProp(logBucket(s), "tags", { Project: "legal-hold-archive" }),
  },
  {
    case: "versioning suspended",
    policy: "s3-versioning-enable-versioning",
    change: (s) => setProp(find(s, "archive-versioning"), "versioningConfiguration", { status: "Suspended" }),
  },
  {
    case: "no versioning resource for the evidence bucket",
    policy: "s3-bucket-missing-versioning",
    change: (s) => remove(s, find(s, "archive-versioning")),
  },
  {
    case: "Object Lock in GOVERNANCE mode",
    policy: "s3-objectlock-require-compliance-mode",
    change: (s) => setProp(objectLock(s), "rule", { defaultRetention: { mode: "GOVERNANCE", years: 7 } }),
  },
  {
    case: "a 30-day default retention",
    policy: "s3-objectlock-configure-minimum-retention",
    change: (s) => setProp(objectLock(s), "rule", { defaultRetention: { mode: "COMPLIANCE", days: 30 } }),
  },
  { case: "no Object Lock configuration", policy: "s3-bucket-missing-object-lock-configuration", change: (s) => remove(s, objectLock(s)) },
  {
    case: "evidence encrypted with SSE-S3",
    policy: "s3-encryption-require-customer-kms-key",
    change: (s) => {
      const config = encryption(s);
      setProp(config, "rules", [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" }, bucketKeyEnabled: true }]);
      config.propertyDependencies.rules = [];
    },
  },
  {
    case: "evidence encrypted with the AWS-managed aws/s3 key",
    policy: "s3-encryption-require-customer-kms-key",
    change: (s) => {
      const config = encryption(s);
      setProp(config, "rules", [
        { applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: "alias/aws/s3" }, bucketKeyEnabled: true },
      ]);
      config.propertyDependencies.rules = [];
    },
  },
  {
    case: "SSE-KMS without a bucket key",
    policy: "s3-encryption-enable-bucket-key",
    change: (s) => {
      const config = encryption(s);
      const [rule] = config.inputs.rules as Record<string, unknown>[];
      setProp(config, "rules", [{ ...rule, bucketKeyEnabled: false }]);
    },
  },
  { case: "no encryption configuration", policy: "s3-bucket-missing-encryption", change: (s) => remove(s, encryption(s)) },
  {
    case: "a public-access-block flag off",
    policy: "s3-publicaccessblock-enable-all-flags",
    change: (s) => setProp(find(s, "archive-public-access-block"), "restrictPublicBuckets", false),
  },
  {
    case: "no public access block on the log bucket",
    policy: "s3-bucket-missing-public-access-block",
    change: (s) => remove(s, find(s, "access-logs-public-access-block")),
  },
  {
    case: "ACLs enabled (ObjectWriter)",
    policy: "s3-ownershipcontrols-require-bucket-owner-enforced",
    change: (s) => setProp(find(s, "archive-ownership"), "rule", { objectOwnership: "ObjectWriter" }),
  },
  { case: "no ownership controls", policy: "s3-bucket-missing-ownership-controls", change: (s) => remove(s, find(s, "archive-ownership")) },
  {
    case: "no bucket policy on the log bucket",
    policy: "s3-bucket-missing-bucket-policy",
    change: (s) => remove(s, find(s, "access-logs-policy")),
  },
  {
    case: "the TLS-only Deny removed",
    policy: "s3-bucketpolicy-require-tls-deny",
    change: (s) => {
      editPolicy(archivePolicy(s), (d) => {
        d.Statement = d.Statement.filter((st) => st.Sid !== "DenyRequestsWithoutTls");
      });
    },
  },
  {
    case: "a reviewer CIDR broader than /16",
    policy: "s3-bucketpolicy-configure-source-ip-cidrs",
    change: (s) => {
      editPolicy(archivePolicy(s), (d) => {
        (statementBySid(d, "DenyObjectReadsOutsideReviewerNetworks").Condition as Record<string, unknown>).NotIpAddress = {
          "aws:SourceIp": ["10.0.0.0/8"],
        };
      });
    },
  },
  {
    case: "a reviewer CIDR of the whole internet",
    policy: "s3-bucketpolicy-configure-source-ip-cidrs",
    change: (s) => {
      editPolicy(archivePolicy(s), (d) => {
        (statementBySid(d, "DenyObjectReadsOutsideReviewerNetworks").Condition as Record<string, unknown>).NotIpAddress = {
          "aws:SourceIp": ["0.0.0.0/0"],
        };
      });
    },
  },
  {
    case: "an unconditioned Allow to everyone",
    policy: "s3-bucketpolicy-disallow-unconditioned-public-allow",
    change: (s) => {
      const bucketArn = archiveBucket(s).outputs.arn as string;
      editPolicy(archivePolicy(s), (d) => {
        d.Statement.push({ Sid: "PublicRead", Effect: "Allow", Principal: "*", Action: "s3:GetObject", Resource: `${bucketArn}/*` });
      });
    },
  },
  {
    case: "no access logging for the evidence bucket",
    policy: "s3-bucket-missing-access-logging",
    change: (s) => remove(s, find(s, "archive-logging")),
  },
  {
    case: "access logs written into the evidence bucket itself",
    policy: "s3-logging-disallow-evidence-target",
    change: (s) => {
      const logging = find(s, "archive-logging");
      const bucket = archiveBucket(s);
      setProp(logging, "targetBucket", bucket.outputs.bucket);
      logging.propertyDependencies.targetBucket = [bucket.urn];
    },
  },
  {
    case: "access logs named into the evidence bucket by a value that still depends on the log bucket",
    policy: "s3-logging-disallow-evidence-target",
    change: (s) => {
      // An apply over the log bucket that returns another name: the dependency and the value disagree.
      setProp(find(s, "archive-logging"), "targetBucket", archiveBucket(s).outputs.bucket);
    },
  },
  // --- the archive key ---
  { case: "key rotation off", policy: "kms-key-enable-rotation", change: (s) => setProp(keyPolicy(s), "enableKeyRotation", false) },
  {
    case: "a 7-day key deletion window",
    policy: "kms-key-configure-deletion-window",
    change: (s) => setProp(keyPolicy(s), "deletionWindowInDays", 7),
  },
  {
    case: "kms:* granted to everyone",
    policy: "kms-key-disallow-public-grant",
    change: (s) => {
      editPolicy(keyPolicy(s), (d) => {
        d.Statement.push({ Sid: "Everyone", Effect: "Allow", Principal: { AWS: "*" }, Action: "kms:*", Resource: "*" });
      });
    },
  },
  {
    case: "the lockout safety check bypassed",
    policy: "kms-key-disallow-lockout-bypass",
    change: (s) => setProp(keyPolicy(s), "bypassPolicyLockoutSafetyCheck", true),
  },
  {
    case: "the key not protected",
    policy: "kms-key-require-protect",
    change: (s) => {
      keyPolicy(s).protect = false;
    },
  },
  {
    case: "a custody signing key on RSA instead of P-256",
    policy: "kms-key-configure-signing-key-spec",
    change: (s) => setProp(find(s, "archive-signing-key"), "customerMasterKeySpec", "RSA_2048"),
  },
  // --- IAM ---
  {
    case: "the writer granted s3:*",
    policy: "iam-policy-disallow-wildcard-action",
    change: (s) => {
      editPolicy(writerGrant(s), (d) => {
        statementBySid(d, "WriteLegalHoldObjects").Action = ["s3:*"];
      });
    },
  },
  {
    case: "the writer granted reads on every bucket",
    policy: "iam-policy-disallow-wildcard-resource",
    change: (s) => {
      editPolicy(writerGrant(s), (d) => {
        statementBySid(d, "ReadBackArchivedObjects").Resource = "*";
      });
    },
  },
  {
    case: "a role anyone may assume",
    policy: "iam-role-disallow-public-trust",
    change: (s) => {
      editPolicy(
        workerRole(s),
        (d) => {
          d.Statement.push({ Sid: "Anyone", Effect: "Allow", Principal: { AWS: "*" }, Action: "sts:AssumeRole" });
        },
        "assumeRolePolicy",
      );
    },
  },
  {
    case: "Genesys' account trusted without an ExternalId",
    policy: "iam-role-require-external-id",
    change: (s) => {
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
  },
  {
    case: "the signing key's policy no longer lets the worker sign custody records",
    policy: "iam-stack-require-export-access-proof",
    change: (s) =>
      editPolicy(find(s, "archive-signing-key"), (d) => {
        // The worker only: the sealer and the case export, named beside it, keep signing (their own rows).
        const sign = statementBySid(d, "SignCustodyManifestDigests");
        const worker = workerRole(s).outputs.arn;
        sign.Principal = { AWS: (sign.Principal as { AWS: string[] }).AWS.filter((arn) => arn !== worker) };
      }),
  },
  // --- the export pipeline ---
  {
    case: "the worker on the deprecated nodejs20.x runtime",
    policy: "lambda-function-configure-runtime",
    change: (s) => setProp(find(s, "export-worker", "aws:lambda/function:Function"), "runtime", "nodejs20.x"),
  },
  {
    case: "a client secret in the worker's environment",
    policy: "lambda-function-disallow-secret-environment",
    change: (s) => {
      const worker = find(s, "export-worker", "aws:lambda/function:Function");
      const environment = worker.inputs.environment as { variables: Record<string, string> };
      setProp(worker, "environment", { variables: { ...environment.variables, GENESYS_CLIENT_SECRET: "plain-text" } });
    },
  },
  {
    case: "the worker without reserved concurrency",
    policy: "lambda-function-require-reserved-concurrency",
    change: (s) => setProp(find(s, "export-worker", "aws:lambda/function:Function"), "reservedConcurrentExecutions", undefined),
  },
  {
    case: "worker logs kept forever",
    policy: "cloudwatch-loggroup-configure-retention",
    change: (s) => setProp(find(s, "export-worker-logs"), "retentionInDays", 0),
  },
  {
    case: "an unencrypted job queue",
    policy: "sqs-queue-enable-encryption",
    change: (s) => setProp(jobsQueue(s), "sqsManagedSseEnabled", false),
  },
  {
    case: "a job queue without a dead-letter queue",
    policy: "sqs-queue-missing-dead-letter-queue",
    change: (s) => {
      const jobs = jobsQueue(s);
      setProp(jobs, "redrivePolicy", undefined);
      jobs.propertyDependencies.redrivePolicy = [];
    },
  },
  {
    case: "a redrive policy computed from the dead-letter queue that comes out empty",
    policy: "sqs-queue-missing-dead-letter-queue",
    // An apply over the dead-letter queue's ARN that returns "": the dependency stays, the value is none.
    change: (s) => setProp(jobsQueue(s), "redrivePolicy", ""),
  },
  {
    case: "a job queue hidden for less than 6x the worker timeout",
    policy: "sqs-queue-configure-visibility-timeout",
    change: (s) => setProp(jobsQueue(s), "visibilityTimeoutSeconds", 900),
  },
  {
    case: "the intake Lambda without its log group",
    policy: "lambda-function-missing-log-group",
    change: (s) => remove(s, find(s, "export-intake-logs")),
  },
  {
    case: "the worker deployed from an S3 object built elsewhere",
    policy: "lambda-function-require-archive-code",
    change: (s) => {
      const worker = find(s, "export-worker", "aws:lambda/function:Function");
      setProp(worker, "code", undefined);
      setProp(worker, "s3Bucket", "someone-elses-artifacts");
      setProp(worker, "s3Key", "worker.zip");
    },
  },
  {
    case: "a failing export job received 50 times before it is dead-lettered",
    policy: "sqs-queue-configure-max-receive-count",
    change: (s) => {
      const jobs = jobsQueue(s);
      setProp(jobs, "redrivePolicy", JSON.stringify({ ...JSON.parse(jobs.inputs.redrivePolicy as string), maxReceiveCount: 50 }));
    },
  },
  // --- the Genesys side ---
  {
    case: "Genesys' account may assume the invoker role without the organization id",
    policy: "iam-role-require-external-id",
    change: (s) => {
      editPolicy(
        find(s, "genesys-invoker", "aws:iam/role:Role"),
        (d) => {
          delete (d.Statement[0] as Record<string, unknown>).Condition;
        },
        "assumeRolePolicy",
      );
    },
  },
  {
    case: "a worker OAuth client with the CODE grant",
    policy: "genesys-oauthclient-require-client-credentials",
    change: (s) => setProp(find(s, "genesys-worker-client"), "authorizedGrantType", "CODE"),
  },
  {
    case: "worker tokens valid for a day",
    policy: "genesys-oauthclient-configure-token-lifetime",
    change: (s) => setProp(find(s, "genesys-worker-client"), "accessTokenValiditySeconds", 86400),
  },
  {
    case: "a wildcard permission in the worker's role",
    policy: "genesys-authrole-configure-permission-allowlist",
    change: (s) =>
      setProp(find(s, "genesys-worker-role"), "permissionPolicies", [{ domain: "recording", entityName: "*", actionSets: ["*"] }]),
  },
  {
    case: "a data action timeout above 60 s",
    policy: "genesys-integrationaction-configure-timeout",
    change: (s) => setProp(find(s, "genesys-export-action"), "configTimeoutSeconds", 90),
  },
  {
    case: "a data action contract without caseId",
    policy: "genesys-integrationaction-require-contract-fields",
    change: (s) => {
      const action = find(s, "genesys-export-action");
      const contract = JSON.parse(action.inputs.contractInput as string);
      contract.required = ["conversationId"];
      delete contract.properties.caseId;
      setProp(action, "contractInput", JSON.stringify(contract));
    },
  },
  {
    case: "the Genesys credential stored as a client id and secret",
    policy: "genesys-integrationcredential-require-aws-arn-type",
    change: (s) => setProp(find(s, "genesys-credential"), "credentialTypeName", "userDefinedOAuth"),
  },
  {
    case: "the data-action integration left disabled",
    policy: "genesys-integration-require-lambda-data-actions",
    change: (s) => setProp(find(s, "genesys-integration", "genesyscloud:index/integration:Integration"), "intendedState", "DISABLED"),
  },
  {
    case: "the exposed worker client secret stored nowhere",
    policy: "genesys-oauthclient-require-secret-in-secrets-manager",
    change: (s) => remove(s, find(s, "genesys-worker-credentials")),
  },
  // --- checks a peer pack would run on these resources (issue 16) ---
  {
    case: "the job queue's policy also lets anyone send",
    policy: "sqs-queuepolicy-disallow-foreign-sender",
    change: (s) =>
      editPolicy(
        jobsQueuePolicy(s),
        grant({ Sid: "AnyoneSends", Effect: "Allow", Principal: "*", Action: "sqs:SendMessage", Resource: jobsQueue(s).outputs.arn }),
      ),
  },
  {
    case: "the job queue's policy also lets another account send",
    policy: "sqs-queuepolicy-disallow-foreign-sender",
    change: (s) =>
      editPolicy(
        jobsQueuePolicy(s),
        grant({
          Effect: "Allow",
          Principal: { AWS: "arn:aws:iam::444455556666:root" },
          Action: ["sqs:SendMessage"],
          Resource: jobsQueue(s).outputs.arn,
        }),
      ),
  },
  {
    case: "the sealer queue admits S3 notifications of a bucket not of this stack",
    policy: "sqs-queuepolicy-disallow-foreign-sender",
    change: (s) =>
      editPolicy(find(s, "sealer-landing-events-policy"), (d) => {
        statementBySid(d, "LandingBucketNotifiesSealer").Condition = {
          ArnEquals: { "aws:SourceArn": "arn:aws:s3:::someone-elses-bucket" },
          StringEquals: { "aws:SourceAccount": "111122223333" },
        };
      }),
  },
  {
    case: "the sealer queue admits S3 notifications of the landing bucket without aws:SourceAccount",
    policy: "sqs-queuepolicy-disallow-foreign-sender",
    change: (s) =>
      editPolicy(find(s, "sealer-landing-events-policy"), (d) => {
        const notifies = statementBySid(d, "LandingBucketNotifiesSealer");
        notifies.Condition = { ArnEquals: (notifies.Condition as { ArnEquals: unknown }).ArnEquals };
      }),
  },
  {
    case: "the sealer queue admits S3 notifications of any bucket (ArnLike *)",
    policy: "sqs-queuepolicy-disallow-foreign-sender",
    change: (s) =>
      editPolicy(find(s, "sealer-landing-events-policy"), (d) => {
        statementBySid(d, "LandingBucketNotifiesSealer").Condition = {
          ArnLike: { "aws:SourceArn": "arn:aws:s3:::*" },
          StringEquals: { "aws:SourceAccount": "111122223333" },
        };
      }),
  },
  { case: "the job queue without a queue policy", policy: "sqs-queue-missing-queue-policy", change: (s) => remove(s, jobsQueuePolicy(s)) },
  {
    case: "AdministratorAccess attached to the worker role",
    policy: "iam-role-disallow-aws-managed-policy",
    change: (s) => {
      const role = workerRole(s);
      addResource(
        s,
        role,
        "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
        "legal-hold-export-worker-admin",
        { role: role.outputs.name, policyArn: "arn:aws:iam::aws:policy/AdministratorAccess" },
        { role: [role] },
      );
    },
  },
  {
    case: "AmazonS3FullAccess in the intake role's managedPolicyArns",
    policy: "iam-role-disallow-aws-managed-policy",
    change: (s) =>
      setProp(find(s, "export-intake", "aws:iam/role:Role"), "managedPolicyArns", ["arn:aws:iam::aws:policy/AmazonS3FullAccess"]),
  },
  {
    case: "the intake may pass roles and write role policies on every resource",
    policy: "iam-policy-disallow-privilege-escalation",
    change: (s) =>
      editPolicy(intakeGrant(s), grant({ Sid: "Escalate", Effect: "Allow", Action: ["iam:PassRole", "iam:PutRolePolicy"], Resource: "*" })),
  },
  {
    case: "the worker may create a new version of any policy",
    policy: "iam-policy-disallow-privilege-escalation",
    change: (s) =>
      editPolicy(
        find(s, "export-worker-policy"),
        grant({ Effect: "Allow", Action: "iam:CreatePolicyVersion", Resource: "arn:aws:iam::111122223333:policy/*" }),
      ),
  },
  { case: "the archive key disabled", policy: "kms-key-disallow-disabled-key", change: (s) => setProp(keyPolicy(s), "isEnabled", false) },
  {
    case: "a lifecycle rule that expires evidence after seven years",
    policy: "s3-lifecycle-disallow-evidence-expiration",
    change: (s) => {
      const lifecycle = find(s, "archive-lifecycle");
      const [rule] = lifecycle.inputs.rules as Record<string, unknown>[];
      setProp(lifecycle, "rules", [{ ...rule, expiration: { days: 2557 } }]);
    },
  },
  {
    case: "a lifecycle rule that deletes noncurrent evidence versions",
    policy: "s3-lifecycle-disallow-evidence-expiration",
    change: (s) => {
      const lifecycle = find(s, "archive-lifecycle");
      const [rule] = lifecycle.inputs.rules as Record<string, unknown>[];
      setProp(lifecycle, "rules", [{ ...rule, noncurrentVersionExpiration: { noncurrentDays: 400 } }]);
    },
  },
  {
    case: "the intake role may replace the worker's code",
    policy: "lambda-function-disallow-code-update-grant",
    change: (s) =>
      editPolicy(
        intakeGrant(s),
        grant({
          Effect: "Allow",
          Action: ["lambda:UpdateFunctionCode", "lambda:UpdateFunctionConfiguration"],
          Resource: workerFunction(s).outputs.arn,
        }),
      ),
  },
  {
    case: "the writer may delete object versions (the bucket policy's Deny still holds)",
    policy: "iam-policy-disallow-evidence-destruction",
    change: (s) =>
      editPolicy(writerGrant(s), (d) => {
        const write = statementBySid(d, "WriteLegalHoldObjects");
        write.Action = [...(write.Action as string[]), "s3:DeleteObjectVersion"];
      }),
  },
  {
    case: "the writer may bypass governance retention and rewrite the bucket policy",
    policy: "iam-policy-disallow-evidence-destruction",
    change: (s) =>
      editPolicy(
        writerGrant(s),
        grant({
          Effect: "Allow",
          Action: ["s3:BypassGovernanceRetention", "s3:PutBucketPolicy"],
          Resource: [archiveBucket(s).outputs.arn, `${archiveBucket(s).outputs.arn}/*`],
        }),
      ),
  },
  {
    case: "the sealer may delete archive objects too (its landing deletion is exempt, evidence is not)",
    policy: "iam-policy-disallow-evidence-destruction",
    change: (s) =>
      editPolicy(find(s, "sealer-sealer-policy"), (d) => {
        const removal = statementBySid(d, "RemoveSealedLandingObjects");
        removal.Resource = [...(removal.Resource as string[]), `${archiveBucket(s).outputs.arn}/*`];
      }),
  },
  {
    case: "the sealer may rewrite the landing bucket's policy (only object deletion is exempt there)",
    policy: "iam-policy-disallow-evidence-destruction",
    change: (s) =>
      editPolicy(
        find(s, "sealer-sealer-policy"),
        grant({ Effect: "Allow", Action: ["s3:PutBucketPolicy"], Resource: [`${landingBucket(s).outputs.arn}/*`] }),
      ),
  },
  {
    case: "the Genesys client secret under the AWS-managed aws/secretsmanager key",
    policy: "secretsmanager-secret-require-customer-kms-key",
    change: (s) => setProp(find(s, "export-genesys-client"), "kmsKeyId", "alias/aws/secretsmanager"),
  },
  {
    case: "the Genesys client secret without a customer key",
    policy: "secretsmanager-secret-require-customer-kms-key",
    change: (s) => {
      const secret = find(s, "export-genesys-client");
      setProp(secret, "kmsKeyId", undefined);
      secret.propertyDependencies.kmsKeyId = [];
    },
  },
  {
    case: "the worker's log group without a KMS key",
    policy: "cloudwatch-loggroup-require-kms-key",
    change: (s) => {
      const logs = find(s, "export-worker-logs");
      setProp(logs, "kmsKeyId", undefined);
      logs.propertyDependencies.kmsKeyId = [];
    },
  },
  {
    case: "the seed's setup: the landing bucket admits Genesys by its CIDR ranges instead of the writer role",
    policy: "s3-bucketpolicy-disallow-source-ip-write-allow",
    change: (s) =>
      editPolicy(landingPolicy(s), (d) => {
        d.Statement = [...d.Statement.filter((st) => st.Sid !== "DenyRecordingWritesExceptGenesysWriter"), cidrAllow(s)];
      }),
  },
  {
    case: "a Genesys CIDR allow beside the writer role's exemption",
    policy: "s3-bucketpolicy-disallow-source-ip-write-allow",
    change: (s) => editPolicy(landingPolicy(s), (d) => void d.Statement.push(cidrAllow(s))),
  },
  {
    case: "the landing bucket's lifecycle without an expiry of uncollected recordings",
    policy: "s3-lifecycle-require-landing-expiration",
    change: (s) => {
      const lifecycle = landingLifecycle(s);
      const [rule] = lifecycle.inputs.rules as Record<string, unknown>[];
      setProp(lifecycle, "rules", [{ ...rule, expiration: undefined }]);
    },
  },
  {
    case: "uncollected recordings kept in the landing bucket for a year",
    policy: "s3-lifecycle-require-landing-expiration",
    change: (s) => {
      const lifecycle = landingLifecycle(s);
      const [rule] = lifecycle.inputs.rules as Record<string, unknown>[];
      setProp(lifecycle, "rules", [{ ...rule, expiration: { days: 365 } }]);
    },
  },
  {
    case: "the landing bucket under SSE-S3 instead of its customer key",
    policy: "s3-encryption-require-customer-kms-key",
    change: (s) => {
      const encryption = find(s, "landing-encryption");
      setProp(encryption, "rules", [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" }, bucketKeyEnabled: true }]);
      encryption.propertyDependencies.rules = [];
    },
  },
  {
    case: "Genesys' bulk writer may put objects anywhere in the landing bucket, routing objects included",
    policy: "iam-role-disallow-genesys-writes-outside-landing",
    change: (s) =>
      editPolicy(find(s, "bulk-export-writer-policy"), (d) => {
        statementBySid(d, "PutRecordingsUnderOrganizationPrefix").Resource = [`${landingBucket(s).outputs.arn}/*`];
      }),
  },
  {
    case: "Genesys' bulk writer may also read landed recordings",
    policy: "iam-role-disallow-genesys-writes-outside-landing",
    change: (s) =>
      editPolicy(find(s, "bulk-export-writer-policy"), (d) => {
        const put = statementBySid(d, "PutRecordingsUnderOrganizationPrefix");
        d.Statement.push({ Sid: "ReadBack", Effect: "Allow", Action: ["s3:GetObject"], Resource: put.Resource });
      }),
  },
  {
    case: "the logs key without an explicit key policy",
    policy: "kms-key-missing-key-policy",
    change: (s) => {
      const key = find(s, "legal-hold-export-logs-key");
      setProp(key, "policy", undefined);
      key.propertyDependencies.policy = [];
    },
  },
];

/** A copy of the stack with the change applied; the original is left untouched. */
export function misconfigure(stack: AnalyzableResource[], change: Misconfiguration["change"]): AnalyzableResource[] {
  const copy = cloneStack(stack);
  const result = change(copy);
  return Array.isArray(result) ? (result as AnalyzableResource[]) : copy;
}

/** The row of the corpus with this case, or an error naming the file to look in. */
export function misconfigurationCase(description: string): Misconfiguration {
  const found = PROD_MISCONFIGURATIONS.find((m) => m.case === description);
  if (!found) throw new Error(`no misconfiguration "${description}" in test/support/prodMisconfigurations.ts`);
  return found;
}

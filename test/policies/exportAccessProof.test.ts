import { unknownValue } from "@pulumi/pulumi/runtime/rpc";
import { beforeAll, describe, expect, it } from "vitest";
import { PROJECT_DIR, runStackUnderMocks } from "../../tools/engine/mockRuntime";
import { type AnalyzableResource, fromSimulated } from "../../tools/engine/policyAnalysis";
import { evaluatePack } from "../support/policyHarness";
import { PROOF, proofViolations as proofViolationsOf, rowsOf } from "../support/proofViolations";
import { cloneStack, editPolicy, find, setProp, statementBySid } from "../support/stackEdits";

let prod: AnalyzableResource[];

beforeAll(async () => {
  prod = (await runStackUnderMocks(PROJECT_DIR, "prod")).resources.map(fromSimulated);
}, 120_000); // the whole program under the mock runtime; generous for a saturated 2-core machine

const proofViolations = (change: (stack: AnalyzableResource[]) => void) => proofViolationsOf(prod, change);

const writerGrant = (s: AnalyzableResource[]) => find(s, "archive-writer-0");
const archivePolicy = (s: AnalyzableResource[]) => find(s, "archive-policy");

describe("the export access proof on the shipped prod stack", () => {
  it("proves every request and reports nothing", async () => {
    expect(await proofViolations(() => undefined)).toEqual([]);
  });
});

describe("the export access proof on the real causes of the legal-hold 403", () => {
  it("cause 1: names s3:PutObjectLegalHold and that no identity policy allows it", async () => {
    const violations = await proofViolations((s) =>
      editPolicy(writerGrant(s), (d) => {
        statementBySid(d, "WriteLegalHoldObjects").Action = ["s3:PutObject", "s3:PutObjectRetention"];
      }),
    );
    expect(rowsOf(violations)).toEqual(["worker-hold-on"]);
    expect(violations[0]?.message).toMatch(
      /s3:PutObjectLegalHold on an archived recording \(s3:object-lock-legal-hold=ON\) was ImplicitlyDenied \(nothing in the identity policies allows it.*\); .*grant s3:PutObjectLegalHold/,
    );
  });

  it("cause 2: names the bucket-policy statement whose negated condition denies the legal hold", async () => {
    const violations = await proofViolations((s) =>
      editPolicy(archivePolicy(s), (d) => {
        const deny = statementBySid(d, "DenyPutObjectWithoutKmsEncryption");
        deny.Action = ["s3:PutObject*"];
        deny.Condition = { StringNotEquals: { "s3:x-amz-server-side-encryption": "aws:kms" } };
      }),
    );
    // The legal hold carries no encryption key, and neither do a multipart upload's parts and completion, nor the
    // release record (it relies on the bucket's default encryption); the sealer's copies in parts are caught alike.
    expect(rowsOf(violations)).toEqual([
      "worker-mpu-part",
      "worker-mpu-complete",
      "worker-hold-on",
      "release-lift-hold",
      "release-write-record",
      "sealer-mpu-part",
      "sealer-mpu-complete",
      "sealer-hold-on",
    ]);
    for (const v of violations)
      expect(v.message).toMatch(
        /was ExplicitlyDenied \(statement "DenyPutObjectWithoutKmsEncryption" of the resource policy denies it explicitly\)/,
      );
  });

  it("cause 3: names kms:Decrypt when neither the role nor the key policy grants it", async () => {
    const violations = await proofViolations((s) => {
      editPolicy(writerGrant(s), (d) => {
        statementBySid(d, "UseArchiveKeyForObjects").Action = ["kms:GenerateDataKey"];
      });
      editPolicy(find(s, "archive-key"), (d) => {
        statementBySid(d, "EncryptArchiveObjectsThroughS3").Action = ["kms:GenerateDataKey"];
      });
    });
    expect(rowsOf(violations)).toEqual(["worker-kms-decrypt"]);
    expect(violations[0]?.message).toMatch(/kms:Decrypt on the archive key .* was ImplicitlyDenied .*multipart uploads need kms:Decrypt/);
  });

  it("cause 3, IAM side only: the key policy still names the worker, so uploads work; the pack's own rule flags the grant", async () => {
    const stack = cloneStack(prod);
    editPolicy(writerGrant(stack), (d) => {
      statementBySid(d, "UseArchiveKeyForObjects").Action = ["kms:GenerateDataKey"];
    });
    const policies = (await evaluatePack(stack)).map((v) => v.policy);
    expect(policies).toContain("iam-policy-missing-kms-decrypt");
    expect(policies).not.toContain(PROOF);
  });

  it("cause 4: says the key policy does not let the worker in", async () => {
    const violations = await proofViolations((s) =>
      editPolicy(find(s, "archive-key"), (d) => {
        statementBySid(d, "EncryptArchiveObjectsThroughS3").Principal = { AWS: ["arn:aws:iam::111122223333:role/SomeoneElse"] };
      }),
    );
    expect(rowsOf(violations)).toEqual(["worker-kms-generate", "worker-kms-decrypt"]);
    expect(violations[0]?.message).toMatch(
      /was ImplicitlyDenied \(nothing in the resource policy allows it\); .*name the worker in the key policy/,
    );
  });

  it("cause 5: names the IP-only write Deny that catches the Lambda", async () => {
    const violations = await proofViolations((s) =>
      editPolicy(archivePolicy(s), (d) => {
        statementBySid(d, "DenyObjectWritesExceptArchiveWriters").Condition = { NotIpAddress: { "aws:SourceIp": ["203.0.113.0/24"] } };
      }),
    );
    // Every write of the worker, multipart parts included, comes from an address outside the list (or none); so
    // may the release role's record, the sealer's evidence and the case export's record.
    expect(rowsOf(violations)).toEqual([
      "worker-put",
      "worker-mpu-create",
      "worker-mpu-part",
      "worker-mpu-complete",
      "release-write-record",
      "sealer-put-evidence",
      "sealer-mpu-create",
      "sealer-mpu-part",
      "sealer-mpu-complete",
      "case-export-put-record",
    ]);
    for (const v of violations) expect(v.message).toMatch(/was ExplicitlyDenied \(statement "DenyObjectWritesExceptArchiveWriters"/);
  });

  it("cause 6: the simulator cannot see encryption context, so the pack's own rule names the object-ARN condition", async () => {
    const stack = cloneStack(prod);
    const bucketArn = find(stack, "archive-bucket", "aws:s3/bucket:Bucket").outputs.arn as string;
    editPolicy(find(stack, "archive-key"), (d) => {
      const use = statementBySid(d, "EncryptArchiveObjectsThroughS3");
      use.Condition = { ...(use.Condition as object), StringLike: { "kms:EncryptionContext:aws:s3:arn": `${bucketArn}/*` } };
    });
    const policies = (await evaluatePack(stack)).map((v) => v.policy);
    expect(policies).toContain("kms-key-require-bucket-arn-context");
    expect(policies).not.toContain(PROOF);
  });
});

describe("the export access proof on a correct encryption-context condition", () => {
  it("allows the key actions when the condition names the bucket ARN, as S3 sends it with bucket keys", async () => {
    const violations = await proofViolations((s) => {
      const bucketArn = find(s, "archive-bucket", "aws:s3/bucket:Bucket").outputs.arn as string;
      editPolicy(find(s, "archive-key"), (d) => {
        const use = statementBySid(d, "EncryptArchiveObjectsThroughS3");
        use.Condition = {
          ...(use.Condition as object),
          StringEquals: { ...(use.Condition as { StringEquals: object }).StringEquals, "kms:EncryptionContext:aws:s3:arn": bucketArn },
        };
      });
    });
    expect(violations).toEqual([]);
  });
});

describe("the export access proof on custody signing", () => {
  it("fails when the signing key's policy no longer lets the worker sign", async () => {
    const violations = await proofViolations((s) =>
      editPolicy(find(s, "archive-signing-key"), (d) => {
        d.Statement = d.Statement.filter((st) => st.Sid !== "SignCustodyManifestDigests");
      }),
    );
    // The sealer and the case export sign with the same key, by the same statement.
    expect(rowsOf(violations)).toEqual(["worker-sign-digest", "sealer-sign-digest", "case-export-sign-digest"]);
    expect(violations[0]?.message).toMatch(
      /kms:Sign on the custody signing key .* was ImplicitlyDenied \(nothing in the resource policy allows it\)/,
    );
  });
});

describe("the export access proof on what must stay denied", () => {
  it("fails when another role with s3:* could write into the archive", async () => {
    const violations = await proofViolations((s) =>
      editPolicy(archivePolicy(s), (d) => {
        d.Statement = d.Statement.filter((st) => st.Sid !== "DenyObjectWritesExceptArchiveWriters");
      }),
    );
    // The release role is exempt from this Deny (for its release records); its own Deny keeps it off evidence.
    // Genesys' bulk writer is not: only this Deny keeps an all-powerful twin of it out of the archive.
    expect(rowsOf(violations)).toEqual(["outsider-put", "bulk-writer-put-archive"]);
    expect(violations[0]?.message).toMatch(
      /^Expected denied: \[outsider-put\] a same-account role with every permission s3:PutObject .* was Allowed/,
    );
  });

  it("fails when the release role, granted everything, could write evidence beside its release records", async () => {
    const violations = await proofViolations((s) =>
      editPolicy(archivePolicy(s), (d) => {
        d.Statement = d.Statement.filter((st) => st.Sid !== "DenyReleaseRoleWritesOutsideReleaseRecords");
      }),
    );
    expect(rowsOf(violations)).toEqual(["release-put", "release-put-custody-record"]);
    expect(violations[0]?.message).toMatch(
      /^Expected denied: \[release-put\] the hold-release role s3:PutObject .* as that principal holding an identity policy that allows \* was Allowed/,
    );
  });

  it("fails when the worker could forge a release record", async () => {
    const violations = await proofViolations((s) =>
      editPolicy(archivePolicy(s), (d) => {
        d.Statement = d.Statement.filter((st) => st.Sid !== "DenyReleaseRecordWritesExceptReleaseRole");
      }),
    );
    expect(rowsOf(violations)).toEqual(["worker-put-release-record"]);
  });

  it("fails when Genesys could assume the invoker role with any ExternalId", async () => {
    const violations = await proofViolations((s) =>
      editPolicy(
        find(s, "genesys-invoker", "aws:iam/role:Role"),
        (d) => {
          delete (d.Statement[0] as Record<string, unknown>).Condition;
        },
        "assumeRolePolicy",
      ),
    );
    expect(rowsOf(violations)).toEqual(["genesys-assume-other-org", "genesys-assume-no-external-id"]);
    expect(violations[0]?.message).toMatch(/was Allowed .*require StringEquals sts:ExternalId/);
  });

  it("fails when the invoker role may invoke every function", async () => {
    const violations = await proofViolations((s) =>
      editPolicy(find(s, "genesys-invoker-policy"), (d) => {
        (d.Statement[0] as Record<string, unknown>).Resource = "*";
      }),
    );
    expect(rowsOf(violations)).toEqual(["invoker-invoke-other"]);
  });

  it("fails when the worker may delete archived versions and the bucket policy no longer forbids it", async () => {
    const violations = await proofViolations((s) => {
      editPolicy(writerGrant(s), (d) => {
        statementBySid(d, "WriteLegalHoldObjects").Action = [
          "s3:PutObject",
          "s3:PutObjectLegalHold",
          "s3:PutObjectRetention",
          "s3:DeleteObjectVersion",
        ];
      });
      editPolicy(archivePolicy(s), (d) => {
        d.Statement = d.Statement.filter((st) => st.Sid !== "DenyVersionDeletionExceptAdmins");
      });
    });
    // The writer grant is the sealer's too.
    expect(rowsOf(violations)).toEqual(["worker-delete-version", "sealer-delete-evidence-version"]);
    expect(violations[0]?.message).toMatch(/s3:DeleteObjectVersion on an archived recording was Allowed/);
  });
});

describe("the export access proof at preview", () => {
  it("says exactly what it cannot evaluate yet, as an advisory, instead of passing silently", async () => {
    const violations = await proofViolations((s) => setProp(archivePolicy(s), "policy", unknownValue));
    expect(violations).toHaveLength(1);
    expect(violations[0]?.enforcementLevel).toBe("advisory");
  });
});

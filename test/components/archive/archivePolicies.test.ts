import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { archiveBucketPolicy } from "../../../components/archive/archiveBucketPolicy";
import { archiveKeyPolicy } from "../../../components/archive/archiveKeyPolicy";
import { policyDocument } from "../../../components/iam/policyDocument";

const BUCKET = "arn:aws:s3:::archive";
const KEY = "arn:aws:kms:eu-west-2:111122223333:key/1234";
const role = (name: string) => `arn:aws:iam::111122223333:role/${name}`;
const roleArn = fc.stringMatching(/^[A-Za-z][A-Za-z0-9]{0,10}$/).map(role);
const cidr = fc.integer({ min: 0, max: 255 }).map((n) => `198.51.${n}.0/24`);

const bucketInputs = fc.record({
  writerRoleArns: fc.array(roleArn, { maxLength: 3 }),
  reviewerPrincipalArns: fc.array(roleArn, { maxLength: 3 }),
  reviewerCidrs: fc.array(cidr, { maxLength: 3 }),
  adminPrincipalArns: fc.array(roleArn, { minLength: 1, maxLength: 3 }),
});

/** Actions whose authorization an Object Lock upload also needs (facts §1). */
const LOCK_ACTION_PATTERNS = ["s3:*", "s3:PutObject*", "s3:PutObjectLegalHold", "s3:PutObjectRetention"];

describe("archiveBucketPolicy", () => {
  it("never puts a negated condition on a lock action, whatever the inputs (403 cause 2, property)", () => {
    fc.assert(
      fc.property(bucketInputs, (inputs) => {
        const policy = archiveBucketPolicy({ bucketArn: BUCKET, keyArn: KEY, ...inputs });
        for (const s of policy.Statement.filter((st) => st.Effect === "Deny")) {
          const negatedOnSse = Object.entries(s.Condition ?? {}).some(
            ([operator, keys]) =>
              operator.includes("Not") && Object.keys(keys).some((k) => k.startsWith("s3:x-amz-server-side-encryption")),
          );
          if (negatedOnSse) expect(s.Action.filter((a) => LOCK_ACTION_PATTERNS.includes(a))).toEqual([]);
        }
      }),
    );
  });

  it("never exempts writers by IP, only by principal ARN (403 cause 5, property)", () => {
    fc.assert(
      fc.property(bucketInputs, (inputs) => {
        const policy = archiveBucketPolicy({ bucketArn: BUCKET, keyArn: KEY, ...inputs });
        const writes = policy.Statement.find((s) => s.Sid === "DenyObjectWritesExceptArchiveWriters");
        const holds = policy.Statement.find((s) => s.Sid === "DenyLegalHoldChangesExceptHoldPrincipals");
        expect(writes?.Action).toEqual(["s3:PutObject", "s3:PutObjectRetention"]);
        expect(holds?.Action).toEqual(["s3:PutObjectLegalHold"]);
        for (const deny of [writes, holds]) expect(JSON.stringify(deny?.Condition ?? {})).not.toContain("aws:SourceIp");
      }),
    );
  });

  it("tests lock and encryption headers only when present, so multipart parts and completions pass (property)", () => {
    // UploadPart carries no lock or SSE header; a negated operator on a missing key is true and would deny it.
    const lockOrSse = /^s3:(object-lock-|x-amz-server-side-encryption)/;
    fc.assert(
      fc.property(bucketInputs, (inputs) => {
        const policy = archiveBucketPolicy({ bucketArn: BUCKET, keyArn: KEY, minimumRetentionDays: 2555, ...inputs });
        for (const s of policy.Statement.filter((st) => st.Effect === "Deny" && st.Action.includes("s3:PutObject"))) {
          for (const [operator, keys] of Object.entries(s.Condition ?? {})) {
            for (const key of Object.keys(keys).filter((k) => lockOrSse.test(k))) {
              if (operator.includes("Not")) expect(s.Condition?.Null?.[key], `${s.Sid} ${operator} ${key}`).toBe("false");
            }
          }
        }
      }),
    );
  });

  it("lets only the release role set a hold OFF, and nobody add a delete marker", () => {
    const policy = archiveBucketPolicy({
      bucketArn: BUCKET,
      keyArn: KEY,
      writerRoleArns: [role("Writer")],
      reviewerPrincipalArns: [],
      reviewerCidrs: [],
      adminPrincipalArns: [role("Admin")],
      holdReleaseRoleArns: [role("Release")],
    });
    expect(policy.Statement.find((s) => s.Sid === "DenyLegalHoldReleaseExceptReleaseRole")?.Condition).toEqual({
      ArnNotEquals: { "aws:PrincipalArn": [role("Release")] },
      StringEqualsIgnoreCase: { "s3:object-lock-legal-hold": "OFF" },
    });
    expect(policy.Statement.find((s) => s.Sid === "DenyDeleteMarkers")).toMatchObject({ Action: ["s3:DeleteObject"] });
    expect(policy.Statement.find((s) => s.Sid === "DenyDeleteMarkers")?.Condition).toBeUndefined();
  });

  it("denies all writes outright when there is no writer", () => {
    const policy = archiveBucketPolicy({
      bucketArn: BUCKET,
      keyArn: KEY,
      writerRoleArns: [],
      reviewerPrincipalArns: [],
      reviewerCidrs: [],
      adminPrincipalArns: [role("Admin")],
    });
    expect(policy.Statement.find((s) => s.Sid === "DenyObjectWritesExceptArchiveWriters")?.Condition).toBeUndefined();
  });

  it("grants reviewers reads and listing only when reviewers are named", () => {
    const base = {
      bucketArn: BUCKET,
      keyArn: KEY,
      writerRoleArns: [role("Writer")],
      reviewerCidrs: ["203.0.113.0/24"],
      adminPrincipalArns: [role("Admin")],
    };
    const without = archiveBucketPolicy({ ...base, reviewerPrincipalArns: [] });
    expect(without.Statement.filter((s) => s.Effect === "Allow")).toEqual([]);
    const withReviewer = archiveBucketPolicy({ ...base, reviewerPrincipalArns: [role("Reviewer")] });
    expect(withReviewer.Statement.filter((s) => s.Effect === "Allow").map((s) => s.Sid)).toEqual([
      "AllowReviewersToReadObjects",
      "AllowReviewersToListObjects",
    ]);
  });

  it("serializes the same intent identically whatever the order of its inputs (property)", () => {
    fc.assert(
      fc.property(bucketInputs, (inputs) => {
        const reversed = {
          writerRoleArns: [...inputs.writerRoleArns].reverse(),
          reviewerPrincipalArns: [...inputs.reviewerPrincipalArns].reverse(),
          reviewerCidrs: [...inputs.reviewerCidrs].reverse(),
          adminPrincipalArns: [...inputs.adminPrincipalArns].reverse(),
        };
        expect(JSON.stringify(archiveBucketPolicy({ bucketArn: BUCKET, keyArn: KEY, ...reversed }))).toBe(
          JSON.stringify(archiveBucketPolicy({ bucketArn: BUCKET, keyArn: KEY, ...inputs })),
        );
      }),
    );
  });
});

describe("archiveKeyPolicy", () => {
  const inputs = {
    accountId: "111122223333",
    s3ServiceName: "s3.eu-west-2.amazonaws.com",
    adminPrincipalArns: [role("Admin")],
    writerRoleArns: [role("Writer")],
    reviewerPrincipalArns: [role("Reviewer")],
  };

  it("gives administrators management but no cryptographic use of the key", () => {
    const admin = archiveKeyPolicy(inputs).Statement.find((s) => s.Sid === "AdministerArchiveKey");
    expect(admin?.Action).toContain("kms:PutKeyPolicy");
    expect(admin?.Action.filter((a) => /Decrypt|Encrypt|GenerateDataKey|ReEncrypt|\*/.test(a))).toEqual([]);
  });

  it("lets writers GenerateDataKey and Decrypt, and reviewers only Decrypt, only through S3 in this account", () => {
    const statements = archiveKeyPolicy(inputs).Statement;
    const viaS3 = { StringEquals: { "kms:CallerAccount": "111122223333", "kms:ViaService": "s3.eu-west-2.amazonaws.com" } };
    expect(statements.find((s) => s.Sid === "EncryptArchiveObjectsThroughS3")).toMatchObject({
      Principal: { AWS: [role("Writer")] },
      Action: ["kms:Decrypt", "kms:GenerateDataKey"],
      Condition: viaS3,
    });
    expect(statements.find((s) => s.Sid === "DecryptArchiveObjectsThroughS3")).toMatchObject({
      Principal: { AWS: [role("Reviewer")] },
      Action: ["kms:Decrypt"],
      Condition: viaS3,
    });
  });

  it("does not delegate to IAM through the account root, and has no encryption-context condition (403 cause 6)", () => {
    const text = JSON.stringify(archiveKeyPolicy(inputs));
    expect(text).not.toContain(":root");
    expect(text).not.toContain("kms:EncryptionContext");
  });

  it("omits the use statements when nobody would hold them", () => {
    const sids = archiveKeyPolicy({ ...inputs, writerRoleArns: [], reviewerPrincipalArns: [] }).Statement.map((s) => s.Sid);
    expect(sids).toEqual([
      "DenyKeyDestructionExceptBreakGlass",
      "DenyLockoutBypassExceptBreakGlass",
      "DenyKeyUseOutsideS3",
      "AdministerArchiveKey",
    ]);
  });

  it("denies disabling, deleting and lockout-bypassing the key to everyone when there is no break-glass principal", () => {
    const statements = archiveKeyPolicy(inputs).Statement;
    expect(statements.find((s) => s.Sid === "DenyKeyDestructionExceptBreakGlass")).toEqual({
      Sid: "DenyKeyDestructionExceptBreakGlass",
      Effect: "Deny",
      Principal: "*",
      Action: ["kms:DisableKey", "kms:ScheduleKeyDeletion"],
      Resource: "*",
    });
    expect(statements.find((s) => s.Sid === "DenyLockoutBypassExceptBreakGlass")?.Condition).toEqual({
      Bool: { "kms:BypassPolicyLockoutSafetyCheck": "true" },
    });
    expect(statements.find((s) => s.Sid === "AdministerArchiveKey")?.Action).not.toContain("kms:ScheduleKeyDeletion");
  });

  it("lets the break-glass principal, and only with MFA, past the destruction Denies", () => {
    const breakGlass = role("BreakGlass");
    const statements = archiveKeyPolicy({ ...inputs, breakGlassPrincipalArn: breakGlass }).Statement;
    expect(statements.find((s) => s.Sid === "DenyKeyDestructionExceptBreakGlass")?.Condition).toEqual({
      ArnNotEquals: { "aws:PrincipalArn": breakGlass },
    });
    expect(statements.find((s) => s.Sid === "DenyBreakGlassWithoutMfa")?.Condition).toEqual({
      BoolIfExists: { "aws:MultiFactorAuthPresent": "false" },
    });
    expect(statements.find((s) => s.Sid === "AllowBreakGlassWithMfa")).toMatchObject({
      Principal: { AWS: [breakGlass] },
      Condition: { Bool: { "aws:MultiFactorAuthPresent": "true" } },
    });
  });
});

describe("policyDocument", () => {
  it("refuses two statements with the same Sid", () => {
    const statement = { Sid: "Same", Effect: "Deny" as const, Action: ["s3:GetObject"], Resource: "*" as const };
    expect(() => policyDocument([statement, statement])).toThrow('policy statement Sid "Same" is used twice; every Sid must be unique');
  });

  it("sorts condition operators, keys and values", () => {
    const [statement] = policyDocument([
      {
        Sid: "A",
        Effect: "Deny",
        Action: ["b", "a", "a"],
        Resource: ["y", "x"],
        Condition: { StringEquals: { z: ["2", "1"], a: "v" }, Bool: { k: "false" } },
      },
    ]).Statement;
    expect(JSON.stringify(statement)).toBe(
      '{"Sid":"A","Effect":"Deny","Action":["a","b"],"Resource":["x","y"],"Condition":{"Bool":{"k":"false"},"StringEquals":{"a":"v","z":["1","2"]}}}',
    );
  });
});

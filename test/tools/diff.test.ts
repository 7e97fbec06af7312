import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { main } from "../../tools/commands/diff";
import { runTool, TOOL_TIMEOUT_MS } from "../support/runTool";

/** The write Deny exempts prod's archive writers (worker, sealer, case export) and the hold-release role. */
const ARCHIVE_WRITERS_AND_RELEASE_ROLE =
  "role:legal-hold-case-export-role | role:legal-hold-export-worker-role | role:legal-hold-hold-release-role | role:legal-hold-sealer-role";

interface Statement {
  Sid?: string;
  Effect: string;
  Principal?: unknown;
  Action?: string | string[];
  Resource?: string | string[];
  Condition?: Record<string, Record<string, unknown>>;
}
interface PolicyDocument {
  Version: string;
  Statement: Statement[];
}
interface ExportedResource {
  urn: string;
  inputs: Record<string, unknown>;
  outputs: Record<string, unknown>;
}
interface Finding {
  category: string;
  classification: string;
  principal?: string;
  resource: string;
  message: string;
}

const dir = mkdtempSync(join(tmpdir(), "diff-test-"));
const prod = join(dir, "prod.json");
let counter = 0;

/** Runs the diff in this process, capturing its streams. */
async function diff(...args: string[]) {
  let stdout = "";
  let stderr = "";
  const code = await main(args, { write: (t: string) => (stdout += t) } as never, { write: (t: string) => (stderr += t) } as never);
  return { code, stdout, stderr };
}

/** The findings of diffing prod against an edited copy of it. */
async function diffAgainst(path: string) {
  const { code, stdout, stderr } = await diff("--from", prod, "--to", path, "--json");
  return { code, stderr, findings: JSON.parse(stdout).findings as Finding[] };
}

/** A copy of the prod export, edited; the path of the copy. */
function edited(change: (resource: (name: string) => ExportedResource) => void): string {
  const state = JSON.parse(readFileSync(prod, "utf8"));
  const resources = state.deployment.resources as ExportedResource[];
  change((name) => {
    const found = resources.find((r) => r.urn.endsWith(`::${name}`));
    if (!found) throw new Error(`no resource ${name} in the prod export`);
    return found;
  });
  const path = join(dir, `edited-${++counter}.json`);
  writeFileSync(path, JSON.stringify(state));
  return path;
}

/** Edits a policy document property in both the inputs and the outputs of a resource. */
function editPolicy(resource: ExportedResource, property: string, change: (document: PolicyDocument) => void) {
  for (const side of [resource.inputs, resource.outputs]) {
    if (typeof side[property] !== "string") continue;
    const document = JSON.parse(side[property] as string) as PolicyDocument;
    change(document);
    side[property] = JSON.stringify(document);
  }
}

const statement = (document: PolicyDocument, sid: string): Statement => {
  const found = document.Statement.find((s) => s.Sid === sid);
  if (!found) throw new Error(`no statement ${sid}`);
  return found;
};

beforeAll(() => {
  const emitted = runTool("check", ["--emit-state", prod, "--json"]);
  if (emitted.code !== 0) throw new Error(`npm run check failed: ${emitted.stderr}`);
}, TOOL_TIMEOUT_MS);

describe("npm run diff on the prod stack", () => {
  it("reports nothing and exits 0 when a state is diffed against itself", async () => {
    const { code, stdout } = await diff("--from", prod, "--to", prod);
    expect(code).toBe(0);
    expect(stdout).toContain("no access, trust, protection or Genesys permission change");
    expect(stdout).toContain("OK: nothing widens");
  });

  it("exits 1 and says the worker gained delete and policy rights on the archive when s3:PutObject becomes s3:*", async () => {
    const path = edited((resource) =>
      editPolicy(resource("legal-hold-archive-writer-0"), "policy", (document) => {
        const write = statement(document, "WriteLegalHoldObjects");
        write.Action = (write.Action as string[]).map((a) => (a === "s3:PutObject" ? "s3:*" : a));
      }),
    );
    const { code, stdout } = await diff("--from", prod, "--to", path);
    expect(code).toBe(1);
    expect(stdout).toMatch(
      /role:legal-hold-export-worker-role gained \d+ s3 actions on bucket:legal-hold-archive-bucket\/\* \(through s3:\*\): delete rights \(s3:DeleteObject, s3:DeleteObjectVersion/,
    );
    expect(stdout).toMatch(/policy and permission rights \(s3:PutBucketPolicy/);
    expect(stdout).toContain("WIDENING: a security reviewer must approve");
    const { findings } = await diffAgainst(path);
    // Nothing is lost: s3:* still covers s3:PutObject.
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ category: "access", classification: "widening", principal: "role:legal-hold-export-worker-role" });
  });

  it("reports nothing when statements, actions and Sids are reordered or renamed", async () => {
    const path = edited((resource) => {
      for (const [name, property] of [
        ["legal-hold-archive-policy", "policy"],
        ["legal-hold-archive-key", "policy"],
        ["legal-hold-archive-writer-0", "policy"],
        ["legal-hold-genesys-invoker", "assumeRolePolicy"],
      ]) {
        editPolicy(resource(name as string), property as string, (document) => {
          document.Statement.reverse();
          document.Statement.forEach((s, i) => {
            s.Sid = `Renamed${i}`;
            if (Array.isArray(s.Action)) s.Action.reverse();
          });
        });
      }
    });
    const { code, findings } = await diffAgainst(path);
    expect(findings).toEqual([]);
    expect(code).toBe(0);
  });

  it("calls an extra principal exempted from the bucket policy's write Deny widening", async () => {
    const path = edited((resource) =>
      editPolicy(resource("legal-hold-archive-policy"), "policy", (document) => {
        const condition = statement(document, "DenyObjectWritesExceptArchiveWriters").Condition?.ArnNotEquals as Record<string, string[]>;
        condition["aws:PrincipalArn"].push("arn:aws:iam::111122223333:role/Intruder");
      }),
    );
    const { code, findings } = await diffAgainst(path);
    expect(code).toBe(1);
    expect(findings).toContainEqual(
      expect.objectContaining({
        classification: "widening",
        principal: "everyone (*)",
        resource: "bucket:legal-hold-archive-bucket/*",
        message: expect.stringMatching(/^the Deny of s3:PutObject, s3:PutObjectRetention on .* changed conditions: removed ArnNotEquals/),
      }),
    );
  });

  it("calls a condition removed from the write Deny narrowing: the Deny then applies to more requests", async () => {
    const path = edited((resource) =>
      editPolicy(resource("legal-hold-archive-policy"), "policy", (document) => {
        delete statement(document, "DenyObjectWritesExceptArchiveWriters").Condition;
      }),
    );
    const { code, findings } = await diffAgainst(path);
    expect(code).toBe(0);
    expect(findings.map((f) => f.classification)).toEqual(["narrowing"]);
    expect(findings[0]?.message).toContain(`changed conditions: removed ArnNotEquals aws:PrincipalArn ${ARCHIVE_WRITERS_AND_RELEASE_ROLE}`);
  });

  it("calls the write Deny removed, or a condition removed from an Allow, widening", async () => {
    const path = edited((resource) => {
      editPolicy(resource("legal-hold-archive-policy"), "policy", (document) => {
        document.Statement = document.Statement.filter((s) => s.Sid !== "DenyObjectWritesExceptArchiveWriters");
      });
      editPolicy(resource("legal-hold-archive-key"), "policy", (document) => {
        const equals = statement(document, "DecryptArchiveObjectsThroughS3").Condition?.StringEquals ?? {};
        delete equals["kms:ViaService"];
      });
    });
    const { code, findings } = await diffAgainst(path);
    expect(code).toBe(1);
    const messages = findings.filter((f) => f.classification === "widening").map((f) => f.message);
    expect(messages).toContain(
      `everyone (*) is no longer denied s3:PutObject, s3:PutObjectRetention on bucket:legal-hold-archive-bucket/* when ArnNotEquals aws:PrincipalArn ${ARCHIVE_WRITERS_AND_RELEASE_ROLE} (other Denies of these actions remain)`,
    );
    expect(messages).toContain(
      "arn:aws:iam::111122223333:role/LegalHoldReviewer keeps kms:Decrypt on key:legal-hold-archive-key under changed conditions: removed StringEquals kms:ViaService s3.eu-west-2.amazonaws.com",
    );
  });

  it("reports a principal swapped in the key policy as one gain (widening) and one loss (narrowing)", async () => {
    const path = edited((resource) =>
      editPolicy(resource("legal-hold-archive-key"), "policy", (document) => {
        statement(document, "DecryptArchiveObjectsThroughS3").Principal = { AWS: ["arn:aws:iam::111122223333:role/SomeoneElse"] };
      }),
    );
    const { code, findings } = await diffAgainst(path);
    expect(code).toBe(1);
    expect(findings.map(({ classification, message }) => ({ classification, message }))).toEqual([
      {
        classification: "widening",
        message:
          "arn:aws:iam::111122223333:role/SomeoneElse gained kms:Decrypt on key:legal-hold-archive-key when StringEquals kms:CallerAccount 111122223333 and StringEquals kms:ViaService s3.eu-west-2.amazonaws.com",
      },
      {
        classification: "narrowing",
        message:
          "arn:aws:iam::111122223333:role/LegalHoldReviewer lost kms:Decrypt on key:legal-hold-archive-key (granted when StringEquals kms:CallerAccount 111122223333 and StringEquals kms:ViaService s3.eu-west-2.amazonaws.com)",
      },
    ]);
  });

  it("calls an ExternalId removed from the Genesys trust policy a widening trust change", async () => {
    const path = edited((resource) =>
      editPolicy(resource("legal-hold-genesys-invoker"), "assumeRolePolicy", (document) => {
        delete document.Statement[0]?.Condition;
      }),
    );
    const { code, findings } = await diffAgainst(path);
    expect(code).toBe(1);
    expect(findings).toEqual([
      expect.objectContaining({
        category: "trust",
        classification: "widening",
        principal: "account 765628985471",
        resource: "role:legal-hold-genesys-invoker",
        message:
          "account 765628985471 may assume role:legal-hold-genesys-invoker under changed conditions: ExternalId check removed; removed StringEquals sts:ExternalId (value not shown)",
      }),
    ]);
  });

  it("calls Object Lock mode GOVERNANCE a widening protection change", async () => {
    const path = edited((resource) => {
      const lock = resource("legal-hold-archive-object-lock");
      for (const side of [lock.inputs, lock.outputs])
        (side.rule as { defaultRetention: { mode: string } }).defaultRetention.mode = "GOVERNANCE";
    });
    const { code, findings } = await diffAgainst(path);
    expect(code).toBe(1);
    expect(findings).toEqual([
      expect.objectContaining({
        category: "protection",
        classification: "widening",
        resource: "bucket:legal-hold-archive-bucket",
        message: "bucket:legal-hold-archive-bucket: Object Lock default retention mode changed from COMPLIANCE to GOVERNANCE",
      }),
    ]);
  });

  it("calls a protect flag dropped and public access unblocked widening", async () => {
    const path = edited((resource) => {
      (resource("legal-hold-archive-bucket") as unknown as { protect: boolean }).protect = false;
      resource("legal-hold-archive-public-access-block").outputs.blockPublicPolicy = false;
    });
    const { code, findings } = await diffAgainst(path);
    expect(code).toBe(1);
    expect(findings.map((f) => `${f.classification}: ${f.message}`).sort()).toEqual([
      "widening: bucket:legal-hold-archive-bucket: protect flag removed (was true)",
      "widening: bucket:legal-hold-archive-bucket: public access block blockPublicPolicy changed from true to false",
    ]);
  });

  it("calls a Genesys permission added widening, and a shorter token lifetime narrowing", async () => {
    const added = edited((resource) => {
      const role = resource("legal-hold-genesys-worker-role");
      for (const side of [role.inputs, role.outputs]) {
        (side.permissionPolicies as unknown[]).push({ domain: "recording", entityName: "recording", actionSets: ["delete"] });
      }
    });
    const gained = await diffAgainst(added);
    expect(gained.code).toBe(1);
    expect(gained.findings).toEqual([
      expect.objectContaining({
        category: "genesys",
        classification: "widening",
        principal: "authRole:legal-hold-genesys-worker-role",
        message: "authRole:legal-hold-genesys-worker-role gained permissions recording:recording:delete",
      }),
    ]);

    const shorter = edited((resource) => {
      const client = resource("legal-hold-genesys-worker-client");
      for (const side of [client.inputs, client.outputs]) side.accessTokenValiditySeconds = 900;
    });
    const shortened = await diffAgainst(shorter);
    expect(shortened.code).toBe(0);
    expect(shortened.findings).toEqual([
      expect.objectContaining({
        category: "genesys",
        classification: "narrowing",
        message: "oauthClient:legal-hold-genesys-worker-client: access token lifetime (seconds) changed from 3600 to 900",
      }),
    ]);
  });

  it("renders Markdown for a pull-request summary", async () => {
    const path = edited((resource) => {
      const client = resource("legal-hold-genesys-worker-client");
      client.outputs.authorizedGrantType = "PASSWORD";
    });
    const { code, stdout } = await diff("--from", prod, "--to", path, "--markdown");
    expect(code).toBe(1);
    expect(stdout).toMatch(/^### Access diff: needs a security reviewer\n/);
    expect(stdout).toContain(
      "- ⚠️ **widening**: oauthClient:legal-hold-genesys-worker-client: grant type changed from CLIENT-CREDENTIALS to PASSWORD",
    );
  });

  it("exits 2 on bad input", async () => {
    const notJson = join(dir, "not-json.json");
    writeFileSync(notJson, "{");
    for (const args of [
      ["--from", prod],
      ["--from", prod, "--from-stack", "prod", "--to", prod],
      ["--from", prod, "--to", join(dir, "missing.json")],
      ["--from", prod, "--to", notJson],
      ["--from", prod, "--to", prod, "--json", "--markdown"],
      ["--from", prod, "--to", prod, "--bogus"],
    ]) {
      const { code, stderr } = await diff(...args);
      expect({ args, code }).toEqual({ args, code: 2 });
      expect(stderr).not.toBe("");
    }
  });
});

describe("npm run diff as a process", () => {
  it(
    "exits 1 on the s3:* change, with JSON on stdout",
    () => {
      const path = edited((resource) =>
        editPolicy(resource("legal-hold-archive-writer-0"), "policy", (document) => {
          const write = statement(document, "WriteLegalHoldObjects");
          write.Action = (write.Action as string[]).map((a) => (a === "s3:PutObject" ? "s3:*" : a));
        }),
      );
      const { code, stdout } = runTool("diff", ["--from", prod, "--to", path, "--json"]);
      expect(code).toBe(1);
      const report = JSON.parse(stdout);
      expect(report.widening).toBe(1);
      expect(report.findings[0].actions).toEqual(
        expect.arrayContaining(["s3:DeleteObject", "s3:DeleteObjectVersion", "s3:PutBucketPolicy"]),
      );
    },
    TOOL_TIMEOUT_MS,
  );

  it(
    "diffs the prod stack, run under the mock runtime, against its own export: nothing, exit 0",
    () => {
      const { code, stdout, stderr } = runTool("diff", ["--from-stack", "prod", "--to", prod]);
      expect({ code, stderr }).toEqual({ code: 0, stderr: expect.stringContaining("Loading stack prod") });
      expect(stdout).toContain("OK: nothing widens");
    },
    TOOL_TIMEOUT_MS,
  );

  it(
    "exits 2 naming the stack when a stack cannot be run",
    () => {
      const { code, stderr } = runTool("diff", ["--from-stack", "no-such-stack", "--to", prod]);
      expect(code).toBe(2);
      expect(stderr).toContain("stack no-such-stack could not be run under the mock runtime");
    },
    TOOL_TIMEOUT_MS,
  );
});

describe("npm run diff on a rename with an alias", () => {
  it("reports the rename as neutral, not as access lost and gained, when the cloud resource stays the same", async () => {
    const state = JSON.parse(readFileSync(prod, "utf8"));
    const text = JSON.stringify(state);
    const oldUrn = (state.deployment.resources as ExportedResource[]).find((r) => r.urn.endsWith("::legal-hold-export-worker-role"))
      ?.urn as string;
    // Pulumi with an alias: new logical name and URN, same physical role (same ARN and name outputs).
    const renamed = JSON.parse(
      text.split(oldUrn).join(oldUrn.replace(/::legal-hold-export-worker-role$/, "::export-worker-execution-role")),
    );
    const path = join(dir, "renamed.json");
    writeFileSync(path, JSON.stringify(renamed));
    const { code, findings } = await diffAgainst(path);
    expect(code).toBe(0);
    expect(findings).toEqual([
      expect.objectContaining({
        classification: "neutral",
        message: expect.stringContaining(
          '"legal-hold-export-worker-role" was renamed to "export-worker-execution-role" (same cloud resource)',
        ),
      }),
    ]);
  });
});

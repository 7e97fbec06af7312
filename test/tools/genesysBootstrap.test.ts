import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { workerClientUrn, workerRoleName } from "../../components/genesys/workerNames";
import { workerPermissionPolicies } from "../../components/genesys/workerPermissions";
import { main } from "../../tools/commands/genesysBootstrap";
import { PROJECT_DIR } from "../../tools/engine/mockRuntime";
import {
  type FakeClient,
  type FakeGenesysAuthorization,
  startFakeGenesysAuthorization,
} from "../../tools/testkit/wire/fakeGenesysAuthorization";

// The prod stack's GenesysIntegration is named `${namePrefix}-genesys` (namePrefix legal-hold).
const COMPONENT = "legal-hold-genesys";
const ROLE_NAME = workerRoleName(COMPONENT);

let genesys: FakeGenesysAuthorization;
let deployer: FakeClient;

async function start(selfGrant: "allow" | "refuse" = "allow") {
  genesys = await startFakeGenesysAuthorization({ selfGrant });
  // An admin's deploying client: it holds the admin role, not the worker's custom role.
  deployer = genesys.addClient("pulumi deployer", [genesys.addRole("admin").id]);
}

afterEach(() => genesys.close());

async function bootstrap(...args: string[]) {
  let out = "";
  let err = "";
  const code = await main(["--stack", "prod", ...args], {
    projectDir: PROJECT_DIR,
    env: {
      GENESYS_CLIENT_ID: deployer.id,
      GENESYS_CLIENT_SECRET: deployer.secret,
      GENESYS_API_BASE_URL: genesys.baseUrl,
      GENESYS_LOGIN_BASE_URL: genesys.baseUrl,
    },
    fetch,
    out: { write: (t) => (out += t) },
    err: { write: (t) => (err += t) },
  });
  return { code, out, err };
}

/** What the genesyscloud provider does for the program's resources, as the deploying client. */
async function asDeployer(method: string, path: string, body: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
  const tokenAnswer = await fetch(`${genesys.baseUrl}/oauth/token`, {
    method: "POST",
    headers: { authorization: `Basic ${Buffer.from(`${deployer.id}:${deployer.secret}`).toString("base64")}` },
    body: "grant_type=client_credentials",
  });
  const { access_token } = (await tokenAnswer.json()) as { access_token: string };
  const answer = await fetch(`${genesys.baseUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${access_token}`, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  return { status: answer.status, body: (await answer.json()) as Record<string, unknown> };
}

const createWorkerRole = async () =>
  (await asDeployer("POST", "/api/v2/authorization/roles", { name: ROLE_NAME, permissionPolicies: workerPermissionPolicies(false) })).body
    .id as string;
const createWorkerClient = (roleId: string) =>
  asDeployer("POST", "/api/v2/oauth/clients", {
    name: `${COMPONENT} legal-hold export worker`,
    authorizedGrantType: "CLIENT-CREDENTIALS",
    roleDivisions: [{ roleId, divisionId: "*" }],
  });

describe("the first deploy with a client-credentials deployer", () => {
  beforeEach(() => start());

  it("fails in one run: the deployer cannot give the worker client a role it does not hold", async () => {
    const roleId = await createWorkerRole();
    const client = await createWorkerClient(roleId);
    expect(client.status).toBe(400);
    expect(client.body.message).toContain(`does not hold role(s) ${roleId}`);
  });

  it("succeeds staged: everything but the worker client, genesys:bootstrap, then the worker client", async () => {
    const roleId = await createWorkerRole();
    const { code, out, err } = await bootstrap();
    expect({ code, err }).toEqual({ code: 0, err: "" });
    expect(out).toBe(`granted "${ROLE_NAME}" (${roleId}) in division * to client ${deployer.id}; run: pulumi up --stack prod\n`);
    // The deployer keeps its own roles and gains the worker's.
    expect(genesys.clients.get(deployer.id)?.roleDivisions.map((r) => r.roleId)).toEqual([deployer.roleDivisions[0]?.roleId, roleId]);
    expect((await createWorkerClient(roleId)).status).toBe(200);
  });

  it("before the role exists, says which pulumi up to run first and changes nothing", async () => {
    const { code, out, err } = await bootstrap();
    expect(code).toBe(1);
    expect(out).toBe("");
    expect(err).toContain(`The worker role "${ROLE_NAME}" does not exist in this Genesys org yet.`);
    expect(err).toContain(
      `pulumi up --stack prod --exclude '${workerClientUrn("prod", "legal-hold-archive", COMPONENT)}' --exclude-dependents`,
    );
    expect(genesys.requests.filter((r) => r.startsWith("PUT"))).toEqual([]);
  });

  it("is idempotent: a second run finds the role held and changes nothing", async () => {
    await createWorkerRole();
    expect((await bootstrap()).code).toBe(0);
    const again = await bootstrap();
    expect(again.code).toBe(0);
    expect(again.out).toContain(`already holds "${ROLE_NAME}"`);
    expect(genesys.requests.filter((r) => r.startsWith("PUT"))).toHaveLength(1);
  });

  it("--dry-run names the grant and makes none", async () => {
    const roleId = await createWorkerRole();
    const { code, out } = await bootstrap("--dry-run");
    expect(code).toBe(0);
    expect(out).toContain(`would add "${ROLE_NAME}" (${roleId}) in division * to client ${deployer.id}`);
    expect(genesys.requests.filter((r) => r.startsWith("PUT"))).toEqual([]);
  });

  it("refused credentials exit 1 naming the variables", async () => {
    let err = "";
    const code = await main(["--stack", "prod"], {
      projectDir: PROJECT_DIR,
      env: { GENESYS_CLIENT_ID: deployer.id, GENESYS_CLIENT_SECRET: "wrong", GENESYS_LOGIN_BASE_URL: genesys.baseUrl },
      fetch,
      out: { write: () => {} },
      err: { write: (t) => (err += t) },
    });
    expect(code).toBe(1);
    expect(err).toContain("check GENESYS_CLIENT_ID and GENESYS_CLIENT_SECRET");
  });

  it("without credentials exits 2 before any request", async () => {
    let err = "";
    const code = await main([], { projectDir: PROJECT_DIR, env: {}, fetch, out: { write: () => {} }, err: { write: (t) => (err += t) } });
    expect(code).toBe(2);
    expect(err).toMatch(/^set GENESYS_CLIENT_ID and GENESYS_CLIENT_SECRET/);
    expect(genesys.requests).toEqual([]);
  });
});

describe("the README's first-deploy sequence", () => {
  it("excludes exactly the prod stack's worker client, by the URN the component gives it", () => {
    const readme = readFileSync(join(PROJECT_DIR, "README.md"), "utf8");
    expect(readme).toContain(`pulumi up --exclude '${workerClientUrn("prod", "legal-hold-archive", COMPONENT)}' --exclude-dependents`);
    expect(readme).toContain("npm run genesys:bootstrap -- --stack prod");
  });
});

describe("when Genesys also refuses a client adding a role to itself", () => {
  beforeEach(() => start("refuse"));

  it("exits 1 with Genesys' reason and the admin-user fallback, leaving the client unchanged", async () => {
    const roleId = await createWorkerRole();
    const { code, err } = await bootstrap();
    expect(code).toBe(1);
    expect(err).toContain(`Genesys refused to add "${ROLE_NAME}" (${roleId}) to client ${deployer.id} (HTTP 400: `);
    expect(err).toContain("Fallback: a Genesys admin user gives themselves that role");
    expect(genesys.clients.get(deployer.id)?.roleDivisions).toHaveLength(1);
  });
});

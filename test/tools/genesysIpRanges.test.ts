import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { main } from "../../tools/commands/genesysIpRanges";
import { PROJECT_DIR } from "../../tools/engine/mockRuntime";

const STACK_YAML = `# Staging stack.
config:
  aws:region: eu-west-2
  # The org's region.
  legal-hold-archive:genesysRegion: eu-west-2
  legal-hold-archive:genesysOrganizationId: 6f1c2a9e-3b4d-4e5f-8a7b-9c0d1e2f3a4b
  legal-hold-archive:adminPrincipalArns:
    - arn:aws:iam::111122223333:role/Admin
`;

/** What the fake Genesys API answers for GET /api/v2/ipranges, per test. */
let ranges: unknown = {};
let tokenStatus = 200;
const seen: { path: string; authorization?: string }[] = [];
let server: Server;
let baseUrl: string;

beforeAll(async () => {
  server = createServer((req, res) => {
    seen.push({ path: req.url ?? "", authorization: req.headers.authorization });
    if (req.url === "/oauth/token" && req.method === "POST") {
      res.writeHead(tokenStatus, { "content-type": "application/json" });
      res.end(JSON.stringify(tokenStatus === 200 ? { access_token: "fake-token", expires_in: 3600 } : { error: "invalid_client" }));
    } else if (req.url === "/api/v2/ipranges" && req.headers.authorization === "Bearer fake-token") {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify(ranges));
    } else {
      res.writeHead(401).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

function project(): string {
  const dir = mkdtempSync(join(tmpdir(), "ipranges-"));
  copyFileSync(join(PROJECT_DIR, "Pulumi.yaml"), join(dir, "Pulumi.yaml"));
  writeFileSync(join(dir, "Pulumi.staging.yaml"), STACK_YAML);
  return dir;
}

async function run(
  dir: string,
  env: Record<string, string> = { GENESYS_CLIENT_ID: "id", GENESYS_CLIENT_SECRET: "s3cret" },
  ...args: string[]
) {
  let out = "";
  let err = "";
  const code = await main(["--stack", "staging", ...args], {
    projectDir: dir,
    env: { GENESYS_API_BASE_URL: baseUrl, GENESYS_LOGIN_BASE_URL: baseUrl, ...env },
    fetch,
    out: { write: (t) => (out += t) },
    err: { write: (t) => (err += t) },
    today: () => "2026-11-25",
  });
  return { code, out, err };
}

const entity = (cidr: string, region = "eu-west-2", direction = "outbound") => ({ cidr, service: "api", region, direction });

describe("npm run genesys:ipranges", () => {
  it("writes the stack region's outbound ranges, validated and collapsed, keeping the file's comments", async () => {
    ranges = {
      entities: [
        entity("52.1.0.0/24"),
        entity("52.1.0.128/25"),
        entity("18.2.3.0/24", "us-east-1"),
        entity("52.9.0.0/24", "eu-west-2", "inbound"),
      ],
    };
    const dir = project();
    const { code, out } = await run(dir);
    expect(code).toBe(0);
    expect(out).toContain("wrote 1 outbound ranges for eu-west-2");
    const text = readFileSync(join(dir, "Pulumi.staging.yaml"), "utf8");
    expect(parse(text).config["legal-hold-archive:genesysPublishedCidrs"]).toEqual(["52.1.0.0/24"]);
    expect(text).toContain("# Staging stack.");
    expect(text).toContain("# The org's region.");
    expect(text).toContain("from GET /api/v2/ipranges on 2026-11-25");
  });

  it("authenticates with HTTP Basic client credentials and calls the API with the bearer token", async () => {
    ranges = { entities: [entity("52.1.0.0/24")] };
    seen.length = 0;
    await run(project());
    expect(seen[0]).toEqual({ path: "/oauth/token", authorization: `Basic ${Buffer.from("id:s3cret").toString("base64")}` });
    expect(seen[1]).toEqual({ path: "/api/v2/ipranges", authorization: "Bearer fake-token" });
  });

  it("exits 1 and writes nothing when Genesys refuses the credentials, without echoing the secret", async () => {
    tokenStatus = 401;
    const dir = project();
    const { code, err } = await run(dir);
    tokenStatus = 200;
    expect(code).toBe(1);
    expect(err).toMatch(/Genesys refused the client credentials \(HTTP 401/);
    expect(err).not.toContain("s3cret");
    expect(readFileSync(join(dir, "Pulumi.staging.yaml"), "utf8")).toBe(STACK_YAML);
  });

  it("exits 1 and writes nothing when no range matches the region and direction", async () => {
    ranges = { entities: [entity("18.2.3.0/24", "us-east-1")] };
    const dir = project();
    const { code, err } = await run(dir);
    expect(code).toBe(1);
    expect(err).toContain("Genesys published 1 ranges but none for region eu-west-2 and direction outbound; nothing written");
    expect(readFileSync(join(dir, "Pulumi.staging.yaml"), "utf8")).toBe(STACK_YAML);
  });

  it("exits 1 and writes nothing when a published range is malformed or too broad", async () => {
    ranges = { entities: [entity("52.1.0.0/24"), entity("not-a-cidr"), entity("10.0.0.0/8")] };
    const dir = project();
    const { code, err } = await run(dir);
    expect(code).toBe(1);
    expect(err).toContain('"not-a-cidr" is not a valid IPv4 or IPv6 CIDR');
    expect(err).toContain('"10.0.0.0/8" is broader than /16');
    expect(readFileSync(join(dir, "Pulumi.staging.yaml"), "utf8")).toBe(STACK_YAML);
  });

  it("prints instead of writing with --dry-run", async () => {
    ranges = { entities: [entity("52.1.0.0/24")] };
    const dir = project();
    const { code, out } = await run(dir, undefined, "--dry-run");
    expect([code, out]).toEqual([0, "52.1.0.0/24\n"]);
    expect(readFileSync(join(dir, "Pulumi.staging.yaml"), "utf8")).toBe(STACK_YAML);
  });

  it("exits 2 without credentials in the environment", async () => {
    const { code, err } = await run(project(), {});
    expect(code).toBe(2);
    expect(err).toContain("set GENESYS_CLIENT_ID and GENESYS_CLIENT_SECRET");
  });
});

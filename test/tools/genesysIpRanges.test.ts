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

function project(stackYaml = STACK_YAML): string {
  const dir = mkdtempSync(join(tmpdir(), "ipranges-"));
  copyFileSync(join(PROJECT_DIR, "Pulumi.yaml"), join(dir, "Pulumi.yaml"));
  writeFileSync(join(dir, "Pulumi.staging.yaml"), stackYaml);
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

const entity = (cidr: string, region = "eu-west-2", direction = "outbound", service = "api") => ({ cidr, service, region, direction });

/** A loopback server that accepts connections and never answers; its base URL. */
async function silentServer(): Promise<{ url: string; close: () => Promise<void> }> {
  const silent = createServer(() => {});
  await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(silent.address() as AddressInfo).port}`,
    close: () => {
      silent.closeAllConnections();
      return new Promise<void>((resolve) => silent.close(() => resolve()));
    },
  };
}

/** A loopback port nothing listens on. */
async function closedPortUrl(): Promise<string> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const port = (probe.address() as AddressInfo).port;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}

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

  it("updates the short key form in place instead of adding a second key", async () => {
    ranges = { entities: [entity("52.1.0.0/24")] };
    const short = `${STACK_YAML}  genesysPublishedCidrs:\n    - 18.2.3.0/24\n  legal-hold-archive:namePrefix: staging\n`;
    const dir = project(short);
    const { code } = await run(dir);
    expect(code).toBe(0);
    const text = readFileSync(join(dir, "Pulumi.staging.yaml"), "utf8");
    const config = parse(text).config;
    expect(config.genesysPublishedCidrs).toEqual(["52.1.0.0/24"]);
    expect(config).not.toHaveProperty("legal-hold-archive:genesysPublishedCidrs");
    // Updated where it stood, before the key that followed it.
    expect(text.indexOf("genesysPublishedCidrs:")).toBeLessThan(text.indexOf("legal-hold-archive:namePrefix"));
  });

  it("updates the namespaced key in place on a second run", async () => {
    ranges = { entities: [entity("52.1.0.0/24")] };
    const dir = project();
    await run(dir);
    ranges = { entities: [entity("52.2.0.0/24")] };
    expect((await run(dir)).code).toBe(0);
    const text = readFileSync(join(dir, "Pulumi.staging.yaml"), "utf8");
    expect(parse(text).config["legal-hold-archive:genesysPublishedCidrs"]).toEqual(["52.2.0.0/24"]);
    expect(text.match(/genesysPublishedCidrs/g)).toHaveLength(1);
    expect(text.match(/from GET \/api\/v2\/ipranges/g)).toHaveLength(1);
  });

  it("refuses a file that sets both key forms", async () => {
    ranges = { entities: [entity("52.1.0.0/24")] };
    const both = `${STACK_YAML}  genesysPublishedCidrs: []\n  legal-hold-archive:genesysPublishedCidrs: []\n`;
    const dir = project(both);
    const { code, err } = await run(dir);
    expect(code).toBe(2);
    expect(err).toContain("sets both legal-hold-archive:genesysPublishedCidrs and genesysPublishedCidrs");
    expect(readFileSync(join(dir, "Pulumi.staging.yaml"), "utf8")).toBe(both);
  });

  it("keeps a CRLF file's line endings", async () => {
    ranges = { entities: [entity("52.1.0.0/24")] };
    const dir = project(STACK_YAML.replace(/\n/g, "\r\n"));
    expect((await run(dir)).code).toBe(0);
    const text = readFileSync(join(dir, "Pulumi.staging.yaml"), "utf8");
    expect(text).toContain("# The org's region.\r\n");
    expect(text).toMatch(/genesysPublishedCidrs:\r\n {4}- 52\.1\.0\.0\/24\r\n/);
    expect(text.replace(/\r\n/g, "")).not.toContain("\n");
  });

  it("keeps only the given service with --service, compared case-insensitively", async () => {
    ranges = { entities: [entity("52.1.0.0/24", "eu-west-2", "outbound", "api"), entity("52.7.0.0/24", "eu-west-2", "outbound", "media")] };
    const all = await run(project(), undefined, "--dry-run");
    expect(all.out).toBe("52.1.0.0/24\n52.7.0.0/24\n");
    const media = await run(project(), undefined, "--dry-run", "--service", "MEDIA");
    expect([media.code, media.out]).toEqual([0, "52.7.0.0/24\n"]);
    const none = await run(project(), undefined, "--dry-run", "--service", "nope");
    expect(none.code).toBe(1);
    expect(none.err).toContain("none for region eu-west-2 and direction outbound and service nope");
  });

  it("gives up on a server that never answers, naming the URL", async () => {
    const silent = await silentServer();
    try {
      const dir = project();
      const { code, err } = await run(
        dir,
        { GENESYS_CLIENT_ID: "id", GENESYS_CLIENT_SECRET: "s3cret", GENESYS_LOGIN_BASE_URL: silent.url },
        "--timeout-seconds",
        "0.5",
      );
      expect(code).toBe(1);
      expect(err).toBe(
        `POST ${silent.url}/oauth/token did not answer within 0.5 s; nothing written (check the network, or raise --timeout-seconds)\n`,
      );
      expect(readFileSync(join(dir, "Pulumi.staging.yaml"), "utf8")).toBe(STACK_YAML);
    } finally {
      await silent.close();
    }
  });

  it("names the URL and the cause when the network fails", async () => {
    const url = await closedPortUrl();
    const { code, err } = await run(project(), { GENESYS_CLIENT_ID: "id", GENESYS_CLIENT_SECRET: "s3cret", GENESYS_LOGIN_BASE_URL: url });
    expect(code).toBe(1);
    expect(err).toMatch(new RegExp(`^POST ${url}/oauth/token failed: .*ECONNREFUSED.*; nothing written\n$`));
  });

  it("refuses a timeout that is not a number of seconds", async () => {
    const { code, err } = await run(project(), undefined, "--timeout-seconds", "soon");
    expect(code).toBe(2);
    expect(err).toContain('--timeout-seconds "soon" is not a number of seconds');
  });

  it("exits 2 without credentials in the environment", async () => {
    const { code, err } = await run(project(), {});
    expect(code).toBe(2);
    expect(err).toContain("set GENESYS_CLIENT_ID and GENESYS_CLIENT_SECRET");
  });
});

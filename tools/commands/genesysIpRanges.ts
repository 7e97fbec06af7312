// `npm run genesys:ipranges -- [--stack NAME] [--direction outbound] [--dry-run]`:
// refreshes `genesysPublishedCidrs` in Pulumi.<stack>.yaml from Genesys' own
// published ranges (GET /api/v2/ipranges), keeping the file's comments.
// Credentials come from GENESYS_CLIENT_ID / GENESYS_CLIENT_SECRET; the hosts
// follow the stack's genesysRegion unless GENESYS_API_BASE_URL /
// GENESYS_LOGIN_BASE_URL override them. Nothing is written unless every
// selected range is valid. Exit 0 written, 1 refused by Genesys or invalid
// data, 2 bad usage.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { isMap, type Pair, parseDocument, type Scalar, type YAMLMap } from "yaml";
import { type GenesysRegion, genesysEndpoints, isGenesysRegion } from "../../components/genesysRegions";
import { normalizeCidrList } from "../../policies/shared/cidrAllowlist";
import { CONFIG_NAMESPACE } from "../../stacks/stackConfig";
import { PROJECT_DIR } from "../engine/mockRuntime";
import { loadStackSettings, type StackSettings } from "../engine/stackSettings";
import { parseCliOptions } from "./cliArgs";

const USAGE = "usage: npm run genesys:ipranges -- [--stack NAME] [--direction outbound|inbound] [--dry-run]";
const KEY = `${CONFIG_NAMESPACE}:genesysPublishedCidrs`;

interface IpRangeEntity {
  cidr?: unknown;
  service?: unknown;
  region?: unknown;
  direction?: unknown;
}

export interface IpRangesDeps {
  projectDir: string;
  env: NodeJS.ProcessEnv;
  fetch: typeof fetch;
  out: { write(text: string): void };
  err: { write(text: string): void };
  today: () => string;
}

class RefusedError extends Error {}

async function token(loginBaseUrl: string, clientId: string, clientSecret: string, fetchFn: typeof fetch): Promise<string> {
  const response = await fetchFn(`${loginBaseUrl}/oauth/token`, {
    method: "POST",
    headers: {
      authorization: `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString("base64")}`,
      "content-type": "application/x-www-form-urlencoded",
    },
    body: "grant_type=client_credentials",
  });
  if (!response.ok) {
    throw new RefusedError(
      `Genesys refused the client credentials (HTTP ${response.status} from ${loginBaseUrl}/oauth/token); check GENESYS_CLIENT_ID and GENESYS_CLIENT_SECRET and that the client uses the client-credentials grant`,
    );
  }
  const body = (await response.json()) as { access_token?: unknown };
  if (typeof body.access_token !== "string") throw new RefusedError(`${loginBaseUrl}/oauth/token answered without an access_token`);
  return body.access_token;
}

async function publishedRanges(apiBaseUrl: string, accessToken: string, fetchFn: typeof fetch): Promise<IpRangeEntity[]> {
  const response = await fetchFn(`${apiBaseUrl}/api/v2/ipranges`, { headers: { authorization: `Bearer ${accessToken}` } });
  if (!response.ok) throw new RefusedError(`GET ${apiBaseUrl}/api/v2/ipranges answered HTTP ${response.status}; nothing written`);
  const body = (await response.json()) as { entities?: unknown };
  if (!Array.isArray(body.entities))
    throw new RefusedError(`GET ${apiBaseUrl}/api/v2/ipranges answered without an entities list; nothing written`);
  return body.entities as IpRangeEntity[];
}

export async function main(argv: string[], deps: IpRangesDeps): Promise<number> {
  let options: { stack: string; direction: string; dryRun: boolean };
  try {
    const values = parseCliOptions(argv, {
      stack: { type: "string", default: "prod" },
      direction: { type: "string", default: "outbound" },
      "dry-run": { type: "boolean", default: false },
    });
    options = { stack: values.stack as string, direction: (values.direction as string).toLowerCase(), dryRun: values["dry-run"] === true };
  } catch (error) {
    deps.err.write(`${(error as Error).message}\n${USAGE}\n`);
    return 2;
  }
  const clientId = deps.env.GENESYS_CLIENT_ID;
  const clientSecret = deps.env.GENESYS_CLIENT_SECRET;
  if (!clientId || !clientSecret) {
    deps.err.write("set GENESYS_CLIENT_ID and GENESYS_CLIENT_SECRET to a client-credentials OAuth client of your Genesys org\n");
    return 2;
  }
  let region: GenesysRegion;
  let stackFile: string;
  let settings: StackSettings;
  try {
    settings = loadStackSettings(deps.projectDir, options.stack);
    const configured = settings.config[`${CONFIG_NAMESPACE}:genesysRegion`] ?? "";
    if (!isGenesysRegion(configured)) throw new Error(`${CONFIG_NAMESPACE}:genesysRegion is "${configured}", not a Genesys Cloud region`);
    region = configured;
    stackFile = join(deps.projectDir, `Pulumi.${options.stack}.yaml`);
  } catch (error) {
    deps.err.write(`${(error as Error).message}\n`);
    return 2;
  }
  const endpoints = genesysEndpoints(region);
  const apiBaseUrl = deps.env.GENESYS_API_BASE_URL ?? endpoints.apiBaseUrl;
  const loginBaseUrl = deps.env.GENESYS_LOGIN_BASE_URL ?? endpoints.loginBaseUrl;

  let entities: IpRangeEntity[];
  try {
    entities = await publishedRanges(apiBaseUrl, await token(loginBaseUrl, clientId, clientSecret, deps.fetch), deps.fetch);
  } catch (error) {
    deps.err.write(`${(error as Error).message}\n`);
    return 1;
  }
  // Region and direction values are as Genesys publishes them (facts §3: unconfirmed), compared case-insensitively.
  const selected = entities.filter(
    (e) => String(e.region ?? "").toLowerCase() === region && String(e.direction ?? "").toLowerCase() === options.direction,
  );
  if (selected.length === 0) {
    deps.err.write(
      `Genesys published ${entities.length} ranges but none for region ${region} and direction ${options.direction}; nothing written\n`,
    );
    return 1;
  }
  const rules = settings.config;
  const { cidrs, problems } = normalizeCidrList(
    selected.map((e) => e.cidr),
    {
      minimumIpv4Prefix: Number(rules[`${CONFIG_NAMESPACE}:minimumIpv4Prefix`] ?? 16),
      minimumIpv6Prefix: Number(rules[`${CONFIG_NAMESPACE}:minimumIpv6Prefix`] ?? 32),
    },
  );
  if (problems.length > 0) {
    deps.err.write(
      `Genesys published ranges this stack refuses; nothing written:\n${problems.map((p) => `  - ${p.problem}`).join("\n")}\n`,
    );
    return 1;
  }
  if (options.dryRun) {
    deps.out.write(`${cidrs.join("\n")}\n`);
    return 0;
  }
  const document = parseDocument(readFileSync(stackFile, "utf8"));
  const config = document.get("config", true) as YAMLMap | undefined;
  if (!isMap(config)) {
    deps.err.write(`${stackFile} has no config map to write into; nothing written\n`);
    return 1;
  }
  config.delete(KEY);
  const pair = document.createPair(KEY, cidrs) as Pair<Scalar, unknown>;
  // The comment dates the snapshot: ranges change, and a reviewer should see when these were fetched.
  pair.key.commentBefore = ` Genesys Cloud's published ${options.direction} ranges for ${region}, from GET /api/v2/ipranges on ${deps.today()} (npm run genesys:ipranges).`;
  config.add(pair);
  writeFileSync(stackFile, document.toString());
  deps.out.write(`wrote ${cidrs.length} ${options.direction} ranges for ${region} into ${stackFile}\n`);
  return 0;
}

if (require.main === module) {
  main(process.argv.slice(2), {
    projectDir: PROJECT_DIR,
    env: process.env,
    fetch,
    out: process.stdout,
    err: process.stderr,
    today: () => new Date().toISOString().slice(0, 10),
  }).then((code) => process.exit(code));
}

// `npm run genesys:ipranges -- [--stack NAME] [--direction outbound] [--service NAME] [--dry-run]`:
// refreshes `genesysPublishedCidrs` in Pulumi.<stack>.yaml from Genesys' own
// published ranges (GET /api/v2/ipranges), keeping the file's comments, its
// key form and its line endings. Credentials come from GENESYS_CLIENT_ID /
// GENESYS_CLIENT_SECRET; the hosts follow the stack's genesysRegion unless
// GENESYS_API_BASE_URL / GENESYS_LOGIN_BASE_URL override them. Nothing is
// written unless every selected range is valid. Exit 0 written (or printed),
// 1 Genesys unreachable, refusing, or publishing nothing usable, 2 bad usage
// or input.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { isMap, isScalar, type Pair, parseDocument, type Scalar, type YAMLMap } from "yaml";
import { type GenesysRegion, genesysEndpoints, isGenesysRegion } from "../../components/genesysRegions";
import { normalizeCidrList } from "../../policies/shared/cidrAllowlist";
import { CONFIG_NAMESPACE } from "../../stacks/stackConfig";
import { PROJECT_DIR } from "../engine/mockRuntime";
import { loadStackSettings } from "../engine/stackSettings";
import { type CommandSpec, InputError } from "./cliArgs";
import { GenesysError, type Http, requestJson, timeoutMs, token } from "./genesysHttp";
import { runCommand, startCommand } from "./runCommand";
import { writeFileAtomically } from "./writeFileAtomically";

const SETTING = "genesysPublishedCidrs";
const KEY = `${CONFIG_NAMESPACE}:${SETTING}`;

export const GENESYS_IPRANGES: CommandSpec = {
  name: "genesys:ipranges",
  summary:
    "Refreshes genesysPublishedCidrs in Pulumi.<stack>.yaml from Genesys Cloud's published address ranges (GET /api/v2/ipranges, client credentials from GENESYS_CLIENT_ID and GENESYS_CLIENT_SECRET), keeping the file's comments, key form and line endings. Region, direction and service labels are compared case-insensitively; Genesys' exact labels are unconfirmed, so a selection that matches nothing fails.",
  options: {
    stack: { type: "string", value: "NAME", default: "prod", description: "The stack file to update: Pulumi.NAME.yaml." },
    direction: { type: "string", value: "DIRECTION", default: "outbound", description: "Keep ranges published for this direction." },
    service: {
      type: "string",
      value: "NAME",
      description: "Keep only ranges of this service (default: every service, since Genesys' service labels are unconfirmed).",
    },
    "timeout-seconds": {
      type: "string",
      value: "SECONDS",
      default: "15",
      description: "Give up on a Genesys request that has not answered in this time.",
    },
    "dry-run": { type: "boolean", default: false, description: "Print the ranges instead of writing them." },
  },
  exitCodes:
    "0 written (or printed), 1 Genesys unreachable, refusing, or publishing nothing usable (nothing written), 2 bad usage or input",
};

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

async function publishedRanges(http: Http, apiBaseUrl: string, accessToken: string): Promise<IpRangeEntity[]> {
  const url = `${apiBaseUrl}/api/v2/ipranges`;
  const answer = await requestJson(http, url, { headers: { authorization: `Bearer ${accessToken}` } });
  if (!answer.ok) throw new GenesysError(`GET ${url} answered HTTP ${answer.status}; nothing written`);
  const entities = (answer.body as { entities?: unknown } | undefined)?.entities;
  if (!Array.isArray(entities)) throw new GenesysError(`GET ${url} answered without an entities list; nothing written`);
  return entities as IpRangeEntity[];
}

const label = (value: unknown) => String(value ?? "").toLowerCase();

/**
 * Pulumi.<stack>.yaml with the ranges set. The stack file may name the key
 * with the project namespace or without it: the CLI reads an unprefixed key as
 * the project's (pulumi/pulumi's workspace project tests, e.g.
 * TestUntypedStackConfigValuesDoNeedProjectDeclaration), and so does
 * stackSettings. An existing entry is updated where it stands, in its own form.
 */
export function withPublishedCidrs(text: string, cidrs: string[], comment: string, file: string): string {
  const document = parseDocument(text);
  if (document.errors.length > 0) throw new InputError(`${file} is not valid YAML: ${document.errors[0]?.message}`);
  const config = document.get("config", true) as YAMLMap | undefined;
  if (!isMap(config)) throw new InputError(`${file} has no config map to write into; add a "config:" section`);
  const existing = (config.items as Pair<unknown, unknown>[]).filter(
    (pair) => isScalar(pair.key) && (pair.key.value === KEY || pair.key.value === SETTING),
  );
  if (existing.length > 1) throw new InputError(`${file} sets both ${KEY} and ${SETTING}, which Pulumi reads as one key; delete one`);
  let pair = existing[0] as Pair<Scalar, unknown> | undefined;
  if (pair) pair.value = document.createNode(cidrs);
  else {
    pair = document.createPair(KEY, cidrs) as Pair<Scalar, unknown>;
    config.add(pair);
  }
  // The comment dates the snapshot: ranges change, and a reviewer should see when these were fetched.
  pair.key.commentBefore = comment;
  const updated = document.toString();
  // yaml writes "\n"; a file kept with Windows line endings stays that way.
  return text.includes("\r\n") ? updated.replace(/\r?\n/gu, "\r\n") : updated;
}

export function main(argv: string[], deps: IpRangesDeps): Promise<number> {
  return runCommand(GENESYS_IPRANGES, argv, { out: deps.out, err: deps.err, env: deps.env }, async (values) => {
    const stack = values.stack as string;
    const direction = label(values.direction);
    const service = values.service === undefined ? undefined : label(values.service);
    const http: Http = { fetch: deps.fetch, timeoutMs: timeoutMs(values["timeout-seconds"] as string), consequence: "nothing written" };
    const clientId = deps.env.GENESYS_CLIENT_ID;
    const clientSecret = deps.env.GENESYS_CLIENT_SECRET;
    if (!clientId || !clientSecret)
      throw new InputError("set GENESYS_CLIENT_ID and GENESYS_CLIENT_SECRET to a client-credentials OAuth client of your Genesys org");
    const settings = loadStackSettings(deps.projectDir, stack);
    const configured = settings.config[`${CONFIG_NAMESPACE}:genesysRegion`] ?? "";
    if (!isGenesysRegion(configured))
      throw new InputError(`${CONFIG_NAMESPACE}:genesysRegion is "${configured}", not a Genesys Cloud region`);
    const region: GenesysRegion = configured;
    const stackFile = join(deps.projectDir, `Pulumi.${stack}.yaml`);
    const endpoints = genesysEndpoints(region);
    const apiBaseUrl = deps.env.GENESYS_API_BASE_URL ?? endpoints.apiBaseUrl;
    const loginBaseUrl = deps.env.GENESYS_LOGIN_BASE_URL ?? endpoints.loginBaseUrl;

    let entities: IpRangeEntity[];
    try {
      entities = await publishedRanges(http, apiBaseUrl, await token(http, loginBaseUrl, clientId, clientSecret));
    } catch (error) {
      if (!(error instanceof GenesysError)) throw error;
      deps.err.write(`${error.message}\n`);
      return 1;
    }
    // Region, direction and service values are as Genesys publishes them (facts §3: unconfirmed), compared case-insensitively.
    const selected = entities.filter(
      (e) => label(e.region) === region && label(e.direction) === direction && (service === undefined || label(e.service) === service),
    );
    const selection = `region ${region} and direction ${direction}${service === undefined ? "" : ` and service ${service}`}`;
    if (selected.length === 0) {
      deps.err.write(`Genesys published ${entities.length} ranges but none for ${selection}; nothing written\n`);
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
    if (values["dry-run"]) {
      deps.out.write(`${cidrs.join("\n")}\n`);
      return 0;
    }
    const comment = ` Genesys Cloud's published ${direction} ranges for ${region}${service === undefined ? "" : ` (service ${service})`}, from GET /api/v2/ipranges on ${deps.today()} (npm run genesys:ipranges).`;
    writeFileAtomically(stackFile, withPublishedCidrs(readFileSync(stackFile, "utf8"), cidrs, comment, stackFile), "stack file");
    deps.out.write(`wrote ${cidrs.length} ${direction} ranges for ${region} into ${stackFile}\n`);
    return 0;
  });
}

if (require.main === module) {
  startCommand((argv) =>
    main(argv, {
      projectDir: PROJECT_DIR,
      env: process.env,
      fetch,
      out: process.stdout,
      err: process.stderr,
      today: () => new Date().toISOString().slice(0, 10),
    }),
  );
}

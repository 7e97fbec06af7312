// `npm run genesys:bootstrap -- [--stack NAME] [--dry-run]`: gives the
// deploying OAuth client (GENESYS_CLIENT_ID / GENESYS_CLIENT_SECRET, the client
// the genesyscloud provider runs as) the worker's custom role, so the
// following `pulumi up` may create the worker's OAuth client holding it.
//
// Why: Genesys lets a caller give a client only roles it holds itself. The
// provider documents it ("the roles must also already be assigned to the OAuth
// Client used by Terraform") and works around it only for a *user* caller; a
// client-credentials deployer creating the role and the client in one run is
// refused at the client. So the first deploy is staged: everything but the
// worker client, this command, then the rest. Exit 0 granted (or already
// held), 1 Genesys unreachable or refusing, or the role not created yet (the
// message says what to run), 2 bad usage or input.

import { workerClientUrn, workerRoleName } from "../../components/genesys/workerNames";
import { componentArgs } from "../../stacks/componentArgs";
import { CONFIG_NAMESPACE, parseStackConfig } from "../../stacks/stackConfig";
import { PROJECT_DIR } from "../engine/mockRuntime";
import { loadStackSettings } from "../engine/stackSettings";
import { type CommandSpec, InputError } from "./cliArgs";
import { GenesysError, genesysMessage, type Http, requestJson, timeoutMs, token } from "./genesysHttp";
import { runCommand, startCommand } from "./runCommand";

export const GENESYS_BOOTSTRAP: CommandSpec = {
  name: "genesys:bootstrap",
  summary:
    "Gives the deploying Genesys Cloud OAuth client (GENESYS_CLIENT_ID and GENESYS_CLIENT_SECRET, the client the genesyscloud provider runs as) the worker's custom role, which Genesys requires before that client may create the worker's OAuth client holding it. Run it between `pulumi up --exclude <worker client> --exclude-dependents` and `pulumi up`; it prints the first command when the role does not exist yet.",
  options: {
    stack: { type: "string", value: "NAME", default: "prod", description: "The stack whose worker role to grant: Pulumi.NAME.yaml." },
    "timeout-seconds": {
      type: "string",
      value: "SECONDS",
      default: "15",
      description: "Give up on a Genesys request that has not answered in this time.",
    },
    "dry-run": { type: "boolean", default: false, description: "Say what would be granted, change nothing." },
  },
  exitCodes:
    "0 granted or already held, 1 Genesys unreachable or refusing, or the worker role not created yet (nothing changed), 2 bad usage or input",
};

export interface BootstrapDeps {
  projectDir: string;
  env: NodeJS.ProcessEnv;
  fetch: typeof fetch;
  out: { write(text: string): void };
  err: { write(text: string): void };
}

interface RoleDivision {
  roleId: string;
  divisionId: string;
}

/** The writable fields of an OAuth client (Oauthclientrequest): a PUT replaces the client, so every one is sent back. */
const CLIENT_REQUEST_FIELDS = [
  "name",
  "description",
  "accessTokenValiditySeconds",
  "authorizedGrantType",
  "registeredRedirectUri",
  "scope",
  "state",
  "dateToDelete",
] as const;

const bearer = (accessToken: string) => ({ authorization: `Bearer ${accessToken}`, "content-type": "application/json" });

async function findRole(http: Http, apiBaseUrl: string, accessToken: string, name: string): Promise<{ id: string } | undefined> {
  const url = `${apiBaseUrl}/api/v2/authorization/roles?name=${encodeURIComponent(name)}`;
  const answer = await requestJson(http, url, { headers: bearer(accessToken) });
  if (!answer.ok)
    throw new GenesysError(
      `GET ${url} answered HTTP ${answer.status}${genesysMessage(answer.body)}; the deploying client needs authorization:role:view; nothing changed`,
    );
  const entities = (answer.body as { entities?: { id?: unknown; name?: unknown }[] } | undefined)?.entities ?? [];
  // The name filter may match loosely; only the exact name is the stack's role.
  const exact = entities.filter((role) => role.name === name && typeof role.id === "string");
  if (exact.length > 1)
    throw new GenesysError(`${exact.length} roles are named "${name}"; delete the stray ones in Admin > Roles / Permissions`);
  return exact[0] as { id: string } | undefined;
}

async function readClient(http: Http, url: string, accessToken: string): Promise<Record<string, unknown>> {
  const answer = await requestJson(http, url, { headers: bearer(accessToken) });
  if (!answer.ok)
    throw new GenesysError(
      `GET ${url} answered HTTP ${answer.status}${genesysMessage(answer.body)}; the deploying client needs oauth:client:view and oauth:client:edit; nothing changed`,
    );
  return answer.body as Record<string, unknown>;
}

const holds = (client: Record<string, unknown>, roleId: string, divisionId: string) =>
  ((client.roleDivisions as RoleDivision[] | undefined) ?? []).some(
    (r) => r.roleId === roleId && (r.divisionId === divisionId || r.divisionId === "*"),
  );

export function main(argv: string[], deps: BootstrapDeps): Promise<number> {
  return runCommand(GENESYS_BOOTSTRAP, argv, { out: deps.out, err: deps.err, env: deps.env }, async (values) => {
    const stack = values.stack as string;
    const http: Http = { fetch: deps.fetch, timeoutMs: timeoutMs(values["timeout-seconds"] as string), consequence: "nothing changed" };
    const clientId = deps.env.GENESYS_CLIENT_ID;
    const clientSecret = deps.env.GENESYS_CLIENT_SECRET;
    if (!clientId || !clientSecret)
      throw new InputError(
        "set GENESYS_CLIENT_ID and GENESYS_CLIENT_SECRET to the client-credentials OAuth client the genesyscloud provider deploys with (genesyscloud:oauthclientId)",
      );
    const settings = loadStackSettings(deps.projectDir, stack);
    // The same validation and names as the program, so the role found is the one `pulumi up` created.
    const config = parseStackConfig((key) => settings.config[`${CONFIG_NAMESPACE}:${key}`]);
    const integration = componentArgs(config).genesysIntegration;
    if (!integration)
      throw new InputError(
        `stack ${stack} builds no export worker (exportModes ${JSON.stringify(config.exportModes)} leaves out "lambda"), so it has no worker client to bootstrap`,
      );
    const { name, args } = integration;
    const divisionId = args.divisionId ?? "*";
    const roleName = workerRoleName(name);
    const apiBaseUrl = deps.env.GENESYS_API_BASE_URL ?? config.genesys.apiBaseUrl;
    const loginBaseUrl = deps.env.GENESYS_LOGIN_BASE_URL ?? config.genesys.loginBaseUrl;
    const firstStage = `pulumi up --stack ${stack} --exclude '${workerClientUrn(stack, settings.project, name)}' --exclude-dependents`;

    try {
      const accessToken = await token(http, loginBaseUrl, clientId, clientSecret);
      const role = await findRole(http, apiBaseUrl, accessToken, roleName);
      if (role === undefined) {
        deps.err.write(
          `The worker role "${roleName}" does not exist in this Genesys org yet. Create it (and everything but the worker's OAuth client) first:\n  ${firstStage}\nthen run this command again; nothing changed\n`,
        );
        return 1;
      }
      const clientUrl = `${apiBaseUrl}/api/v2/oauth/clients/${encodeURIComponent(clientId)}`;
      const client = await readClient(http, clientUrl, accessToken);
      if (client.authorizedGrantType !== "CLIENT-CREDENTIALS")
        throw new GenesysError(
          `client ${clientId} uses the ${String(client.authorizedGrantType)} grant; deploy with a CLIENT-CREDENTIALS client (roles, not scopes, give it permissions); nothing changed`,
        );
      if (holds(client, role.id, divisionId)) {
        deps.out.write(`client ${clientId} already holds "${roleName}" (${role.id}); run: pulumi up --stack ${stack}\n`);
        return 0;
      }
      const roleDivisions = [...((client.roleDivisions as RoleDivision[] | undefined) ?? []), { roleId: role.id, divisionId }];
      if (values["dry-run"]) {
        deps.out.write(`would add "${roleName}" (${role.id}) in division ${divisionId} to client ${clientId}; nothing changed\n`);
        return 0;
      }
      const request: Record<string, unknown> = { roleDivisions };
      for (const field of CLIENT_REQUEST_FIELDS) if (client[field] !== undefined) request[field] = client[field];
      const answer = await requestJson(http, clientUrl, { method: "PUT", headers: bearer(accessToken), body: JSON.stringify(request) });
      if (!answer.ok) {
        deps.err.write(
          `Genesys refused to add "${roleName}" (${role.id}) to client ${clientId} (HTTP ${answer.status}${genesysMessage(answer.body)}); nothing changed.\n` +
            `Fallback: a Genesys admin user gives themselves that role (Admin > People > their user > Roles), then adds it to client ${clientId} (Admin > OAuth > the client > Roles), then runs pulumi up --stack ${stack}\n`,
        );
        return 1;
      }
      if (!holds(await readClient(http, clientUrl, accessToken), role.id, divisionId))
        throw new GenesysError(
          `Genesys accepted the change but client ${clientId} still does not list "${roleName}"; run this command again`,
        );
      deps.out.write(
        `granted "${roleName}" (${role.id}) in division ${divisionId} to client ${clientId}; run: pulumi up --stack ${stack}\n`,
      );
      return 0;
    } catch (error) {
      if (!(error instanceof GenesysError)) throw error;
      deps.err.write(`${error.message}\n`);
      return 1;
    }
  });
}

if (require.main === module) {
  startCommand((argv) => main(argv, { projectDir: PROJECT_DIR, env: process.env, fetch, out: process.stdout, err: process.stderr }));
}

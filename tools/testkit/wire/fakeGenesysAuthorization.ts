import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * Genesys Cloud's roles and OAuth clients played on loopback, enforcing the
 * rule that decides the first deploy: a caller may give a client only roles it
 * holds itself. The provider documents it for genesyscloud_oauth_client
 * ("the roles must also already be assigned to the OAuth Client used by
 * Terraform"; it works around it only for users), Genesys Help for the admin UI.
 *
 * Whether Genesys lets a client add a role to *itself* is not documented:
 * `selfGrant` plays both answers, so the bootstrap is tested against each.
 * Error wording is ours; Genesys' exact message is unconfirmed.
 */

export interface RoleDivision {
  roleId: string;
  divisionId: string;
}

export interface FakeClient {
  id: string;
  secret: string;
  name: string;
  authorizedGrantType: string;
  roleDivisions: RoleDivision[];
  description?: string;
  accessTokenValiditySeconds?: number;
  state?: string;
}

export interface FakeRole {
  id: string;
  name: string;
  permissionPolicies: unknown[];
}

export interface FakeGenesysAuthorization {
  baseUrl: string;
  clients: Map<string, FakeClient>;
  roles: Map<string, FakeRole>;
  /** Adds a client-credentials client (an admin's deployer) holding these roles; returns it. */
  addClient(name: string, roleIds: string[]): FakeClient;
  addRole(name: string): FakeRole;
  /** Method and path of every API request, in order. */
  readonly requests: readonly string[];
  close(): Promise<void>;
}

type Json = Record<string, unknown>;

function send(response: ServerResponse, status: number, body?: unknown): void {
  const text = body === undefined ? "" : JSON.stringify(body);
  response.writeHead(status, { "content-type": "application/json" });
  response.end(text);
}

async function readJson(request: IncomingMessage): Promise<Json> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString("utf8");
  return text === "" ? {} : (JSON.parse(text) as Json);
}

const view = ({ secret: _secret, ...client }: FakeClient) => client;

export async function startFakeGenesysAuthorization(options: { selfGrant?: "allow" | "refuse" } = {}): Promise<FakeGenesysAuthorization> {
  const selfGrant = options.selfGrant ?? "allow";
  const clients = new Map<string, FakeClient>();
  const roles = new Map<string, FakeRole>();
  const tokens = new Map<string, string>();
  const requests: string[] = [];

  /** Roles in `wanted` the target does not have yet and the caller does not hold: what the rule refuses. */
  const refused = (caller: FakeClient, target: FakeClient | undefined, wanted: RoleDivision[]): string[] => {
    const held = new Set(caller.roleDivisions.map((r) => r.roleId));
    const already = new Set(target?.roleDivisions.map((r) => r.roleId) ?? []);
    const isSelf = target?.id === caller.id;
    return wanted.map((r) => r.roleId).filter((roleId) => !already.has(roleId) && !held.has(roleId) && !(isSelf && selfGrant === "allow"));
  };

  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    const url = new URL(request.url ?? "/", "http://fake");
    requests.push(`${request.method} ${url.pathname}`);
    if (request.method === "POST" && url.pathname === "/oauth/token") {
      const [id, secret] = Buffer.from((request.headers.authorization ?? "").replace(/^Basic /u, ""), "base64")
        .toString("utf8")
        .split(":");
      const client = clients.get(id ?? "");
      if (!client || client.secret !== secret || client.authorizedGrantType !== "CLIENT-CREDENTIALS")
        return send(response, 401, { error: "invalid_client" });
      const token = randomUUID();
      tokens.set(token, client.id);
      return send(response, 200, { access_token: token, token_type: "bearer", expires_in: 3600 });
    }
    const caller = clients.get(tokens.get((request.headers.authorization ?? "").replace(/^Bearer /u, "")) ?? "");
    if (!caller) return send(response, 401, { status: 401, code: "bad.credentials", message: "Invalid login credentials." });

    if (url.pathname === "/api/v2/authorization/roles" && request.method === "GET") {
      const name = url.searchParams.get("name");
      const entities = [...roles.values()].filter((role) => name === null || role.name === name);
      return send(response, 200, { entities, pageNumber: 1, pageSize: 25, total: entities.length, pageCount: 1 });
    }
    if (url.pathname === "/api/v2/authorization/roles" && request.method === "POST") {
      const body = await readJson(request);
      const role = { id: randomUUID(), name: String(body.name), permissionPolicies: (body.permissionPolicies as unknown[]) ?? [] };
      roles.set(role.id, role);
      return send(response, 200, role);
    }
    const clientPath = /^\/api\/v2\/oauth\/clients(?:\/([\w-]+))?$/u.exec(url.pathname);
    if (!clientPath) return send(response, 404, { status: 404, code: "not.found", message: `no route ${url.pathname}` });
    const target = clientPath[1] === undefined ? undefined : clients.get(clientPath[1]);
    if (clientPath[1] !== undefined && !target)
      return send(response, 404, { status: 404, code: "not.found", message: `OAuth client ${clientPath[1]} not found` });
    if (request.method === "GET" && target) return send(response, 200, view(target));
    if ((request.method === "POST" && !target) || (request.method === "PUT" && target)) {
      const body = await readJson(request);
      const wanted = (body.roleDivisions as RoleDivision[] | undefined) ?? [];
      const unknown = wanted.filter((r) => !roles.has(r.roleId)).map((r) => r.roleId);
      if (unknown.length > 0)
        return send(response, 400, { status: 400, code: "bad.request", message: `unknown roles ${unknown.join(", ")}` });
      const notHeld = refused(caller, target, wanted);
      if (notHeld.length > 0)
        return send(response, 400, {
          status: 400,
          code: "bad.request",
          message: `The requesting client does not hold role(s) ${notHeld.join(", ")}; a client can only be given roles the caller holds`,
        });
      const client: FakeClient = {
        id: target?.id ?? randomUUID(),
        secret: target?.secret ?? randomUUID(),
        name: String(body.name),
        authorizedGrantType: String(body.authorizedGrantType),
        roleDivisions: wanted,
        description: body.description as string | undefined,
        accessTokenValiditySeconds: body.accessTokenValiditySeconds as number | undefined,
        state: (body.state as string | undefined) ?? "active",
      };
      clients.set(client.id, client);
      return send(response, 200, target ? view(client) : client);
    }
    return send(response, 405, { status: 405, code: "method.not.allowed", message: `${request.method} ${url.pathname}` });
  };

  const server: Server = createServer((request, response) => {
    handle(request, response).catch((error: Error) => send(response, 500, { status: 500, message: error.message }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    baseUrl,
    clients,
    roles,
    requests,
    addRole(name) {
      const role = { id: randomUUID(), name, permissionPolicies: [] };
      roles.set(role.id, role);
      return role;
    },
    addClient(name, roleIds) {
      const client: FakeClient = {
        id: randomUUID(),
        secret: randomUUID(),
        name,
        authorizedGrantType: "CLIENT-CREDENTIALS",
        roleDivisions: roleIds.map((roleId) => ({ roleId, divisionId: "*" })),
        accessTokenValiditySeconds: 86400,
        state: "active",
      };
      clients.set(client.id, client);
      return client;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

import { GenesysError, genesysMessage, type Http, requestJson, token } from "../genesysHttp";

/**
 * Revokes Genesys deletion protection (PUT /api/v2/recordings/deletionprotection?protect=false)
 * as a client of its own: the release client holds only recording:deletionProtection:revoke,
 * so the export worker's client never can. Its id and secret come from the environment only,
 * never from the command line, and appear in no message.
 */

export const RELEASE_CLIENT_ID_VARIABLE = "GENESYS_RELEASE_CLIENT_ID";
export const RELEASE_CLIENT_SECRET_VARIABLE = "GENESYS_RELEASE_CLIENT_SECRET";
export const REVOKE_PERMISSION = "recording:deletionProtection:revoke";
/** Conversations per request: a bound of ours (Genesys documents none), so one answer stays readable. */
const BATCH = 100;

export interface ReleaseClient {
  clientId: string;
  clientSecret: string;
}

/** The release client from the environment, or the names of the variables that are missing. */
export function releaseClientFrom(env: NodeJS.ProcessEnv): ReleaseClient | string[] {
  const clientId = env[RELEASE_CLIENT_ID_VARIABLE];
  const clientSecret = env[RELEASE_CLIENT_SECRET_VARIABLE];
  if (clientId && clientSecret) return { clientId, clientSecret };
  return [RELEASE_CLIENT_ID_VARIABLE, RELEASE_CLIENT_SECRET_VARIABLE].filter((name) => !env[name]);
}

export interface RevocationTarget {
  http: Http;
  apiBaseUrl: string;
  loginBaseUrl: string;
  client: ReleaseClient;
}

/** Revokes protection of every conversation; throws GenesysError naming those not revoked. */
export async function revokeDeletionProtection(target: RevocationTarget, conversationIds: string[]): Promise<void> {
  if (conversationIds.length === 0) return;
  const names = `${RELEASE_CLIENT_ID_VARIABLE} and ${RELEASE_CLIENT_SECRET_VARIABLE}`;
  const accessToken = await token(target.http, target.loginBaseUrl, target.client.clientId, target.client.clientSecret, names);
  const url = `${target.apiBaseUrl}/api/v2/recordings/deletionprotection?protect=false`;
  for (let start = 0; start < conversationIds.length; start += BATCH) {
    const batch = conversationIds.slice(start, start + BATCH);
    const answer = await requestJson(target.http, url, {
      method: "PUT",
      headers: { authorization: `Bearer ${accessToken}`, "content-type": "application/json" },
      body: JSON.stringify({ conversationIds: batch }),
    });
    const left = conversationIds.slice(start).join(", ");
    if (!answer.ok)
      throw new GenesysError(
        `PUT ${url} answered HTTP ${answer.status}${genesysMessage(answer.body)} (the release client needs ${REVOKE_PERMISSION}); not revoked: ${left}`,
      );
    const failed = (answer.body as { failedUpdates?: unknown[] } | undefined)?.failedUpdates ?? [];
    if (failed.length > 0)
      throw new GenesysError(
        `Genesys listed ${failed.length} failed update(s): ${JSON.stringify(failed).slice(0, 500)}; not revoked: ${left}`,
      );
  }
}

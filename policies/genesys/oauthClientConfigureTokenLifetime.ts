import { resourcePolicy } from "../lib/projectPolicy";
import { GENESYS_OAUTH_CLIENT } from "../lib/resourceTypes";

/** Genesys' own bounds for accessTokenValiditySeconds, and what it applies when the input is unset (facts §3). */
const GENESYS_MIN_VALIDITY_SECONDS = 300;
const GENESYS_MAX_VALIDITY_SECONDS = 172_800;
const GENESYS_DEFAULT_VALIDITY_SECONDS = 86_400;

export const genesysOauthClientConfigureTokenLifetime = resourcePolicy<{ maxAccessTokenValiditySeconds: number }>(
  {
    name: "genesys-oauthclient-configure-token-lifetime",
    description: "Every Genesys Cloud OAuth client sets accessTokenValiditySeconds no higher than the configured maximum.",
    severity: "medium",
    why: "A leaked access token works until it expires, whatever happens to the client afterwards; Genesys issues 24-hour tokens unless told otherwise, while the exporter fetches a new token whenever it needs one.",
    remediationSteps:
      "Set accessTokenValiditySeconds between 300 (Genesys' minimum) and the maximum (policy config maxAccessTokenValiditySeconds, default 3600).",
    resourceTypes: GENESYS_OAUTH_CLIENT,
    config: {
      maxAccessTokenValiditySeconds: {
        type: "integer",
        minimum: GENESYS_MIN_VALIDITY_SECONDS,
        maximum: GENESYS_MAX_VALIDITY_SECONDS,
        default: 3600,
        description: "Longest access-token lifetime accepted, in seconds (Genesys accepts 300 to 172800).",
      },
    },
  },
  (client, report, { maxAccessTokenValiditySeconds }) => {
    const seconds = client.props.accessTokenValiditySeconds;
    // Unset is its own message: the value in force is Genesys' default, not one the author chose.
    if (seconds === undefined || seconds === null) {
      report(
        `OAuth client "${client.name}" does not set accessTokenValiditySeconds, so Genesys issues ${GENESYS_DEFAULT_VALIDITY_SECONDS}-second tokens; set it to at most ${maxAccessTokenValiditySeconds}.`,
      );
    } else if (
      typeof seconds !== "number" ||
      !Number.isInteger(seconds) ||
      seconds < GENESYS_MIN_VALIDITY_SECONDS ||
      seconds > maxAccessTokenValiditySeconds
    ) {
      report(
        `OAuth client "${client.name}" has accessTokenValiditySeconds ${JSON.stringify(seconds)}, not a whole number of seconds from ${GENESYS_MIN_VALIDITY_SECONDS} to ${maxAccessTokenValiditySeconds}; set it within that range.`,
      );
    }
  },
);

import { resourcePolicy } from "../lib/projectPolicy";
import { GENESYS_INTEGRATION_ACTION } from "../lib/resourceTypes";

/** Genesys' data-action limits (facts §3): 1 to 60 seconds, 60 when unset. */
const GENESYS_MIN_TIMEOUT_SECONDS = 1;
const GENESYS_MAX_TIMEOUT_SECONDS = 60;

export const genesysIntegrationActionConfigureTimeout = resourcePolicy<{ maxTimeoutSeconds: number }>(
  {
    name: "genesys-integrationaction-configure-timeout",
    description: "A Genesys Cloud data action's configTimeoutSeconds, when set, is between 1 and the configured maximum.",
    severity: "medium",
    why: "Genesys cuts a data action off after at most 60 seconds and the Architect flow waits for it all that time; exports take longer, so the intake Lambda must queue the work and answer fast, and a timeout outside the limit is refused at deploy.",
    remediationSteps:
      "Set configTimeoutSeconds to a whole number from 1 to the maximum (policy config maxTimeoutSeconds, default 60), or leave it unset for Genesys' 60.",
    resourceTypes: GENESYS_INTEGRATION_ACTION,
    config: {
      maxTimeoutSeconds: {
        type: "integer",
        minimum: GENESYS_MIN_TIMEOUT_SECONDS,
        maximum: GENESYS_MAX_TIMEOUT_SECONDS,
        default: GENESYS_MAX_TIMEOUT_SECONDS,
        description: "Longest data-action timeout accepted, in seconds (Genesys allows 1 to 60).",
      },
    },
  },
  (action, report, { maxTimeoutSeconds }) => {
    const seconds = action.props.configTimeoutSeconds;
    // Unset means Genesys' default of 60 s, the platform limit itself: allowed.
    if (seconds === undefined || seconds === null) return;
    if (typeof seconds !== "number" || !Number.isInteger(seconds) || seconds < GENESYS_MIN_TIMEOUT_SECONDS || seconds > maxTimeoutSeconds) {
      report(
        `Integration action "${action.name}" has configTimeoutSeconds ${JSON.stringify(seconds)}, not a whole number of seconds from ${GENESYS_MIN_TIMEOUT_SECONDS} to ${maxTimeoutSeconds}; set it within that range (or leave it unset) and queue longer work.`,
      );
    }
  },
);

import { unknownValue } from "@pulumi/pulumi/runtime/rpc";
import { describe, expect, it } from "vitest";
import { caseExportActionContractInput } from "../../components/genesys/caseExportContract";
import {
  GENESYS_AUTH_ROLE,
  GENESYS_INTEGRATION,
  GENESYS_INTEGRATION_ACTION,
  GENESYS_INTEGRATION_CREDENTIAL,
  GENESYS_OAUTH_CLIENT,
} from "../../policies/lib/resourceTypes";
import { secretEnvelope } from "../../tools/engine/pulumiWire";
import { evaluateFixtures, type FixtureResource, fixtureUrn } from "../support/policyHarness";

const [INTEGRATION, CREDENTIAL, ACTION, ROLE, CLIENT] = [
  GENESYS_INTEGRATION[0],
  GENESYS_INTEGRATION_CREDENTIAL[0],
  GENESYS_INTEGRATION_ACTION[0],
  GENESYS_AUTH_ROLE[0],
  GENESYS_OAUTH_CLIENT[0],
] as string[];

/** How the engine sends a secret (the credential's `fields` is sensitive); the pack unwraps it for validation. */
const secret = secretEnvelope;
const INVOKER_ROLE_ARN = "arn:aws:iam::111122223333:role/genesys-invoker";
/** What the engine sends for a string output that is not known yet (preview). */
const UNKNOWN = unknownValue;

const contract = (required: string[], properties: string[]) =>
  JSON.stringify({ type: "object", required, properties: Object.fromEntries(properties.map((p) => [p, { type: "string" }])) });

/** A fixture whose outputs add the `id` the provider would return, so id matching works without links too. */
function resource(type: string, name: string, props: Record<string, unknown>, links?: Record<string, string[]>): FixtureResource {
  return { type, name, props, outputs: { ...props, id: `${name}-id` }, links };
}

/** The Genesys side of the archive, configured as the project intends. */
function compliantStack(): FixtureResource[] {
  return [
    resource(CREDENTIAL, "invoker-credential", {
      name: "legal-hold-invoker",
      credentialTypeName: "amazonWebServicesARN",
      fields: secret({ ARN: INVOKER_ROLE_ARN }),
    }),
    resource(
      INTEGRATION,
      "archive-integration",
      {
        integrationType: "aws-lambda-data-actions",
        intendedState: "ENABLED",
        config: { name: "Legal hold archive", credentials: { AmazonWebServicesARN: "invoker-credential-id" } },
      },
      { config: ["invoker-credential"] },
    ),
    resource(
      ACTION,
      "export-action",
      {
        name: "Archive legal-hold recordings",
        category: "Legal hold archive",
        integrationId: "archive-integration-id",
        contractInput: contract(["conversationId", "caseId"], ["conversationId", "caseId"]),
        contractOutput: JSON.stringify({ type: "object", properties: { queued: { type: "boolean" } } }),
        configRequest: { requestType: "POST", requestUrlTemplate: "arn:aws:lambda:eu-west-2:111122223333:function:intake" },
        configTimeoutSeconds: 30,
      },
      { integrationId: ["archive-integration"] },
    ),
    resource(ROLE, "exporter-role", {
      name: "Legal hold exporter",
      permissionPolicies: [
        { domain: "recording", entityName: "recording", actionSets: ["view", "viewSensitiveData"] },
        { domain: "recording", entityName: "deletionProtection", actionSets: ["apply"] },
      ],
    }),
    resource(
      CLIENT,
      "exporter-client",
      {
        name: "Legal hold exporter",
        authorizedGrantType: "CLIENT-CREDENTIALS",
        accessTokenValiditySeconds: 3600,
        roles: [{ roleId: "exporter-role-id", divisionId: "home-division-id" }],
      },
      { roles: ["exporter-role"] },
    ),
  ];
}

/** The compliant stack with one change made to the named fixture. */
function changed(name: string, change: (fixture: FixtureResource) => void, stack = compliantStack()): FixtureResource[] {
  const fixture = stack.find((f) => f.name === name);
  if (!fixture) throw new Error(`no fixture ${name}`);
  change(fixture);
  // Stack policies read outputs: keep them in step with the changed inputs.
  fixture.outputs = { ...fixture.props, id: `${name}-id` };
  return stack;
}

async function genesysViolations(stack: FixtureResource[]) {
  return (await evaluateFixtures(stack)).filter((v) => v.policy.startsWith("genesys-"));
}

/** Exactly one Genesys violation, by the named policy, on the named fixture, with the message fragment. */
async function expectOnlyViolation(stack: FixtureResource[], policy: string, name: string, fragment: string) {
  const violations = await genesysViolations(stack);
  const fixture = stack.find((f) => f.name === name) as FixtureResource;
  expect(violations).toEqual([expect.objectContaining({ policy, enforcementLevel: "mandatory", urn: fixtureUrn(fixture.type, name) })]);
  expect(violations[0]?.message).toContain(fragment);
  return violations[0]?.message as string;
}

describe("the Genesys policies", () => {
  it("accept the compliant integration, credential, action, auth role and OAuth client", async () => {
    expect(await genesysViolations(compliantStack())).toEqual([]);
  });

  it("accept the compliant stack at preview, when ids and the role ARN are still unknown", async () => {
    const stack = compliantStack().map((f) => {
      const props = structuredClone(f.props);
      if (f.name === "invoker-credential") props.fields = secret({ ARN: UNKNOWN });
      if (f.name === "archive-integration")
        (props.config as { credentials: Record<string, string> }).credentials.AmazonWebServicesARN = UNKNOWN;
      if (f.name === "export-action") props.integrationId = UNKNOWN;
      if (f.name === "exporter-client") props.roles = [{ roleId: UNKNOWN, divisionId: "home-division-id" }];
      return { ...f, props, outputs: { ...props, id: UNKNOWN } };
    });
    // An advisory "can't run during preview" would show up here too.
    expect(await genesysViolations(stack)).toEqual([]);
  });

  it("accept the compliant stack from a state file without dependency records, matching ids instead", async () => {
    const stack = compliantStack().map((f) => ({ ...f, links: undefined }));
    expect(await genesysViolations(stack)).toEqual([]);
  });
});

describe("genesys-oauthclient-require-client-credentials", () => {
  it("refuses an OAuth client with a user grant", async () => {
    const stack = changed("exporter-client", (f) => {
      f.props.authorizedGrantType = "CODE";
    });
    await expectOnlyViolation(stack, "genesys-oauthclient-require-client-credentials", "exporter-client", 'authorizedGrantType "CODE"');
  });
});

describe("genesys-oauthclient-configure-token-lifetime", () => {
  it("refuses an OAuth client that leaves the token lifetime at Genesys' 24-hour default", async () => {
    const stack = changed("exporter-client", (f) => {
      delete f.props.accessTokenValiditySeconds;
    });
    await expectOnlyViolation(
      stack,
      "genesys-oauthclient-configure-token-lifetime",
      "exporter-client",
      "does not set accessTokenValiditySeconds, so Genesys issues 86400-second tokens",
    );
  });

  it("refuses a token lifetime above the configured maximum", async () => {
    const stack = changed("exporter-client", (f) => {
      f.props.accessTokenValiditySeconds = 7200;
    });
    await expectOnlyViolation(
      stack,
      "genesys-oauthclient-configure-token-lifetime",
      "exporter-client",
      "accessTokenValiditySeconds 7200, not a whole number of seconds from 300 to 3600",
    );
  });

  it("refuses a token lifetime below Genesys' 300-second minimum", async () => {
    const stack = changed("exporter-client", (f) => {
      f.props.accessTokenValiditySeconds = 60;
    });
    await expectOnlyViolation(
      stack,
      "genesys-oauthclient-configure-token-lifetime",
      "exporter-client",
      "accessTokenValiditySeconds 60, not a whole number of seconds from 300 to 3600",
    );
  });
});

describe("genesys-oauthclient-require-secret-in-secrets-manager", () => {
  const exposed = () =>
    changed("exporter-client", (f) => {
      f.props.exposeClientSecret = true;
    });

  it("accepts an exposed client secret that goes into a Secrets Manager secret version", async () => {
    const stack = [
      ...exposed(),
      {
        type: "aws:secretsmanager/secretVersion:SecretVersion",
        name: "worker-credentials",
        props: { secretId: "s" },
        links: { secretString: ["exporter-client"] },
      },
    ];
    expect(await genesysViolations(stack)).toEqual([]);
  });

  it("refuses an exposed client secret that no Secrets Manager secret stores", async () => {
    await expectOnlyViolation(
      exposed(),
      "genesys-oauthclient-require-secret-in-secrets-manager",
      "exporter-client",
      "no Secrets Manager secret version stores it",
    );
  });
});

describe("genesys-authrole-configure-permission-allowlist", () => {
  it("refuses a wildcard action, once, even though the entity's other actions are allowed", async () => {
    const stack = changed("exporter-role", (f) => {
      f.props.permissionPolicies = [
        { domain: "recording", entityName: "recording", actionSets: ["*"] },
        { domain: "recording", entityName: "deletionProtection", actionSets: ["apply"] },
      ];
    });
    await expectOnlyViolation(
      stack,
      "genesys-authrole-configure-permission-allowlist",
      "exporter-role",
      'grants wildcard permission "recording:recording:*"',
    );
  });

  it("refuses a wildcard entity, also when the SDK spells the action set singular", async () => {
    const stack = changed("exporter-role", (f) => {
      f.props.permissionPolicies = [
        { domain: "recording", entityName: "recording", actionSets: ["view", "viewSensitiveData"] },
        { domain: "recording", entityName: "*", actionSet: ["apply"] },
      ];
    });
    await expectOnlyViolation(
      stack,
      "genesys-authrole-configure-permission-allowlist",
      "exporter-role",
      'grants wildcard permission "recording:*:apply"',
    );
  });

  it("refuses a permission outside the allowlist, naming it", async () => {
    const stack = changed("exporter-role", (f) => {
      f.props.permissionPolicies = [
        { domain: "recording", entityName: "recording", actionSets: ["view", "viewSensitiveData", "delete"] },
        { domain: "recording", entityName: "deletionProtection", actionSets: ["apply"] },
      ];
    });
    await expectOnlyViolation(
      stack,
      "genesys-authrole-configure-permission-allowlist",
      "exporter-role",
      'grants permission "recording:recording:delete", which is not in the allowlist',
    );
  });

  it("refuses a general role permission that is not allowlisted", async () => {
    const stack = changed("exporter-role", (f) => {
      f.props.permissions = ["group_creation"];
    });
    await expectOnlyViolation(
      stack,
      "genesys-authrole-configure-permission-allowlist",
      "exporter-role",
      'grants permission "group_creation"',
    );
  });
});

describe("genesys-integrationaction-configure-timeout", () => {
  it("refuses a timeout above the 60-second data-action limit", async () => {
    const stack = changed("export-action", (f) => {
      f.props.configTimeoutSeconds = 120;
    });
    await expectOnlyViolation(
      stack,
      "genesys-integrationaction-configure-timeout",
      "export-action",
      "configTimeoutSeconds 120, not a whole number of seconds from 1 to 60",
    );
  });

  it("refuses a zero timeout", async () => {
    const stack = changed("export-action", (f) => {
      f.props.configTimeoutSeconds = 0;
    });
    await expectOnlyViolation(
      stack,
      "genesys-integrationaction-configure-timeout",
      "export-action",
      "configTimeoutSeconds 0, not a whole number of seconds from 1 to 60",
    );
  });

  it("accepts an unset timeout, which is Genesys' default of 60 seconds", async () => {
    const stack = changed("export-action", (f) => {
      delete f.props.configTimeoutSeconds;
    });
    expect(await genesysViolations(stack)).toEqual([]);
  });
});

describe("genesys-integrationaction-require-contract-fields", () => {
  it("refuses a contract missing caseId", async () => {
    const stack = changed("export-action", (f) => {
      f.props.contractInput = contract(["conversationId"], ["conversationId"]);
    });
    await expectOnlyViolation(
      stack,
      "genesys-integrationaction-require-contract-fields",
      "export-action",
      'contractInput neither requires nor defines "caseId"',
    );
  });

  it("refuses a contract that defines conversationId but does not require it", async () => {
    const stack = changed("export-action", (f) => {
      f.props.contractInput = contract(["caseId"], ["conversationId", "caseId"]);
    });
    await expectOnlyViolation(
      stack,
      "genesys-integrationaction-require-contract-fields",
      "export-action",
      'contractInput does not require "conversationId"',
    );
  });

  it("accepts the case export's contract (caseId, from, to), which has no conversationId", async () => {
    const stack = changed("export-action", (f) => {
      f.props.contractInput = JSON.stringify(caseExportActionContractInput());
    });
    expect(await genesysViolations(stack)).toEqual([]);
  });

  it("names what a case-export contract lacks when it does not require the end of the interval", async () => {
    const stack = changed("export-action", (f) => {
      f.props.contractInput = JSON.stringify({ ...caseExportActionContractInput(), required: ["operation", "caseId", "from"] });
    });
    await expectOnlyViolation(
      stack,
      "genesys-integrationaction-require-contract-fields",
      "export-action",
      'contractInput does not require "to"',
    );
  });

  it("refuses an unparsable contract, naming the parse problem", async () => {
    const stack = changed("export-action", (f) => {
      f.props.contractInput = '{"type": "object", "required": ["conversationId", "caseId"]';
    });
    await expectOnlyViolation(
      stack,
      "genesys-integrationaction-require-contract-fields",
      "export-action",
      "contractInput is not valid JSON (",
    );
  });
});

describe("genesys-integrationcredential-require-aws-arn-type", () => {
  it("refuses a credential of another type", async () => {
    const stack = changed("invoker-credential", (f) => {
      f.props.credentialTypeName = "basicAuth";
    });
    await expectOnlyViolation(
      stack,
      "genesys-integrationcredential-require-aws-arn-type",
      "invoker-credential",
      'credentialTypeName "basicAuth"; set it to "amazonWebServicesARN"',
    );
  });

  it("refuses a credential without an ARN field, never printing the sensitive values", async () => {
    const stack = changed("invoker-credential", (f) => {
      f.props.fields = secret({ RoleArn: INVOKER_ROLE_ARN });
    });
    const message = await expectOnlyViolation(
      stack,
      "genesys-integrationcredential-require-aws-arn-type",
      "invoker-credential",
      "has no ARN field (its fields are RoleArn)",
    );
    expect(message).not.toContain(INVOKER_ROLE_ARN);
  });
});

describe("genesys-integration-require-lambda-data-actions", () => {
  it("refuses an integration using the AWS ARN credential that is not of type aws-lambda-data-actions, once for it and its action", async () => {
    const stack = changed("archive-integration", (f) => {
      f.props.integrationType = "custom-rest-actions";
    });
    await expectOnlyViolation(
      stack,
      "genesys-integration-require-lambda-data-actions",
      "archive-integration",
      'uses an amazonWebServicesARN credential but has integrationType "custom-rest-actions"',
    );
  });

  it("refuses the Lambda integration left disabled", async () => {
    const stack = changed("archive-integration", (f) => {
      f.props.intendedState = "DISABLED";
    });
    await expectOnlyViolation(stack, "genesys-integration-require-lambda-data-actions", "archive-integration", 'intendedState "DISABLED"');
  });

  it("refuses the Lambda integration with intendedState unset (Genesys' default is DISABLED)", async () => {
    const stack = changed("archive-integration", (f) => {
      delete f.props.intendedState;
    });
    await expectOnlyViolation(
      stack,
      "genesys-integration-require-lambda-data-actions",
      "archive-integration",
      "intendedState unset (DISABLED)",
    );
  });

  it("refuses a data action on an integration of another type", async () => {
    const stack = compliantStack();
    stack.push(resource(INTEGRATION, "platform-integration", { integrationType: "purecloud-data-actions", intendedState: "ENABLED" }));
    changed(
      "export-action",
      (f) => {
        f.props.integrationId = "platform-integration-id";
        f.links = { integrationId: ["platform-integration"] };
      },
      stack,
    );
    await expectOnlyViolation(
      stack,
      "genesys-integration-require-lambda-data-actions",
      "export-action",
      'belongs to integration "platform-integration" of type "purecloud-data-actions"',
    );
  });

  /** Bulk mode's pair: the recording bulk actions integration with its own role credential. */
  const withBulkIntegration = (stack = compliantStack()) => {
    stack.push(
      resource(CREDENTIAL, "bulk-credential", {
        name: "legal-hold-bulk-writer",
        credentialTypeName: "amazonWebServicesARN",
        fields: secret({ ARN: "arn:aws:iam::111122223333:role/bulk-writer" }),
      }),
      resource(
        INTEGRATION,
        "bulk-integration",
        {
          integrationType: "aws-s3-recording-bulk-actions-integration",
          intendedState: "ENABLED",
          config: { name: "Legal hold bulk export", credentials: { AmazonWebServicesARN: "bulk-credential-id" } },
        },
        { config: ["bulk-credential"] },
      ),
    );
    return stack;
  };

  it("accepts the recording bulk actions integration beside the Lambda one, each with its role credential", async () => {
    expect(await genesysViolations(withBulkIntegration())).toEqual([]);
  });

  it("refuses a data action on the recording bulk actions integration", async () => {
    const stack = withBulkIntegration();
    changed(
      "export-action",
      (f) => {
        f.props.integrationId = "bulk-integration-id";
        f.links = { integrationId: ["bulk-integration"] };
      },
      stack,
    );
    await expectOnlyViolation(
      stack,
      "genesys-integration-require-lambda-data-actions",
      "export-action",
      'belongs to integration "bulk-integration" of type "aws-s3-recording-bulk-actions-integration"',
    );
  });

  it("refuses a data action whose integration is not in the stack", async () => {
    const stack = changed("export-action", (f) => {
      f.props.integrationId = "0f1e2d3c-existing-integration";
      f.links = {};
    });
    await expectOnlyViolation(
      stack,
      "genesys-integration-require-lambda-data-actions",
      "export-action",
      "matches no integration in this stack",
    );
  });
});

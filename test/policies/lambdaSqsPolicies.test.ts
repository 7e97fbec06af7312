import { specialArchiveSig, specialAssetSig, specialSigKey, unknownValue } from "@pulumi/pulumi/runtime/rpc";
import { describe, expect, it } from "vitest";
import type { Violation } from "../../tools/engine/policyAnalysis";
import { evaluateFixtures, type FixtureResource } from "../support/policyHarness";

const FUNCTION = "aws:lambda/function:Function";
const MAPPING = "aws:lambda/eventSourceMapping:EventSourceMapping";
const LOG_GROUP = "aws:cloudwatch/logGroup:LogGroup";
const QUEUE = "aws:sqs/queue:Queue";

const ACCOUNT = "eu-west-1:111122223333";
const FUNCTION_ARN = `arn:aws:lambda:${ACCOUNT}:function:export-worker`;
const QUEUE_ARN = `arn:aws:sqs:${ACCOUNT}:export-requests`;
const DLQ_ARN = `arn:aws:sqs:${ACCOUNT}:export-requests-dlq`;
const QUEUE_URL = "https://sqs.eu-west-1.amazonaws.com/111122223333/export-requests";
const LOGS_KEY_ARN = "arn:aws:kms:eu-west-1:111122223333:key/0b6a3c1e-4f5d-4e7a-9b8c-1d2e3f4a5b6c";
const INTAKE_ROLE_ARN = "arn:aws:iam::111122223333:role/export-intake";

// Archives as the engine sends them; @pulumi/policy turns them back into pulumi.asset objects.
const fileArchive = (path: string) => ({ [specialSigKey]: specialArchiveSig, path });
const remoteArchive = (uri: string) => ({ [specialSigKey]: specialArchiveSig, uri });
const assetArchive = (files: Record<string, string>) => ({
  [specialSigKey]: specialArchiveSig,
  assets: Object.fromEntries(Object.entries(files).map(([name, text]) => [name, { [specialSigKey]: specialAssetSig, text }])),
});

/** The export worker as the project deploys it: every lambda-, cloudwatch- and sqs- policy passes. */
function compliantStack(): FixtureResource[] {
  return [
    {
      type: LOG_GROUP,
      name: "export-worker-logs",
      props: { name: "/aws/lambda/export-worker", retentionInDays: 365, kmsKeyId: LOGS_KEY_ARN },
    },
    {
      type: FUNCTION,
      name: "export-worker",
      props: {
        name: "export-worker",
        arn: FUNCTION_ARN,
        runtime: "nodejs22.x",
        handler: "index.handler",
        code: fileArchive("lambda/dist/export-worker"),
        timeout: 60,
        reservedConcurrentExecutions: 2,
        environment: {
          variables: {
            ARCHIVE_BUCKET_NAME: "legal-hold-archive-prod-111122223333",
            GENESYS_SECRET_ARN: `arn:aws:secretsmanager:${ACCOUNT}:secret:genesys-export-client-AbCdEf`,
            GENESYS_CLIENT_ID: "0f3c2a9e-5b7d-4e61-9a8c-2d4f6b8e1c37",
            GENESYS_API_URL: "https://api.mypurecloud.ie",
          },
        },
        loggingConfig: { logFormat: "JSON", logGroup: "/aws/lambda/export-worker" },
      },
      links: { loggingConfig: ["export-worker-logs"] },
    },
    {
      type: QUEUE,
      name: "export-requests-dlq",
      props: { name: "export-requests-dlq", arn: DLQ_ARN, sqsManagedSseEnabled: true, messageRetentionSeconds: 1_209_600 },
    },
    {
      type: QUEUE,
      name: "export-requests",
      props: {
        name: "export-requests",
        arn: QUEUE_ARN,
        url: QUEUE_URL,
        sqsManagedSseEnabled: true,
        visibilityTimeoutSeconds: 360,
        redrivePolicy: JSON.stringify({ deadLetterTargetArn: DLQ_ARN, maxReceiveCount: 5 }),
      },
      links: { redrivePolicy: ["export-requests-dlq"] },
    },
    {
      type: "aws:sqs/queuePolicy:QueuePolicy",
      name: "export-requests-policy",
      // Only the intake sends: everyone else is denied (no Allow names anyone outside the stack).
      props: {
        queueUrl: QUEUE_URL,
        policy: JSON.stringify({
          Version: "2012-10-17",
          Statement: [
            {
              Effect: "Deny",
              Principal: "*",
              Action: "sqs:SendMessage",
              Resource: QUEUE_ARN,
              Condition: { ArnNotEquals: { "aws:PrincipalArn": INTAKE_ROLE_ARN } },
            },
          ],
        }),
      },
      links: { queueUrl: ["export-requests"] },
    },
    {
      type: MAPPING,
      name: "export-requests-to-worker",
      props: { eventSourceArn: QUEUE_ARN, functionName: FUNCTION_ARN, batchSize: 1 },
      links: { eventSourceArn: ["export-requests"], functionName: ["export-worker"] },
    },
  ];
}

function fixture(stack: FixtureResource[], name: string): FixtureResource {
  const found = stack.find((r) => r.name === name);
  if (!found) throw new Error(`no fixture ${name}`);
  return found;
}

/** The compliant stack with one change to one resource's props. */
function withProps(name: string, change: (props: Record<string, unknown>) => void): FixtureResource[] {
  const stack = compliantStack();
  change(fixture(stack, name).props);
  return stack;
}

/** The compliant stack with one environment variable of the worker added. */
function withVariable(variable: string, value: string): FixtureResource[] {
  return withProps("export-worker", (props) => {
    (props.environment as { variables: Record<string, string> }).variables[variable] = value;
  });
}

/** The compliant stack without a resource; what linked to it loses the link, as in the engine. */
function without(name: string): FixtureResource[] {
  const stack = compliantStack().filter((r) => r.name !== name);
  for (const r of stack) {
    for (const [property, names] of Object.entries(r.links ?? {})) {
      const kept = names.filter((n) => n !== name);
      if (r.links && kept.length === 0) delete r.links[property];
      else if (r.links) r.links[property] = kept;
    }
  }
  return stack;
}

const OURS = /^(lambda|cloudwatch|sqs)-/;

/** Violations of the policies under test; other folders' policies may report on these fixtures. */
async function violationsOf(stack: FixtureResource[]): Promise<Violation[]> {
  return (await evaluateFixtures(stack)).filter((v) => OURS.test(v.policy));
}

/** Asserts exactly one violation of the policies under test. */
async function expectOnly(stack: FixtureResource[], policy: string, fragment: string): Promise<Violation> {
  const violations = await violationsOf(stack);
  expect(violations.map((v) => [v.policy, v.message])).toEqual([[policy, expect.stringContaining(fragment)]]);
  return violations[0] as Violation;
}

const urnOf = (type: string, name: string) => `urn:pulumi:test::legal-hold-archive::${type}::${name}`;

describe("the compliant export worker", () => {
  it("passes every lambda, cloudwatch and sqs policy", async () => {
    expect(await violationsOf(compliantStack())).toEqual([]);
  });
});

describe("lambda-function-configure-runtime", () => {
  it("refuses nodejs20.x, which is deprecated", async () => {
    await expectOnly(
      withProps("export-worker", (p) => {
        p.runtime = "nodejs20.x";
      }),
      "lambda-function-configure-runtime",
      'runtime "nodejs20.x"',
    );
  });

  it("accepts nodejs24.x", async () => {
    const stack = withProps("export-worker", (p) => {
      p.runtime = "nodejs24.x";
    });
    expect(await violationsOf(stack)).toEqual([]);
  });
});

describe("lambda-function-disallow-secret-environment", () => {
  it("refuses a variable whose name says it holds a secret", async () => {
    await expectOnly(
      withVariable("GENESYS_CLIENT_SECRET", "not-checked-by-value"),
      "lambda-function-disallow-secret-environment",
      '"GENESYS_CLIENT_SECRET", whose name says it holds a secret',
    );
  });

  it.each(["DB_PASSWORD", "GENESYS_ACCESS_TOKEN", "SIGNING_PRIVATE_KEY", "partner_api_key", "SERVICE_CREDENTIALS"])(
    "refuses the secret-looking name %s",
    async (variable) => {
      await expectOnly(withVariable(variable, "x"), "lambda-function-disallow-secret-environment", `"${variable}"`);
    },
  );

  it("accepts names that only point at a secret (_ARN, _ID, _NAME, _URL)", async () => {
    const stack = withProps("export-worker", (p) => {
      (p.environment as { variables: Record<string, string> }).variables = {
        GENESYS_CLIENT_SECRET_ARN: `arn:aws:secretsmanager:${ACCOUNT}:secret:genesys`,
        TOKEN_SECRET_ID: "genesys-token",
        SECRET_NAME: "genesys-export-client",
        GENESYS_TOKEN_URL: "https://login.mypurecloud.ie/oauth/token",
      };
    });
    expect(await violationsOf(stack)).toEqual([]);
  });

  const base64url = (json: object) => Buffer.from(JSON.stringify(json)).toString("base64url");
  const secretValues: [kind: string, value: string][] = [
    ["an AWS access key id", "AKIA2EXAMPLEQ7ZK4M3P"],
    ["PEM-encoded key material", "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----"],
    ["a JSON Web Token", `${base64url({ alg: "HS256" })}.${base64url({ sub: "export-worker" })}.c2lnbmF0dXJlLW5vdC1yZWFs`],
    ["a randomly generated secret", "q7Vd2LxN9pR4sT8wZ3yB6mK1hJ5fG0cE"],
  ];

  it.each(secretValues)("refuses a value that looks like %s, naming the variable but never the value", async (kind, value) => {
    const violation = await expectOnly(
      withVariable("EXPORT_SETTING", value),
      "lambda-function-disallow-secret-environment",
      `"EXPORT_SETTING", whose value looks like ${kind}`,
    );
    expect(violation.message).not.toContain(value);
    expect(violation.message).not.toContain(value.slice(0, 12));
  });

  it("reports a variable once when both its name and its value look secret", async () => {
    await expectOnly(withVariable("API_KEY", "AKIA2EXAMPLEQ7ZK4M3P"), "lambda-function-disallow-secret-environment", '"API_KEY"');
  });
});

describe("lambda-function-require-archive-code", () => {
  it("refuses a serialized closure as aws.lambda.CallbackFunction deploys it (__index.js, handler __index.handler)", async () => {
    // One mistake, two props: CallbackFunction always sets both.
    await expectOnly(
      withProps("export-worker", (p) => {
        p.code = assetArchive({ "__index.js": "exports.handler = async () => {};" });
        p.handler = "__index.handler";
      }),
      "lambda-function-require-archive-code",
      'handler "__index.handler", the entry file of a serialized closure',
    );
  });

  it("accepts an AssetArchive of files the project built", async () => {
    const stack = withProps("export-worker", (p) => {
      p.code = assetArchive({ "index.js": "exports.handler = async () => {};" });
    });
    expect(await violationsOf(stack)).toEqual([]);
  });

  it("refuses a function with no code archive", async () => {
    await expectOnly(
      withProps("export-worker", (p) => {
        delete p.code;
      }),
      "lambda-function-require-archive-code",
      "has no code archive",
    );
  });

  it("refuses a RemoteArchive fetched at deploy time", async () => {
    await expectOnly(
      withProps("export-worker", (p) => {
        p.code = remoteArchive("https://artifacts.example.com/export-worker.zip");
      }),
      "lambda-function-require-archive-code",
      "RemoteArchive",
    );
  });
});

describe("lambda-function-require-reserved-concurrency", () => {
  it.each([
    [-1, "= -1 (unreserved)"],
    [0, "= 0;"],
  ])("refuses a queue worker with reservedConcurrentExecutions %i", async (reserved, fragment) => {
    const violation = await expectOnly(
      withProps("export-worker", (p) => {
        p.reservedConcurrentExecutions = reserved;
      }),
      "lambda-function-require-reserved-concurrency",
      `Function "export-worker" is invoked by event source mapping "export-requests-to-worker" with reservedConcurrentExecutions ${fragment}`,
    );
    expect(violation.urn).toBe(urnOf(FUNCTION, "export-worker"));
  });

  it("refuses a worker whose outputs carry no reservedConcurrentExecutions (unreserved)", async () => {
    await expectOnly(
      withProps("export-worker", (p) => {
        delete p.reservedConcurrentExecutions;
      }),
      "lambda-function-require-reserved-concurrency",
      "-1 (unreserved)",
    );
  });
});

describe("lambda-function-missing-log-group", () => {
  it("refuses a function whose log group is not in the stack", async () => {
    const violation = await expectOnly(
      without("export-worker-logs"),
      "lambda-function-missing-log-group",
      'Function "export-worker" logs to "/aws/lambda/export-worker", which is no log group of this stack',
    );
    expect(violation.urn).toBe(urnOf(FUNCTION, "export-worker"));
  });

  it("finds the /aws/lambda/<name> group by value when the function has no loggingConfig", async () => {
    const stack = withProps("export-worker", (p) => {
      delete p.loggingConfig;
    });
    fixture(stack, "export-worker").links = {};
    expect(await violationsOf(stack)).toEqual([]);
  });

  it("refuses a loggingConfig.logGroup that names a group outside the stack", async () => {
    const stack = withProps("export-worker", (p) => {
      p.loggingConfig = { logFormat: "JSON", logGroup: "/shared/lambda" };
    });
    fixture(stack, "export-worker").links = {};
    await expectOnly(stack, "lambda-function-missing-log-group", 'logs to "/shared/lambda"');
  });

  it("links a log group through the property dependency of its name on the function while that name is unknown", async () => {
    const stack = withProps("export-worker-logs", (p) => {
      p.name = unknownValue;
    });
    delete fixture(stack, "export-worker").props.loggingConfig;
    fixture(stack, "export-worker").links = {};
    fixture(stack, "export-worker-logs").links = { name: ["export-worker"] };
    expect(await violationsOf(stack)).toEqual([]);
  });

  it("trusts the known name over the dependency: a group depending on the function but named otherwise does not count", async () => {
    const stack = withProps("export-worker-logs", (p) => {
      p.name = "/aws/lambda/someone-else";
    });
    delete fixture(stack, "export-worker").props.loggingConfig;
    fixture(stack, "export-worker").links = {};
    fixture(stack, "export-worker-logs").links = { name: ["export-worker"] };
    await expectOnly(stack, "lambda-function-missing-log-group", 'logs to "/aws/lambda/export-worker"');
  });
});

describe("cloudwatch-loggroup-configure-retention", () => {
  it.each([
    ["0 (never expire)", 0, "retentionInDays 0, so its events never expire"],
    ["unset (never expire)", undefined, "retentionInDays unset, so its events never expire"],
    ["7 days, below the minimum", 7, "retentionInDays 7, outside 30 to 3653"],
    ["3653 days and more, above the maximum", 5000, "retentionInDays 5000, outside 30 to 3653"],
  ])("refuses a retention of %s", async (_label, days, fragment) => {
    await expectOnly(
      withProps("export-worker-logs", (p) => {
        if (days === undefined) delete p.retentionInDays;
        else p.retentionInDays = days;
      }),
      "cloudwatch-loggroup-configure-retention",
      `Log group "export-worker-logs" has ${fragment}`,
    );
  });
});

describe("sqs-queue-enable-encryption", () => {
  it("refuses a queue without SSE-SQS or a KMS key", async () => {
    await expectOnly(
      withProps("export-requests", (p) => {
        p.sqsManagedSseEnabled = false;
      }),
      "sqs-queue-enable-encryption",
      'Queue "export-requests" has sqsManagedSseEnabled = false and no kmsMasterKeyId',
    );
  });

  it("accepts a KMS key instead of SSE-SQS", async () => {
    const stack = withProps("export-requests", (p) => {
      delete p.sqsManagedSseEnabled;
      p.kmsMasterKeyId = "alias/legal-hold-queue";
    });
    expect(await violationsOf(stack)).toEqual([]);
  });
});

describe("sqs-queue-missing-dead-letter-queue", () => {
  it("refuses a consumed queue without a redrive policy", async () => {
    const stack = withProps("export-requests", (p) => {
      delete p.redrivePolicy;
    });
    fixture(stack, "export-requests").links = {};
    const violation = await expectOnly(
      stack,
      "sqs-queue-missing-dead-letter-queue",
      'Queue "export-requests" is consumed by event source mapping "export-requests-to-worker" but has no redrivePolicy',
    );
    expect(violation.urn).toBe(urnOf(QUEUE, "export-requests"));
  });

  it("refuses a dead-letter target that is not a queue of the stack", async () => {
    const stack = withProps("export-requests", (p) => {
      p.redrivePolicy = JSON.stringify({ deadLetterTargetArn: `arn:aws:sqs:${ACCOUNT}:somewhere-else`, maxReceiveCount: 5 });
    });
    fixture(stack, "export-requests").links = {};
    await expectOnly(
      stack,
      "sqs-queue-missing-dead-letter-queue",
      `deadLetterTargetArn "arn:aws:sqs:${ACCOUNT}:somewhere-else", which is no queue of this stack`,
    );
  });

  it("finds the dead-letter queue by its ARN when property dependencies are absent", async () => {
    const stack = compliantStack();
    fixture(stack, "export-requests").links = {};
    expect(await violationsOf(stack)).toEqual([]);
  });
});

describe("sqs-queue-configure-max-receive-count", () => {
  it.each([10, 0])("refuses maxReceiveCount %i", async (count) => {
    await expectOnly(
      withProps("export-requests", (p) => {
        p.redrivePolicy = JSON.stringify({ deadLetterTargetArn: DLQ_ARN, maxReceiveCount: count });
      }),
      "sqs-queue-configure-max-receive-count",
      `maxReceiveCount ${count}, outside 1 to 5`,
    );
  });
});

describe("sqs-queue-configure-visibility-timeout", () => {
  it("refuses a visibility timeout under 6 × the consumer's timeout", async () => {
    const violation = await expectOnly(
      withProps("export-worker", (p) => {
        p.timeout = 120;
      }),
      "sqs-queue-configure-visibility-timeout",
      'Queue "export-requests" has visibilityTimeoutSeconds 360, less than 6 × the 120-second timeout of function "export-worker" (720)',
    );
    expect(violation.urn).toBe(urnOf(QUEUE, "export-requests"));
  });

  it("takes SQS's 30-second default when the queue's outputs lack a visibility timeout", async () => {
    await expectOnly(
      withProps("export-requests", (p) => {
        delete p.visibilityTimeoutSeconds;
      }),
      "sqs-queue-configure-visibility-timeout",
      "visibilityTimeoutSeconds 30, less than 6 × the 60-second timeout",
    );
  });

  it("takes Lambda's 3-second default when the function's outputs lack a timeout", async () => {
    const stack = withProps("export-requests", (p) => {
      p.visibilityTimeoutSeconds = 10;
    });
    delete fixture(stack, "export-worker").props.timeout;
    await expectOnly(stack, "sqs-queue-configure-visibility-timeout", "visibilityTimeoutSeconds 10, less than 6 × the 3-second timeout");
  });

  it("resolves the queue and its consumer by value when property dependencies are absent", async () => {
    const stack = withProps("export-requests", (p) => {
      p.visibilityTimeoutSeconds = 60;
    });
    const mapping = fixture(stack, "export-requests-to-worker");
    mapping.links = {};
    // functionName by name this time; eventSourceArn stays the queue's ARN.
    mapping.props.functionName = "export-worker";
    await expectOnly(stack, "sqs-queue-configure-visibility-timeout", 'Queue "export-requests" has visibilityTimeoutSeconds 60');
  });
});

describe("the stack policies at preview", () => {
  it("link through property dependencies while names and ARNs are unknown, and still report", async () => {
    const stack = withProps("export-worker", (p) => {
      p.timeout = 120;
    });
    // A first preview: the engine sends outputs it cannot know yet as the unknown sentinel.
    for (const [name, properties] of Object.entries({
      "export-worker": ["name", "arn"],
      "export-requests": ["arn", "redrivePolicy"],
      "export-requests-dlq": ["arn"],
      "export-requests-to-worker": ["eventSourceArn", "functionName"],
    })) {
      for (const property of properties) fixture(stack, name).props[property] = unknownValue;
    }
    const stackPolicies = [
      "lambda-function-require-reserved-concurrency",
      "lambda-function-missing-log-group",
      "sqs-queue-missing-dead-letter-queue",
      "sqs-queue-configure-visibility-timeout",
    ];
    const reported = (await violationsOf(stack)).filter((v) => stackPolicies.includes(v.policy));
    expect(reported.map((v) => [v.policy, v.enforcementLevel])).toEqual([["sqs-queue-configure-visibility-timeout", "mandatory"]]);
  });
});

import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type * as GenesysCloud from "@pulumi/genesyscloud";
import * as pulumi from "@pulumi/pulumi";
import { beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { MOCK_SECRET_OUTPUT, PROJECT_DIR } from "../../tools/engine/mockRuntime";

/**
 * The local SDK written in the shape of `pulumi package add terraform-provider
 * mypurecloud/genesyscloud 1.84.0`, exercised under the Pulumi mock runtime.
 * The mock monitor is wrapped so the tests see what the engine would receive:
 * the package registration, each resource's package reference and its
 * additionalSecretOutputs (which the engine, not the SDK, applies to outputs).
 */

const SDK_DIR = join(PROJECT_DIR, "sdks", "genesyscloud");
const TF_PROVIDER = "mypurecloud/genesyscloud";
const TF_VERSION = "1.84.0";
const REGISTRY_URL = `registry.opentofu.org/${TF_PROVIDER}`;

interface PluginBlock {
  resource: boolean;
  name: string;
  version: string;
  parameterization: { name: string; version: string; value: string };
}
interface SdkManifest {
  name: string;
  version: string;
  main: string;
  types: string;
  scripts: Record<string, string>;
  dependencies: Record<string, string>;
  pulumi: PluginBlock;
}
const readJson = <T>(path: string): T => JSON.parse(readFileSync(path, "utf8")) as T;
const sdkManifest = readJson<SdkManifest>(join(SDK_DIR, "package.json"));

interface Registration {
  type: string;
  name: string;
  packageRef: string;
  additionalSecretOutputs: string[];
  /** Inputs as the provider would receive them, secrets unwrapped. */
  inputs: Record<string, unknown>;
  /** Top-level input properties the SDK sent as secrets. */
  secretInputs: string[];
}
interface PackageRegistration {
  name: string;
  version: string;
  parameterization: { name: string; version: string; value: Buffer } | undefined;
}

const registrations = new Map<string, Registration>();
const packageRegistrations: PackageRegistration[] = [];
const registration = (type: string, name: string): Registration => {
  const found = registrations.get(`${type}::${name}`);
  if (!found) throw new Error(`no ${type} named ${name} was registered`);
  return found;
};

const { specialSigKey, specialSecretSig } = pulumi.runtime;
const secretOf = (value: unknown) => ({ [specialSigKey]: specialSecretSig, value });
const isWireSecret = (value: unknown): value is { value: unknown } =>
  typeof value === "object" && value !== null && (value as Record<string, unknown>)[specialSigKey] === specialSecretSig;

/** Values the Genesys provider computes, so outputs resolve. */
const COMPUTED: Record<string, Record<string, unknown>> = {
  "genesyscloud:index/oauthClient:OauthClient": {
    clientId: "7de3af06-1234-4c5d-8e9f-000000000001",
    clientSecret: MOCK_SECRET_OUTPUT,
    integrationCredentialId: "credential-from-client",
  },
};

type RegisterResourceRequest = {
  getType(): string;
  getName(): string;
  getPackageref(): string;
  getAdditionalsecretoutputsList(): string[];
};
type RegisterPackageRequest = {
  getName(): string;
  getVersion(): string;
  getParameterization(): { getName(): string; getVersion(): string; getValue_asU8(): Uint8Array } | undefined;
};
type Callback = (error: unknown, response?: unknown) => void;

let gc: typeof GenesysCloud;

beforeAll(async () => {
  pulumi.runtime.setAllConfig({ "genesyscloud:awsRegion": "eu-west-2", "genesyscloud:tokenPoolSize": "4" }, []);
  await pulumi.runtime.setMocks(
    {
      newResource(args) {
        const record = registration(args.type, args.name);
        const inputs: Record<string, unknown> = {};
        for (const [key, value] of Object.entries(args.inputs)) {
          inputs[key] = isWireSecret(value) ? value.value : value;
          if (isWireSecret(value)) record.secretInputs.push(key);
        }
        record.inputs = inputs;
        // Like the engine: state is the inputs plus computed values, and every
        // output named in additionalSecretOutputs comes back as a secret.
        const state: Record<string, unknown> = { ...args.inputs, ...COMPUTED[args.type] };
        for (const key of record.additionalSecretOutputs) {
          if (key in state && !isWireSecret(state[key])) state[key] = secretOf(state[key]);
        }
        return { id: `${args.name}-id`, state };
      },
      call: () => ({}),
    },
    "sdk-test",
    "test",
    false,
  );

  const monitor = pulumi.runtime.getMonitor() as unknown as {
    registerResource(req: RegisterResourceRequest, callback: Callback): Promise<void>;
    registerPackage(req: RegisterPackageRequest, callback: Callback): void;
  };
  const registerResource = monitor.registerResource.bind(monitor);
  monitor.registerResource = (req, callback) => {
    registrations.set(`${req.getType()}::${req.getName()}`, {
      type: req.getType(),
      name: req.getName(),
      packageRef: req.getPackageref(),
      additionalSecretOutputs: req.getAdditionalsecretoutputsList(),
      inputs: {},
      secretInputs: [],
    });
    return registerResource(req, callback);
  };
  const registerPackage = monitor.registerPackage.bind(monitor);
  monitor.registerPackage = (req, callback) => {
    const parameterization = req.getParameterization();
    packageRegistrations.push({
      name: req.getName(),
      version: req.getVersion(),
      parameterization: parameterization && {
        name: parameterization.getName(),
        version: parameterization.getVersion(),
        value: Buffer.from(parameterization.getValue_asU8()),
      },
    });
    registerPackage(req, callback);
  };

  // Only now: a static import would be evaluated before the mocks exist.
  gc = await import("@pulumi/genesyscloud");
}, 120_000); // the Pulumi runtime under mocks and the SDK's load; generous for a saturated 2-core machine

function settle<T>(output: pulumi.Output<T>): Promise<T> {
  return new Promise((done) => output.apply((value) => done(value)));
}

/** Waits until the resource is registered and its outputs resolved. */
async function registered(resource: pulumi.CustomResource): Promise<void> {
  await settle(resource.id);
}

describe("the package metadata", () => {
  const decodedParameter = () => JSON.parse(Buffer.from(sdkManifest.pulumi.parameterization.value, "base64").toString("utf8"));

  it("is the parameterized terraform-provider package for mypurecloud/genesyscloud 1.84.0", () => {
    expect(sdkManifest.name).toBe("@pulumi/genesyscloud");
    expect(sdkManifest.version).toBe(TF_VERSION);
    expect(sdkManifest.pulumi).toMatchObject({
      resource: true,
      name: "terraform-provider",
      parameterization: { name: "genesyscloud", version: TF_VERSION },
    });
    expect(sdkManifest.pulumi.version).toMatch(/^\d+\.\d+\.\d+$/);
    expect(decodedParameter()).toEqual({ remote: { url: REGISTRY_URL, version: TF_VERSION } });
  });

  it("pins a bridge version recorded in its README as released, with where and when that was confirmed", () => {
    const readme = readFileSync(join(SDK_DIR, "README.md"), "utf8");
    const block = /<!-- released-bridge-versions -->([\s\S]*?)<!-- \/released-bridge-versions -->/u.exec(readme)?.[1] ?? "";
    const recorded = [...block.matchAll(/`(\d+\.\d+\.\d+)` \(\d{4}-\d{2}-\d{2}\)/gu)].map((m) => m[1]);
    expect(recorded.length).toBeGreaterThan(0);
    expect(recorded).toContain(sdkManifest.pulumi.version);
    // The record names its source and the date it was looked at.
    expect(readme).toContain("https://github.com/pulumi/pulumi-terraform-provider");
    expect(readme).toMatch(/snapshot of that repository taken\s+on \d{4}-\d{2}-\d{2}/u);
  });

  it("agrees with the packages entry of Pulumi.yaml", () => {
    const project = parse(readFileSync(join(PROJECT_DIR, "Pulumi.yaml"), "utf8")) as {
      packages?: Record<string, { source: string; version: string; parameters: string[] }>;
    };
    const entry = project.packages?.genesyscloud;
    expect(entry).toEqual({
      source: sdkManifest.pulumi.name,
      version: sdkManifest.pulumi.version,
      parameters: [TF_PROVIDER, sdkManifest.pulumi.parameterization.version],
    });
    expect(decodedParameter().remote.url).toBe(`registry.opentofu.org/${entry?.parameters[0]}`);
    expect(decodedParameter().remote.version).toBe(entry?.parameters[1]);
  });

  it("is consumed from sdks/genesyscloud and built by an approved postinstall", () => {
    const root = readJson<{ dependencies: Record<string, string>; allowScripts: Record<string, boolean> }>(
      join(PROJECT_DIR, "package.json"),
    );
    expect(root.dependencies["@pulumi/genesyscloud"]).toBe("file:sdks/genesyscloud");
    expect(root.allowScripts["file:sdks/genesyscloud"]).toBe(true);
    expect(sdkManifest.scripts.postinstall).toBe("node ./scripts/postinstall.js");
    expect(sdkManifest.dependencies["@pulumi/pulumi"]).toBeDefined();
    expect(sdkManifest.main).toBe("bin/index.js");
    expect(sdkManifest.types).toBe("bin/index.d.ts");
    for (const built of [sdkManifest.main, sdkManifest.types, "bin/package.json"]) {
      expect(existsSync(join(SDK_DIR, built)), `${built} was not built by the postinstall`).toBe(true);
    }
  });

  it("reads provider config from the genesyscloud namespace", () => {
    expect(gc.config.awsRegion).toBe("eu-west-2");
    expect(gc.config.tokenPoolSize).toBe(4);
    expect(gc.config.oauthclientSecret).toBeUndefined();
  });
});

describe("resources", () => {
  it("register the parameterized package once, with the base plugin and the Terraform provider parameter", async () => {
    const role = new gc.AuthRole("package-probe", { name: "probe" });
    await registered(role);
    expect(packageRegistrations.length).toBeGreaterThanOrEqual(1);
    for (const pkg of packageRegistrations) {
      expect(pkg.name).toBe("terraform-provider");
      expect(pkg.version).toBe(sdkManifest.pulumi.version);
      expect(pkg.parameterization?.name).toBe("genesyscloud");
      expect(pkg.parameterization?.version).toBe(TF_VERSION);
      expect(JSON.parse(pkg.parameterization?.value.toString("utf8") ?? "null")).toEqual({
        remote: { url: REGISTRY_URL, version: TF_VERSION },
      });
    }
    // The mock monitor answers every registerPackage with this reference.
    expect(registration("genesyscloud:index/authRole:AuthRole", "package-probe").packageRef).toBe("mock-uuid");
  });

  it("Integration: type token and inputs", async () => {
    const integration = new gc.Integration("lambda", {
      integrationType: "aws-lambda-data-actions",
      intendedState: "ENABLED",
      config: { name: "Legal hold export", notes: "n", credentials: { AmazonWebServicesARN: "credential-id" } },
    });
    await registered(integration);
    const r = registration("genesyscloud:index/integration:Integration", "lambda");
    expect(r.inputs).toEqual({
      integrationType: "aws-lambda-data-actions",
      intendedState: "ENABLED",
      config: { name: "Legal hold export", notes: "n", credentials: { AmazonWebServicesARN: "credential-id" } },
    });
    expect(r.packageRef).toBe("mock-uuid");
    expect(await settle(integration.integrationType)).toBe("aws-lambda-data-actions");
    expect(gc.Integration.isInstance(integration)).toBe(true);
  });

  it("IntegrationCredential: type token, inputs, and fields sent and returned as a secret", async () => {
    const credential = new gc.IntegrationCredential("invoker", {
      name: "Invoker role",
      credentialTypeName: "amazonWebServicesARN",
      fields: { ARN: "arn:aws:iam::111122223333:role/genesys-invoker" },
    });
    await registered(credential);
    const r = registration("genesyscloud:index/integrationCredential:IntegrationCredential", "invoker");
    expect(r.inputs).toEqual({
      name: "Invoker role",
      credentialTypeName: "amazonWebServicesARN",
      fields: { ARN: "arn:aws:iam::111122223333:role/genesys-invoker" },
    });
    expect(r.secretInputs).toEqual(["fields"]);
    expect(r.additionalSecretOutputs).toEqual(["fields"]);
    expect(await pulumi.isSecret(credential.fields)).toBe(true);
    expect(await pulumi.isSecret(credential.credentialTypeName)).toBe(false);
  });

  it("IntegrationAction: type token and inputs", async () => {
    const action = new gc.IntegrationAction("export", {
      name: "Export legal-hold recordings",
      category: "Legal hold",
      integrationId: "integration-id",
      contractInput: '{"type":"object"}',
      contractOutput: '{"type":"object"}',
      configRequest: {
        requestType: "POST",
        requestUrlTemplate: "arn:aws:lambda:eu-west-2:111122223333:function:intake",
        requestTemplate: "$input.rawRequest",
        headers: { "X-Trace": "1" },
      },
      configResponse: { successTemplate: "$rawResult", translationMap: { id: "$.id" }, translationMapDefaults: { id: "none" } },
      configTimeoutSeconds: 30,
      secure: true,
    });
    await registered(action);
    expect(registration("genesyscloud:index/integrationAction:IntegrationAction", "export").inputs).toEqual({
      name: "Export legal-hold recordings",
      category: "Legal hold",
      integrationId: "integration-id",
      contractInput: '{"type":"object"}',
      contractOutput: '{"type":"object"}',
      configRequest: {
        requestType: "POST",
        requestUrlTemplate: "arn:aws:lambda:eu-west-2:111122223333:function:intake",
        requestTemplate: "$input.rawRequest",
        headers: { "X-Trace": "1" },
      },
      configResponse: { successTemplate: "$rawResult", translationMap: { id: "$.id" }, translationMapDefaults: { id: "none" } },
      configTimeoutSeconds: 30,
      secure: true,
    });
  });

  it("OauthClient: type token, inputs, and a clientSecret output the engine is told to keep secret", async () => {
    const client = new gc.OauthClient("worker", {
      name: "Export worker",
      description: "d",
      authorizedGrantType: "CLIENT-CREDENTIALS",
      accessTokenValiditySeconds: 3600,
      roles: [{ roleId: "role-id", divisionId: "*" }],
      state: "active",
      exposeClientSecret: true,
    });
    await registered(client);
    const r = registration("genesyscloud:index/oauthClient:OauthClient", "worker");
    expect(r.inputs).toEqual({
      name: "Export worker",
      description: "d",
      authorizedGrantType: "CLIENT-CREDENTIALS",
      accessTokenValiditySeconds: 3600,
      roles: [{ roleId: "role-id", divisionId: "*" }],
      state: "active",
      exposeClientSecret: true,
    });
    expect(r.additionalSecretOutputs).toEqual(["clientSecret"]);
    expect(await pulumi.isSecret(client.clientSecret)).toBe(true);
    expect(await settle(client.clientSecret)).toBe(MOCK_SECRET_OUTPUT);
    expect(await pulumi.isSecret(client.clientId)).toBe(false);
    expect(await settle(client.clientId)).toBe(COMPUTED["genesyscloud:index/oauthClient:OauthClient"]?.clientId);
    expect(await settle(client.integrationCredentialId)).toBe("credential-from-client");
  });

  it("OauthClient: a clientSecret given as input is sent as a secret", async () => {
    const client = new gc.OauthClient("imported", { authorizedGrantType: "CLIENT-CREDENTIALS", clientSecret: "given-secret" });
    await registered(client);
    expect(registration("genesyscloud:index/oauthClient:OauthClient", "imported").secretInputs).toEqual(["clientSecret"]);
  });

  it("AuthRole: type token and inputs, with permission policies spelled as the bridge names them", async () => {
    const role = new gc.AuthRole("worker-role", {
      name: "Export worker",
      description: "d",
      permissions: ["group_creation"],
      permissionPolicies: [
        { domain: "recording", entityName: "recording", actionSets: ["view", "viewSensitiveData"] },
        {
          domain: "recording",
          entityName: "deletionProtection",
          actionSets: ["apply"],
          conditions: {
            conjunction: "AND",
            terms: [{ variableName: "Conversation.queues", operator: "EQ", operands: [{ type: "QUEUE", queueId: "queue-id" }] }],
          },
        },
      ],
    });
    await registered(role);
    expect(registration("genesyscloud:index/authRole:AuthRole", "worker-role").inputs).toEqual({
      name: "Export worker",
      description: "d",
      permissions: ["group_creation"],
      permissionPolicies: [
        { domain: "recording", entityName: "recording", actionSets: ["view", "viewSensitiveData"] },
        {
          domain: "recording",
          entityName: "deletionProtection",
          actionSets: ["apply"],
          conditions: {
            conjunction: "AND",
            terms: [{ variableName: "Conversation.queues", operator: "EQ", operands: [{ type: "QUEUE", queueId: "queue-id" }] }],
          },
        },
      ],
    });
  });

  it("AuthRole: name is optional (the bridge auto-names it), so no input is required", async () => {
    const role = new gc.AuthRole("unnamed");
    await registered(role);
    expect(registration("genesyscloud:index/authRole:AuthRole", "unnamed").inputs).toEqual({});
  });
});

describe("the Provider", () => {
  it("registers as pulumi:providers:genesyscloud, JSON-encodes non-string config and keeps oauthclientSecret secret", async () => {
    const provider = new gc.Provider("london", {
      awsRegion: "eu-west-2",
      oauthclientId: "client-id",
      oauthclientSecret: "client-secret",
      tokenPoolSize: 4,
      sdkDebug: false,
    });
    await registered(provider);
    const r = registration("pulumi:providers:genesyscloud", "london");
    expect(r.packageRef).toBe("mock-uuid");
    expect(r.inputs).toMatchObject({
      awsRegion: "eu-west-2",
      oauthclientId: "client-id",
      oauthclientSecret: "client-secret",
      tokenPoolSize: "4",
      sdkDebug: "false",
    });
    expect(r.secretInputs).toEqual(["oauthclientSecret"]);
    expect(r.additionalSecretOutputs).toEqual(["oauthclientSecret"]);
    expect(await pulumi.isSecret(provider.oauthclientSecret)).toBe(true);
    expect(await pulumi.isSecret(provider.awsRegion)).toBe(false);
    expect(gc.Provider.isInstance(provider)).toBe(true);

    const integration = new gc.Integration("via-provider", { integrationType: "purecloud-data-actions" }, { provider });
    await registered(integration);
    expect(registration("genesyscloud:index/integration:Integration", "via-provider").inputs).toEqual({
      integrationType: "purecloud-data-actions",
    });
  });
});

describe("a missing required input", () => {
  const cases: [string, () => unknown, string][] = [
    ["Integration", () => new gc.Integration("no-type", {} as GenesysCloud.IntegrationArgs), "integrationType"],
    [
      "IntegrationCredential",
      () => new gc.IntegrationCredential("no-type", { fields: { ARN: "x" } } as unknown as GenesysCloud.IntegrationCredentialArgs),
      "credentialTypeName",
    ],
    [
      "IntegrationAction",
      () =>
        new gc.IntegrationAction("no-category", {
          integrationId: "i",
          contractInput: "{}",
          contractOutput: "{}",
        } as GenesysCloud.IntegrationActionArgs),
      "category",
    ],
    [
      "IntegrationAction",
      () =>
        new gc.IntegrationAction("no-input", {
          category: "c",
          integrationId: "i",
          contractOutput: "{}",
        } as GenesysCloud.IntegrationActionArgs),
      "contractInput",
    ],
    [
      "IntegrationAction",
      () =>
        new gc.IntegrationAction("no-output", {
          category: "c",
          integrationId: "i",
          contractInput: "{}",
        } as GenesysCloud.IntegrationActionArgs),
      "contractOutput",
    ],
    [
      "IntegrationAction",
      () =>
        new gc.IntegrationAction("no-integration", {
          category: "c",
          contractInput: "{}",
          contractOutput: "{}",
        } as GenesysCloud.IntegrationActionArgs),
      "integrationId",
    ],
    ["OauthClient", () => new gc.OauthClient("no-grant", { name: "n" } as GenesysCloud.OauthClientArgs), "authorizedGrantType"],
  ];

  for (const [resource, construct, property] of cases) {
    it(`${resource} without ${property} throws naming it`, () => {
      expect(construct).toThrow(`Missing required property '${property}'`);
    });
  }
});

import { createHash } from "node:crypto";
import { join, resolve } from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { isSecretEnvelope, secretEnvelope } from "./pulumiWire";
import { loadStackSettings, readProjectFile, type StackSettings } from "./stackSettings";

/** One resource the program registered, with what the engine would see of it. */
export interface SimulatedResource {
  urn: string;
  type: string;
  name: string;
  custom: boolean;
  parent?: string;
  protect: boolean;
  retainOnDelete: boolean;
  /** Every resource this one waits for: explicit dependsOn and those its inputs came from. */
  dependencies: string[];
  /** For each input property, the resources its value came from (what policies use to link resources at preview). */
  propertyDependencies: Record<string, string[]>;
  /** Inputs as the engine receives them (secrets and archives in Pulumi's wire form). */
  inputs: Record<string, unknown>;
  /** Inputs plus what the mock provider computed (ids, ARNs, names). */
  state: Record<string, unknown>;
}

export interface StackRun {
  settings: StackSettings;
  resources: SimulatedResource[];
  outputs: Record<string, unknown>;
}

/** What the mock provider returns for a secret output such as an OAuth client's secret: a marker, never a credential. */
export const MOCK_SECRET_OUTPUT = "<mock runtime: no real secret exists>";

/** The account the mock provider pretends to be (AWS's documentation account). */
export const MOCK_ACCOUNT_ID = "111122223333";

function shortHash(text: string, length: number): string {
  return createHash("sha256").update(text).digest("hex").slice(0, length);
}

/** Deterministic stand-ins for the values a provider computes, so ARNs resolve and tests repeat. */
function computedOutputs(
  type: string,
  name: string,
  inputs: Record<string, unknown>,
  region: string,
): { id: string; outputs: Record<string, unknown> } {
  const autoName = `${name}-${shortHash(name, 7)}`;
  const named = (inputs.name as string | undefined) ?? autoName;
  const account = MOCK_ACCOUNT_ID;
  switch (type) {
    case "aws:s3/bucket:Bucket":
    case "aws:s3/bucketV2:BucketV2": {
      const bucket = (inputs.bucket as string | undefined) ?? autoName;
      return { id: bucket, outputs: { bucket, arn: `arn:aws:s3:::${bucket}`, region } };
    }
    case "aws:kms/key:Key": {
      const h = shortHash(name, 32);
      const keyId = `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
      return { id: keyId, outputs: { keyId, arn: `arn:aws:kms:${region}:${account}:key/${keyId}` } };
    }
    case "aws:kms/alias:Alias":
      return { id: String(inputs.name), outputs: { arn: `arn:aws:kms:${region}:${account}:${inputs.name}` } };
    case "aws:iam/role:Role":
      return { id: named, outputs: { name: named, arn: `arn:aws:iam::${account}:role/${named}` } };
    case "aws:lambda/function:Function": {
      const arn = `arn:aws:lambda:${region}:${account}:function:${named}`;
      return {
        id: named,
        outputs: {
          name: named,
          arn,
          qualifiedArn: `${arn}:$LATEST`,
          invokeArn: `arn:aws:apigateway:${region}:lambda:path/2015-03-31/functions/${arn}/invocations`,
        },
      };
    }
    case "aws:sqs/queue:Queue":
      return {
        id: `https://sqs.${region}.amazonaws.com/${account}/${named}`,
        outputs: {
          name: named,
          arn: `arn:aws:sqs:${region}:${account}:${named}`,
          url: `https://sqs.${region}.amazonaws.com/${account}/${named}`,
        },
      };
    case "aws:secretsmanager/secret:Secret": {
      const arn = `arn:aws:secretsmanager:${region}:${account}:secret:${named}-${shortHash(name, 6)}`;
      return { id: arn, outputs: { name: named, arn } };
    }
    case "aws:cloudwatch/logGroup:LogGroup":
      return { id: named, outputs: { name: named, arn: `arn:aws:logs:${region}:${account}:log-group:${named}` } };
    case "genesyscloud:index/oauthClient:OauthClient":
      return { id: `${name}-id`, outputs: { clientId: `${shortHash(name, 8)}-mock-client-id`, clientSecret: MOCK_SECRET_OUTPUT } };
    default:
      return { id: `${name}-id`, outputs: {} };
  }
}

/** A program asked for data the mock runtime cannot provide without the cloud. */
export class UnmockedInvokeError extends Error {
  constructor(readonly token: string) {
    super(`the program called invoke ${token}, which the mock runtime does not provide`);
    this.name = "UnmockedInvokeError";
  }
}

function mockInvoke(token: string, region: string): Record<string, unknown> | undefined {
  switch (token) {
    case "aws:index/getCallerIdentity:getCallerIdentity":
      return { accountId: MOCK_ACCOUNT_ID, arn: `arn:aws:iam::${MOCK_ACCOUNT_ID}:role/Deployer`, userId: "AROAMOCK", id: MOCK_ACCOUNT_ID };
    case "aws:index/getRegion:getRegion":
      return { region, name: region, id: region, endpoint: `ec2.${region}.amazonaws.com`, description: region };
    case "aws:index/getPartition:getPartition":
      return { partition: "aws", dnsSuffix: "amazonaws.com", reverseDnsPrefix: "com.amazonaws", id: "aws" };
    default:
      return undefined;
  }
}

function settle<T>(output: pulumi.Output<T>): Promise<T> {
  return new Promise((done) => output.apply((value) => done(value)));
}

/**
 * Runs the Pulumi program for a stack in this process under the Pulumi mock
 * runtime: no CLI, no credentials, no network. Once per process: the Pulumi
 * runtime is process-global and is disconnected at the end of the run.
 */
export async function runStackUnderMocks(projectDir: string, stack: string): Promise<StackRun> {
  const settings = loadStackSettings(projectDir, stack);
  const project = readProjectFile(projectDir);
  const program = resolve(projectDir, project.main ?? ".", "index.ts");
  return runUnderMocks(settings, async () => ({ ...(await import(program)) }));
}

/** What the SDK told the resource monitor about one registration. */
interface Registration {
  mockUrn: string;
  type: string;
  name: string;
  custom: boolean;
  parent: string;
  dependencies: string[];
  propertyDependencies: Record<string, string[]>;
  protect: boolean;
  retainOnDelete: boolean;
  /** Inputs as serialized for the engine: secrets, assets and archives in Pulumi's wire form. */
  wireInputs: Record<string, unknown>;
  /** Outputs the SDK asked the engine to keep secret (additionalSecretOutputs). */
  secretOutputs: string[];
}

type RegisterCallback = (error: unknown, response?: { getUrn(): string }) => void;
interface RegisterRequest {
  getType(): string;
  getName(): string;
  getCustom(): boolean;
  getParent(): string;
  getDependenciesList(): string[];
  getPropertydependenciesMap(): { forEach(fn: (value: { getUrnsList(): string[] }, key: string) => void): void };
  getProtect(): boolean | undefined;
  getRetainondelete(): boolean | undefined;
  getObject(): { toJavaScript(): Record<string, unknown> } | undefined;
  getAdditionalsecretoutputsList(): string[];
}

/**
 * Records each registration request as the engine would receive it (parent,
 * dependencies, property dependencies, protect): the mock monitor answers
 * them but does not pass them on to the mocks.
 */
function recordRegistrations(registrations: Registration[]): void {
  const monitor = pulumi.runtime.getMonitor() as unknown as {
    registerResource(req: RegisterRequest, callback: RegisterCallback): Promise<void>;
  };
  const original = monitor.registerResource.bind(monitor);
  monitor.registerResource = (req, callback) =>
    original(req, (error, response) => {
      if (!error && response) {
        const propertyDependencies: Record<string, string[]> = {};
        req.getPropertydependenciesMap().forEach((value, key) => {
          propertyDependencies[key] = value.getUrnsList();
        });
        registrations.push({
          mockUrn: response.getUrn(),
          type: req.getType(),
          name: req.getName(),
          custom: req.getCustom(),
          parent: req.getParent(),
          dependencies: req.getDependenciesList(),
          propertyDependencies,
          protect: req.getProtect() === true,
          retainOnDelete: req.getRetainondelete() === true,
          wireInputs: req.getObject()?.toJavaScript() ?? {},
          secretOutputs: req.getAdditionalsecretoutputsList(),
        });
      }
      callback(error, response);
    });
}

const STACK_TYPE = "pulumi:pulumi:Stack";

/** Wraps the named outputs in Pulumi's secret marker, as the engine keeps them. */
function markSecrets(outputs: Record<string, unknown>, secretOutputs: string[]): Record<string, unknown> {
  const marked = { ...outputs };
  for (const key of secretOutputs) {
    const value = marked[key];
    if (value !== undefined && !isSecretEnvelope(value)) marked[key] = secretEnvelope(value);
  }
  return marked;
}

/**
 * Runs any program (a function that constructs resources and returns its
 * outputs) under the mock runtime with the given settings, and reports every
 * resource it registered, the root stack included.
 */
export async function runUnderMocks(settings: StackSettings, program: () => Promise<Record<string, unknown>>): Promise<StackRun> {
  const { stack, project } = settings;
  const region = settings.config["aws:region"] ?? "us-east-1";
  const computed = new Map<string, Record<string, unknown>>();
  const unmockedInvokes: string[] = [];
  const registrations: Registration[] = [];

  pulumi.runtime.setAllConfig(settings.config, settings.secretKeys);
  await pulumi.runtime.setMocks(
    {
      newResource(args) {
        if (!args.custom) return { id: undefined, state: args.inputs };
        const { id, outputs } = computedOutputs(args.type, args.name, args.inputs, region);
        computed.set(`${args.type}::${args.name}`, outputs);
        return { id, state: { ...args.inputs, ...outputs } };
      },
      call(args) {
        const result = mockInvoke(args.token, region);
        if (result) return result;
        // An unmocked invoke would be a cloud call in a real run. Throwing here
        // would surface as stray unhandled rejections inside the Pulumi
        // runtime, so answer empty and fail the whole run once it settles.
        unmockedInvokes.push(args.token);
        return {};
      },
    },
    project,
    stack,
    false,
  );
  recordRegistrations(registrations);

  const outputs = (await pulumi.runtime.runInPulumiStack(program)) as Record<string, unknown>;
  const resolvedOutputs: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(outputs ?? {})) {
    if (name === "default") continue;
    resolvedOutputs[name] = pulumi.Output.isInstance(value) ? await settle(value) : value;
  }
  // Drains every pending registration, as the engine would before the
  // results are read or the process exits.
  await pulumi.runtime.disconnect();
  if (unmockedInvokes.length > 0) throw new UnmockedInvokeError(unmockedInvokes[0] as string);

  // The mock monitor's URNs put the root stack's type into every child's
  // type chain; the engine does not, so URNs are rebuilt the engine's way.
  const byMockUrn = new Map(registrations.map((r) => [r.mockUrn, r]));
  const qualifiedType = (r: Registration): string => {
    const parent = byMockUrn.get(r.parent);
    return parent && parent.type !== STACK_TYPE ? `${qualifiedType(parent)}$${r.type}` : r.type;
  };
  const urnOf = new Map(registrations.map((r) => [r.mockUrn, `urn:pulumi:${stack}::${project}::${qualifiedType(r)}::${r.name}`]));
  const translate = (urns: string[]) => urns.map((u) => urnOf.get(u)).filter((u): u is string => u !== undefined);

  const resources: SimulatedResource[] = registrations.map((r) => {
    const propertyDependencies: Record<string, string[]> = {};
    for (const [key, urns] of Object.entries(r.propertyDependencies)) propertyDependencies[key] = translate(urns);
    return {
      urn: urnOf.get(r.mockUrn) as string,
      type: r.type,
      name: r.name,
      custom: r.custom,
      parent: r.parent ? urnOf.get(r.parent) : undefined,
      protect: r.protect,
      retainOnDelete: r.retainOnDelete,
      dependencies: translate(r.dependencies),
      propertyDependencies,
      inputs: r.wireInputs,
      state:
        r.type === STACK_TYPE ? {} : markSecrets({ ...r.wireInputs, ...(computed.get(`${r.type}::${r.name}`) ?? {}) }, r.secretOutputs),
    };
  });
  return { settings, resources, outputs: resolvedOutputs };
}

/** The project folder: where Pulumi.yaml lives. */
export const PROJECT_DIR = join(__dirname, "..", "..");

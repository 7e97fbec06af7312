import { createHash } from "node:crypto";
import { join, resolve } from "node:path";
import * as pulumi from "@pulumi/pulumi";
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
  dependsOn: string[];
  /** Inputs as sent to the provider, outputs resolved. */
  inputs: Record<string, unknown>;
  /** Inputs plus what the mock provider computed (ids, ARNs, names). */
  state: Record<string, unknown>;
}

export interface StackRun {
  settings: StackSettings;
  resources: SimulatedResource[];
  outputs: Record<string, unknown>;
}

/** The account the mock provider pretends to be (AWS's documentation account). */
export const MOCK_ACCOUNT_ID = "111122223333";

function shortHash(text: string, length: number): string {
  return createHash("sha256").update(text).digest("hex").slice(0, length);
}

/** Deterministic stand-ins for the values AWS computes, so ARNs resolve and tests repeat. */
function computedState(
  type: string,
  name: string,
  inputs: Record<string, unknown>,
  region: string,
): { id: string; state: Record<string, unknown> } {
  const autoName = `${name}-${shortHash(name, 7)}`;
  switch (type) {
    case "aws:s3/bucket:Bucket":
    case "aws:s3/bucketV2:BucketV2": {
      const bucket = (inputs.bucket as string | undefined) ?? autoName;
      return { id: bucket, state: { ...inputs, bucket, arn: `arn:aws:s3:::${bucket}`, region } };
    }
    case "aws:kms/key:Key": {
      const h = shortHash(name, 32);
      const keyId = `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
      return { id: keyId, state: { ...inputs, keyId, arn: `arn:aws:kms:${region}:${MOCK_ACCOUNT_ID}:key/${keyId}` } };
    }
    case "aws:kms/alias:Alias":
      return { id: String(inputs.name), state: { ...inputs, arn: `arn:aws:kms:${region}:${MOCK_ACCOUNT_ID}:${inputs.name}` } };
    case "aws:iam/role:Role": {
      const roleName = (inputs.name as string | undefined) ?? autoName;
      return { id: roleName, state: { ...inputs, name: roleName, arn: `arn:aws:iam::${MOCK_ACCOUNT_ID}:role/${roleName}` } };
    }
    default:
      return { id: `${name}-id`, state: { ...inputs } };
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

/**
 * Runs any program (a function that constructs resources and returns its
 * outputs) under the mock runtime with the given settings, and reports every
 * resource it registered.
 */
export async function runUnderMocks(settings: StackSettings, program: () => Promise<Record<string, unknown>>): Promise<StackRun> {
  const { stack } = settings;
  const region = settings.config["aws:region"] ?? "us-east-1";
  const byKey = new Map<string, { inputs: Record<string, unknown>; state: Record<string, unknown>; custom: boolean }>();
  const unmockedInvokes: string[] = [];

  pulumi.runtime.setAllConfig(settings.config, settings.secretKeys);
  await pulumi.runtime.setMocks(
    {
      newResource(args) {
        const key = `${args.type}::${args.name}`;
        if (!args.custom) {
          byKey.set(key, { inputs: args.inputs, state: args.inputs, custom: false });
          return { id: undefined, state: args.inputs };
        }
        const { id, state } = computedState(args.type, args.name, args.inputs, region);
        byKey.set(key, { inputs: args.inputs, state, custom: true });
        return { id, state };
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
    settings.project,
    stack,
    false,
  );

  const registered: { resource: pulumi.Resource; type: string; name: string; opts: pulumi.ResourceOptions }[] = [];
  const outputs = (await pulumi.runtime.runInPulumiStack(async () => {
    pulumi.runtime.registerStackTransformation((args) => {
      registered.push({ resource: args.resource, type: args.type, name: args.name, opts: args.opts });
      return undefined;
    });
    return program();
  })) as Record<string, unknown>;

  const resolvedOutputs: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(outputs ?? {})) {
    if (name === "default") continue;
    resolvedOutputs[name] = pulumi.Output.isInstance(value) ? await settle(value) : value;
  }
  // Every resource's URN resolves only after the mock registered it, with its inputs.
  await Promise.all(registered.map((r) => settle(r.resource.urn)));
  // Let the stack's own output registration finish, as the engine would,
  // before anyone reads the results or the process exits.
  await pulumi.runtime.disconnect();
  if (unmockedInvokes.length > 0) throw new UnmockedInvokeError(unmockedInvokes[0] as string);

  const qualifiedTypes = new Map<pulumi.Resource, string>();
  const urns = new Map<pulumi.Resource, string>();
  const qualifiedType = (entry: (typeof registered)[number]): string => {
    const parent = entry.opts.parent;
    const parentEntry = parent ? registered.find((r) => r.resource === parent) : undefined;
    return parentEntry ? `${qualifiedType(parentEntry)}$${entry.type}` : entry.type;
  };
  for (const entry of registered) {
    const qualified = qualifiedType(entry);
    qualifiedTypes.set(entry.resource, qualified);
    urns.set(entry.resource, `urn:pulumi:${stack}::${settings.project}::${qualified}::${entry.name}`);
  }

  const resources: SimulatedResource[] = registered.map((entry) => {
    const recorded = byKey.get(`${entry.type}::${entry.name}`);
    if (!recorded) throw new Error(`the mock runtime saw no registration of ${entry.type} "${entry.name}"`);
    const dependsOn = ([] as pulumi.Resource[]).concat((entry.opts.dependsOn as pulumi.Resource[] | pulumi.Resource | undefined) ?? []);
    return {
      urn: urns.get(entry.resource) as string,
      type: entry.type,
      name: entry.name,
      custom: recorded.custom,
      parent: entry.opts.parent ? urns.get(entry.opts.parent) : undefined,
      protect: entry.opts.protect === true,
      retainOnDelete: entry.opts.retainOnDelete === true,
      dependsOn: dependsOn.map((d) => urns.get(d)).filter((u): u is string => u !== undefined),
      inputs: recorded.inputs,
      state: recorded.state,
    };
  });
  return { settings, resources, outputs: resolvedOutputs };
}

/** The project folder: where Pulumi.yaml lives. */
export const PROJECT_DIR = join(__dirname, "..");

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

function mockInvoke(token: string, region: string): Record<string, unknown> {
  switch (token) {
    case "aws:index/getCallerIdentity:getCallerIdentity":
      return { accountId: MOCK_ACCOUNT_ID, arn: `arn:aws:iam::${MOCK_ACCOUNT_ID}:role/Deployer`, userId: "AROAMOCK", id: MOCK_ACCOUNT_ID };
    case "aws:index/getRegion:getRegion":
      return { region, name: region, id: region, endpoint: `ec2.${region}.amazonaws.com`, description: region };
    case "aws:index/getPartition:getPartition":
      return { partition: "aws", dnsSuffix: "amazonaws.com", reverseDnsPrefix: "com.amazonaws", id: "aws" };
    default:
      // An unmocked invoke would be a cloud call in a real run: fail loudly.
      throw new Error(`the program called invoke ${token}, which the mock runtime does not provide`);
  }
}

function settle<T>(output: pulumi.Output<T>): Promise<T> {
  return new Promise((done) => output.apply((value) => done(value)));
}

/**
 * Runs the Pulumi program for a stack in this process under the Pulumi mock
 * runtime: no CLI, no credentials, no network. Call once per process (the
 * Pulumi runtime is process-global).
 */
export async function runStackUnderMocks(projectDir: string, stack: string): Promise<StackRun> {
  const settings = loadStackSettings(projectDir, stack);
  const project = readProjectFile(projectDir);
  const region = settings.config["aws:region"] ?? "us-east-1";
  const byKey = new Map<string, { inputs: Record<string, unknown>; state: Record<string, unknown>; custom: boolean }>();

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
        return mockInvoke(args.token, region);
      },
    },
    settings.project,
    stack,
    false,
  );

  const registered: { resource: pulumi.Resource; type: string; name: string; opts: pulumi.ResourceOptions }[] = [];
  const program = resolve(projectDir, project.main ?? ".", "index.ts");
  const outputs = (await pulumi.runtime.runInPulumiStack(async () => {
    pulumi.runtime.registerStackTransformation((args) => {
      registered.push({ resource: args.resource, type: args.type, name: args.name, opts: args.opts });
      return undefined;
    });
    return { ...(await import(program)) };
  })) as Record<string, unknown>;

  const resolvedOutputs: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(outputs ?? {})) {
    if (name === "default") continue;
    resolvedOutputs[name] = pulumi.Output.isInstance(value) ? await settle(value) : value;
  }
  // Every resource's URN resolves only after the mock registered it, with its inputs.
  await Promise.all(registered.map((r) => settle(r.resource.urn)));

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

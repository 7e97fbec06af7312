import type { PolicyResource } from "@pulumi/policy";
import { allowsAction, parsePolicyDocument } from "../iamDocument";
import {
  BucketPurpose,
  GENESYS_INTEGRATION_ACTION,
  GENESYS_INTEGRATION_CREDENTIAL,
  IAM_POLICY,
  IAM_ROLE,
  IAM_ROLE_POLICY,
  IAM_ROLE_POLICY_ATTACHMENT,
  KMS_KEY,
  LAMBDA_EVENT_SOURCE_MAPPING,
  LAMBDA_FUNCTION,
  S3_BUCKET_POLICY,
  S3_ENCRYPTION,
} from "../resourceTypes";
import { resourcesOfType } from "../stackIndex";
import { bucketsOf, configsOf, linkedFrom, linkedResource, purposeOf } from "../stackLinks";
import { buildLandingModel, type LandingModel } from "./landingModel";

/** An identity or resource policy document as the simulator takes it. */
export type PolicyJson = Record<string, unknown>;

export interface RoleModel {
  resource: PolicyResource;
  arn: string;
  identityPolicies: { name: string; policy: PolicyJson }[];
  trustPolicy?: PolicyJson;
}

/**
 * The parts of the stack the legal-hold export depends on, found by their
 * relationships, never by names: the archive is the bucket with Object Lock,
 * the worker is the function whose environment names it, the invoker is the
 * role the Genesys credential names, the intake is what the data action calls.
 */
export interface ExportAccessModel {
  archive: { bucket: PolicyResource; arn: string; name: string; policy?: PolicyJson };
  key?: { resource: PolicyResource; arn: string; policy?: PolicyJson };
  /** The bucket the archive's access logs go to (tagged as such), with its policy. */
  accessLogs?: { bucket: PolicyResource; arn: string; policy?: PolicyJson };
  /** Who administers the archive key (the principals its policy lets change it): the admins of the stack. */
  admins: string[];
  /** The role that may lift legal holds: another role of the stack whose policies grant s3:PutObjectLegalHold. */
  releaseRole?: RoleModel;
  /** Who may assume the release role: the AWS principals its trust policy names. */
  releasePrincipals: string[];
  /** The ExternalId the release role's trust expects, if any (the release command sends it). */
  releaseExternalId?: string;
  /** The principal the archive key lets act with MFA only (the break-glass principal), if any. */
  breakGlass?: string;
  worker?: {
    fn: PolicyResource;
    role?: RoleModel;
    queueArn?: string;
    /** The jobs queue's resource policy (the QueuePolicy whose document names the queue). */
    queuePolicy?: { resource: PolicyResource; policy?: PolicyJson };
    secretArn?: string;
    /** The credentials secret's resource policy and the customer key it is encrypted under. */
    secretPolicy?: { resource: PolicyResource; policy?: PolicyJson };
    secretKey?: { resource: PolicyResource; arn: string; policy?: PolicyJson };
    signingKey?: { resource: PolicyResource; arn: string; policy?: PolicyJson };
  };
  invoker?: { role: RoleModel; intakeArn?: string; intakeRole?: RoleModel };
  /** Bulk mode: the landing bucket Genesys' recording bulk export writes to, and its writer (landingModel.ts). */
  landing?: LandingModel;
  accountId: string;
  region: string;
  /** Parts that could not be found, in words, for the report. */
  gaps: string[];
}

function asJson(value: unknown): PolicyJson | undefined {
  if (typeof value === "string") {
    try {
      return JSON.parse(value) as PolicyJson;
    } catch {
      return undefined;
    }
  }
  return value && typeof value === "object" ? (value as PolicyJson) : undefined;
}

/** Per-type lists come from the stack index, built once per policy call (one scan, not one per archive). */
function ofTypes(resources: PolicyResource[], types: string[]): PolicyResource[] {
  return resourcesOfType(resources, types);
}

function dependsOn(resource: PolicyResource, property: string, target: PolicyResource): boolean {
  return (resource.propertyDependencies[property] ?? []).includes(target);
}

/** A role with every permission document attached to it in the stack, and its trust policy. */
function roleModel(role: PolicyResource, resources: PolicyResource[]): RoleModel {
  const identityPolicies: RoleModel["identityPolicies"] = [];
  for (const rp of linkedFrom(resources, IAM_ROLE_POLICY, "role", ofTypes(resources, IAM_ROLE), "name", role)) {
    const policy = asJson(rp.props.policy);
    if (policy) identityPolicies.push({ name: rp.name, policy });
  }
  for (const inline of (role.props.inlinePolicies as { name?: string; policy?: unknown }[] | undefined) ?? []) {
    const policy = asJson(inline.policy);
    if (policy) identityPolicies.push({ name: `${role.name}/${inline.name ?? "inline"}`, policy });
  }
  const managed = ofTypes(resources, IAM_POLICY);
  for (const attachment of linkedFrom(resources, IAM_ROLE_POLICY_ATTACHMENT, "role", ofTypes(resources, IAM_ROLE), "name", role)) {
    const policy = linkedResource(attachment, "policyArn", managed, "arn");
    const document = policy ? asJson(policy.props.policy) : undefined;
    if (policy && document) identityPolicies.push({ name: policy.name, policy: document });
  }
  return { resource: role, arn: String(role.props.arn), identityPolicies, trustPolicy: asJson(role.props.assumeRolePolicy) };
}

function roleByArn(arn: unknown, from: PolicyResource, property: string, resources: PolicyResource[]): PolicyResource | undefined {
  return (
    linkedResource(from, property, ofTypes(resources, IAM_ROLE), "arn") ?? ofTypes(resources, IAM_ROLE).find((r) => r.props.arn === arn)
  );
}

function environmentOf(fn: PolicyResource): Record<string, string> {
  return ((fn.props.environment as { variables?: Record<string, string> } | undefined)?.variables ?? {}) as Record<string, string>;
}

export function buildExportAccessModel(resources: PolicyResource[]): ExportAccessModel[] {
  const archives = bucketsOf(resources).filter((b) => b.props.objectLockEnabled === true);
  const functions = ofTypes(resources, LAMBDA_FUNCTION);
  // Roles whose policies may place or lift legal holds, worked out once for every archive.
  const holdRoles = ofTypes(resources, IAM_ROLE)
    .map((r) => roleModel(r, resources))
    .filter((r) => r.identityPolicies.some((p) => allowsAction(parsePolicyDocument(p.policy) ?? [], "s3:PutObjectLegalHold")));
  // Which function's environment names (or depends on) which value or resource, once.
  const byEnvironment = new Map<unknown, PolicyResource>();
  for (const f of functions) {
    for (const value of Object.values(environmentOf(f))) if (!byEnvironment.has(value)) byEnvironment.set(value, f);
    for (const dependency of f.propertyDependencies.environment ?? []) if (!byEnvironment.has(dependency)) byEnvironment.set(dependency, f);
  }
  const landing = buildLandingModel(resources, {
    asJson,
    externalIdOf,
    roleOfCredential: (credential) => {
      const fields = credential.props.fields as Record<string, unknown> | undefined;
      const role = roleByArn(fields?.ARN, credential, "fields", resources);
      return role ? roleModel(role, resources) : undefined;
    },
  });
  return archives.map((bucket) => {
    const gaps: string[] = [];
    const name = String(bucket.props.bucket);
    const archive = {
      bucket,
      arn: String(bucket.props.arn),
      name,
      policy: asJson(configsOf(bucket, S3_BUCKET_POLICY, resources)[0]?.props.policy),
    };
    if (!archive.policy) gaps.push(`bucket "${bucket.name}" has no bucket policy`);

    const keys = ofTypes(resources, KMS_KEY);
    const encryption = configsOf(bucket, S3_ENCRYPTION, resources)[0];
    const keyResource = encryption ? (encryption.propertyDependencies.rules ?? []).find((r) => keys.includes(r)) : undefined;
    const key = keyResource
      ? { resource: keyResource, arn: String(keyResource.props.arn), policy: asJson(keyResource.props.policy) }
      : undefined;
    if (!key) gaps.push(`no KMS key of the stack encrypts bucket "${bucket.name}"`);

    const workerFn = byEnvironment.get(bucket) ?? byEnvironment.get(name);
    let worker: ExportAccessModel["worker"];
    if (!workerFn) gaps.push(`no function's environment names bucket "${bucket.name}" (the export worker)`);
    else {
      const roleResource = roleByArn(workerFn.props.role, workerFn, "role", resources);
      if (!roleResource) gaps.push(`the worker "${workerFn.name}" runs as a role outside the stack`);
      const mapping = ofTypes(resources, LAMBDA_EVENT_SOURCE_MAPPING).find(
        (m) =>
          dependsOn(m, "functionName", workerFn) ||
          m.props.functionName === workerFn.props.name ||
          m.props.functionName === workerFn.props.arn,
      );
      const env = Object.values(environmentOf(workerFn));
      const signing = keys.find(
        (k) => k.props.keyUsage === "SIGN_VERIFY" && (dependsOn(workerFn, "environment", k) || env.includes(String(k.props.arn))),
      );
      worker = {
        signingKey: signing ? { resource: signing, arn: String(signing.props.arn), policy: asJson(signing.props.policy) } : undefined,
        fn: workerFn,
        role: roleResource ? roleModel(roleResource, resources) : undefined,
        queueArn: mapping ? String(mapping.props.eventSourceArn) : undefined,
        secretArn: env.find((v) => v.startsWith("arn:aws:secretsmanager:")),
      };
      const queueArn = worker.queueArn;
      const queuePolicy = ofTypes(resources, ["aws:sqs/queuePolicy:QueuePolicy"]).find((q) =>
        (parsePolicyDocument(q.props.policy) ?? []).some((st) => queueArn !== undefined && st.resources.includes(queueArn)),
      );
      if (queuePolicy) worker.queuePolicy = { resource: queuePolicy, policy: asJson(queuePolicy.props.policy) };
      const secretPolicy = ofTypes(resources, ["aws:secretsmanager/secretPolicy:SecretPolicy"]).find(
        (p) => worker?.secretArn !== undefined && p.props.secretArn === worker.secretArn,
      );
      if (secretPolicy) worker.secretPolicy = { resource: secretPolicy, policy: asJson(secretPolicy.props.policy) };
      const secret = ofTypes(resources, ["aws:secretsmanager/secret:Secret"]).find((x) => x.props.arn === worker?.secretArn);
      const secretKey = secret ? keys.find((k) => k.props.arn === secret.props.kmsKeyId) : undefined;
      if (secretKey) worker.secretKey = { resource: secretKey, arn: String(secretKey.props.arn), policy: asJson(secretKey.props.policy) };
    }

    let invoker: ExportAccessModel["invoker"];
    // The bulk export's credential also names a role Genesys assumes, but that role writes the landing bucket.
    const credential = ofTypes(resources, GENESYS_INTEGRATION_CREDENTIAL).find(
      (c) => c.props.credentialTypeName === "amazonWebServicesARN" && c !== landing?.credential,
    );
    if (credential) {
      const fields = credential.props.fields as Record<string, unknown> | undefined;
      const roleResource = roleByArn(fields?.ARN, credential, "fields", resources);
      if (roleResource) {
        const action = ofTypes(resources, GENESYS_INTEGRATION_ACTION)[0];
        const url = (action?.props.configRequest as { requestUrlTemplate?: string } | undefined)?.requestUrlTemplate;
        const intakeFn = functions.find((f) => url !== undefined && f.props.arn === url);
        const intakeRole = intakeFn ? roleByArn(intakeFn.props.role, intakeFn, "role", resources) : undefined;
        invoker = {
          role: roleModel(roleResource, resources),
          intakeArn: url,
          intakeRole: intakeRole ? roleModel(intakeRole, resources) : undefined,
        };
      } else gaps.push(`the Genesys credential "${credential.name}" names a role outside the stack`);
    }

    const logBucket = bucketsOf(resources).find((b) => purposeOf(b) === BucketPurpose.accessLogs);
    const accessLogs = logBucket
      ? {
          bucket: logBucket,
          arn: String(logBucket.props.arn),
          policy: asJson(configsOf(logBucket, S3_BUCKET_POLICY, resources)[0]?.props.policy),
        }
      : undefined;
    const admins = (parsePolicyDocument(key?.policy) ?? [])
      // Unconditional: the break-glass statement, which needs MFA, is not administration.
      .filter((s) => s.effect === "Allow" && allowsAction([s], "kms:PutKeyPolicy") && Object.keys(s.conditions).length === 0)
      .flatMap((s) => s.awsPrincipals.filter((p) => p !== "*"));
    const releaseRole = holdRoles.find((r) => r.resource !== worker?.role?.resource);

    const arnParts = (worker?.role?.arn ?? key?.arn ?? "").split(":");
    const keyParts = (key?.arn ?? "").split(":");
    return {
      archive,
      key,
      accessLogs,
      admins: [...new Set(admins)],
      releaseRole,
      releasePrincipals: (parsePolicyDocument(releaseRole?.trustPolicy) ?? []).flatMap((s) => s.awsPrincipals.filter((p) => p !== "*")),
      releaseExternalId: externalIdOf(releaseRole?.trustPolicy),
      breakGlass: (parsePolicyDocument(key?.policy) ?? [])
        .filter((s) => s.effect === "Allow" && Object.values(s.conditions).some((keys) => "aws:MultiFactorAuthPresent" in keys))
        .flatMap((s) => s.awsPrincipals)[0],
      worker,
      invoker,
      landing,
      accountId: arnParts[4] ?? "",
      region: keyParts[3] ?? "",
      gaps,
    };
  });
}

/** The sts:ExternalId a trust policy requires (StringEquals), if any. */
export function externalIdOf(trustPolicy: unknown): string | undefined {
  for (const statement of parsePolicyDocument(trustPolicy) ?? []) {
    for (const [operator, keys] of Object.entries(statement.conditions)) {
      if (operator.startsWith("StringEquals") && keys["sts:ExternalId"]?.[0]) return keys["sts:ExternalId"][0];
    }
  }
  return undefined;
}

/**
 * The reviewer principals the bucket policy grants reads, and the networks it
 * names for them (on the grant or on the network Deny): either statement
 * alone is enough for the proof to test the other.
 */
export function reviewerAccess(bucketPolicy: PolicyJson | undefined): { principals: string[]; cidrs: string[] } {
  const statements = parsePolicyDocument(bucketPolicy) ?? [];
  const principals = statements.filter((s) => s.effect === "Allow").flatMap((s) => s.awsPrincipals.filter((p) => p !== "*"));
  const cidrs = statements.flatMap((s) =>
    Object.entries(s.conditions)
      .filter(([op]) => (s.effect === "Deny" ? op.startsWith("NotIpAddress") : op.startsWith("IpAddress")))
      .flatMap(([, keys]) => keys["aws:SourceIp"] ?? []),
  );
  return { principals: [...new Set(principals)], cidrs: [...new Set(cidrs)] };
}

import type { PolicyResource } from "@pulumi/policy";
import { AWS_ARN_CREDENTIAL_TYPE } from "../../genesys/integrationCredentialRequireAwsArnType";
import { credentialsOf } from "../../genesys/integrationRequireLambdaDataActions";
import { mappedFunction } from "../../lambda/functionRequireReservedConcurrency";
import { consumedQueue } from "../../sqs/queueMissingDeadLetterQueue";
import { allowsAction, parsePolicyDocument } from "../iamDocument";
import {
  BucketPurpose,
  GENESYS_INTEGRATION,
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
  S3_LOGGING,
  SECRETS_MANAGER_SECRET,
  SQS_QUEUE,
  SQS_QUEUE_POLICY,
} from "../resourceTypes";
import { resourcesOfType } from "../stackIndex";
import { bucketsOf, configsOf, encryptionKeysOf, linkedFrom, linkedResource, purposeOf, stackBuckets } from "../stackLinks";
import {
  calledFunction,
  environmentLinks,
  environmentOf,
  holdRolesOf,
  namedByEnvironment,
  releaseRoleOf,
  roleNamedBy,
} from "./archiveLinks";
import { buildLandingModels, type LandingModel } from "./landingModel";

const SECRETS_MANAGER_SECRET_POLICY = ["aws:secretsmanager/secretPolicy:SecretPolicy"];

/** An identity or resource policy document as the simulator takes it. */
export type PolicyJson = Record<string, unknown>;

export interface RoleModel {
  resource: PolicyResource;
  arn: string;
  identityPolicies: { name: string; policy: PolicyJson }[];
  trustPolicy?: PolicyJson;
}

export type KeyModel = { resource: PolicyResource; arn: string; policy?: PolicyJson };
/** A secret's ARN, its resource policy and the customer key it is encrypted under. */
export interface SecretModel {
  arn: string;
  policy?: { resource: PolicyResource; policy?: PolicyJson };
  key?: KeyModel;
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
  /** The role that may lift legal holds: a role of the stack other than the worker's granted s3:PutObjectLegalHold in this archive. */
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

const keyModel = (key: PolicyResource): KeyModel => ({ resource: key, arn: String(key.props.arn), policy: asJson(key.props.policy) });

/**
 * One model per archive (a bucket with Object Lock). Every other part is
 * reached from the archive by the stack's own links, so in a stack of several
 * archives each gets its own: the archive's bucket policy, encryption key and
 * logging target; the worker whose environment names it, with its role,
 * signing key, secret and the queue its event source mapping reads; the
 * intake whose environment names that queue, the data action calling it, the
 * integration and credential of that action, and the role the credential
 * names; the role (other than the worker's) granted s3:PutObjectLegalHold on
 * the archive's objects.
 */
export function buildExportAccessModel(resources: PolicyResource[]): ExportAccessModel[] {
  const archives = bucketsOf(resources).filter((b) => b.props.objectLockEnabled === true);
  if (archives.length === 0) return [];
  const buckets = stackBuckets(resources);
  const functions = ofTypes(resources, LAMBDA_FUNCTION);
  const roles = ofTypes(resources, IAM_ROLE);
  const keys = ofTypes(resources, KMS_KEY);
  const queues = ofTypes(resources, SQS_QUEUE);
  const secrets = ofTypes(resources, SECRETS_MANAGER_SECRET);
  // Each role's documents are read and parsed once, however many archives it serves.
  const roleModels = new Map<PolicyResource, RoleModel>();
  const roleModelOf = (role: PolicyResource) => {
    let model = roleModels.get(role);
    if (!model) {
      model = roleModel(role, resources);
      roleModels.set(role, model);
    }
    return model;
  };
  const holdRoles = holdRolesOf(resources, roleModelOf);
  // Reverse links, once per evaluation: the function naming a bucket (the worker) or a queue (the intake),
  // the mapping invoking a function, the data action calling a function.
  const mappingOf = new Map<PolicyResource, PolicyResource>();
  for (const mapping of ofTypes(resources, LAMBDA_EVENT_SOURCE_MAPPING)) {
    const fn = mappedFunction(mapping, resources);
    if (fn && !mappingOf.has(fn)) mappingOf.set(fn, mapping);
  }
  // The worker is queue-driven and signs in to Genesys: the bulk path's writers (the sealer, queue-driven
  // without a secret; the case export, with a secret but invoked) also name the archive, and are not it.
  const workerCandidates = functions.filter((fn) => mappingOf.has(fn) && environmentLinks(fn, secrets, ["arn"]).length > 0);
  const workerOf = namedByEnvironment(workerCandidates, buckets, ["bucket"]);
  const intakeOf = namedByEnvironment(functions, queues, ["url", "arn"]);
  const signingKeyOf = (fn: PolicyResource) => {
    const signing = environmentLinks(fn, keys, ["arn"]).find((k) => k.props.keyUsage === "SIGN_VERIFY");
    return signing ? keyModel(signing) : undefined;
  };
  const secretOf = (fn: PolicyResource): SecretModel | undefined => {
    const secret = environmentLinks(fn, secrets, ["arn"])[0];
    if (!secret) return undefined;
    const secretPolicy = linkedFrom(resources, SECRETS_MANAGER_SECRET_POLICY, "secretArn", secrets, "arn", secret)[0];
    const secretKey = linkedResource(secret, "kmsKeyId", keys, "arn") ?? linkedResource(secret, "kmsKeyId", keys, "keyId");
    return {
      arn: String(secret.props.arn),
      policy: secretPolicy ? { resource: secretPolicy, policy: asJson(secretPolicy.props.policy) } : undefined,
      key: secretKey ? keyModel(secretKey) : undefined,
    };
  };
  const landings = buildLandingModels(resources, {
    asJson,
    externalIdOf,
    roleModelOf,
    signingKeyOf,
    secretOf,
    roleOfCredential: (credential) => {
      const role = roleNamedBy(credential, "fields", (fields) => (fields as { ARN?: unknown } | undefined)?.ARN, roles);
      return role ? roleModelOf(role) : undefined;
    },
  });
  const landingSealingInto = new Map<PolicyResource, LandingModel>();
  for (const landing of landings)
    for (const sealed of landing.sealer?.buckets ?? []) if (!landingSealingInto.has(sealed)) landingSealingInto.set(sealed, landing);
  const actionOf = new Map<PolicyResource, PolicyResource>();
  for (const action of ofTypes(resources, GENESYS_INTEGRATION_ACTION)) {
    const fn = calledFunction(action, functions);
    if (fn && !actionOf.has(fn)) actionOf.set(fn, action);
  }

  return archives.map((bucket) => {
    const gaps: string[] = [];
    const name = String(bucket.props.bucket);
    // The landing bucket whose sealer seals into this archive (in a stack of several copies, this copy's).
    const landing = landingSealingInto.get(bucket) ?? landings[0];
    const archive = {
      bucket,
      arn: String(bucket.props.arn),
      name,
      policy: asJson(configsOf(bucket, S3_BUCKET_POLICY, resources)[0]?.props.policy),
    };
    if (!archive.policy) gaps.push(`bucket "${bucket.name}" has no bucket policy`);

    const encryption = configsOf(bucket, S3_ENCRYPTION, resources)[0];
    const keyResource = encryption ? encryptionKeysOf(encryption, keys)?.[0] : undefined;
    const key = keyResource ? keyModel(keyResource) : undefined;
    if (!key) gaps.push(`no KMS key of the stack encrypts bucket "${bucket.name}"`);

    const workerFn = workerOf.get(bucket);
    let worker: ExportAccessModel["worker"];
    let queue: PolicyResource | undefined;
    // Bulk mode alone has no worker: the landing path (its own rows) is then how evidence arrives.
    if (!workerFn) {
      if (!landing) gaps.push(`no function's environment names bucket "${bucket.name}" (the export worker)`);
    } else {
      const roleResource = roleNamedBy(workerFn, "role", (arn) => arn, roles);
      if (!roleResource) gaps.push(`the worker "${workerFn.name}" runs as a role outside the stack`);
      const mapping = mappingOf.get(workerFn);
      queue = mapping ? consumedQueue(mapping, resources) : undefined;
      const secret = secretOf(workerFn);
      worker = {
        signingKey: signingKeyOf(workerFn),
        fn: workerFn,
        role: roleResource ? roleModelOf(roleResource) : undefined,
        queueArn: queue ? String(queue.props.arn) : mapping ? String(mapping.props.eventSourceArn) : undefined,
        secretArn: secret?.arn ?? Object.values(environmentOf(workerFn)).find((v) => v.startsWith("arn:aws:secretsmanager:")),
        secretPolicy: secret?.policy,
        secretKey: secret?.key,
      };
      const queuePolicy = queue ? linkedFrom(resources, SQS_QUEUE_POLICY, "queueUrl", queues, "url", queue)[0] : undefined;
      if (queuePolicy) worker.queuePolicy = { resource: queuePolicy, policy: asJson(queuePolicy.props.policy) };
    }

    // Bulk mode: the landing bucket's readers must be found, and the sealer must seal into this archive.
    if (landing && !landing.sealer?.buckets.includes(bucket))
      gaps.push(`no function driven by the landing sealer queue names both the landing bucket and bucket "${bucket.name}" (the sealer)`);
    if (landing && !landing.caseExport?.buckets.includes(bucket))
      gaps.push(
        `no function's environment names the landing bucket, the bulk actions integration and bucket "${bucket.name}" (the case export)`,
      );

    let invoker: ExportAccessModel["invoker"];
    const intakeFn = queue ? intakeOf.get(queue) : undefined;
    const action = intakeFn ? actionOf.get(intakeFn) : undefined;
    const integration = action ? linkedResource(action, "integrationId", ofTypes(resources, GENESYS_INTEGRATION), "id") : undefined;
    const credential = integration
      ? credentialsOf(integration, ofTypes(resources, GENESYS_INTEGRATION_CREDENTIAL)).find(
          (c) => c.props.credentialTypeName === AWS_ARN_CREDENTIAL_TYPE,
        )
      : undefined;
    if (credential && intakeFn && action) {
      const roleResource = roleNamedBy(credential, "fields", (fields) => (fields as { ARN?: unknown } | undefined)?.ARN, roles);
      if (roleResource) {
        const intakeRole = roleNamedBy(intakeFn, "role", (arn) => arn, roles);
        invoker = {
          role: roleModelOf(roleResource),
          intakeArn: (action.props.configRequest as { requestUrlTemplate?: string }).requestUrlTemplate,
          intakeRole: intakeRole ? roleModelOf(intakeRole) : undefined,
        };
      } else gaps.push(`the Genesys credential "${credential.name}" names a role outside the stack`);
    }

    const logging = configsOf(bucket, S3_LOGGING, resources)[0];
    const logBucket = logging ? linkedResource(logging, "targetBucket", buckets, "bucket") : undefined;
    const accessLogs =
      logBucket && purposeOf(logBucket) === BucketPurpose.accessLogs
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
    const releaseRole = releaseRoleOf(holdRoles, archive.arn, worker?.role?.resource);

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

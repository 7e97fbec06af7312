import type { PolicyResource } from "@pulumi/policy";
import { mappedFunction } from "../../lambda/functionRequireReservedConcurrency";
import { BULK_ACTIONS_INTEGRATION_TYPE } from "../../shared/bulkExport";
import { consumedQueue } from "../../sqs/queueMissingDeadLetterQueue";
import {
  BucketPurpose,
  GENESYS_INTEGRATION,
  GENESYS_INTEGRATION_CREDENTIAL,
  IAM_ROLE,
  KMS_KEY,
  LAMBDA_EVENT_SOURCE_MAPPING,
  LAMBDA_FUNCTION,
  S3_BUCKET_POLICY,
  S3_ENCRYPTION,
  S3_NOTIFICATION,
  SQS_QUEUE,
  SQS_QUEUE_POLICY,
} from "../resourceTypes";
import { firstWithValue, membership, resourcesOfType, withValueIn } from "../stackIndex";
import { bucketsOf, configsOf, linkedFrom, purposeOf, stackBuckets } from "../stackLinks";
import { environmentLinks, roleNamedBy } from "./archiveLinks";
import type { KeyModel, PolicyJson, RoleModel, SecretModel } from "./exportAccessModel";

/** What the export access model already knows how to read (passed in: this module stays below it, no import cycle). */
export interface ModelReaders {
  asJson: (value: unknown) => PolicyJson | undefined;
  /** The stack's role a credential's ARN field names, with its policies. */
  roleOfCredential: (credential: PolicyResource) => RoleModel | undefined;
  externalIdOf: (trustPolicy: unknown) => string | undefined;
  roleModelOf: (role: PolicyResource) => RoleModel;
  /** The signing key a function's environment names (value first). */
  signingKeyOf: (fn: PolicyResource) => KeyModel | undefined;
  /** The secret a function's environment names, with its resource policy. */
  secretOf: (fn: PolicyResource) => SecretModel | undefined;
}

/** A function of the bulk path, the role it runs as, and the buckets its environment names (an archive among them). */
export interface BulkFunction {
  fn: PolicyResource;
  role?: RoleModel;
  buckets: PolicyResource[];
  signingKey?: KeyModel;
  secret?: SecretModel;
}

/**
 * Bulk mode's side of the proof: the bucket tagged as the landing bucket, the
 * key its default encryption uses, and the role the recording bulk actions
 * integration's credential hands Genesys. Found by tags and links, never by names.
 */
export interface LandingModel {
  bucket: PolicyResource;
  arn: string;
  policy?: PolicyJson;
  key?: { resource: PolicyResource; arn: string; policy?: PolicyJson };
  /** The credential of the bulk actions integration (excluded from the data-action invoker's search). */
  credential?: PolicyResource;
  writer?: RoleModel;
  /** The ExternalId the writer's trust requires: the organization id, and so Genesys' key prefix. */
  organizationId?: string;
  /** The queue the bucket's notification configuration sends to (the sealer's), with its queue policy. */
  sealerQueue?: { arn: string; policy?: PolicyJson; urn: string; queue: PolicyResource };
  /** The function an event source mapping drives from the sealer queue, whose environment names the landing bucket. */
  sealer?: BulkFunction;
  /** The function whose environment names the landing bucket and the bulk actions integration: it writes routing objects. */
  caseExport?: BulkFunction;
}

/** The queue a bucket's notification configuration names (by ARN value), and that queue's policy. */
function notifiedQueue(bucket: PolicyResource, resources: PolicyResource[], read: ModelReaders): LandingModel["sealerQueue"] {
  const notification = configsOf(bucket, S3_NOTIFICATION, resources)[0];
  const queueArn = (notification?.props.queues as { queueArn?: unknown }[] | undefined)?.[0]?.queueArn;
  const queues = resourcesOfType(resources, SQS_QUEUE);
  const queue = firstWithValue(queues, ["arn"], queueArn);
  if (!queue) return undefined;
  const queuePolicy = linkedFrom(resources, SQS_QUEUE_POLICY, "queueUrl", queues, "url", queue)[0];
  return { arn: String(queue.props.arn), policy: read.asJson(queuePolicy?.props.policy), urn: (queuePolicy ?? queue).urn, queue };
}

/** The configured credentials of an integration: the ids its config.credentials names, or while unknown, what config depends on. */
function credentialOf(integration: PolicyResource, resources: PolicyResource[]): PolicyResource | undefined {
  const credentials = resourcesOfType(resources, GENESYS_INTEGRATION_CREDENTIAL);
  const config = integration.props.config as { credentials?: Record<string, unknown> } | undefined;
  const ids = Object.values(config?.credentials ?? {});
  const dependencies = new Set(integration.propertyDependencies.config ?? []);
  return withValueIn(credentials, "id", ids)[0] ?? credentials.find((c) => dependencies.has(c));
}

function bulkFunction(fn: PolicyResource, buckets: PolicyResource[], roles: PolicyResource[], read: ModelReaders): BulkFunction {
  const role = roleNamedBy(fn, "role", (arn) => arn, roles);
  return {
    fn,
    role: role ? read.roleModelOf(role) : undefined,
    buckets: environmentLinks(fn, buckets, ["bucket"]),
    signingKey: read.signingKeyOf(fn),
    secret: read.secretOf(fn),
  };
}

/**
 * The links every landing model follows, worked out once per stack
 * evaluation: a stack of many copies would otherwise scan all its functions,
 * mappings and integrations once per landing bucket.
 */
interface LandingLinks {
  buckets: PolicyResource[];
  roles: PolicyResource[];
  /** Each bucket: the functions whose environment names it, in stack order. */
  namingFunctions: Map<PolicyResource, PolicyResource[]>;
  /** Each queue: the event source mappings that read it, in stack order. */
  mappingsOf: Map<PolicyResource, PolicyResource[]>;
  /** Each string the bulk actions integrations' configured properties hold (JSON-quoted): the first integration holding it. */
  integrationByQuotedString: Map<string, PolicyResource>;
  integrations: PolicyResource[];
  resources: PolicyResource[];
}

function appendTo<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

function landingLinks(resources: PolicyResource[]): LandingLinks {
  const buckets = stackBuckets(resources);
  const namingFunctions = new Map<PolicyResource, PolicyResource[]>();
  for (const fn of resourcesOfType(resources, LAMBDA_FUNCTION))
    for (const bucket of new Set(environmentLinks(fn, buckets, ["bucket"]))) appendTo(namingFunctions, bucket, fn);
  const mappingsOf = new Map<PolicyResource, PolicyResource[]>();
  for (const mapping of resourcesOfType(resources, LAMBDA_EVENT_SOURCE_MAPPING)) {
    const queue = consumedQueue(mapping, resources);
    if (queue) appendTo(mappingsOf, queue, mapping);
  }
  const integrations = resourcesOfType(resources, GENESYS_INTEGRATION).filter(
    (i) => i.props.integrationType === BULK_ACTIONS_INTEGRATION_TYPE,
  );
  const integrationByQuotedString = new Map<string, PolicyResource>();
  for (const integration of integrations) {
    const properties = (integration.props.config as { properties?: unknown } | undefined)?.properties;
    if (typeof properties !== "string") continue;
    for (const [quoted] of properties.matchAll(/"(?:[^"\\]|\\.)*"/g))
      if (!integrationByQuotedString.has(quoted)) integrationByQuotedString.set(quoted, integration);
  }
  return {
    buckets,
    roles: resourcesOfType(resources, IAM_ROLE),
    namingFunctions,
    mappingsOf,
    integrationByQuotedString,
    integrations,
    resources,
  };
}

/**
 * The landing bucket's two readers, by the stack's links: the sealer is what
 * the sealer queue's event source mapping drives; the case export is what
 * names the bulk actions integration. Both name the landing bucket.
 */
function bulkFunctions(
  bucket: PolicyResource,
  integration: PolicyResource | undefined,
  sealerQueue: LandingModel["sealerQueue"],
  links: LandingLinks,
  read: ModelReaders,
): Pick<LandingModel, "sealer" | "caseExport"> {
  const naming = links.namingFunctions.get(bucket) ?? [];
  const driven = sealerQueue
    ? (links.mappingsOf.get(sealerQueue.queue) ?? []).flatMap((m) => mappedFunction(m, links.resources) ?? [])
    : [];
  const sealerFn = driven.find((fn) => naming.includes(fn));
  const caseExportFn = integration
    ? naming.find((fn) => fn !== sealerFn && environmentLinks(fn, [integration], ["id"]).length > 0)
    : undefined;
  return {
    sealer: sealerFn ? bulkFunction(sealerFn, links.buckets, links.roles, read) : undefined,
    caseExport: caseExportFn ? bulkFunction(caseExportFn, links.buckets, links.roles, read) : undefined,
  };
}

/** The bulk actions integration that writes into this bucket: the one whose configured properties name it, else the first. */
function integrationOf(bucket: PolicyResource, links: LandingLinks): PolicyResource | undefined {
  return links.integrationByQuotedString.get(JSON.stringify(bucket.props.bucket)) ?? links.integrations[0];
}

/** One model per landing bucket of the stack (a stack of several copies has one per copy). */
export function buildLandingModels(resources: PolicyResource[], read: ModelReaders): LandingModel[] {
  const landingBuckets = bucketsOf(resources).filter((b) => purposeOf(b) === BucketPurpose.landing);
  if (landingBuckets.length === 0) return [];
  const links = landingLinks(resources);
  return landingBuckets.map((bucket) => landingModel(bucket, resources, read, links));
}

function landingModel(bucket: PolicyResource, resources: PolicyResource[], read: ModelReaders, links: LandingLinks): LandingModel {
  const encryption = configsOf(bucket, S3_ENCRYPTION, resources)[0];
  const keyResource = encryption
    ? (encryption.propertyDependencies.rules ?? []).find(membership(resourcesOfType(resources, KMS_KEY)))
    : undefined;
  const integration = integrationOf(bucket, links);
  const credential = integration ? credentialOf(integration, resources) : undefined;
  const writer = credential ? read.roleOfCredential(credential) : undefined;
  const sealerQueue = notifiedQueue(bucket, resources, read);
  return {
    bucket,
    arn: String(bucket.props.arn),
    policy: read.asJson(configsOf(bucket, S3_BUCKET_POLICY, resources)[0]?.props.policy),
    key: keyResource
      ? { resource: keyResource, arn: String(keyResource.props.arn), policy: read.asJson(keyResource.props.policy) }
      : undefined,
    credential,
    writer,
    organizationId: read.externalIdOf(writer?.trustPolicy),
    sealerQueue,
    ...bulkFunctions(bucket, integration, sealerQueue, links, read),
  };
}

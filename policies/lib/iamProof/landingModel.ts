import type { PolicyResource } from "@pulumi/policy";
import { BULK_ACTIONS_INTEGRATION_TYPE } from "../../shared/bulkExport";
import {
  BucketPurpose,
  GENESYS_INTEGRATION,
  GENESYS_INTEGRATION_CREDENTIAL,
  KMS_KEY,
  S3_BUCKET_POLICY,
  S3_ENCRYPTION,
  S3_NOTIFICATION,
  SQS_QUEUE,
  SQS_QUEUE_POLICY,
} from "../resourceTypes";
import { resourcesOfType } from "../stackIndex";
import { bucketsOf, configsOf, linkedFrom, purposeOf } from "../stackLinks";
import type { PolicyJson, RoleModel } from "./exportAccessModel";

/** What the export access model already knows how to read (passed in: this module stays below it, no import cycle). */
export interface ModelReaders {
  asJson: (value: unknown) => PolicyJson | undefined;
  /** The stack's role a credential's ARN field names, with its policies. */
  roleOfCredential: (credential: PolicyResource) => RoleModel | undefined;
  externalIdOf: (trustPolicy: unknown) => string | undefined;
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
  sealerQueue?: { arn: string; policy?: PolicyJson; urn: string };
}

/** The queue a bucket's notification configuration names (by ARN value), and that queue's policy. */
function notifiedQueue(bucket: PolicyResource, resources: PolicyResource[], read: ModelReaders): LandingModel["sealerQueue"] {
  const notification = configsOf(bucket, S3_NOTIFICATION, resources)[0];
  const queueArn = (notification?.props.queues as { queueArn?: unknown }[] | undefined)?.[0]?.queueArn;
  const queues = resourcesOfType(resources, SQS_QUEUE);
  const queue = queues.find((q) => q.props.arn === queueArn);
  if (!queue) return undefined;
  const queuePolicy = linkedFrom(resources, SQS_QUEUE_POLICY, "queueUrl", queues, "url", queue)[0];
  return { arn: String(queue.props.arn), policy: read.asJson(queuePolicy?.props.policy), urn: (queuePolicy ?? queue).urn };
}

/** The configured credentials of an integration: the ids its config.credentials names, or while unknown, what config depends on. */
function credentialOf(integration: PolicyResource, resources: PolicyResource[]): PolicyResource | undefined {
  const credentials = resourcesOfType(resources, GENESYS_INTEGRATION_CREDENTIAL);
  const config = integration.props.config as { credentials?: Record<string, unknown> } | undefined;
  const ids = Object.values(config?.credentials ?? {});
  return (
    credentials.find((c) => ids.includes(c.props.id)) ??
    credentials.find((c) => (integration.propertyDependencies.config ?? []).includes(c))
  );
}

export function buildLandingModel(resources: PolicyResource[], read: ModelReaders): LandingModel | undefined {
  const bucket = bucketsOf(resources).find((b) => purposeOf(b) === BucketPurpose.landing);
  if (!bucket) return undefined;
  const encryption = configsOf(bucket, S3_ENCRYPTION, resources)[0];
  const keyResource = encryption
    ? (encryption.propertyDependencies.rules ?? []).find((r) => resourcesOfType(resources, KMS_KEY).includes(r))
    : undefined;
  const integration = resourcesOfType(resources, GENESYS_INTEGRATION).find(
    (i) => i.props.integrationType === BULK_ACTIONS_INTEGRATION_TYPE,
  );
  const credential = integration ? credentialOf(integration, resources) : undefined;
  const writer = credential ? read.roleOfCredential(credential) : undefined;
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
    sealerQueue: notifiedQueue(bucket, resources, read),
  };
}

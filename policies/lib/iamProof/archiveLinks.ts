import type { PolicyResource } from "@pulumi/policy";
import { allowsAction, parsePolicyDocument, wildcardMatches } from "../iamDocument";
import { IAM_ROLE } from "../resourceTypes";
import { firstWithValue, membership, resourcesOfType } from "../stackIndex";
import { byValueThenDependencies, UNDECIDED, undecidedUnlessIdentified } from "../valueFirst";
import type { RoleModel } from "./exportAccessModel";

/*
 * The links the export access proof follows from one archive to the parts of
 * its own pipeline, each decided by values first (valueFirst.ts), and the
 * reverse maps it needs built once per stack evaluation rather than once per
 * archive (a stack of many archives would otherwise scan itself per archive).
 */

/** A function's environment variables (none when it sets none). */
export function environmentOf(fn: PolicyResource): Record<string, string> {
  return ((fn.props.environment as { variables?: Record<string, string> } | undefined)?.variables ?? {}) as Record<string, string>;
}

/**
 * The roles allowed s3:PutObjectLegalHold, filed by the bucket part of each
 * grant's resource pattern (the text before its first "/"). Patterns with a
 * wildcard there are kept apart and tried on every archive, so an archive
 * finds its release role without trying every role of the stack.
 */
export interface HoldRoles {
  byBucketArn: Map<string, { role: RoleModel; order: number }[]>;
  anyBucket: { role: RoleModel; order: number; bucketPatterns: string[] }[];
}

export function holdRolesOf(resources: PolicyResource[], roleModelOf: (role: PolicyResource) => RoleModel): HoldRoles {
  const holdRoles: HoldRoles = { byBucketArn: new Map(), anyBucket: [] };
  resourcesOfType(resources, IAM_ROLE).forEach((resource, order) => {
    const role = roleModelOf(resource);
    const bucketParts = role.identityPolicies.flatMap((p) =>
      (parsePolicyDocument(p.policy) ?? [])
        .filter((s) => allowsAction([s], "s3:PutObjectLegalHold"))
        .flatMap((s) => s.resources.map((pattern) => pattern.split("/")[0] as string)),
    );
    const wildcards: string[] = [];
    for (const bucketPart of new Set(bucketParts)) {
      if (/[*?]/.test(bucketPart)) wildcards.push(bucketPart);
      else holdRoles.byBucketArn.set(bucketPart, [...(holdRoles.byBucketArn.get(bucketPart) ?? []), { role, order }]);
    }
    if (wildcards.length > 0) holdRoles.anyBucket.push({ role, order, bucketPatterns: wildcards });
  });
  return holdRoles;
}

/** The first role in stack order, other than `except`, allowed s3:PutObjectLegalHold in the archive. */
export function releaseRoleOf(holdRoles: HoldRoles, archiveArn: string, except: PolicyResource | undefined): RoleModel | undefined {
  return [
    ...(holdRoles.byBucketArn.get(archiveArn) ?? []),
    ...holdRoles.anyBucket.filter((r) => r.bucketPatterns.some((pattern) => wildcardMatches(pattern, archiveArn))),
  ]
    .filter((r) => r.role.resource !== except)
    .sort((a, b) => a.order - b.order)[0]?.role;
}

/** The resources of a function's environment among the candidates (a bucket name, a key or secret ARN, a queue URL). */
export function environmentLinks(fn: PolicyResource, candidates: PolicyResource[], matchProperties: readonly string[]): PolicyResource[] {
  return (
    byValueThenDependencies<PolicyResource[] | undefined>(
      fn,
      "environment",
      (environment) => {
        if (environment === undefined) return UNDECIDED;
        const found = Object.values(environmentOf(fn)).flatMap((value) => firstWithValue(candidates, matchProperties, value) ?? []);
        return undecidedUnlessIdentified(found, candidates, matchProperties);
      },
      (dependencies) => dependencies.filter(membership(candidates)),
    ) ?? []
  );
}

/**
 * For each candidate, the first function whose environment names it, worked
 * out once per stack evaluation: an archive finds its worker, and a queue its
 * intake, without scanning every function.
 */
export function namedByEnvironment(functions: readonly PolicyResource[], candidates: PolicyResource[], matchProperties: readonly string[]) {
  const firstNamedBy = new Map<PolicyResource, PolicyResource>();
  for (const fn of functions) {
    for (const resource of environmentLinks(fn, candidates, matchProperties))
      if (!firstNamedBy.has(resource)) firstNamedBy.set(resource, fn);
  }
  return firstNamedBy;
}

/** The role a property names by ARN (a function's role, a credential's fields.ARN), value first. */
export function roleNamedBy(resource: PolicyResource, property: string, arnOf: (value: unknown) => unknown, roles: PolicyResource[]) {
  return byValueThenDependencies(
    resource,
    property,
    (value) => {
      const arn = arnOf(value);
      return arn === undefined ? UNDECIDED : undecidedUnlessIdentified(firstWithValue(roles, ["arn"], arn), roles, ["arn"]);
    },
    (dependencies) => dependencies.find(membership(roles)),
  );
}

/** The function a data action calls: its request URL is the function's ARN (value first). */
export function calledFunction(action: PolicyResource, functions: PolicyResource[]): PolicyResource | undefined {
  return byValueThenDependencies(
    action,
    "configRequest",
    (request) => {
      const url = (request as { requestUrlTemplate?: string } | undefined)?.requestUrlTemplate;
      return url === undefined ? UNDECIDED : undecidedUnlessIdentified(firstWithValue(functions, ["arn"], url), functions, ["arn"]);
    },
    (dependencies) => dependencies.find(membership(functions)),
  );
}

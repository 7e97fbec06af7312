/** One Genesys permission policy, in the shape of the auth role's permissionPolicies. */
export interface PermissionPolicy {
  domain: string;
  entityName: string;
  actionSets: string[];
}

/**
 * Exactly what the export worker's OAuth client needs: download recordings,
 * restore archived ones (editRetention: moving an archived recording's
 * archive date is how Genesys restores it) and protect their conversations
 * from deletion (Genesys' legal hold).
 * Unredacted media needs viewSensitiveData, granted only when the stack asks
 * for it. Permissions come from roles; client-credentials clients have no
 * scopes to set.
 */
export function workerPermissionPolicies(exportUnredactedMedia: boolean): PermissionPolicy[] {
  return [
    {
      domain: "recording",
      entityName: "recording",
      actionSets: exportUnredactedMedia ? ["view", "editRetention", "viewSensitiveData"] : ["view", "editRetention"],
    },
    { domain: "recording", entityName: "deletionProtection", actionSets: ["apply"] },
  ];
}

/** The same permissions as "domain:entity:action" strings, as Genesys and reviewers write them. */
export function permissionStrings(policies: PermissionPolicy[]): string[] {
  return policies.flatMap((p) => p.actionSets.map((action) => `${p.domain}:${p.entityName}:${action}`)).sort();
}

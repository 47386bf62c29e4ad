/**
 * The manifest schema: the single source of truth for what `tenants/*.yaml` may contain.
 *
 * Types (`FleetDefaults`, `TenantManifest`), the JSON Schemas editors use (`tenants/*.schema.json`) and the field reference
 * (`tenants/REFERENCE.md`) are all generated from these zod schemas (see generate.ts). Every optional field documents its
 * default in its description, which is what the generated reference shows.
 *
 * Rules that need more than one field or more than one file (connection budget, derived AWS name lengths, duplicate ids,
 * unknown tier) live in rules.ts and fleet/model/rules.ts, because they need the resolved values, not just the shape.
 */
export { CUSTOM_CODE, OPERATIONAL_ALARM_IDS, SSO_GROUP_ID_PATTERN, type OperationalAlarmId, TENANT_ID_PATTERN, MAX_DEPLOY_WAVES, LOG_RETENTION_DAYS, INSTANCE_CLASS_MEMORY_GIB, INSTANCE_CLASSES } from './fields';
export { SECRET_LITERAL_PATTERNS, SECRET_NAME_PATTERN, CONTACT_KINDS, ContactSchema, type ContactManifest } from './contacts';
export { TierSchema, AlertRoutingSchema, GRAFANA_AUTH_PROVIDERS, FleetSchema, CellSchema, CELL_NAME_PATTERN, type TierManifest, type FleetDefaults, type CellManifest } from './fleet';
export { QUOTAS, QUOTA_KEYS, QUOTA_BY_KEY, QuotasSchema, quotaCodeText, type QuotaDefinition, type QuotaKey, type QuotasManifest } from './quotas';
export { TenantSchema, type TenantManifest, type TenantSource, type Manifest } from './tenant';

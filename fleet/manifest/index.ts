/** The manifest layer: schema, loading with positions, validation rules and error formatting. */
export { readManifestFiles, manifestResult, FLEET_FILE, type LoadOptions, type LoadResult, type ManifestFiles, type ManifestFileSystem } from './loader';
export { formatError, ManifestValidationError, type ManifestError } from './errors';
export { RULES, type RuleCode } from './rules';
export {
  FleetSchema,
  TenantSchema,
  ContactSchema,
  TierSchema,
  INSTANCE_CLASSES,
  INSTANCE_CLASS_MEMORY_GIB,
  type FleetDefaults,
  type TenantManifest,
  type TierManifest,
  type ContactManifest,
  type Manifest,
  type TenantSource,
} from './schema';

/**
 * What a tenant id is, for every layer that checks one: the manifest (file names and `id:`), the functions (their
 * FLOTA_TENANT_ID), the CLI and the dev fleet. DNS-safe: lowercase letters, digits and single hyphens; starts with a
 * letter, ends with a letter or digit. Every AWS name of a tenant derives from it.
 */
export const TENANT_ID_PATTERN = /^[a-z](?:[a-z0-9]|-(?!-))*[a-z0-9]$|^[a-z]$/;

/** Longest id the pattern itself allows; the naming prefix usually lowers it (manifest rule `name-too-long`). */
export const MAX_TENANT_ID_LENGTH = 63;

export const TENANT_ID_RULE_TEXT =
  'lowercase letters, digits and single hyphens, starting with a letter and ending with a letter or digit';

export function isTenantId(value: string): boolean {
  return value.length <= MAX_TENANT_ID_LENGTH && TENANT_ID_PATTERN.test(value);
}

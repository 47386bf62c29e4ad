/**
 * Physical AWS names of a tenant, derived from the naming prefix and the tenant id only (never from file order), and the
 * AWS limits each must satisfy. The manifest validator runs `checkTenantNames` on every tenant before anything is built,
 * so a name that AWS would reject is reported against the tenant's `id` with the longest id that would fit.
 *
 * Pure and dependency-free on purpose: the manifest rules and the model builder both use it.
 */
import type { TenantNamesModel } from './types';

/** Derives every physical name of one tenant. `environment` names the API stage. */
export function deriveTenantNames(prefix: string, id: string, environment: string): TenantNamesModel {
  const base = `${prefix}-${id}`;
  const ingestFunction = `${base}-ingest`;
  const apiFunction = `${base}-api`;
  const migrateFunction = `${base}-migrate`;
  return {
    base,
    kmsAlias: `alias/${base}`,
    topic: `${base}-records`,
    queue: `${base}-ingest`,
    deadLetterQueue: `${base}-ingest-dlq`,
    ingestFunction,
    apiFunction,
    migrateFunction,
    ingestRole: `${base}-ingest-role`,
    apiRole: `${base}-api-role`,
    migrateRole: `${base}-migrate-role`,
    lambdaSecurityGroup: `${base}-lambda`,
    databaseSecurityGroup: `${base}-db`,
    dbInstance: `${base}-db`,
    dbParameterGroup: `${base}-postgres17`,
    dbSubnetGroup: `${base}-db-subnets`,
    dbFinalSnapshot: `${base}-db-final`,
    restApi: `${base}-api`,
    apiStage: environment,
    usagePlan: `${base}-usage-plan`,
    apiKey: `${base}-api-key`,
    apiKeySecret: `${prefix}/${id}/api-key`,
    cursorKeySecret: `${prefix}/${id}/cursor-key`,
    ingestLogGroup: `/aws/lambda/${ingestFunction}`,
    apiLogGroup: `/aws/lambda/${apiFunction}`,
    migrateLogGroup: `/aws/lambda/${migrateFunction}`,
    apiAccessLogGroup: `/aws/apigateway/${base}`,
  };
}

/**
 * The cell's one DB subnet group (platform stack), shared by every tenant database of the cell. A tenant's own names
 * are `<prefix>-<id>-…` with a non-empty id, so they can never equal it.
 */
export function sharedDbSubnetGroupName(prefix: string): string {
  return `${prefix}-db-subnets`;
}

/** A cell's shared DB parameter group for one (family, tier): `<prefix>-<family>-tier-<tier>`. */
export function sharedDbParameterGroupName(prefix: string, family: string, tier: string): string {
  return `${prefix}-${family}-tier-${tier}`;
}

export type TenantNameKey = Exclude<keyof TenantNamesModel, 'apiGatewayRole'>;

/** One AWS naming constraint. */
export interface NameRule {
  readonly key: TenantNameKey;
  /** What AWS calls the thing, for messages. */
  readonly resource: string;
  readonly maxLength: number;
  /** Whole-name pattern AWS enforces. */
  readonly pattern: RegExp;
  /** The pattern in words, for messages. */
  readonly patternText: string;
}

const RDS_STYLE = /^[a-z](?!.*--)[a-z0-9-]*[a-z0-9]$/;
const RDS_STYLE_TEXT = 'lowercase letters, digits and hyphens, starting with a letter, no "--", no trailing hyphen';

/** The limits, from the AWS API references of each service. */
export const NAME_RULES: readonly NameRule[] = [
  { key: 'kmsAlias', resource: 'KMS alias', maxLength: 256, pattern: /^alias\/(?!aws\/)[A-Za-z0-9/_-]+$/, patternText: 'alias/ then A-Z a-z 0-9 / _ -' },
  { key: 'topic', resource: 'SNS topic name', maxLength: 256, pattern: /^[A-Za-z0-9_-]+$/, patternText: 'A-Z a-z 0-9 _ -' },
  { key: 'queue', resource: 'SQS queue name', maxLength: 80, pattern: /^[A-Za-z0-9_-]+$/, patternText: 'A-Z a-z 0-9 _ -' },
  { key: 'deadLetterQueue', resource: 'SQS queue name', maxLength: 80, pattern: /^[A-Za-z0-9_-]+$/, patternText: 'A-Z a-z 0-9 _ -' },
  { key: 'ingestFunction', resource: 'Lambda function name', maxLength: 64, pattern: /^[A-Za-z0-9_-]+$/, patternText: 'A-Z a-z 0-9 _ -' },
  { key: 'apiFunction', resource: 'Lambda function name', maxLength: 64, pattern: /^[A-Za-z0-9_-]+$/, patternText: 'A-Z a-z 0-9 _ -' },
  { key: 'migrateFunction', resource: 'Lambda function name', maxLength: 64, pattern: /^[A-Za-z0-9_-]+$/, patternText: 'A-Z a-z 0-9 _ -' },
  { key: 'ingestRole', resource: 'IAM role name', maxLength: 64, pattern: /^[\w+=,.@-]+$/, patternText: 'A-Z a-z 0-9 _ + = , . @ -' },
  { key: 'apiRole', resource: 'IAM role name', maxLength: 64, pattern: /^[\w+=,.@-]+$/, patternText: 'A-Z a-z 0-9 _ + = , . @ -' },
  { key: 'migrateRole', resource: 'IAM role name', maxLength: 64, pattern: /^[\w+=,.@-]+$/, patternText: 'A-Z a-z 0-9 _ + = , . @ -' },
  { key: 'lambdaSecurityGroup', resource: 'security group name', maxLength: 255, pattern: /^(?!sg-)[A-Za-z0-9 ._\-:/()#,@[\]+=&;{}!$*]+$/, patternText: 'must not start with "sg-"' },
  { key: 'databaseSecurityGroup', resource: 'security group name', maxLength: 255, pattern: /^(?!sg-)[A-Za-z0-9 ._\-:/()#,@[\]+=&;{}!$*]+$/, patternText: 'must not start with "sg-"' },
  { key: 'dbInstance', resource: 'RDS DB instance identifier', maxLength: 63, pattern: RDS_STYLE, patternText: RDS_STYLE_TEXT },
  { key: 'dbParameterGroup', resource: 'RDS parameter group name', maxLength: 255, pattern: RDS_STYLE, patternText: RDS_STYLE_TEXT },
  { key: 'dbSubnetGroup', resource: 'RDS DB subnet group name', maxLength: 255, pattern: /^(?!default$)[a-z0-9 ._-]+$/, patternText: 'lowercase letters, digits, spaces, . _ -' },
  { key: 'dbFinalSnapshot', resource: 'RDS snapshot identifier', maxLength: 255, pattern: RDS_STYLE, patternText: RDS_STYLE_TEXT },
  { key: 'restApi', resource: 'API Gateway REST API name', maxLength: 1024, pattern: /^[\x20-\x7e]+$/, patternText: 'printable ASCII' },
  { key: 'apiStage', resource: 'API Gateway stage name', maxLength: 128, pattern: /^[A-Za-z0-9_-]+$/, patternText: 'A-Z a-z 0-9 _ -' },
  { key: 'usagePlan', resource: 'API Gateway usage plan name', maxLength: 1024, pattern: /^[\x20-\x7e]+$/, patternText: 'printable ASCII' },
  { key: 'apiKey', resource: 'API Gateway API key name', maxLength: 1024, pattern: /^[\x20-\x7e]+$/, patternText: 'printable ASCII' },
  { key: 'apiKeySecret', resource: 'Secrets Manager secret name', maxLength: 512, pattern: /^[A-Za-z0-9/_+=.@-]+$/, patternText: 'A-Z a-z 0-9 / _ + = . @ -' },
  { key: 'cursorKeySecret', resource: 'Secrets Manager secret name', maxLength: 512, pattern: /^[A-Za-z0-9/_+=.@-]+$/, patternText: 'A-Z a-z 0-9 / _ + = . @ -' },
  { key: 'ingestLogGroup', resource: 'CloudWatch log group name', maxLength: 512, pattern: /^[.\-_/#A-Za-z0-9]+$/, patternText: 'A-Z a-z 0-9 . - _ / #' },
  { key: 'apiLogGroup', resource: 'CloudWatch log group name', maxLength: 512, pattern: /^[.\-_/#A-Za-z0-9]+$/, patternText: 'A-Z a-z 0-9 . - _ / #' },
  { key: 'migrateLogGroup', resource: 'CloudWatch log group name', maxLength: 512, pattern: /^[.\-_/#A-Za-z0-9]+$/, patternText: 'A-Z a-z 0-9 . - _ / #' },
  { key: 'apiAccessLogGroup', resource: 'CloudWatch log group name', maxLength: 512, pattern: /^[.\-_/#A-Za-z0-9]+$/, patternText: 'A-Z a-z 0-9 . - _ / #' },
];

export interface NameViolation {
  readonly rule: NameRule;
  readonly name: string;
  readonly kind: 'too-long' | 'pattern';
}

/** Every derived name that AWS would reject, in NAME_RULES order. */
export function checkTenantNames(names: TenantNamesModel): NameViolation[] {
  const violations: NameViolation[] = [];
  for (const rule of NAME_RULES) {
    const name = names[rule.key];
    if (name.length > rule.maxLength) violations.push({ rule, name, kind: 'too-long' });
    else if (!rule.pattern.test(name)) violations.push({ rule, name, kind: 'pattern' });
  }
  return violations;
}

/**
 * The longest tenant id whose derived names all fit their length limits under this prefix (every name contains the id
 * once, so the limit is linear). 0 or less means the prefix itself is too long.
 */
export function maxTenantIdLength(prefix: string, environment: string): number {
  const one = deriveTenantNames(prefix, 'a', environment);
  const two = deriveTenantNames(prefix, 'ab', environment);
  let max = Number.POSITIVE_INFINITY;
  for (const rule of NAME_RULES) {
    if (one[rule.key] === two[rule.key]) continue; // does not contain the id
    const fixed = one[rule.key].length - 1;
    max = Math.min(max, rule.maxLength - fixed);
  }
  return max;
}

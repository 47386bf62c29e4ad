/**
 * The AWS account quotas a fleet runs into, as data: each one named with its Service Quotas code (service + quota code)
 * and its AWS default. `_fleet.yaml` `quotas` (and `cells[].quotas`) declare the values an account has — or will have
 * once the increase requests they imply are granted — and `flota validate` checks every cell's usage against them.
 * What a fleet uses of each quota is derived in fleet/model/quotas.ts.
 *
 * Sources (checked 2026-12): RDS https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/CHAP_Limits.html,
 * API Gateway https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-execution-service-limits-table.html,
 * Lambda https://docs.aws.amazon.com/lambda/latest/dg/limits.html, VPC https://docs.aws.amazon.com/vpc/latest/userguide/amazon-vpc-limits.html,
 * IAM https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html. Codes are the ones the Service Quotas
 * console links to (servicequotas/home/services/<service>/quotas/<code>).
 */
import { z } from 'zod';

export interface QuotaDefinition {
  /** Key in `_fleet.yaml` `quotas`. */
  readonly key: QuotaKey;
  /** What AWS calls it (Service Quotas "quota name"). */
  readonly name: string;
  /** Service Quotas service code, e.g. `rds`. */
  readonly serviceCode: string;
  /** Service Quotas quota code, e.g. `L-7B6409FD`; undefined for fixed limits Service Quotas does not list. */
  readonly quotaCode?: string;
  /** The AWS default for a new account. */
  readonly awsDefault: number;
  /** false: AWS cannot raise it; a cell that needs more is full and tenants must go to another cell. */
  readonly adjustable: boolean;
  /** `region`: per account and region; `account`: per account, all regions (IAM). */
  readonly scope: 'region' | 'account';
  readonly unit: string;
  /** What flota counts against it, for the field reference and `flota quotas`. */
  readonly counts: string;
}

export const QUOTA_KEYS = [
  'rdsDbInstances',
  'rdsDbSubnetGroups',
  'rdsParameterGroups',
  'rdsTotalStorageGb',
  'lambdaConcurrentExecutions',
  'lambdaVpcNetworkInterfaces',
  'vpcSecurityGroups',
  'apiGatewayRegionalApis',
  'apiGatewayUsagePlans',
  'apiGatewayApiKeys',
  'iamRoles',
] as const;
export type QuotaKey = (typeof QUOTA_KEYS)[number];

export const QUOTAS: readonly QuotaDefinition[] = [
  { key: 'rdsDbInstances', name: 'DB instances', serviceCode: 'rds', quotaCode: 'L-7B6409FD', awsDefault: 40, adjustable: true, scope: 'region', unit: 'instances', counts: 'one per tenant' },
  { key: 'rdsDbSubnetGroups', name: 'DB subnet groups', serviceCode: 'rds', quotaCode: 'L-48C6BF61', awsDefault: 50, adjustable: true, scope: 'region', unit: 'groups', counts: 'one per cell (shared by its tenants, platform stack)' },
  { key: 'rdsParameterGroups', name: 'Parameter groups', serviceCode: 'rds', quotaCode: 'L-DE55804A', awsDefault: 50, adjustable: true, scope: 'region', unit: 'groups', counts: 'one per (family, tier) used in the cell, plus one per tenant whose parameters differ from its tier (e.g. an instanceClass override changes max_connections)' },
  { key: 'rdsTotalStorageGb', name: 'Total storage for all DB instances', serviceCode: 'rds', quotaCode: 'L-7ADDB58A', awsDefault: 100000, adjustable: true, scope: 'region', unit: 'GiB', counts: 'every tenant database at its storage autoscaling ceiling (maxAllocatedStorageGb)' },
  { key: 'lambdaConcurrentExecutions', name: 'Concurrent executions', serviceCode: 'lambda', quotaCode: 'L-B99A9384', awsDefault: 1000, adjustable: true, scope: 'region', unit: 'executions', counts: 'reserved concurrency of every tenant (API + 1 migrate) plus the 100 AWS keeps unreserved' },
  { key: 'lambdaVpcNetworkInterfaces', name: 'Elastic network interfaces per VPC', serviceCode: 'lambda', quotaCode: 'L-9FEE3D26', awsDefault: 250, adjustable: true, scope: 'region', unit: 'interfaces', counts: "one Hyperplane ENI per subnet per tenant (a tenant's functions share one security group), plus one per subnet per interface endpoint" },
  { key: 'vpcSecurityGroups', name: 'VPC security groups per Region', serviceCode: 'vpc', quotaCode: 'L-E79EC296', awsDefault: 2500, adjustable: true, scope: 'region', unit: 'groups', counts: 'two per tenant (functions, database), the endpoint group and the default group of the VPC' },
  { key: 'apiGatewayRegionalApis', name: 'Regional APIs per Region', serviceCode: 'apigateway', awsDefault: 600, adjustable: false, scope: 'region', unit: 'REST APIs', counts: 'one per tenant; AWS cannot raise it, so a cell holds at most 600 tenants' },
  { key: 'apiGatewayUsagePlans', name: 'Usage plans per account per Region', serviceCode: 'apigateway', quotaCode: 'L-E8693075', awsDefault: 300, adjustable: true, scope: 'region', unit: 'usage plans', counts: 'one per tenant' },
  { key: 'apiGatewayApiKeys', name: 'API keys per account per Region', serviceCode: 'apigateway', awsDefault: 10000, adjustable: false, scope: 'region', unit: 'API keys', counts: 'one per tenant' },
  { key: 'iamRoles', name: 'Roles per account', serviceCode: 'iam', quotaCode: 'L-FE177D64', awsDefault: 1000, adjustable: true, scope: 'account', unit: 'roles', counts: "three per tenant (ingest, API, migrate) plus the platform's roles" },
];

export const QUOTA_BY_KEY: Readonly<Record<QuotaKey, QuotaDefinition>> = Object.fromEntries(QUOTAS.map((q) => [q.key, q])) as Record<QuotaKey, QuotaDefinition>;

/** `rds L-7B6409FD` or, for a fixed limit without a code, `apigateway (fixed)`. */
export function quotaCodeText(q: QuotaDefinition): string {
  return `${q.serviceCode} ${q.quotaCode ?? '(fixed, no Service Quotas code)'}`;
}

function quotaField(q: QuotaDefinition) {
  const base = z.number().int().min(1);
  const field = q.adjustable ? base.max(100_000_000) : base.max(q.awsDefault);
  return field
    .optional()
    .describe(
      `${q.name} (${quotaCodeText(q)}${q.adjustable ? '' : ', cannot be raised'}), ${q.scope === 'account' ? 'per account' : 'per account and region'}: ${q.counts}. Default: ${q.awsDefault} (the AWS default)${q.key === 'lambdaConcurrentExecutions' ? ', or `lambdaConcurrencyLimit`' : ''}.`,
    );
}

export const QuotasSchema = z
  .strictObject(Object.fromEntries(QUOTAS.map((q) => [q.key, quotaField(q)])) as Record<QuotaKey, ReturnType<typeof quotaField>>)
  .describe(
    'Account quotas: the values the account has, or will have once the increases you request are granted. `flota validate` fails when a cell needs more and prints the increases to request (declared value above the AWS default). Default: every quota at its AWS default.',
  );
export type QuotasManifest = z.infer<typeof QuotasSchema>;

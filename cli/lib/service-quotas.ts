/**
 * Reads a cell's applied quota values from AWS Service Quotas (GetServiceQuota, falling back to the AWS default when the
 * account has never changed the quota). A cell with a deploy role is read through that role (STS AssumeRole), so one
 * set of CI or operator credentials reads every cell's account.
 */
import { GetAWSDefaultServiceQuotaCommand, GetServiceQuotaCommand, NoSuchResourceException, ServiceQuotasClient } from '@aws-sdk/client-service-quotas';
import { fromTemporaryCredentials } from '@aws-sdk/credential-providers';
import type { QuotaDefinition } from '../../fleet/manifest/schema';
import type { CellModel } from '../../fleet/model/types';

/** Service Quotas serves account-wide (global) services such as IAM from us-east-1. */
export const GLOBAL_QUOTAS_REGION = 'us-east-1';

export type AppliedQuota = { readonly value: number } | { readonly error: string } | { readonly fixed: true };

export type ClientFor = (cell: CellModel, region: string) => ServiceQuotasClient;

/** One client per (cell, region), with the cell's deploy role when it has one. */
export function defaultClientFor(): ClientFor {
  const clients = new Map<string, ServiceQuotasClient>();
  return (cell, region) => {
    const key = `${cell.name}|${region}`;
    let client = clients.get(key);
    if (client === undefined) {
      client = new ServiceQuotasClient({
        region,
        ...(cell.deployRoleArn !== undefined
          ? { credentials: fromTemporaryCredentials({ params: { RoleArn: cell.deployRoleArn, RoleSessionName: `flota-quotas-${cell.name}` } }) }
          : {}),
      });
      clients.set(key, client);
    }
    return client;
  };
}

/** The applied value of one quota in a cell's account; fixed limits without a quota code are not read. */
export async function readAppliedQuota(clientFor: ClientFor, cell: CellModel, quota: QuotaDefinition): Promise<AppliedQuota> {
  if (quota.quotaCode === undefined) return { fixed: true };
  const client = clientFor(cell, quota.scope === 'account' ? GLOBAL_QUOTAS_REGION : cell.region);
  const input = { ServiceCode: quota.serviceCode, QuotaCode: quota.quotaCode };
  try {
    const applied = await client.send(new GetServiceQuotaCommand(input));
    if (applied.Quota?.Value !== undefined) return { value: applied.Quota.Value };
  } catch (error) {
    if (!(error instanceof NoSuchResourceException) && (error as { name?: string }).name !== 'NoSuchResourceException') {
      return { error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) };
    }
  }
  try {
    const fallback = await client.send(new GetAWSDefaultServiceQuotaCommand(input));
    return fallback.Quota?.Value !== undefined ? { value: fallback.Quota.Value } : { error: 'Service Quotas returned no value' };
  } catch (error) {
    return { error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) };
  }
}

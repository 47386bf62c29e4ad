/**
 * `flota smoke <tenant...>|--all`: end-to-end check of tenant pipelines (publish → ingest → database → API).
 * AWS mode publishes to the tenant's SNS topic and reads through its API Gateway URL with the key from Secrets
 * Manager; `--local URL` targets the dev fleet (`npm run dev`), where POST /v1/records stands in for the topic.
 * The records (type flota.smoke) sit in a partition the API never lists (functions/api/queries.ts NOT_SMOKE): clients
 * never see them in a page; only GET /v1/records/<id>, which this command uses, reads them.
 */
import { readFileSync } from 'node:fs';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { ListTopicsCommand, PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { loadFleet } from '../../fleet';
import type { FleetModel, TenantModel } from '../../fleet/model/types';
import { parseCommandArgs, positiveNumber, TENANTS_OPTIONS, tenantsDirectory, UsageError } from '../lib/args';
import { formatTable, printJson, processIo, runCommand, type Io } from '../lib/output';
import { mapLimit, smokeTenant, type HttpResult, type SmokeOptions, type SmokeResult, type SmokeTarget } from '../lib/smoke';

export const HELP = `usage: flota smoke (<tenant>... | --all) [--local <url>] [--outputs-file <file>] [--timeout <s>] [--json]

Publishes a uniquely tagged record for each tenant and polls the tenant API until it can be read back (HTTP 200, same
record). Exit 1 if any tenant fails. Smoke records (type flota.smoke) are never listed by GET /v1/records.

options:
  --all                  every tenant in the manifest
  --local <url>          the local dev fleet (npm run dev), e.g. http://127.0.0.1:8787: POST /t/<tenant>/v1/records
                         publishes, GET /t/<tenant>/v1/records/<id> reads; key: --api-key, $FLOTA_DEV_API_KEY or dev-key-<tenant>
  --api-key <key>        API key for --local (default dev-key-<tenant>)
  --outputs-file <file>  AWS: stack outputs (terraform output -json of one tenant stack, or cdktf output --outputs-file
                         of several) giving api_url, topic_arn, api_key_secret_name
  --timeout <s>          seconds to wait for each record (default 120)
  --concurrency <n>      tenants checked at once (default 8)
  --tenants <dir>        manifest directory (default tenants; --manifest is a deprecated alias)
  --json                 print results as JSON
`;

export interface SmokeDependencies {
  readonly fetch: typeof fetch;
  /** AWS clients in `region` (the fleet's region from the manifest, unless AWS_REGION says otherwise). */
  readonly sns: (region: string) => SNSClient;
  readonly secrets: (region: string) => SecretsManagerClient;
  readonly loadFleet: (dir: string) => FleetModel;
}

const defaultDependencies: SmokeDependencies = {
  fetch: (...args) => fetch(...args),
  sns: (region) => new SNSClient({ region: process.env.AWS_REGION ?? region }),
  secrets: (region) => new SecretsManagerClient({ region: process.env.AWS_REGION ?? region }),
  loadFleet: (dir) => loadFleet(dir),
};

async function httpGet(fetchImpl: typeof fetch, url: string, apiKey: string): Promise<HttpResult> {
  const response = await fetchImpl(url, { headers: { 'x-api-key': apiKey, accept: 'application/json' }, signal: AbortSignal.timeout(10_000) });
  return { status: response.status, body: await response.text() };
}

function localTarget(tenant: string, baseUrl: string, apiKey: string, deps: SmokeDependencies): SmokeTarget {
  const base = `${baseUrl.replace(/\/+$/, '')}/t/${encodeURIComponent(tenant)}/v1/records`;
  return {
    tenant,
    publish: async (record) => {
      const response = await deps.fetch(base, {
        method: 'POST',
        headers: { 'x-api-key': apiKey, 'content-type': 'application/json' },
        body: JSON.stringify(record),
        signal: AbortSignal.timeout(10_000),
      });
      if (response.status !== 202 && response.status !== 200) {
        throw new Error(`POST ${base} returned HTTP ${response.status}: ${(await response.text()).slice(0, 200)}`);
      }
    },
    read: (id) => httpGet(deps.fetch, `${base}/${encodeURIComponent(id)}`, apiKey),
  };
}

type StackOutputs = Record<string, unknown>;

/**
 * Reads outputs per stack from either `terraform output -json` (one stack: `{ name: { value } }`) or
 * `cdktf output --outputs-file` (`{ stack: { name: value } }`).
 */
/** Reads --outputs-file, naming the file and the fix when it is missing or not JSON. */
function readOutputsFile(file: string, stacks: readonly string[]): Map<string, StackOutputs> {
  const fix = 'pass the JSON written by `terraform output -json` (one stack) or `cdktf output --outputs-file` (several)';
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new UsageError(`--outputs-file ${file}: cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)}); ${fix}`);
  }
  try {
    return parseOutputsFile(text, stacks);
  } catch (error) {
    if (error instanceof SyntaxError) throw new UsageError(`--outputs-file ${file}: not JSON (${error.message}); ${fix}`);
    throw error;
  }
}

export function parseOutputsFile(text: string, stacks: readonly string[]): Map<string, StackOutputs> {
  const json: unknown = JSON.parse(text);
  if (json === null || typeof json !== 'object' || Array.isArray(json)) throw new UsageError('the outputs file must hold a JSON object of outputs');
  const parsed = json as Record<string, unknown>;
  const result = new Map<string, StackOutputs>();
  const isTerraformFormat = Object.values(parsed).every((v) => typeof v === 'object' && v !== null && 'value' in v);
  if (isTerraformFormat) {
    if (stacks.length !== 1) throw new UsageError('an outputs file from `terraform output -json` describes one stack: smoke one tenant with it');
    result.set(stacks[0] as string, Object.fromEntries(Object.entries(parsed).map(([k, v]) => [k, (v as { value: unknown }).value])));
    return result;
  }
  for (const [stack, outputs] of Object.entries(parsed)) {
    if (typeof outputs === 'object' && outputs !== null) result.set(stack, outputs as StackOutputs);
  }
  return result;
}

function stringOutput(outputs: StackOutputs | undefined, name: string): string | undefined {
  const value = outputs?.[name];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

async function topicArnByName(sns: SNSClient, topicName: string): Promise<string | undefined> {
  let token: string | undefined;
  do {
    const page = await sns.send(new ListTopicsCommand({ NextToken: token }));
    const match = page.Topics?.find((topic) => topic.TopicArn?.endsWith(`:${topicName}`));
    if (match?.TopicArn) return match.TopicArn;
    token = page.NextToken;
  } while (token);
  return undefined;
}

async function awsTarget(tenant: TenantModel, outputs: StackOutputs | undefined, deps: SmokeDependencies, clients: { sns: SNSClient; secrets: SecretsManagerClient }): Promise<SmokeTarget> {
  const apiUrl = stringOutput(outputs, 'api_url');
  if (apiUrl === undefined) {
    throw new Error(`no api_url output for ${tenant.stackName}: pass --outputs-file with the stack's outputs (terraform output -json)`);
  }
  const topicArn = stringOutput(outputs, 'topic_arn') ?? (await topicArnByName(clients.sns, tenant.names.topic));
  if (topicArn === undefined) throw new Error(`SNS topic ${tenant.names.topic} not found: is ${tenant.stackName} deployed in this account and region?`);
  const secretId = stringOutput(outputs, 'api_key_secret_name') ?? tenant.names.apiKeySecret;
  const secret = await clients.secrets.send(new GetSecretValueCommand({ SecretId: secretId }));
  const raw = secret.SecretString ?? '';
  const apiKey = raw.trim().startsWith('{') ? String((JSON.parse(raw) as { apiKey?: unknown }).apiKey ?? '') : raw;
  if (apiKey === '') throw new Error(`secret ${secretId} holds no API key`);
  const base = `${apiUrl.replace(/\/+$/, '')}/v1/records`;
  return {
    tenant: tenant.id,
    publish: async (record) => {
      await clients.sns.send(
        new PublishCommand({
          TopicArn: topicArn,
          Message: JSON.stringify(record),
          MessageAttributes: { recordType: { DataType: 'String', StringValue: record.type } },
        }),
      );
    },
    read: (id) => httpGet(deps.fetch, `${base}/${encodeURIComponent(id)}`, apiKey),
  };
}

export async function run(args: string[], io: Io = processIo, deps: SmokeDependencies = defaultDependencies, options: Partial<SmokeOptions> = {}): Promise<number> {
  return runCommand(io, HELP, async () => {
    const { values, positionals } = parseCommandArgs(args, {
      all: { type: 'boolean' },
      local: { type: 'string' },
      'api-key': { type: 'string' },
      'outputs-file': { type: 'string' },
      timeout: { type: 'string' },
      concurrency: { type: 'string' },
      ...TENANTS_OPTIONS,
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    });
    if (values.help) {
      io.stdout(HELP);
      return 0;
    }
    if ((positionals.length > 0) === (values.all === true)) throw new UsageError('name tenants or pass --all (not both)');
    const timeoutMs = positiveNumber('timeout', values.timeout, 120) * 1000;
    const concurrency = positiveNumber('concurrency', values.concurrency, 8, { integer: true });

    const manifest = tenantsDirectory(values, io.stderr);
    const fleet = deps.loadFleet(manifest);
    const byId = new Map(fleet.tenants.map((tenant) => [tenant.id, tenant]));
    const unknown = positionals.filter((id) => !byId.has(id));
    if (unknown.length > 0) throw new UsageError(`unknown tenant(s): ${unknown.join(', ')} (not in ${manifest}/)`);
    const tenants = values.all ? fleet.tenants : positionals.map((id) => byId.get(id) as TenantModel);

    let targetFor: (tenant: TenantModel) => Promise<SmokeTarget>;
    if (values.local !== undefined) {
      const local = values.local;
      targetFor = async (tenant) =>
        localTarget(tenant.id, local, values['api-key'] ?? process.env.FLOTA_DEV_API_KEY ?? `dev-key-${tenant.id}`, deps);
    } else {
      const outputs = values['outputs-file'] === undefined
        ? new Map<string, StackOutputs>()
        : readOutputsFile(values['outputs-file'], tenants.map((t) => t.stackName));
      const clients = { sns: deps.sns(fleet.region), secrets: deps.secrets(fleet.region) };
      targetFor = (tenant) => awsTarget(tenant, outputs.get(tenant.stackName), deps, clients);
    }

    io.stderr(`smoke: ${tenants.length} tenant(s), timeout ${timeoutMs / 1000} s each\n`);
    const results = await mapLimit(tenants, concurrency, async (tenant): Promise<SmokeResult> => {
      let result: SmokeResult;
      try {
        result = await smokeTenant(await targetFor(tenant), { ...options, timeoutMs });
      } catch (error) {
        result = { tenant: tenant.id, ok: false, recordId: '', attempts: 0, error: error instanceof Error ? error.message : String(error) };
      }
      io.stderr(`  ${result.ok ? 'ok  ' : 'FAIL'} ${tenant.id}\n`);
      return result;
    });
    const failed = results.filter((r) => !r.ok).length;
    if (values.json) printJson(io, { ok: failed === 0, failed, results });
    else {
      io.stdout(formatTable(['TENANT', 'RESULT', 'LATENCY', 'ATTEMPTS', 'DETAIL'], results.map((r) => [r.tenant, r.ok ? 'ok' : 'FAIL', r.latencyMs === undefined ? '' : `${r.latencyMs} ms`, r.attempts, r.error ?? r.recordId])));
      io.stdout(`${results.length - failed}/${results.length} tenant(s) passed\n`);
    }
    return failed === 0 ? 0 : 1;
  });
}

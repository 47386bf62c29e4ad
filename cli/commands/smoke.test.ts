import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { ListTopicsCommand, PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { loadFleet } from '../../fleet';
import type { FleetModel } from '../../fleet/model/types';
import { parseOutputsFile, run, type SmokeDependencies } from './smoke';

const fleet = loadFleet(join(__dirname, '..', '..', 'tenants'));
const [first, second] = fleet.tenants as [FleetModel['tenants'][number], FleetModel['tenants'][number]];

describe('flota smoke, AWS mode (SNS and Secrets Manager mocked; the API read is a fetch stub)', () => {
  const sns = mockClient(SNSClient);
  const secrets = mockClient(SecretsManagerClient);
  let dir: string;
  let published: Map<string, string>;
  let requests: { url: string; key: string | null }[];

  const deps = (): SmokeDependencies => ({
    sns: () => new SNSClient({ region: 'eu-west-1' }),
    secrets: () => new SecretsManagerClient({ region: 'eu-west-1' }),
    loadFleet: () => fleet,
    fetch: async (input, init) => {
      const url = String(input);
      requests.push({ url, key: new Headers(init?.headers).get('x-api-key') });
      const id = decodeURIComponent(url.split('/').pop() as string);
      const message = published.get(id);
      if (message === undefined) return new Response('{}', { status: 404 });
      return new Response(JSON.stringify({ ...JSON.parse(message), messageId: 'm', publishedAt: null, ingestedAt: new Date().toISOString() }), { status: 200 });
    },
  });

  beforeEach(() => {
    sns.reset();
    secrets.reset();
    dir = mkdtempSync(join(tmpdir(), 'flota-smoke-'));
    published = new Map();
    requests = [];
    sns.on(PublishCommand).callsFake((input: { Message: string }) => {
      published.set((JSON.parse(input.Message) as { id: string }).id, input.Message);
      return { MessageId: 'mid-1' };
    });
    secrets.on(GetSecretValueCommand).callsFake((input: { SecretId: string }) => ({ SecretString: `key-for-${input.SecretId}` }));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  async function smoke(args: string[]) {
    let stdout = '';
    let stderr = '';
    const code = await run(args, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) }, deps(), { initialDelayMs: 1 });
    return { code, stdout, stderr };
  }

  test('publishes to the topic from the stack outputs and reads back through the API with the secret key', async () => {
    const outputs = join(dir, 'outputs.json');
    writeFileSync(outputs, JSON.stringify({
      api_url: { value: 'https://abc.execute-api.eu-west-1.amazonaws.com/v1', type: 'string', sensitive: false },
      topic_arn: { value: `arn:aws:sns:eu-west-1:111122223333:${first.names.topic}`, type: 'string', sensitive: false },
      api_key_secret_name: { value: first.names.apiKeySecret, type: 'string', sensitive: false },
    }));
    const { code, stdout } = await smoke([first.id, '--outputs-file', outputs, '--json']);
    expect(code).toBe(0);
    const report = JSON.parse(stdout);
    expect(report).toMatchObject({ ok: true, failed: 0, results: [{ tenant: first.id, ok: true }] });
    const publish = sns.commandCalls(PublishCommand)[0]?.args[0].input;
    expect(publish?.TopicArn).toBe(`arn:aws:sns:eu-west-1:111122223333:${first.names.topic}`);
    expect(JSON.parse(publish?.Message as string)).toMatchObject({ type: 'flota.smoke', payload: { tenant: first.id } });
    expect(secrets.commandCalls(GetSecretValueCommand)[0]?.args[0].input.SecretId).toBe(first.names.apiKeySecret);
    expect(requests[0]).toEqual({
      url: `https://abc.execute-api.eu-west-1.amazonaws.com/v1/v1/records/${report.results[0].recordId}`,
      key: `key-for-${first.names.apiKeySecret}`,
    });
  });

  test('finds the topic by its model name when the outputs file has no topic_arn (cdktf outputs format, two tenants)', async () => {
    sns.on(ListTopicsCommand).resolvesOnce({ Topics: [{ TopicArn: 'arn:aws:sns:eu-west-1:1:other' }], NextToken: 't' }).resolves({
      Topics: [{ TopicArn: `arn:aws:sns:eu-west-1:1:${first.names.topic}` }, { TopicArn: `arn:aws:sns:eu-west-1:1:${second.names.topic}` }],
    });
    const outputs = join(dir, 'outputs.json');
    writeFileSync(outputs, JSON.stringify({
      [first.stackName]: { api_url: 'https://one.example/v1' },
      [second.stackName]: { api_url: 'https://two.example/v1' },
    }));
    const { code, stdout } = await smoke([first.id, second.id, '--outputs-file', outputs]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/2\/2 tenant\(s\) passed/);
    expect(sns.commandCalls(PublishCommand).map((c) => c.args[0].input.TopicArn).sort()).toEqual(
      [`arn:aws:sns:eu-west-1:1:${first.names.topic}`, `arn:aws:sns:eu-west-1:1:${second.names.topic}`].sort(),
    );
  });

  test('fails (exit 1) per tenant with an actionable reason when outputs are missing', async () => {
    const { code, stdout } = await smoke([first.id, '--json']);
    expect(code).toBe(1);
    expect(JSON.parse(stdout).results[0].error).toMatch(/no api_url output for tenant-.*--outputs-file/);
  });

  test('rejects unknown tenants and missing targets with exit 2', async () => {
    expect((await smoke(['no-such-tenant'])).code).toBe(2);
    expect((await smoke([])).code).toBe(2);
    expect((await smoke([first.id, '--timeout', 'soon'])).stderr).toMatch(/--timeout must be a positive number/);
  });

  test('parseOutputsFile refuses a single-stack terraform file for several tenants', () => {
    expect(() => parseOutputsFile('{"api_url":{"value":"x"}}', ['tenant-a', 'tenant-b'])).toThrow(/describes one stack/);
  });
});

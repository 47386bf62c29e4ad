/**
 * Bad input never ends in a stack trace: every command, run as a user runs it (`node bin/flota.js …`), answers bad
 * flags, a bad or missing manifest, a missing git and missing AWS credentials with one sentence and exit code 1 or 2.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { COMMAND_NAMES } from './main';

const ROOT = path.resolve(__dirname, '..');
const BIN = path.join(ROOT, 'bin', 'flota.js');
/** A V8 stack frame line: `    at fn (file:1:2)` / `    at file:1:2` / `    at new X (<anonymous>)`. */
const STACK_FRAME = /^\s+at .+(:\d+:\d+\)?|\(<anonymous>\)|\(native\))$/m;

interface Run {
  readonly code: number | null;
  readonly output: string;
}

function flota(args: readonly string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: options.cwd ?? ROOT, env: options.env ?? noAwsEnv, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
  });
}

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'flota-bad-input-'));
/** No AWS credentials, config or instance metadata: what a laptop without `aws sso login` looks like. */
const noAwsEnv: NodeJS.ProcessEnv = {
  PATH: process.env.PATH,
  HOME: scratch,
  AWS_CONFIG_FILE: path.join(scratch, 'no-aws-config'),
  AWS_SHARED_CREDENTIALS_FILE: path.join(scratch, 'no-aws-credentials'),
  AWS_EC2_METADATA_DISABLED: 'true',
};
const badManifest = path.join(scratch, 'bad-tenants');
const noGitPath = path.join(scratch, 'bin-without-git');
const outputsFile = path.join(scratch, 'outputs.json');
const goodCopy = path.join(scratch, 'good-tenants');
const firstTenant = fs.readdirSync(path.join(ROOT, 'tenants')).filter((f) => /^[a-z].*\.yaml$/.test(f)).sort()[0]!.replace(/\.yaml$/, '');

beforeAll(() => {
  fs.cpSync(path.join(ROOT, 'fleet/manifest/fixtures/good/minimal'), badManifest, { recursive: true });
  fs.writeFileSync(path.join(badManifest, 'broken.yaml'), 'id: broken\nowner: *team\n');
  fs.cpSync(path.join(ROOT, 'fleet/manifest/fixtures/good/minimal'), goodCopy, { recursive: true });
  fs.mkdirSync(noGitPath);
  fs.symlinkSync(process.execPath, path.join(noGitPath, 'node'));
  fs.writeFileSync(
    outputsFile,
    JSON.stringify({ api_url: { value: 'https://example.invalid/v1' }, topic_arn: { value: 'arn:aws:sns:eu-west-1:123456789012:t' }, api_key_secret_name: { value: 's' } }),
  );
});
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

/** [what, args, expected exit code, a phrase the sentence must contain, options]. */
type Case = readonly [string, readonly string[], number, RegExp, { cwd?: string; env?: NodeJS.ProcessEnv }?];

const cases: Case[] = [
  ['an unknown command', ['deploy-everything'], 2, /unknown command 'deploy-everything'/],
  ...COMMAND_NAMES.map((name): Case => [`${name} with an unknown flag`, name === 'tenant' ? [name, 'show', firstTenant, '--bogus'] : name === 'slo' ? [name, 'simulate', '--bogus'] : [name, '--bogus'], 2, /[Uu]nknown option '--bogus'/]),
  ['validate --tenants without a value', ['validate', '--tenants'], 2, /--tenants needs a directory/],
  ['validate on a missing directory', ['validate', '--tenants', path.join(scratch, 'nope')], 1, /tenants directory does not exist/],
  ['validate on YAML that cannot resolve', ['validate', '--tenants', badManifest], 1, /broken\.yaml:2:8: .*alias \*team has no anchor/],
  ['synth on YAML that cannot resolve', ['synth', '--tenants', badManifest, '--out', path.join(scratch, 'out')], 1, /broken\.yaml:2:8/],
  ['cost on a missing directory', ['cost', '--tenants', path.join(scratch, 'nope')], 1, /tenants directory does not exist/],
  ['cost with a non-numeric fleet size', ['cost', '--generate', 'lots'], 2, /--generate/],
  ['tenant show on a bad manifest', ['tenant', 'show', 'alpha', '--tenants', badManifest], 1, /broken\.yaml:2:8/],
  ['tenant show of an unknown tenant', ['tenant', 'show', 'no-such-tenant'], 1, /no tenant 'no-such-tenant'/],
  ['tenant add with a bad id', ['tenant', 'add', 'Bad_Id', '--tier', 'bronze', '--team', 't', '--email', 'a@b.c'], 2, /not a tenant id/],
  ['tenant add into a directory without _fleet.yaml', ['tenant', 'add', 'fresh-one', '--tier', 'bronze', '--team', 't', '--email', 'a@b.c', '--tenants', path.join(scratch, 'nope')], 1, /_fleet\.yaml not found; .*pass --tenants DIR/],
  ['tenant add with an unknown tier', ['tenant', 'add', 'fresh-one', '--tier', 'platinum', '--team', 't', '--email', 'team@example.com', '--cost-centre', 'CC-1', '--tenants', goodCopy], 1, /unknown tier|"platinum"/],
  ['dlq of an unknown tenant', ['dlq', 'no-such-tenant'], 2, /unknown tenant 'no-such-tenant'/],
  ['dlq with a bad --max', ['dlq', firstTenant, '--max', '0'], 2, /--max must be a positive integer/],
  ['dlq on a bad manifest', ['dlq', 'alpha', '--tenants', badManifest], 1, /broken\.yaml:2:8/],
  ['smoke with neither tenants nor --all', ['smoke'], 2, /name tenants or pass --all/],
  ['smoke with a missing outputs file', ['smoke', firstTenant, '--outputs-file', path.join(scratch, 'nope.json')], 2, /--outputs-file .*cannot be read \(ENOENT\)/],
  ['smoke with an outputs file that is not JSON', ['smoke', firstTenant, '--outputs-file', path.join(ROOT, 'README.md')], 2, /--outputs-file .*not JSON/],
  ['--manifest and --tenants disagreeing', ['dlq', firstTenant, '--manifest', 'a', '--tenants', 'b'], 2, /--manifest is the old name of --tenants/],
  ['dlq without AWS credentials', ['dlq', firstTenant], 1, /no AWS credentials found: sign in/],
  ['redrive without AWS credentials', ['redrive', firstTenant, '--yes'], 1, /no AWS credentials found: sign in/],
  ['smoke without AWS credentials', ['smoke', firstTenant, '--outputs-file', outputsFile, '--timeout', '1'], 1, /no AWS credentials found|credentials/],
  ['changed with a ref that does not exist', ['changed', '--base', 'no-such-ref'], 1, /git ref 'no-such-ref' is not a commit/],
  ['changed without git on PATH', ['changed', '--base', 'HEAD'], 1, /git is not installed or not on PATH/, { env: { ...process.env, PATH: noGitPath } }],
  ['changed outside a git repository', ['changed', '--base', 'HEAD'], 1, /is not inside a git repository: run 'flota changed' from a checkout/, { cwd: scratch }],
];

describe('no command prints a stack trace for bad input', () => {
  const table = cases.map(([what, args, code, phrase, options]) => ({ what, args, code, phrase, options }));
  test.concurrent.each(table)('$what: one sentence, no stack trace', async ({ args, code, phrase, options }) => {
    const run = await flota(args, options);
    expect(run.output).not.toMatch(STACK_FRAME);
    expect(run.output).toMatch(phrase);
    expect(run.code).toBe(code);
  });
});

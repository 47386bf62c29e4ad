import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { synthesizeFleet, type FleetAppInputs } from '../app';

/** A synthesized terraform JSON stack (only the parts tests read are typed). */
export interface StackJson {
  readonly terraform: { readonly backend: { readonly s3: Record<string, unknown> } };
  readonly provider: { readonly aws: ReadonlyArray<Record<string, unknown>> };
  readonly resource: Record<string, Record<string, Record<string, unknown>>>;
  readonly data?: Record<string, Record<string, Record<string, unknown>>>;
  readonly output?: Record<string, unknown>;
}

export interface SynthesizedFleet {
  readonly dir: string;
  readonly stacks: Readonly<Record<string, StackJson>>;
  /** Deletes the output directory (tests call it in afterAll). */
  cleanup(): void;
}

/** Synthesizes a fleet into a fresh temp dir and parses every stack. */
export function synthesizeToTemp(inputs: FleetAppInputs): SynthesizedFleet {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flota-synth-test-'));
  const { stackNames } = synthesizeFleet(inputs, dir);
  const stacks = Object.fromEntries(
    stackNames.map((name) => [
      name,
      JSON.parse(fs.readFileSync(path.join(dir, 'stacks', name, 'cdk.tf.json'), 'utf8')) as StackJson,
    ]),
  );
  return { dir, stacks, cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

/** All resources of one type in a stack, keyed by logical id. */
export function resourcesOf(stack: StackJson, type: string): Record<string, Record<string, unknown>> {
  return stack.resource[type] ?? {};
}

/** The only resource of a type (fails loudly if there is not exactly one). */
export function onlyResource(stack: StackJson, type: string): Record<string, unknown> {
  const all = Object.values(resourcesOf(stack, type));
  if (all.length !== 1) throw new Error(`expected exactly one ${type}, found ${all.length}`);
  return all[0] as Record<string, unknown>;
}

/** Resources of a type whose construct path ends with `suffix` (e.g. "ingest/function"). */
export function resourceAt(stack: StackJson, type: string, pathSuffix: string): Record<string, unknown> {
  const match = Object.values(resourcesOf(stack, type)).find((resource) => {
    const meta = (resource['//'] as { metadata?: { path?: string } } | undefined)?.metadata;
    return meta?.path?.endsWith(pathSuffix);
  });
  if (match === undefined) throw new Error(`no ${type} at */${pathSuffix}`);
  return match;
}

export interface PolicyStatementJson {
  readonly Sid?: string;
  readonly Effect: 'Allow' | 'Deny';
  readonly Principal?: unknown;
  readonly Action: string | string[];
  readonly Resource?: string | string[];
  readonly Condition?: Record<string, Record<string, unknown>>;
}

/** Where a policy document sits: resource type + logical id + attribute. */
export interface FoundPolicy {
  readonly stack: string;
  readonly type: string;
  readonly id: string;
  readonly attribute: string;
  readonly statements: readonly PolicyStatementJson[];
}

const POLICY_ATTRIBUTES: Readonly<Record<string, string>> = {
  aws_iam_role_policy: 'policy',
  aws_iam_role: 'assume_role_policy',
  aws_kms_key: 'policy',
  aws_sns_topic_policy: 'policy',
  aws_sqs_queue_policy: 'policy',
  aws_iam_policy: 'policy',
};

/** Every policy document in a stack, parsed. */
export function policiesOf(stackName: string, stack: StackJson): FoundPolicy[] {
  const found: FoundPolicy[] = [];
  for (const [type, attribute] of Object.entries(POLICY_ATTRIBUTES)) {
    for (const [id, resource] of Object.entries(resourcesOf(stack, type))) {
      const text = resource[attribute];
      if (typeof text !== 'string') continue;
      const document = JSON.parse(text) as { Statement: PolicyStatementJson[] };
      found.push({ stack: stackName, type, id, attribute, statements: document.Statement });
    }
  }
  return found;
}

export function asList<T>(value: T | readonly T[] | undefined): T[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? [...(value as T[])] : [value as T];
}

/**
 * A stack as a reviewer wants to read it in a snapshot: without cdktf's "//" metadata blocks, and with embedded JSON
 * documents (policies, redrive settings, access-log format) expanded instead of one-line strings.
 */
export function readable(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(readable);
  if (typeof value === 'string' && value.startsWith('{')) {
    try {
      return { '(json)': readable(JSON.parse(value)) };
    } catch {
      return value;
    }
  }
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>)
        .filter(([key]) => key !== '//')
        .map(([key, inner]) => [key, readable(inner)]),
    );
  }
  return value;
}

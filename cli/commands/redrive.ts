/**
 * `flota redrive <tenant>`: move a tenant's dead-letter messages back to its queue with SQS StartMessageMoveTask,
 * after showing how many there are and a sample, and asking for confirmation (unless --yes).
 */
import { createInterface } from 'node:readline/promises';
import { ListMessageMoveTasksCommand, StartMessageMoveTaskCommand } from '@aws-sdk/client-sqs';
import { positiveNumber, UsageError } from '../lib/args';
import { printJson, processIo, runCommand, type Io } from '../lib/output';
import { peekMessages, tenantQueues } from '../lib/queues';
import { defaultQueueDependencies, formatMessages, parseTenantCommand, type QueueDependencies } from './dlq';

export const HELP = `usage: flota redrive <tenant> [--yes] [--rate <msgs/s>] [--json] [--tenants <dir>]

Shows the approximate count and a sample of the tenant's dead-letter messages, asks for confirmation, then starts an
SQS message move task (StartMessageMoveTask) from the dead-letter queue back to the tenant's queue. Redelivery is
safe: records are stored idempotently by id. Fix the cause first (see 'flota dlq' and the ingest logs), or the
messages return to the DLQ after maxReceiveCount attempts.

options:
  --yes            do not ask (CI, scripts); required when stdin is not a terminal
  --rate <n>       MaxNumberOfMessagesPerSecond for the move task (default: SQS's own, up to 500/s)
  --json           print the result as JSON
  --tenants <dir>  manifest directory (default tenants; --manifest is a deprecated alias)
`;

export interface RedriveDependencies extends QueueDependencies {
  /** Asks a yes/no question; resolves true only on an explicit yes. */
  readonly confirm: (question: string) => Promise<boolean>;
  readonly interactive: boolean;
}

async function askOnTerminal(question: string): Promise<boolean> {
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return /^(y|yes)$/i.test((await rl.question(`${question} [y/N] `)).trim());
  } finally {
    rl.close();
  }
}

const defaultDependencies: RedriveDependencies = {
  ...defaultQueueDependencies,
  confirm: askOnTerminal,
  interactive: process.stdin.isTTY === true,
};

export async function run(args: string[], io: Io = processIo, deps: RedriveDependencies = defaultDependencies): Promise<number> {
  return runCommand(io, HELP, async () => {
    const parsed = parseTenantCommand(args, { yes: { type: 'boolean', short: 'y' }, rate: { type: 'string' } }, io, HELP);
    if (!parsed) return 0;
    const { values } = parsed;
    const rate = values.rate === undefined ? undefined : positiveNumber('rate', values.rate, 0, { integer: true });
    const { fleet, tenant } = parsed.loadTenant(deps);
    const sqs = deps.sqs(fleet.region);
    const { queue, deadLetterQueue } = await tenantQueues(sqs, tenant);
    const report = (result: Record<string, unknown>): void => {
      if (values.json) printJson(io, { tenant: tenant.id, from: deadLetterQueue.name, to: queue.name, approximateMessages: deadLetterQueue.messages, ...result });
    };

    if (deadLetterQueue.messages === 0) {
      report({ started: false, reason: 'dead-letter queue is empty' });
      if (!values.json) io.stdout(`${deadLetterQueue.name} is empty: nothing to redrive\n`);
      return 0;
    }
    const running = (await sqs.send(new ListMessageMoveTasksCommand({ SourceArn: deadLetterQueue.arn, MaxResults: 1 }))).Results ?? [];
    if (running[0]?.Status === 'RUNNING') {
      throw new Error(`a move task is already running for ${deadLetterQueue.name} (${running[0].ApproximateNumberOfMessagesMoved ?? 0} moved so far); wait for it to finish`);
    }

    const sample = await peekMessages(sqs, deadLetterQueue.url, 5);
    io.stderr(`${deadLetterQueue.name}: ~${deadLetterQueue.messages} message(s) to move back to ${queue.name}. Sample:\n${formatMessages(sample)}`);
    if (!values.yes) {
      if (!deps.interactive) throw new UsageError('refusing to redrive without confirmation: pass --yes when not on a terminal');
      if (!(await deps.confirm(`Move ~${deadLetterQueue.messages} message(s) from ${deadLetterQueue.name} to ${queue.name}?`))) {
        report({ started: false, reason: 'not confirmed' });
        if (!values.json) io.stdout('not confirmed: nothing moved\n');
        return 1;
      }
    }
    const task = await sqs.send(
      new StartMessageMoveTaskCommand({
        SourceArn: deadLetterQueue.arn,
        DestinationArn: queue.arn,
        ...(rate === undefined ? {} : { MaxNumberOfMessagesPerSecond: rate }),
      }),
    );
    report({ started: true, taskHandle: task.TaskHandle, sample });
    if (!values.json) {
      io.stdout(`move task started (${task.TaskHandle}); follow it with: aws sqs list-message-move-tasks --source-arn ${deadLetterQueue.arn}\n`);
    }
    return 0;
  });
}

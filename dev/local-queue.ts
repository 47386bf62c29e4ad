import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';

/** A message that exhausted its receives: where it goes (the dev fleet's `dead_letters` table). */
export interface DeadLetter {
  readonly messageId: string;
  readonly body: string;
  readonly receiveCount: number;
  /** Why the last delivery failed. */
  readonly reason: string;
}

export interface LocalQueueOptions {
  /** e.g. `arn:aws:sqs:eu-west-1:000000000000:flota-acme-ingest` */
  readonly queueArn: string;
  /** Most messages per event (the model's ingest batch size). */
  readonly batchSize: number;
  /** Receives before a message is dead-lettered (the model's maxReceiveCount, as the SQS redrive policy). */
  readonly maxReceiveCount: number;
  /** How long a failed message stays invisible before redelivery (SQS visibility timeout, shortened locally). */
  readonly redeliveryDelayMs: number;
  /** The consumer: the real ingest handler. */
  readonly deliver: (event: SQSEvent) => Promise<SQSBatchResponse>;
  /** Stores a message that failed maxReceiveCount times. */
  readonly deadLetter: (message: DeadLetter) => Promise<void>;
  /** Explains why a message failed, for the dead letter (ingest reports only ids). */
  readonly explainFailure?: (record: SQSRecord) => string;
  readonly onError?: (message: string) => void;
}

interface QueuedMessage {
  readonly messageId: string;
  readonly body: string;
  readonly sentTimestamp: number;
  readonly messageAttributes: SQSRecord['messageAttributes'];
  receiveCount: number;
  firstReceiveTimestamp?: number;
}

/**
 * An in-process stand-in for SNS → SQS → Lambda event source mapping, so the dev fleet runs the REAL ingest handler
 * with SQS-shaped events: at-least-once delivery, `batchItemFailures` honoured (only the failed messages come back),
 * a handler error fails the whole batch, and a message that failed `maxReceiveCount` receives moves to the dead-letter
 * store. One batch is in flight at a time, like an event source with maximum concurrency 1.
 */
export class LocalQueue {
  private readonly visible: QueuedMessage[] = [];
  private readonly delayed = new Map<NodeJS.Timeout, QueuedMessage>();
  private pumping = false;
  private closed = false;
  private idleWaiters: (() => void)[] = [];
  private readonly region: string;

  constructor(private readonly options: LocalQueueOptions) {
    if (options.batchSize < 1 || options.maxReceiveCount < 1) {
      throw new RangeError(`batchSize and maxReceiveCount must be >= 1 (got ${options.batchSize}, ${options.maxReceiveCount})`);
    }
    this.region = options.queueArn.split(':')[3] ?? 'us-east-1';
  }

  /** Messages waiting, in flight or waiting for redelivery. */
  get depth(): number {
    return this.visible.length + this.delayed.size + (this.pumping ? 1 : 0);
  }

  /** Enqueues a message (what SNS raw delivery puts on the queue) and returns its message id. */
  send(body: string, attributes: Readonly<Record<string, string>> = {}): string {
    if (this.closed) throw new Error('queue is closed (the dev fleet is shutting down)');
    const messageId = randomUUID();
    const messageAttributes: SQSRecord['messageAttributes'] = {};
    for (const [name, value] of Object.entries(attributes)) {
      messageAttributes[name] = { stringValue: value, stringListValues: [], binaryListValues: [], dataType: 'String' };
    }
    this.visible.push({ messageId, body, sentTimestamp: Date.now(), messageAttributes, receiveCount: 0 });
    this.schedule();
    return messageId;
  }

  /** Resolves when nothing is queued, in flight or waiting for redelivery, or after timeoutMs; returns what is left. */
  async drain(timeoutMs: number): Promise<number> {
    if (this.depth === 0) return 0;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, timeoutMs);
      this.idleWaiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
    return this.depth;
  }

  /** Stops accepting messages and cancels pending redeliveries (after {@link drain}); returns how many were dropped. */
  close(): number {
    this.closed = true;
    const dropped = this.visible.length + this.delayed.size;
    for (const timer of this.delayed.keys()) clearTimeout(timer);
    this.delayed.clear();
    this.visible.length = 0;
    return dropped;
  }

  private schedule(): void {
    if (this.pumping) return;
    this.pumping = true;
    // setImmediate: messages sent in the same tick travel in one batch, like a short batching window.
    setImmediate(() => void this.pump());
  }

  private async pump(): Promise<void> {
    try {
      while (this.visible.length > 0) {
        const batch = this.visible.splice(0, this.options.batchSize);
        await this.deliverBatch(batch);
      }
    } finally {
      this.pumping = false;
      if (this.depth === 0) {
        const waiters = this.idleWaiters;
        this.idleWaiters = [];
        for (const wake of waiters) wake();
      }
    }
  }

  private async deliverBatch(batch: QueuedMessage[]): Promise<void> {
    const now = Date.now();
    const records = batch.map((message) => {
      message.receiveCount += 1;
      message.firstReceiveTimestamp ??= now;
      return this.toRecord(message);
    });
    let failed: Map<string, string>;
    try {
      const response = await this.options.deliver({ Records: records });
      const ids = new Set((response?.batchItemFailures ?? []).map((f) => f.itemIdentifier));
      failed = new Map(
        records.filter((r) => ids.has(r.messageId)).map((r) => [r.messageId, this.options.explainFailure?.(r) ?? 'reported in batchItemFailures']),
      );
    } catch (err) {
      // A thrown handler error fails the whole batch: every message is received again later (nothing acknowledged).
      const reason = `ingest failed the whole batch: ${(err as Error).message}`;
      failed = new Map(records.map((r) => [r.messageId, reason]));
    }
    for (const message of batch) {
      const reason = failed.get(message.messageId);
      if (reason === undefined) continue;
      if (message.receiveCount >= this.options.maxReceiveCount) {
        await this.toDeadLetter(message, reason);
      } else {
        this.redeliverLater(message);
      }
    }
  }

  private async toDeadLetter(message: QueuedMessage, reason: string): Promise<void> {
    try {
      await this.options.deadLetter({ messageId: message.messageId, body: message.body, receiveCount: message.receiveCount, reason });
    } catch (err) {
      // Never lose it: if the dead-letter store is down too, keep redelivering.
      this.options.onError?.(`could not dead-letter message ${message.messageId} (${(err as Error).message}); will retry`);
      this.redeliverLater(message);
    }
  }

  private redeliverLater(message: QueuedMessage): void {
    if (this.closed) return;
    const timer = setTimeout(() => {
      this.delayed.delete(timer);
      this.visible.push(message);
      this.schedule();
    }, this.options.redeliveryDelayMs);
    this.delayed.set(timer, message);
  }

  private toRecord(message: QueuedMessage): SQSRecord {
    return {
      messageId: message.messageId,
      receiptHandle: randomBytes(48).toString('base64'),
      body: message.body,
      attributes: {
        ApproximateReceiveCount: String(message.receiveCount),
        SentTimestamp: String(message.sentTimestamp),
        SenderId: 'AIDAFLOTADEVFLEET0001',
        ApproximateFirstReceiveTimestamp: String(message.firstReceiveTimestamp ?? Date.now()),
      },
      messageAttributes: message.messageAttributes,
      md5OfBody: createHash('md5').update(message.body).digest('hex'),
      eventSource: 'aws:sqs',
      eventSourceARN: this.options.queueArn,
      awsRegion: this.region,
    };
  }
}

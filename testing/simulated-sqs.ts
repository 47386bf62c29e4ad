/**
 * An SQS queue with a redrive policy, in VIRTUAL time, in front of a real consumer (the ingest handler): what an event
 * source mapping does with it, second by second, without waiting hours.
 *
 * Semantics (SQS developer guide, "visibility timeout" and "dead-letter queues"): a receive makes a message invisible for
 * the visibility timeout and increments its ApproximateReceiveCount; a message the consumer acknowledges (not in
 * `batchItemFailures`, and the invocation did not throw) is deleted; any other becomes visible again when its visibility
 * timeout expires; a message that has been received `maxReceiveCount` times without being deleted moves to the DLQ
 * instead of being received again. The consumer is invoked with at most `batchSize` visible messages, oldest first, and
 * sees `now()` as the simulated clock, so freshness lag is measured in simulated time too.
 */
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { sqsMessage } from './sqs-event';

export interface SimulatedSqsOptions {
  readonly visibilityTimeoutSeconds: number;
  readonly maxReceiveCount: number;
  readonly batchSize: number;
}

export interface SimulatedMessage {
  readonly messageId: string;
  readonly body: string;
  /** Simulated send time, epoch ms. */
  readonly sentAt: number;
  receiveCount: number;
  /** Simulated time at which the message is next receivable, epoch ms. */
  visibleAt: number;
}

export interface Delivery {
  /** Simulated time of the invocation, epoch ms. */
  readonly at: number;
  readonly messages: number;
  /** 'threw' = the whole batch failed; otherwise how many were reported in batchItemFailures. */
  readonly outcome: 'threw' | { readonly failures: number };
}

export class SimulatedSqs {
  private readonly queue: SimulatedMessage[] = [];
  readonly deadLetters: SimulatedMessage[] = [];
  readonly deliveries: Delivery[] = [];
  private clock: number;
  private sequence = 0;

  constructor(
    private readonly options: SimulatedSqsOptions,
    start: number,
  ) {
    this.clock = start;
  }

  /** The simulated clock, epoch ms (hand it to the consumer as its `now`). */
  now(): number {
    return this.clock;
  }

  /** Messages not yet deleted or dead-lettered. */
  get depth(): number {
    return this.queue.length;
  }

  /** Sends a message at the current simulated time (or `at`, which must not be in the past). */
  send(body: string, options: { messageId?: string; at?: number } = {}): string {
    const at = options.at ?? this.clock;
    const messageId = options.messageId ?? `sim-${(++this.sequence).toString().padStart(6, '0')}`;
    this.queue.push({ messageId, body, sentAt: at, receiveCount: 0, visibleAt: at });
    return messageId;
  }

  /**
   * Delivers batches until the queue is empty or the clock passes `until`. Before each invocation the clock jumps to the
   * earliest time a message is visible, and `beforeDelivery(now)` runs (e.g. to end a simulated outage on schedule).
   */
  async run(
    consumer: (event: SQSEvent) => Promise<SQSBatchResponse>,
    options: { until: number; beforeDelivery?: (now: number) => Promise<void> },
  ): Promise<void> {
    while (this.queue.length > 0) {
      const next = Math.min(...this.queue.map((m) => m.visibleAt));
      if (next > options.until) return;
      this.clock = Math.max(this.clock, next);
      await options.beforeDelivery?.(this.clock);
      const batch = this.queue
        .filter((m) => m.visibleAt <= this.clock)
        .sort((a, b) => a.sentAt - b.sentAt || (a.messageId < b.messageId ? -1 : 1))
        .slice(0, this.options.batchSize);
      for (const message of batch) {
        message.receiveCount += 1;
        message.visibleAt = this.clock + this.options.visibilityTimeoutSeconds * 1000;
      }
      const event: SQSEvent = {
        Records: batch.map((m) => sqsMessage({ body: m.body, messageId: m.messageId, sentAt: m.sentAt, receiveCount: m.receiveCount })),
      };
      let failed: Set<string>;
      try {
        const response = await consumer(event);
        failed = new Set(response.batchItemFailures.map((f) => f.itemIdentifier));
        this.deliveries.push({ at: this.clock, messages: batch.length, outcome: { failures: failed.size } });
      } catch {
        failed = new Set(batch.map((m) => m.messageId));
        this.deliveries.push({ at: this.clock, messages: batch.length, outcome: 'threw' });
      }
      for (const message of batch) {
        if (!failed.has(message.messageId)) this.remove(message);
        else if (message.receiveCount >= this.options.maxReceiveCount) {
          this.remove(message);
          this.deadLetters.push(message);
        }
      }
    }
  }

  private remove(message: SimulatedMessage): void {
    this.queue.splice(this.queue.indexOf(message), 1);
  }
}

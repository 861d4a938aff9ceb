/**
 * Work queues inside the workflow: the waiting items (ordered fifo, lifo or by priority), the
 * `<queue>_add` / `<queue>_stop` signals, the `<queue>_enqueue` update whose validator rejects an
 * item when the queue is full or the item is a duplicate, the `<queue>_state` query, and the
 * snapshot carried over continue-as-new. Sandbox-safe: imports only `@temporalio/workflow`.
 */
import { ApplicationFailure, condition, defineQuery, defineSignal, defineUpdate, setHandler } from '@temporalio/workflow';
import { QUEUE_REJECTION_TYPES, type StepEvent } from '../contract.ts';
import { nowIso } from './recorder.ts';

/** A declared work queue, as the compiler emits it into `WORKFLOW.workQueues`. */
export interface WorkQueueSpec {
  readonly name: string;
  readonly order: 'fifo' | 'lifo' | 'priority';
  /** Waiting items allowed; absent: unlimited. */
  readonly maxSize?: number;
  /** Dotted item field read as a number for `order: 'priority'` (higher first). */
  readonly priorityField?: string;
  readonly deduplicate: boolean;
  /** Dotted item field that identifies an item; absent: the whole item. */
  readonly dedupeBy?: string;
  /** Generated message names. */
  readonly addSignal: string;
  readonly stopSignal: string;
  readonly stateQuery: string;
  readonly enqueueUpdate: string;
}


/** What `<queue>_enqueue` answers. */
export interface EnqueueResult {
  /** 1-based place in the order items will be taken. */
  position: number;
  /** Waiting items, this one included. */
  size: number;
}

/** What `<queue>_state` answers. */
export interface WorkQueueState {
  name: string;
  order: WorkQueueSpec['order'];
  maxSize: number | null;
  /** Waiting items, in the order they will be taken. */
  items: unknown[];
  /** The item being processed, or null. */
  inFlight: unknown;
  processed: number;
  rejected: number;
  stopped: boolean;
}

/** The part of a queue carried over continue-as-new. */
export interface WorkQueueSnapshot {
  items: Array<{ item: unknown; seq: number }>;
  /** An item whose processing was interrupted is put back first. */
  nextSeq: number;
  processed: number;
  rejected: number;
  stopped: boolean;
}

interface Entry {
  item: unknown;
  seq: number;
  key: string | undefined;
  priority: number;
}

/** Value at a dotted path (`customer.id`), own properties only. */
export function fieldAt(value: unknown, path: string): unknown {
  let current = value;
  for (const segment of path.split('.')) {
    if (current === null || typeof current !== 'object' || !Object.prototype.hasOwnProperty.call(current, segment)) return undefined;
    current = (current as Record<string, unknown>)[segment];
  }
  return current;
}

/** JSON with sorted object keys, so equal items give equal dedupe keys. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.keys(value).sort().map((key) => `${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** One work queue of a run. */
export class WorkQueue {
  /** Waiting entries, kept in take order (index 0 is taken next). */
  private entries: Entry[] = [];
  private nextSeq = 0;
  inFlight: { item: unknown; key: string | undefined } | null = null;
  processed = 0;
  rejected = 0;
  stopped = false;
  /** Rejections are recorded as events of the consuming step once it runs (bounded). */
  onRejected: ((event: StepEvent) => void) | undefined;

  constructor(readonly spec: WorkQueueSpec, snapshot?: WorkQueueSnapshot) {
    if (snapshot !== undefined) {
      this.nextSeq = snapshot.nextSeq;
      this.processed = snapshot.processed;
      this.rejected = snapshot.rejected;
      this.stopped = snapshot.stopped;
      for (const { item, seq } of snapshot.items) this.insert(item, seq);
    }
  }

  get size(): number {
    return this.entries.length;
  }

  private keyOf(item: unknown): string | undefined {
    if (!this.spec.deduplicate) return undefined;
    return canonicalJson(this.spec.dedupeBy === undefined ? item : fieldAt(item, this.spec.dedupeBy));
  }

  private priorityOf(item: unknown): number {
    const value = fieldAt(item, this.spec.priorityField ?? 'priority');
    return typeof value === 'number' && Number.isFinite(value) ? value : 0;
  }

  /** Why `item` cannot be added now, or undefined when it can. */
  rejection(item: unknown): { type: string; message: string } | undefined {
    const max = this.spec.maxSize;
    if (max !== undefined && this.entries.length >= max) return { type: QUEUE_REJECTION_TYPES.full, message: `queue full (max_size ${max})` };
    const key = this.keyOf(item);
    if (key !== undefined && (this.inFlight?.key === key || this.entries.some((entry) => entry.key === key))) {
      return { type: QUEUE_REJECTION_TYPES.duplicate, message: 'duplicate item' };
    }
    return undefined;
  }

  private insert(item: unknown, seq: number): number {
    const entry: Entry = { item, seq, key: this.keyOf(item), priority: this.priorityOf(item) };
    let index: number;
    if (this.spec.order === 'lifo') index = this.entries.findIndex((other) => other.seq < seq);
    else if (this.spec.order === 'priority') {
      index = this.entries.findIndex((other) => other.priority < entry.priority || (other.priority === entry.priority && other.seq > seq));
    } else index = this.entries.findIndex((other) => other.seq > seq);
    if (index < 0) index = this.entries.length;
    this.entries.splice(index, 0, entry);
    return index + 1;
  }

  /** Adds an item that passed {@link rejection}; returns its position. */
  add(item: unknown): EnqueueResult {
    const position = this.insert(item, this.nextSeq++);
    return { position, size: this.entries.length };
  }

  /** Counts a dropped item and records why. */
  reject(item: unknown, reason: string): void {
    this.rejected++;
    this.onRejected?.({ type: 'rejected', timestamp: nowIso(), data: { reason, item } });
  }

  /** Takes the next item and marks it in flight. */
  take(): unknown {
    const entry = this.entries.shift();
    if (entry === undefined) throw new Error(`work queue ${this.spec.name} is empty`);
    this.inFlight = { item: entry.item, key: entry.key };
    return entry.item;
  }

  /** The in-flight item is done. */
  finish(): void {
    this.inFlight = null;
    this.processed++;
  }

  state(): WorkQueueState {
    return {
      name: this.spec.name,
      order: this.spec.order,
      maxSize: this.spec.maxSize ?? null,
      items: this.entries.map((entry) => entry.item),
      inFlight: this.inFlight?.item ?? null,
      processed: this.processed,
      rejected: this.rejected,
      stopped: this.stopped,
    };
  }

  snapshot(): WorkQueueSnapshot {
    return {
      items: this.entries.map((entry) => ({ item: entry.item, seq: entry.seq })),
      nextSeq: this.nextSeq,
      processed: this.processed,
      rejected: this.rejected,
      stopped: this.stopped,
    };
  }
}

/**
 * Creates the run's queues and registers their signal, update and query handlers (at the start
 * of the run, so nothing sent before the consumer runs is lost).
 */
export function registerWorkQueues(
  specs: { readonly [name: string]: WorkQueueSpec } | undefined,
  snapshots: { readonly [name: string]: WorkQueueSnapshot } | undefined,
): Map<string, WorkQueue> {
  const queues = new Map<string, WorkQueue>();
  for (const spec of Object.values(specs ?? {})) {
    const snapshot = snapshots !== undefined && Object.prototype.hasOwnProperty.call(snapshots, spec.name) ? snapshots[spec.name] : undefined;
    const queue = new WorkQueue(spec, snapshot);
    queues.set(spec.name, queue);
    setHandler(defineSignal<[unknown?]>(spec.addSignal), (item?: unknown) => {
      const value = item === undefined ? null : item;
      const rejection = queue.rejection(value);
      if (rejection === undefined) queue.add(value);
      else queue.reject(value, rejection.message);
    });
    setHandler(defineSignal(spec.stopSignal), () => {
      queue.stopped = true;
    });
    setHandler(
      defineUpdate<EnqueueResult, [unknown]>(spec.enqueueUpdate),
      (item: unknown) => queue.add(item === undefined ? null : item),
      {
        validator: (item: unknown) => {
          const rejection = queue.rejection(item === undefined ? null : item);
          if (rejection !== undefined) throw ApplicationFailure.nonRetryable(rejection.message, rejection.type);
        },
      },
    );
    setHandler(defineQuery<WorkQueueState>(spec.stateQuery), () => queue.state());
  }
  return queues;
}

/** What {@link consumeQueue} needs from the run. */
export interface QueueConsumerHost {
  queue(name: string): WorkQueue | undefined;
  /** Sends pending step records (before blocking). */
  flush(): Promise<void>;
  /** Whether Temporal suggests a fresh history. */
  continueAsNewSuggested(): boolean;
  /** Continues the same platform run as a new Temporal run (never returns). */
  continueAsNew(): Promise<never>;
}

/** Output of a `queue.process` step. */
export interface QueueProcessOutput {
  processed: number;
  rejected: number;
  remaining: unknown[];
}

const MAX_REJECTION_EVENTS = 50;

/**
 * The `queue.process` loop: waits for items, runs `iteration` for each, one at a time, until the
 * stop signal (or an empty queue with `stopWhenEmpty`). After `continueAsNewEvery` items in this
 * Temporal run, or when Temporal suggests it, continues as new between two items.
 */
export async function consumeQueue(
  host: QueueConsumerHost,
  events: StepEvent[],
  config: Record<string, unknown>,
  iteration: (item: unknown, index: number) => Promise<void>,
): Promise<QueueProcessOutput> {
  const name = String(config['queue']);
  const queue = host.queue(name);
  if (queue === undefined) throw ApplicationFailure.nonRetryable(`work queue ${JSON.stringify(name)} is not declared`, 'WbUnknownQueue');
  const stopWhenEmpty = config['stopWhenEmpty'] === true;
  const every = typeof config['continueAsNewEvery'] === 'number' && config['continueAsNewEvery'] >= 1 ? config['continueAsNewEvery'] : 200;
  let rejectionEvents = events.filter((event) => event.type === 'rejected').length;
  queue.onRejected = (event) => {
    if (rejectionEvents++ < MAX_REJECTION_EVENTS) events.push(event);
  };
  let processedHere = 0;
  try {
    for (;;) {
      if (processedHere >= every || host.continueAsNewSuggested()) await host.continueAsNew();
      await host.flush();
      await condition(() => queue.size > 0 || queue.stopped || stopWhenEmpty);
      if (queue.stopped || queue.size === 0) break;
      const index = queue.processed;
      await iteration(queue.take(), index);
      queue.finish();
      processedHere++;
    }
  } finally {
    queue.onRejected = undefined;
  }
  return { processed: queue.processed, rejected: queue.rejected, remaining: queue.state().items };
}

import { describe, expect, it } from 'vitest';
import { answerQuery } from './query-returns.ts';
import { fieldAt, WorkQueue, type WorkQueueSpec } from './work-queue.ts';

const spec = (patch: Partial<WorkQueueSpec> = {}): WorkQueueSpec => ({
  name: 'orders', order: 'fifo', deduplicate: false,
  addSignal: 'orders_add', stopSignal: 'orders_stop', stateQuery: 'orders_state', enqueueUpdate: 'orders_enqueue',
  ...patch,
});

function drain(queue: WorkQueue): unknown[] {
  const taken: unknown[] = [];
  while (queue.size > 0) {
    taken.push(queue.take());
    queue.finish();
  }
  return taken;
}

const items = [{ id: 'a', p: 1 }, { id: 'b', p: 3 }, { id: 'c', p: 3 }, { id: 'd', p: 2 }, { id: 'e', p: -1 }, { id: 'f' }];

describe('WorkQueue', () => {
  it('takes items fifo, lifo, or by priority (higher first, ties in arrival order, missing = 0)', () => {
    const ids = (order: WorkQueueSpec['order']) => {
      const queue = new WorkQueue(spec({ order, priorityField: 'p' }));
      for (const item of items) queue.add(item);
      return drain(queue).map((item) => (item as { id: string }).id);
    };
    expect(ids('fifo')).toEqual(['a', 'b', 'c', 'd', 'e', 'f']);
    expect(ids('lifo')).toEqual(['f', 'e', 'd', 'c', 'b', 'a']);
    expect(ids('priority')).toEqual(['b', 'c', 'd', 'a', 'f', 'e']);
  });

  it('answers the position an item will be taken at', () => {
    const queue = new WorkQueue(spec({ order: 'priority', priorityField: 'p' }));
    expect(queue.add({ id: 'a', p: 1 })).toEqual({ position: 1, size: 1 });
    expect(queue.add({ id: 'b', p: 5 })).toEqual({ position: 1, size: 2 });
    expect(queue.add({ id: 'c', p: 1 })).toEqual({ position: 3, size: 3 });
  });

  it('rejects when full and duplicates (by key field, including the item in flight, or the whole item)', () => {
    const byId = new WorkQueue(spec({ maxSize: 2, deduplicate: true, dedupeBy: 'customer.id' }));
    byId.add({ customer: { id: 1 } });
    byId.take();
    expect(byId.rejection({ customer: { id: 1 }, other: true })).toEqual({ type: 'WbQueueDuplicate', message: 'duplicate item' });
    byId.add({ customer: { id: 2 } });
    byId.add({ customer: { id: 3 } });
    expect(byId.rejection({ customer: { id: 4 } })).toEqual({ type: 'WbQueueFull', message: 'queue full (max_size 2)' });
    const whole = new WorkQueue(spec({ deduplicate: true }));
    whole.add({ a: 1, b: [1, 2] });
    expect(whole.rejection({ b: [1, 2], a: 1 })?.type).toBe('WbQueueDuplicate');
    expect(whole.rejection({ a: 1, b: [2, 1] })).toBeUndefined();
    const plain = new WorkQueue(spec());
    plain.add({ a: 1 });
    expect(plain.rejection({ a: 1 })).toBeUndefined();
  });

  it('a snapshot restores the same take order, counters and stop flag', () => {
    for (const order of ['fifo', 'lifo', 'priority'] as const) {
      const queue = new WorkQueue(spec({ order, priorityField: 'p' }));
      for (const item of items) queue.add(item);
      queue.take();
      queue.finish();
      queue.reject({ id: 'x' }, 'queue full (max_size 9)');
      queue.stopped = true;
      const restored = new WorkQueue(spec({ order, priorityField: 'p' }), JSON.parse(JSON.stringify(queue.snapshot())));
      expect(restored.state()).toEqual(queue.state());
      restored.add({ id: 'late', p: 3 });
      queue.add({ id: 'late', p: 3 });
      expect(drain(restored)).toEqual(drain(queue));
    }
  });
});

describe('answerQuery', () => {
  const queue = new WorkQueue(spec());
  queue.add({ id: 'a' });
  const sources = {
    state: () => ({ status: 'running' as const, steps: [] }),
    input: { customer: { name: 'Ada' } },
    outputs: new Map<string, unknown>([['fetch', { status: 200, body: { total: 3 } }]]),
    queues: new Map([['orders', queue]]),
  };

  it('reads the state, input, step outputs and queues by path; missing values are null', () => {
    expect(answerQuery('state', sources)).toEqual({ status: 'running', steps: [] });
    expect(answerQuery('input', sources)).toEqual({ customer: { name: 'Ada' } });
    expect(answerQuery('input.customer.name', sources)).toBe('Ada');
    expect(answerQuery('steps.fetch.output', sources)).toEqual({ status: 200, body: { total: 3 } });
    expect(answerQuery('steps.fetch.output.body.total', sources)).toBe(3);
    expect(answerQuery('steps.other.output', sources)).toBeNull();
    expect(answerQuery('input.customer.__proto__', sources)).toBeNull();
    expect(answerQuery('queues.orders', sources)).toMatchObject({ items: [{ id: 'a' }], processed: 0 });
    expect(answerQuery('queues.nope', sources)).toBeNull();
  });

  it('fieldAt reads own properties only', () => {
    expect(fieldAt({ a: { b: 1 } }, 'a.b')).toBe(1);
    expect(fieldAt({ a: 1 }, 'toString')).toBeUndefined();
    expect(fieldAt(null, 'a')).toBeUndefined();
  });
});

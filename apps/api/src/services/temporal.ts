import { Client, Connection } from '@temporalio/client';

/** A lazily connected Temporal client: the API starts even while Temporal is still coming up. */
export class TemporalService {
  private connection: Promise<Connection> | null = null;

  constructor(readonly address: string, readonly namespace: string) {}

  private connect(): Promise<Connection> {
    if (!this.connection) {
      this.connection = Connection.connect({ address: this.address, connectTimeout: '5s' });
      this.connection.catch(() => { this.connection = null; });
    }
    return this.connection;
  }

  async client(): Promise<Client> {
    return new Client({ connection: await this.connect(), namespace: this.namespace });
  }

  private check: { at: number; result: Promise<boolean> } | null = null;

  /**
   * True when the frontend answers and the namespace exists. Concurrent callers share one check
   * and a result is reused for `maxAgeMs`: load balancers and compose probe /health often, and
   * a describeNamespace per probe showed up as seconds of p99 under 50 concurrent probes.
   */
  healthy(maxAgeMs = 2_000): Promise<boolean> {
    const now = Date.now();
    if (this.check && now - this.check.at < maxAgeMs) return this.check.result;
    const result = this.connect()
      .then((conn) => conn.workflowService.describeNamespace({ namespace: this.namespace }))
      .then(() => true, () => false);
    this.check = { at: now, result };
    return result;
  }

  async close(): Promise<void> {
    const c = this.connection;
    this.connection = null;
    if (c) await (await c).close().catch(() => {});
  }
}

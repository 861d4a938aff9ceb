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

  /** True when the frontend answers and the namespace exists. */
  async healthy(): Promise<boolean> {
    try {
      const conn = await this.connect();
      await conn.workflowService.describeNamespace({ namespace: this.namespace }, );
      return true;
    } catch {
      return false;
    }
  }

  async close(): Promise<void> {
    const c = this.connection;
    this.connection = null;
    if (c) await (await c).close().catch(() => {});
  }
}

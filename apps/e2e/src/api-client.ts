/** A small API client for fixtures: the tests set up data through the API, as users would. */
export class ApiClient {
  private constructor(private readonly base: string, private readonly cookie: string) {}

  static async signIn(base: string, who: { email: string; password: string }): Promise<ApiClient> {
    const res = await fetch(`${base}/v1/auth/sign-in`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(who) });
    if (!res.ok) throw new Error(`sign-in failed: ${res.status} ${await res.text()}`);
    return new ApiClient(base, res.headers.get('set-cookie')!.split(';')[0]!);
  }

  private async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await fetch(this.base + path, {
      method,
      headers: { cookie: this.cookie, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${path} -> ${res.status}: ${text}`);
    return (text ? JSON.parse(text) : undefined) as T;
  }

  get<T>(path: string): Promise<T> { return this.call<T>('GET', path); }
  post<T = unknown>(path: string, body: unknown = {}): Promise<T> { return this.call<T>('POST', path, body); }
  delete(path: string): Promise<void> { return this.call<void>('DELETE', path); }
  me(): Promise<{ organizations: Array<{ id: string; name: string; role: string }> }> { return this.get('/v1/auth/me'); }

  /** Signed in as `who`, with the id of their (first) organisation. */
  static async forOrg(base: string, who: { email: string; password: string }): Promise<{ api: ApiClient; orgId: string }> {
    const api = await ApiClient.signIn(base, who);
    return { api, orgId: (await api.me()).organizations[0]!.id };
  }

  /** Creates a workflow and deploys it (waiting up to `waitSeconds` for a worker); returns its id. */
  async createDeployed(orgId: string, workflow: { projectId: string; name: string; kebabName: string; definition: unknown }, waitSeconds = 30): Promise<string> {
    const { id } = await this.post<{ id: string }>(`/v1/orgs/${orgId}/workflows`, workflow);
    await this.post(`/v1/orgs/${orgId}/workflows/${id}/deploy?wait=${waitSeconds}`, {});
    return id;
  }
}

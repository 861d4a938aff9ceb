/** The baseline's activity: the same HTTP call the platform's http.request step makes (global fetch, JSON body). */
export interface BaselineActivities {
  noopHttp(url: string): Promise<{ status: number; body: unknown }>;
}

export const baselineActivities: BaselineActivities = {
  async noopHttp(url: string) {
    const response = await fetch(url, { method: 'GET' });
    const body: unknown = await response.json();
    if (!response.ok) throw new Error(`status ${response.status}`);
    return { status: response.status, body };
  },
};

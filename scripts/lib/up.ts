export async function runUp(): Promise<void> {
  throw new Error('not yet');
}

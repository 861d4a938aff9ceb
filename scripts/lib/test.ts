export async function runTests(): Promise<number> {
  throw new Error('not yet');
}

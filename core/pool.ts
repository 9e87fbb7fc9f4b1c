/**
 * Runs `work` over `items` with at most `limit` in flight; results in input
 * order. After the first failure no new item starts (like a crash: what ran
 * is done, nothing more), and the failure is rethrown. `stopWhen`, checked
 * before each item, ends the run early the same way without a failure; the
 * items never started have no result.
 */
export async function mapBounded<T, R>(
  items: readonly T[],
  limit: number,
  work: (item: T, index: number) => Promise<R>,
  stopWhen: () => boolean = () => false,
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  let failed = false;
  const worker = async () => {
    while (!failed && next < items.length && !stopWhen()) {
      const index = next++;
      try {
        results[index] = await work(items[index]!, index);
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

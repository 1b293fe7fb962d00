/**
 * Reads many keys a few at a time. A store client pipelines every command on one connection, so
 * 500 reads issued at once (the safety watch over a full queue every 5 s) sat in front of a
 * crisis message's own reads and writes: that child's alert waited behind them. In batches,
 * the message's commands slip in between.
 */
export const READ_BATCH = 32;

export async function mapInBatches<T, R>(items: readonly T[], fn: (item: T) => Promise<R>, size = READ_BATCH): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < items.length; i += size) out.push(...(await Promise.all(items.slice(i, i + size).map(fn))));
  return out;
}

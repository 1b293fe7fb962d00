/** A store call that got no answer in time (Redis hangs). */
export class StoreTimeout extends Error {
  constructor(call: string, ms: number) {
    super(`redis did not answer ${call} within ${ms} ms`);
    this.name = 'StoreTimeout';
  }
}

export function withTimeout<T>(p: Promise<T>, ms: number, call: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new StoreTimeout(call, ms)), ms);
  });
  return Promise.race([p, late]).finally(() => clearTimeout(timer));
}

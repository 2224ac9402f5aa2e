/**
 * Waiting helpers shared by the socket and access tests.
 */

/** Rejects with a message naming `description` unless `promise` settles within `timeoutMs`. */
export async function within<T>(
  promise: Promise<T>,
  description: string,
  timeoutMs: number,
): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(
      () => reject(new Error(`timed out after ${timeoutMs} ms waiting for ${description}`)),
      timeoutMs,
    );
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

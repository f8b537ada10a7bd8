// A channel of JSON messages for streaming replies (pull/push/load progress, build output):
// the producer pushes, Reply.jsonStream(channel) sends each message as one line as it comes.
// Failures after the reply started travel in-band, as Docker's jsonmessage does.

export interface JsonErrorMessage { errorDetail: { message: string }; error: string }

export function jsonError(message: string): JsonErrorMessage {
  return { errorDetail: { message }, error: message };
}

export class JsonChannel<T = unknown> implements AsyncIterable<T | JsonErrorMessage> {
  private readonly queue: (T | JsonErrorMessage)[] = [];
  private wake: (() => void) | undefined;
  private closed = false;

  push(msg: T): void {
    if (this.closed) return;
    this.queue.push(msg);
    this.wake?.();
  }

  /** Sends Docker's in-band error message and ends the stream. */
  fail(err: unknown): void {
    if (this.closed) return;
    this.queue.push(jsonError(err instanceof Error ? err.message : String(err)));
    this.end();
  }

  end(): void {
    this.closed = true;
    this.wake?.();
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<T | JsonErrorMessage> {
    while (true) {
      while (this.queue.length) yield this.queue.shift()!;
      if (this.closed) return;
      await new Promise<void>((r) => (this.wake = r));
      this.wake = undefined;
    }
  }
}

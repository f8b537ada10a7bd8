// @pure
// Input buffers whose memory is given back as soon as everyone is done with them. A pull's tee
// makes each ~1 MiB batch of the download as a buffer of its own, used twice: written to the
// content store and fed to the decompressor. Dropped, such buffers are freed only by a garbage
// collection, which V8 runs when external memory has grown by tens of MiB: a 1 GiB layer of
// incompressible data peaked at 120 MiB RSS that way. The owner registers how to free a buffer
// (`releasable`), each user says when it is done (`release`), and the last one frees it.
const pending = new WeakMap<Uint8Array, { users: number; free: () => void }>();

/** `buf` is freed by `free` once `users` calls of release(buf) were made. */
export function releasable(buf: Uint8Array, users: number, free: () => void): void {
  pending.set(buf, { users, free });
}

/** One user of `buf` is done with it (a buffer nobody registered: nothing happens). */
export function release(buf: Uint8Array): void {
  const p = pending.get(buf);
  if (!p || --p.users > 0) return;
  pending.delete(buf);
  p.free();
}

/** Frees a buffer that owns its whole ArrayBuffer: transfer(0) detaches it and drops its memory now. */
export function detach(buf: Uint8Array): void {
  if (buf.byteOffset === 0 && buf.byteLength === buf.buffer.byteLength && buf.buffer instanceof ArrayBuffer) buf.buffer.transfer(0);
}

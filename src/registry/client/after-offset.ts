// @pure
// Resuming a blob download: when a registry ignores `Range` and answers 200 with the whole body,
// the bytes already received are dropped from the front of the new stream.
export async function* afterOffset(body: AsyncIterable<Uint8Array>, skip: number): AsyncGenerator<Uint8Array> {
  for await (const chunk of body) {
    let c = chunk;
    if (skip > 0) {
      if (c.length <= skip) { skip -= c.length; continue; }
      c = c.subarray(skip);
      skip = 0;
    }
    yield c;
  }
}

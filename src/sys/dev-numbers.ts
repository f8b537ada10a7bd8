// @pure
// Linux dev_t → major and minor (the kernel's new_encode_dev layout, as glibc's major()/minor()).
export function devNumbers(rdev: bigint): [major: number, minor: number] {
  return [Number(((rdev >> 8n) & 0xfffn) | ((rdev >> 32n) & ~0xfffn)), Number((rdev & 0xffn) | ((rdev >> 12n) & ~0xffn))];
}

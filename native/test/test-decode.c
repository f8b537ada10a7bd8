/* Decoder tests under ASan/UBSan: valid messages, every refusal, and a mutation fuzz loop
 * (random bit flips, truncations and length fields) that must never crash or leak. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "proto.h"

static int failures;
#define CHECK(cond, what) do { if (!(cond)) { fprintf(stderr, "FAIL %s:%d: %s\n", __FILE__, __LINE__, what); failures++; } } while (0)

struct w { unsigned char b[4096]; size_t n; };
static void u16(struct w *w, unsigned v) { w->b[w->n++] = v & 255; w->b[w->n++] = v >> 8 & 255; }
static void u32(struct w *w, unsigned v) { for (int i = 0; i < 4; i++) w->b[w->n++] = v >> (8 * i) & 255; }
static void str(struct w *w, const char *s) { u32(w, (unsigned)strlen(s)); memcpy(w->b + w->n, s, strlen(s)); w->n += strlen(s); }

static void header(struct w *w, unsigned nops) { w->n = 0; u32(w, PROTOCOL_MAGIC); u16(w, PROTOCOL_VERSION); u16(w, 0); u32(w, nops); }
static size_t op_start(struct w *w, unsigned code) { u16(w, code); u16(w, 0); u32(w, 0); return w->n; }
static void op_end(struct w *w, size_t start) { unsigned len = (unsigned)(w->n - start); for (int i = 0; i < 4; i++) w->b[start - 4 + i] = len >> (8 * i) & 255; }

/* setns("/proc/1/ns/net", 0x40000000) then exec(["sh","-c","x"], ["A=1"], 1) then user(1,2,[3,4]) */
static void sample(struct w *w) {
  header(w, 3);
  size_t s = op_start(w, OP_SETNS); str(w, "/proc/1/ns/net"); u32(w, 0x40000000); op_end(w, s);
  s = op_start(w, OP_EXEC); u32(w, 3); str(w, "sh"); str(w, "-c"); str(w, "x"); u32(w, 1); str(w, "A=1"); u32(w, 1); op_end(w, s);
  s = op_start(w, OP_USER); u32(w, 1); u32(w, 2); u32(w, 2); u32(w, 3); u32(w, 4); op_end(w, s);
}

static int decodes(const unsigned char *b, size_t n) {
  struct msg m;
  const char *err;
  int ok = msg_decode(b, n, &m, &err) == 0;
  msg_free(&m);
  return ok;
}

static void test_valid(void) {
  struct w w;
  struct msg m;
  const char *err = NULL;
  sample(&w);
  CHECK(msg_decode(w.b, w.n, &m, &err) == 0, err ? err : "decode");
  CHECK(m.nops == 3, "three ops");
  CHECK(m.ops[0].code == OP_SETNS && !strcmp(m.ops[0].f[F_SETNS_PATH].str, "/proc/1/ns/net"), "setns path");
  CHECK(m.ops[0].f[F_SETNS_NSTYPE].num == 0x40000000, "setns type");
  CHECK(m.ops[1].f[F_EXEC_ARGV].count == 3 && !strcmp(m.ops[1].f[F_EXEC_ARGV].strs[2], "x") && !m.ops[1].f[F_EXEC_ARGV].strs[3], "argv");
  CHECK(m.ops[2].f[F_USER_GROUPS].count == 2 && m.ops[2].f[F_USER_GROUPS].u32s[1] == 4, "groups");
  msg_free(&m);
}

static void test_refusals(void) {
  struct w w;
  sample(&w);
  unsigned char copy[4096];
  memcpy(copy, w.b, w.n); copy[0] ^= 1;
  CHECK(!decodes(copy, w.n), "bad magic");
  memcpy(copy, w.b, w.n); copy[4] = 9;
  CHECK(!decodes(copy, w.n), "bad version");
  CHECK(!decodes(w.b, w.n - 1), "truncated");
  memcpy(copy, w.b, w.n); copy[w.n] = 0;
  CHECK(!decodes(copy, w.n + 1), "trailing byte");
  memcpy(copy, w.b, w.n); copy[12] = 99;
  CHECK(!decodes(copy, w.n), "unknown op");
  header(&w, 1);
  size_t s = op_start(&w, OP_SYNC); u32(&w, 3); memcpy(w.b + w.n, "a\0b", 3); w.n += 3; op_end(&w, s);
  CHECK(!decodes(w.b, w.n), "NUL inside a string");
  header(&w, 1);
  s = op_start(&w, OP_SYNC); u32(&w, 70000); op_end(&w, s);
  CHECK(!decodes(w.b, w.n), "string over the limit");
  header(&w, 1);
  s = op_start(&w, OP_EXEC); u32(&w, 0xffffffffu); op_end(&w, s);
  CHECK(!decodes(w.b, w.n), "huge count");
  header(&w, 0xffffffffu);
  CHECK(!decodes(w.b, w.n), "huge op count");
  header(&w, 1);
  s = op_start(&w, OP_SETSID); u32(&w, 1); op_end(&w, s);
  CHECK(!decodes(w.b, w.n), "payload longer than the fields");
  header(&w, 0);
  CHECK(decodes(w.b, w.n), "an empty op list is valid");
}

static void fuzz(unsigned iterations) {
  struct w w;
  unsigned char buf[4096];
  unsigned seed = 12345;
  sample(&w);
  for (unsigned i = 0; i < iterations; i++) {
    size_t n = w.n;
    memcpy(buf, w.b, n);
    unsigned flips = 1 + (seed = seed * 1103515245u + 12345u) % 4;
    for (unsigned k = 0; k < flips; k++) {
      seed = seed * 1103515245u + 12345u;
      unsigned pos = (seed >> 8) % (unsigned)n;
      switch (seed % 3) {
      case 0: buf[pos] ^= (unsigned char)(1u << (seed >> 20) % 8); break;
      case 1: buf[pos] = (unsigned char)(seed >> 16); break;
      default: n = pos + 1; break;
      }
    }
    (void)decodes(buf, n);
  }
}

int main(void) {
  test_valid();
  test_refusals();
  fuzz(200000);
  if (failures) { fprintf(stderr, "%d failure(s)\n", failures); return 1; }
  printf("native decode tests: ok (200000 fuzz iterations)\n");
  return 0;
}

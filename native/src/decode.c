/* The message decoder: bounds-checked, no trust in lengths, every allocation freed on error. */
#include <stdlib.h>
#include <string.h>
#include "proto.h"

struct rd {
  const unsigned char *p;
  size_t len, pos;
};

static int take(struct rd *r, size_t n, const unsigned char **out) {
  if (r->len - r->pos < n) return -1;
  *out = r->p + r->pos;
  r->pos += n;
  return 0;
}

static int rd_u16(struct rd *r, uint32_t *v) {
  const unsigned char *b;
  if (take(r, 2, &b)) return -1;
  *v = (uint32_t)b[0] | (uint32_t)b[1] << 8;
  return 0;
}

static int rd_u32(struct rd *r, uint32_t *v) {
  const unsigned char *b;
  if (take(r, 4, &b)) return -1;
  *v = (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
  return 0;
}

static int rd_u64(struct rd *r, uint64_t *v) {
  uint32_t lo, hi;
  if (rd_u32(r, &lo) || rd_u32(r, &hi)) return -1;
  *v = (uint64_t)hi << 32 | lo;
  return 0;
}

/* A length-prefixed byte string, copied and NUL-terminated; text refuses NUL bytes inside. */
static int rd_str(struct rd *r, uint32_t max, int text, char **out, size_t *len) {
  uint32_t n;
  const unsigned char *b;
  if (rd_u32(r, &n) || n > max || take(r, n, &b)) return -1;
  if (text && memchr(b, 0, n)) return -1;
  char *s = malloc((size_t)n + 1);
  if (!s) return -1;
  memcpy(s, b, n);
  s[n] = 0;
  *out = s;
  *len = n;
  return 0;
}

static void free_value(struct value *v) {
  free(v->str);
  free(v->u32s);
  if (v->strs)
    for (size_t i = 0; i < v->count; i++) free(v->strs[i]);
  free(v->strs);
  memset(v, 0, sizeof *v);
}

static int rd_field(struct rd *r, unsigned type, struct value *v) {
  uint32_t n;
  size_t ignored;
  switch (type) {
  case FT_U32: if (rd_u32(r, &n)) return -1; v->num = n; return 0;
  case FT_I32: if (rd_u32(r, &n)) return -1; v->num = (uint64_t)(int64_t)(int32_t)n; return 0;
  case FT_U64: return rd_u64(r, &v->num);
  case FT_STR: return rd_str(r, LIMIT_STR, 1, &v->str, &v->len);
  case FT_BYTES: return rd_str(r, LIMIT_BYTES, 0, &v->str, &v->len);
  case FT_STRS:
    if (rd_u32(r, &n) || n > LIMIT_STRS || n > r->len - r->pos) return -1;
    v->strs = calloc((size_t)n + 1, sizeof *v->strs);
    if (!v->strs) return -1;
    for (v->count = 0; v->count < n; v->count++)
      if (rd_str(r, LIMIT_STR, 1, &v->strs[v->count], &ignored)) return -1;
    return 0;
  case FT_U32S:
    if (rd_u32(r, &n) || n > LIMIT_U32S || (size_t)n * 4 > r->len - r->pos) return -1;
    v->u32s = calloc((size_t)n + 1, sizeof *v->u32s);
    if (!v->u32s) return -1;
    for (v->count = 0; v->count < n; v->count++)
      if (rd_u32(r, &v->u32s[v->count])) return -1;
    return 0;
  }
  return -1;
}

void msg_free(struct msg *m) {
  if (!m->ops) return;
  for (size_t i = 0; i < m->nops; i++)
    for (unsigned j = 0; j < OP_MAX_FIELDS; j++) free_value(&m->ops[i].f[j]);
  free(m->ops);
  m->ops = NULL;
  m->nops = 0;
}

static int fail(struct msg *m, const char **err, const char *why) {
  msg_free(m);
  *err = why;
  return -1;
}

int msg_decode(const unsigned char *buf, size_t len, struct msg *out, const char **err) {
  struct rd r = { buf, len, 0 };
  uint32_t magic, version, flags, nops;
  memset(out, 0, sizeof *out);
  if (len > LIMIT_MESSAGE) return fail(out, err, "message too large");
  if (rd_u32(&r, &magic) || magic != PROTOCOL_MAGIC) return fail(out, err, "bad magic");
  if (rd_u16(&r, &version) || version != PROTOCOL_VERSION) return fail(out, err, "unsupported protocol version");
  if (rd_u16(&r, &flags) || flags != 0) return fail(out, err, "unknown message flags");
  if (rd_u32(&r, &nops) || nops > LIMIT_OPS || (size_t)nops * 8 > len - r.pos) return fail(out, err, "bad op count");
  out->ops = calloc(nops ? nops : 1, sizeof *out->ops);
  if (!out->ops) return fail(out, err, "out of memory");
  for (out->nops = 0; out->nops < nops; out->nops++) {
    struct op *op = &out->ops[out->nops];
    uint32_t code, reserved, plen;
    if (rd_u16(&r, &code) || rd_u16(&r, &reserved) || rd_u32(&r, &plen)) return fail(out, err, "truncated op header");
    if (code == 0 || code > OP_MAX_CODE || !OP_DEFS[code].name) return fail(out, err, "unknown op code");
    if (reserved != 0 || plen > len - r.pos) return fail(out, err, "bad op header");
    struct rd pr = { buf + r.pos, plen, 0 };
    op->code = code;
    for (unsigned j = 0; j < OP_DEFS[code].nfields; j++)
      if (rd_field(&pr, OP_DEFS[code].types[j], &op->f[j])) { out->nops++; return fail(out, err, "bad op field"); }
    if (pr.pos != plen) { out->nops++; return fail(out, err, "op payload length mismatch"); }
    r.pos += plen;
  }
  if (r.pos != len) return fail(out, err, "trailing bytes after the last op");
  return 0;
}

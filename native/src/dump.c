/* The decode-only mode's output: the op list as JSON, for the TS cross-check tests. */
#include "proto.h"
#include "jbuf.h"

int msg_dump_json(const struct msg *m, int fd) {
  struct jbuf b = { 0 };
  jb_lit(&b, "[");
  for (size_t i = 0; i < m->nops; i++) {
    const struct op *op = &m->ops[i];
    const struct op_def *d = &OP_DEFS[op->code];
    jb_lit(&b, i ? ",{\"op\":" : "{\"op\":");
    jb_str(&b, d->name, __builtin_strlen(d->name));
    for (unsigned j = 0; j < d->nfields; j++) {
      const struct value *v = &op->f[j];
      jb_lit(&b, ",");
      jb_str(&b, d->fields[j], __builtin_strlen(d->fields[j]));
      jb_lit(&b, ":");
      switch (d->types[j]) {
      case FT_U32: jb_u64(&b, v->num); break;
      case FT_I32: jb_i64(&b, (int64_t)v->num); break;
      case FT_U64: jb_lit(&b, "\""); jb_u64(&b, v->num); jb_lit(&b, "\""); break;
      case FT_STR: jb_str(&b, v->str, v->len); break;
      case FT_BYTES: jb_hex(&b, (const unsigned char *)v->str, v->len); break;
      case FT_STRS:
        jb_lit(&b, "[");
        for (size_t k = 0; k < v->count; k++) {
          if (k) jb_lit(&b, ",");
          jb_str(&b, v->strs[k], __builtin_strlen(v->strs[k]));
        }
        jb_lit(&b, "]");
        break;
      case FT_U32S:
        jb_lit(&b, "[");
        for (size_t k = 0; k < v->count; k++) {
          if (k) jb_lit(&b, ",");
          jb_u64(&b, v->u32s[k]);
        }
        jb_lit(&b, "]");
        break;
      }
    }
    jb_lit(&b, "}");
  }
  jb_lit(&b, "]\n");
  int rc = b.oom ? -1 : write_all(fd, b.data, b.len);
  jb_free(&b);
  return rc;
}

/* The decoded helper message: ops with their fields, as protocol.gen.h describes them. */
#ifndef BERTH_PROTO_H
#define BERTH_PROTO_H
#include <stddef.h>
#include <stdint.h>
#include "protocol.gen.h"

#define LIMIT_STR 65535u
#define LIMIT_BYTES (1u << 20)
#define LIMIT_STRS 4096u
#define LIMIT_U32S 65536u
#define LIMIT_MESSAGE (16u << 20)
#define LIMIT_OPS 65536u

/* One field. u32/i32/u64 → num (i32 sign-extended); str → str (NUL-terminated) and len;
 * bytes → str and len; strs → strs (NULL-terminated) and count; u32s → u32s and count. */
struct value {
  uint64_t num;
  char *str;
  size_t len;
  char **strs;
  uint32_t *u32s;
  size_t count;
};

struct op {
  unsigned code;
  struct value f[OP_MAX_FIELDS];
};

struct msg {
  size_t nops;
  struct op *ops;
};

/* Decodes a message (without the frame length). Returns 0, or -1 with *err set to a static text. */
int msg_decode(const unsigned char *buf, size_t len, struct msg *out, const char **err);
void msg_free(struct msg *m);
/* Writes the ops as one JSON line (u64 as decimal strings, bytes as hex) to fd. */
int msg_dump_json(const struct msg *m, int fd);

#endif

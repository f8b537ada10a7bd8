/* A growing buffer for JSON lines. */
#ifndef BERTH_JBUF_H
#define BERTH_JBUF_H
#include <stddef.h>
#include <stdint.h>

struct jbuf {
  char *data;
  size_t len, cap;
  int oom;
};

void jb_raw(struct jbuf *b, const char *s, size_t n);
void jb_lit(struct jbuf *b, const char *s);
void jb_str(struct jbuf *b, const char *s, size_t n);     /* a JSON string, escaped */
void jb_log_str(struct jbuf *b, const char *s, size_t n); /* escaped as Docker's json-file log writes it */
void jb_u64(struct jbuf *b, uint64_t v);
void jb_i64(struct jbuf *b, int64_t v);
void jb_hex(struct jbuf *b, const unsigned char *p, size_t n);
void jb_free(struct jbuf *b);
int write_all(int fd, const void *p, size_t n);
int read_all(int fd, void *p, size_t n);                   /* 0, or -1 (errno 0 on early EOF) */

#endif

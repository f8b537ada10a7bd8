#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "jbuf.h"

void jb_raw(struct jbuf *b, const char *s, size_t n) {
  if (b->oom) return;
  if (b->len + n + 1 > b->cap) {
    size_t cap = b->cap ? b->cap : 256;
    while (cap < b->len + n + 1) cap *= 2;
    char *d = realloc(b->data, cap);
    if (!d) { b->oom = 1; return; }
    b->data = d;
    b->cap = cap;
  }
  memcpy(b->data + b->len, s, n);
  b->len += n;
  b->data[b->len] = 0;
}

void jb_lit(struct jbuf *b, const char *s) { jb_raw(b, s, strlen(s)); }

void jb_str(struct jbuf *b, const char *s, size_t n) {
  char esc[8];
  jb_raw(b, "\"", 1);
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    if (c == '"' || c == '\\') { esc[0] = '\\'; esc[1] = (char)c; jb_raw(b, esc, 2); }
    else if (c < 0x20 || c == 0x7f) { snprintf(esc, sizeof esc, "\\u%04x", c); jb_raw(b, esc, 6); }
    else jb_raw(b, (const char *)&s[i], 1);
  }
  jb_raw(b, "\"", 1);
}

void jb_u64(struct jbuf *b, uint64_t v) {
  char n[24];
  jb_raw(b, n, (size_t)snprintf(n, sizeof n, "%llu", (unsigned long long)v));
}

void jb_i64(struct jbuf *b, int64_t v) {
  char n[24];
  jb_raw(b, n, (size_t)snprintf(n, sizeof n, "%lld", (long long)v));
}

void jb_hex(struct jbuf *b, const unsigned char *p, size_t n) {
  static const char digits[] = "0123456789abcdef";
  char two[2];
  jb_raw(b, "\"", 1);
  for (size_t i = 0; i < n; i++) {
    two[0] = digits[p[i] >> 4];
    two[1] = digits[p[i] & 15];
    jb_raw(b, two, 2);
  }
  jb_raw(b, "\"", 1);
}

void jb_free(struct jbuf *b) {
  free(b->data);
  memset(b, 0, sizeof *b);
}

int write_all(int fd, const void *p, size_t n) {
  const char *c = p;
  while (n) {
    ssize_t w = write(fd, c, n);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) return -1;
    c += w;
    n -= (size_t)w;
  }
  return 0;
}

int read_all(int fd, void *p, size_t n) {
  char *c = p;
  while (n) {
    ssize_t r = read(fd, c, n);
    if (r < 0 && errno == EINTR) continue;
    if (r == 0) errno = 0;
    if (r <= 0) return -1;
    c += r;
    n -= (size_t)r;
  }
  return 0;
}

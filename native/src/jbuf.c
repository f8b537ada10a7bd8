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

/* Length of the valid UTF-8 sequence at s (as Go's utf8.DecodeRune accepts it), 0 if invalid;
 * *cp gets the code point. */
static size_t utf8_seq(const unsigned char *s, size_t n, uint32_t *cp) {
  unsigned char c = s[0];
  size_t len = c >= 0xf0 && c <= 0xf4 ? 4 : c >= 0xe0 && c <= 0xef ? 3 : c >= 0xc2 && c <= 0xdf ? 2 : 0;
  if (!len || len > n) return 0;
  uint32_t v = c & (len == 2 ? 0x1f : len == 3 ? 0x0f : 0x07);
  for (size_t i = 1; i < len; i++) {
    if ((s[i] & 0xc0) != 0x80) return 0;
    v = v << 6 | (s[i] & 0x3f);
  }
  if ((len == 3 && (v < 0x800 || (v >= 0xd800 && v <= 0xdfff))) || (len == 4 && (v < 0x10000 || v > 0x10ffff))) return 0;
  *cp = v;
  return len;
}

void jb_log_str(struct jbuf *b, const char *str, size_t n) {
  static const char hex[] = "0123456789abcdef";
  const unsigned char *s = (const unsigned char *)str;
  size_t start = 0, i = 0;
  char esc[8];
  jb_raw(b, "\"", 1);
  while (i < n) {
    unsigned char c = s[i];
    if (c < 0x80) {
      if (c >= 0x20 && c != '\\' && c != '"' && c != '<' && c != '>' && c != '&') { i++; continue; }
      jb_raw(b, str + start, i - start);
      if (c == '\\' || c == '"') { esc[0] = '\\'; esc[1] = (char)c; jb_raw(b, esc, 2); }
      else if (c == '\n') jb_raw(b, "\\n", 2);
      else if (c == '\r') jb_raw(b, "\\r", 2);
      else { memcpy(esc, "\\u00", 4); esc[4] = hex[c >> 4]; esc[5] = hex[c & 15]; jb_raw(b, esc, 6); }
      start = ++i;
      continue;
    }
    uint32_t cp = 0;
    size_t len = utf8_seq(s + i, n - i, &cp);
    if (len && cp != 0x2028 && cp != 0x2029) { i += len; continue; }
    jb_raw(b, str + start, i - start);
    if (!len) { jb_raw(b, "\\ufffd", 6); i++; }
    else { jb_raw(b, cp == 0x2028 ? "\\u2028" : "\\u2029", 6); i += len; }
    start = i;
  }
  jb_raw(b, str + start, i - start);
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

/* Reports to the TS side: JSON lines on the sync socket (and log pipe for errors). */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "helper.h"
#include "jbuf.h"

void send_line(struct ctx *c, const char *type, const char *key, const char *val, long long num) {
  struct jbuf b = { 0 };
  jb_lit(&b, "{\"type\":");
  jb_str(&b, type, strlen(type));
  if (key) {
    jb_lit(&b, ",");
    jb_str(&b, key, strlen(key));
    jb_lit(&b, ":");
    if (val) jb_str(&b, val, strlen(val));
    else jb_i64(&b, num);
  }
  jb_lit(&b, "}\n");
  if (!b.oom && c->sync_fd >= 0 && write_all(c->sync_fd, b.data, b.len) < 0) c->sync_fd = -1;
  jb_free(&b);
}

void log_line(struct ctx *c, const char *level, const char *msg) {
  struct jbuf b = { 0 };
  jb_lit(&b, "{\"level\":");
  jb_str(&b, level, strlen(level));
  jb_lit(&b, ",\"msg\":");
  jb_str(&b, msg, strlen(msg));
  jb_lit(&b, "}\n");
  if (!b.oom && c->log_fd >= 0) (void)write_all(c->log_fd, b.data, b.len);
  jb_free(&b);
}

void die(struct ctx *c, int err, const char *fmt, ...) {
  char text[1024];
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(text, sizeof text, fmt, ap);
  va_end(ap);
  if (err && n >= 0 && (size_t)n < sizeof text) snprintf(text + n, sizeof text - (size_t)n, ": %s", strerror(err));
  const char *name = c->op ? OP_DEFS[c->op->code].name : "start";
  struct jbuf b = { 0 };
  jb_lit(&b, "{\"type\":\"error\",\"op\":");
  jb_str(&b, name, strlen(name));
  jb_lit(&b, ",\"index\":");
  jb_u64(&b, c->index);
  jb_lit(&b, ",\"errno\":");
  jb_i64(&b, err);
  jb_lit(&b, ",\"message\":");
  jb_str(&b, text, strlen(text));
  jb_lit(&b, "}\n");
  if (!b.oom) {
    if (c->sync_fd >= 0) (void)write_all(c->sync_fd, b.data, b.len);
    if (c->log_fd >= 0) (void)write_all(c->log_fd, b.data, b.len);
  }
  /* With the TS side gone (after the exec gate), stderr is the only place left to say it. */
  if (c->sync_fd < 0) dprintf(2, "berth: %s: %s\n", name, text);
  _exit(err == ENOENT && c->op && c->op->code == OP_EXEC ? 127 : err == EACCES && c->op && c->op->code == OP_EXEC ? 126 : 1);
}

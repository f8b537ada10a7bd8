/* Internal to monitor-io.c and monitor-attach.c. */
#ifndef BERTH_MONITOR_IO_IMPL_H
#define BERTH_MONITOR_IO_IMPL_H
#include <stdint.h>
#include "monitor-io.h"

#define LINE_MAX_BYTES 16384
#define MAX_CLIENTS 16
#define CLIENT_BUF 65544

struct stream { int fd; unsigned id; char line[LINE_MAX_BYTES]; size_t len; };
struct client { int fd; unsigned char buf[CLIENT_BUF]; size_t len; };

struct mon_io {
  const char *log_path;
  uint64_t max_size, size;
  unsigned max_files, flags;
  int log_fd, listen_fd, in_w, in_r, pair[2], master;
  int out[2], err[2];
  struct stream s[2];
  struct client cl[MAX_CLIENTS];
};


void log_entry(struct mon_io *m, unsigned stream, const char *p, size_t n);
void drop_client(struct client *cl);
void output(struct mon_io *m, struct stream *s, const char *p, size_t n);
int pump(struct mon_io *m, struct stream *s);

#endif

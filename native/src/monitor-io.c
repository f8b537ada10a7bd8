/* Container stdio held by the monitor: stdout/stderr (pipes, or the pty master in tty mode)
 * become Docker json-file lines with size rotation; a unix socket serves attach clients with
 * stdcopy-framed output ([stream,0,0,0,len BE32] data) and takes frames back: type 0 stdin
 * data, 1 resize (rows, cols as BE16), 2 close stdin. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "monitor-io-impl.h"

static void log_open(struct mon_io *m) {
  struct stat st;
  m->log_fd = *m->log_path ? open(m->log_path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0640) : -1;
  m->size = m->log_fd >= 0 && fstat(m->log_fd, &st) == 0 ? (uint64_t)st.st_size : 0;
}

static void rotate(struct mon_io *m) {
  char from[4200], to[4200];
  close(m->log_fd);
  for (unsigned i = m->max_files - 1; i >= 1; i--) {
    if (i == 1) snprintf(from, sizeof from, "%s", m->log_path);
    else snprintf(from, sizeof from, "%s.%u", m->log_path, i - 1);
    snprintf(to, sizeof to, "%s.%u", m->log_path, i);
    rename(from, to);
  }
  if (m->max_files <= 1) (void)!truncate(m->log_path, 0);
  log_open(m);
}

void log_entry(struct mon_io *m, unsigned stream, const char *p, size_t n) {
  struct jbuf b = { 0 };
  struct timespec ts;
  struct tm tm;
  char when[64];
  if (m->log_fd < 0) return;
  clock_gettime(CLOCK_REALTIME, &ts);
  gmtime_r(&ts.tv_sec, &tm);
  size_t w = strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%S", &tm);
  /* Go's RFC3339Nano, as Docker writes it: trailing zeros of the fraction trimmed. */
  if (ts.tv_nsec) {
    int len = snprintf(when + w, sizeof when - w, ".%09ld", ts.tv_nsec);
    while (len > 1 && when[w + (size_t)len - 1] == '0') len--;
    w += (size_t)len;
  }
  snprintf(when + w, sizeof when - w, "Z");
  jb_lit(&b, "{\"log\":");
  jb_log_str(&b, p, n);
  jb_lit(&b, stream == 2 ? ",\"stream\":\"stderr\",\"time\":\"" : ",\"stream\":\"stdout\",\"time\":\"");
  jb_lit(&b, when);
  jb_lit(&b, "\"}\n");
  if (!b.oom) {
    if (m->max_size && m->size + b.len > m->max_size && m->size > 0) rotate(m);
    if (m->log_fd >= 0 && write_all(m->log_fd, b.data, b.len) == 0) m->size += b.len;
  }
  jb_free(&b);
}

void drop_client(struct client *cl) {
  close(cl->fd);
  cl->fd = -1;
  cl->len = 0;
}

static void broadcast(struct mon_io *m, unsigned stream, const char *p, size_t n) {
  unsigned char hdr[8] = { (unsigned char)stream, 0, 0, 0, (unsigned char)(n >> 24), (unsigned char)(n >> 16), (unsigned char)(n >> 8), (unsigned char)n };
  for (int i = 0; i < MAX_CLIENTS; i++) {
    struct client *cl = &m->cl[i];
    if (cl->fd < 0) continue;
    /* A client that cannot keep up is dropped rather than stalling the container. */
    if (send(cl->fd, hdr, 8, MSG_NOSIGNAL | MSG_DONTWAIT) != 8 || send(cl->fd, p, n, MSG_NOSIGNAL | MSG_DONTWAIT) != (ssize_t)n) drop_client(cl);
  }
}

/* Output: to attach clients as it comes, to the log one line (or 16 KiB) at a time. */
void output(struct mon_io *m, struct stream *s, const char *p, size_t n) {
  broadcast(m, s->id, p, n);
  for (size_t i = 0; i < n; i++) {
    s->line[s->len++] = p[i];
    if (p[i] == '\n' || s->len == sizeof s->line) {
      log_entry(m, s->id, s->line, s->len);
      s->len = 0;
    }
  }
}

int pump(struct mon_io *m, struct stream *s) {
  char buf[32768];
  ssize_t r = read(s->fd, buf, sizeof buf);
  if (r < 0 && (errno == EINTR || errno == EAGAIN)) return 0;
  if (r <= 0) { /* EOF, or EIO from a pty master whose slave is gone */
    if (s->len) log_entry(m, s->id, s->line, s->len);
    s->len = 0;
    close(s->fd);
    s->fd = -1;
    return -1;
  }
  output(m, s, buf, (size_t)r);
  return 0;
}

struct mon_io *io_prepare(struct ctx *c, const struct op *io) {
  struct mon_io *m = calloc(1, sizeof *m);
  if (!m) die(c, ENOMEM, "io");
  m->log_path = io->f[F_IO_LOG_PATH].str;
  m->max_size = io->f[F_IO_MAX_SIZE].num;
  m->max_files = (unsigned)io->f[F_IO_MAX_FILES].num ? (unsigned)io->f[F_IO_MAX_FILES].num : 1;
  m->flags = (unsigned)io->f[F_IO_FLAGS].num;
  m->in_w = m->in_r = m->master = m->listen_fd = -1;
  m->pair[0] = m->pair[1] = m->out[0] = m->out[1] = m->err[0] = m->err[1] = -1;
  for (int i = 0; i < MAX_CLIENTS; i++) m->cl[i].fd = -1;
  if (m->flags & IO_TTY) {
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, m->pair) < 0) die(c, errno, "io: socketpair");
  } else if (pipe2(m->out, O_CLOEXEC) < 0 || pipe2(m->err, O_CLOEXEC) < 0) die(c, errno, "io: pipes");
  if (m->flags & IO_OPEN_STDIN && !(m->flags & IO_TTY)) {
    int in[2];
    if (pipe2(in, O_CLOEXEC) < 0) die(c, errno, "io: stdin pipe");
    m->in_r = in[0];
    m->in_w = in[1];
  }
  log_open(m);
  if (*m->log_path && m->log_fd < 0) die(c, errno, "io: open the log %s", m->log_path);
  const char *path = io->f[F_IO_ATTACH_PATH].str;
  if (*path) {
    struct sockaddr_un sa = { .sun_family = AF_UNIX };
    if (strlen(path) >= sizeof sa.sun_path) die(c, ENAMETOOLONG, "io: attach socket %s", path);
    strcpy(sa.sun_path, path);
    unlink(path);
    m->listen_fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (m->listen_fd < 0 || bind(m->listen_fd, (struct sockaddr *)&sa, sizeof sa) < 0 || listen(m->listen_fd, 8) < 0)
      die(c, errno, "io: attach socket %s", path);
    chmod(path, 0600);
  }
  return m;
}

void io_child(struct ctx *c, struct mon_io *m) {
  int null = open("/dev/null", O_RDWR | O_CLOEXEC);
  if (null < 0) die(c, errno, "io: /dev/null");
  int in = m->in_r >= 0 ? m->in_r : null;
  int out = m->flags & IO_TTY ? null : m->out[1], err = m->flags & IO_TTY ? null : m->err[1];
  if (dup2(in, 0) < 0 || dup2(out, 1) < 0 || dup2(err, 2) < 0) die(c, errno, "io: stdio");
  c->console_pair = m->pair[1];
  if (m->pair[0] >= 0) close(m->pair[0]);
  int mine[] = { m->out[0], m->out[1], m->err[0], m->err[1], m->in_r, m->in_w, m->log_fd, m->listen_fd, null };
  for (size_t i = 0; i < sizeof mine / sizeof mine[0]; i++)
    if (mine[i] > 2) close(mine[i]);
}

void io_parent(struct mon_io *m) {
  int theirs[] = { m->out[1], m->err[1], m->in_r, m->pair[1] };
  for (size_t i = 0; i < sizeof theirs / sizeof theirs[0]; i++)
    if (theirs[i] >= 0) close(theirs[i]);
  m->s[0] = (struct stream){ .fd = m->out[0], .id = 1 };
  m->s[1] = (struct stream){ .fd = m->err[0], .id = 2 };
}

int io_fds(const struct mon_io *m, int *fds, int max) {
  int all[] = { m->out[0], m->err[0], m->in_w, m->pair[0], m->log_fd, m->listen_fd }, n = 0;
  for (size_t i = 0; i < sizeof all / sizeof all[0] && n < max; i++)
    if (all[i] >= 0) fds[n++] = all[i];
  return n;
}

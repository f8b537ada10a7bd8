/* The monitor's poll loop part of the io op: output streams, the tty master handed over by the
 * child, attach clients and their stdin/resize/close-stdin frames. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <termios.h>
#include <unistd.h>
#include "monitor-io-impl.h"

static int recv_master(struct mon_io *m) {
  char name[128], cbuf[CMSG_SPACE(sizeof(int))];
  struct iovec iov = { .iov_base = name, .iov_len = sizeof name };
  struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = cbuf, .msg_controllen = sizeof cbuf };
  ssize_t r = recvmsg(m->pair[0], &msg, MSG_CMSG_CLOEXEC);
  struct cmsghdr *cm = r > 0 ? CMSG_FIRSTHDR(&msg) : NULL;
  if (!cm || cm->cmsg_type != SCM_RIGHTS) {
    close(m->pair[0]);
    m->pair[0] = -1;
    return -1;
  }
  memcpy(&m->master, CMSG_DATA(cm), sizeof(int));
  m->s[0] = (struct stream){ .fd = m->master, .id = 1 };
  m->in_w = dup(m->master);
  close(m->pair[0]);
  m->pair[0] = -1;
  return 0;
}

static void close_stdin(struct mon_io *m) {
  if (m->in_w < 0) return;
  if (m->master >= 0) {
    /* On a pty, end of input is the EOF character, not a close. */
    (void)!write(m->in_w, "\x04", 1);
  }
  close(m->in_w);
  m->in_w = -1;
}

static void client_frames(struct mon_io *m, struct client *cl) {
  size_t off = 0;
  while (cl->len - off >= 8) {
    unsigned char *h = cl->buf + off;
    size_t n = (size_t)h[4] << 24 | (size_t)h[5] << 16 | (size_t)h[6] << 8 | h[7];
    if (n > CLIENT_BUF - 8) { drop_client(cl); return; }
    if (cl->len - off < 8 + n) break;
    if (h[0] == 0 && m->in_w >= 0 && write_all(m->in_w, h + 8, n) < 0) close_stdin(m);
    else if (h[0] == 1 && n == 4 && m->master >= 0) {
      struct winsize ws = { .ws_row = (unsigned short)(h[8] << 8 | h[9]), .ws_col = (unsigned short)(h[10] << 8 | h[11]) };
      ioctl(m->master, TIOCSWINSZ, &ws);
    } else if (h[0] == 2) close_stdin(m);
    off += 8 + n;
  }
  memmove(cl->buf, cl->buf + off, cl->len - off);
  cl->len -= off;
}

int io_poll(struct mon_io *m, struct pollfd *p) {
  int n = 0;
  for (int i = 0; i < 2; i++)
    if (m->s[i].fd >= 0) p[n++] = (struct pollfd){ .fd = m->s[i].fd, .events = POLLIN };
  if (m->pair[0] >= 0) p[n++] = (struct pollfd){ .fd = m->pair[0], .events = POLLIN };
  if (m->listen_fd >= 0) p[n++] = (struct pollfd){ .fd = m->listen_fd, .events = POLLIN };
  for (int i = 0; i < MAX_CLIENTS && n < IO_MAX_POLL; i++)
    if (m->cl[i].fd >= 0) p[n++] = (struct pollfd){ .fd = m->cl[i].fd, .events = POLLIN };
  return n;
}

void io_handle(struct mon_io *m, const struct pollfd *p, int n) {
  for (int k = 0; k < n; k++) {
    if (!p[k].revents) continue;
    int fd = p[k].fd;
    if (fd == m->s[0].fd) pump(m, &m->s[0]);
    else if (fd == m->s[1].fd) pump(m, &m->s[1]);
    else if (fd == m->pair[0]) recv_master(m);
    else if (fd == m->listen_fd) {
      int c = accept4(m->listen_fd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);
      int i = 0;
      while (c >= 0 && i < MAX_CLIENTS && m->cl[i].fd >= 0) i++;
      if (c >= 0 && i == MAX_CLIENTS) close(c);
      else if (c >= 0) m->cl[i].fd = c;
    } else {
      for (int i = 0; i < MAX_CLIENTS; i++) {
        struct client *cl = &m->cl[i];
        if (cl->fd != fd) continue;
        ssize_t r = read(fd, cl->buf + cl->len, CLIENT_BUF - cl->len);
        if (r < 0 && (errno == EAGAIN || errno == EINTR)) break;
        if (r <= 0) { drop_client(cl); break; }
        cl->len += (size_t)r;
        client_frames(m, cl);
      }
    }
  }
}

void io_finish(struct mon_io *m) {
  /* Whatever the container wrote before it exited is still in the pipes: read it all, without
   * waiting for writers (children it left behind) that may hold them open. A pty is different:
   * what the slave wrote reaches the master through the kernel's flip buffer, pushed by a work
   * queue, so just after the exit the last output may not be readable yet (a loaded host lost
   * `docker exec -it`'s last line). The master is read until EIO (the slave is closed and all
   * is read), waiting up to PTY_LINGER_MS for more when it has nothing. */
  enum { PTY_LINGER_MS = 100 };
  for (int i = 0; i < 2; i++) {
    if (m->s[i].fd < 0) continue;
    int pty = m->s[i].fd == m->master;
    fcntl(m->s[i].fd, F_SETFL, O_NONBLOCK);
    while (m->s[i].fd >= 0) {
      char buf[32768];
      ssize_t r = read(m->s[i].fd, buf, sizeof buf);
      if (r > 0) { output(m, &m->s[i], buf, (size_t)r); continue; }
      if (pty && r < 0 && (errno == EAGAIN || errno == EINTR)) {
        struct pollfd pf = { .fd = m->s[i].fd, .events = POLLIN };
        if (poll(&pf, 1, PTY_LINGER_MS) > 0) continue;
      }
      if (m->s[i].len) log_entry(m, m->s[i].id, m->s[i].line, m->s[i].len);
      m->s[i].len = 0;
      break;
    }
  }
  if (m->log_fd >= 0) fsync(m->log_fd);
}

void io_close(struct mon_io *m) {
  for (int i = 0; i < MAX_CLIENTS; i++)
    if (m->cl[i].fd >= 0) drop_client(&m->cl[i]);
}

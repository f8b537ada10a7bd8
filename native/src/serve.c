/* --serve: a long-lived helper that berthd keeps beside it, so host-side op lists (mounts,
 * unmounts) and new container helpers cost a fork of this small process instead of a
 * process start from Node (whose fork of a large heap blocks its event loop for ms).
 * Each frame on fd 3 runs in a forked child (die() ends only that child, after its error
 * line); then {"type":"done","status":N} follows. EOF on fd 3 ends the server. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>
#include "helper.h"

static __attribute__((noreturn)) void spawn_helper(struct ctx *c, const struct op *op) {
  const char *path = op->f[F_SPAWN_HELPER_SOCKET_PATH].str;
  pid_t pid = fork();
  if (pid < 0) die(c, errno, "fork a helper");
  if (pid > 0) _exit(0); /* the new helper is nobody's child: reparented, as a detached spawn */
  setsid();
  char *label[] = { op->f[F_SPAWN_HELPER_LABEL].str, NULL };
  show_args(1, label); /* after "--serve": berth pads the server's arguments to fit a label */
  int null = open("/dev/null", O_RDWR | O_CLOEXEC);
  struct sockaddr_un addr = { .sun_family = AF_UNIX };
  if (strlen(path) >= sizeof addr.sun_path) die(c, ENAMETOOLONG, "helper socket %s", path);
  strcpy(addr.sun_path, path);
  int s = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (null < 0 || s < 0 || connect(s, (struct sockaddr *)&addr, sizeof addr) < 0) _exit(1);
  for (int fd = 0; fd < 3; fd++) dup2(null, fd);
  dup3(s, SYNC_FD, O_CLOEXEC);
  dup3(null, LOG_FD, O_CLOEXEC);
  close(s);
  close(null);
  struct ctx fresh = { .sync_fd = SYNC_FD, .log_fd = LOG_FD, .root_fd = -1, .gate_rd = -1, .console_pair = -1 };
  const char *token = op->f[F_SPAWN_HELPER_TOKEN].str;
  struct jbuf b = { 0 };
  jb_lit(&b, "{\"type\":\"hello\",\"token\":");
  jb_str(&b, token, strlen(token));
  jb_lit(&b, ",\"pid\":");
  jb_i64(&b, getpid());
  jb_lit(&b, "}\n");
  if (b.oom || write_all(SYNC_FD, b.data, b.len) < 0) _exit(1);
  jb_free(&b);
  _exit(run_frame(&fresh));
}

int serve(const struct ctx *base, char **argv) {
  for (;;) {
    size_t len;
    const char *err = NULL;
    unsigned char *buf = read_frame(SYNC_FD, &len, &err);
    if (!buf) return 0;
    pid_t pid = fork();
    if (pid == 0) {
      struct ctx c = *base;
      struct msg m;
      if (msg_decode(buf, len, &m, &err) < 0) die(&c, EINVAL, "decode the op list: %s", err);
      if (m.nops == 1 && m.ops[0].code == OP_SPAWN_HELPER) spawn_helper(&c, &m.ops[0]);
      for (c.index = 0; c.index < m.nops; c.index++) {
        c.op = &m.ops[c.index];
        if (c.op->code == OP_SPAWN_HELPER) die(&c, EINVAL, "spawn_helper must be alone in its list");
        run_op(&c, c.op);
      }
      _exit(0);
    }
    free(buf);
    int st = 0, status = 1;
    if (pid > 0) {
      while (waitpid(pid, &st, 0) < 0 && errno == EINTR) {}
      status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
    }
    if (dprintf(SYNC_FD, "{\"type\":\"done\",\"status\":%d}\n", status) < 0) return 1;
  }
}

/* Process ops: the terminal, file descriptors, exec and hook programs. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <termios.h>
#include <net/if.h>
#include <unistd.h>
#include "helper.h"

#ifndef TIOCGPTPEER
#define TIOCGPTPEER _IO('T', 0x41)
#endif

static void send_fd(struct ctx *c, int sock, int fd, const char *name) {
  char buf[CMSG_SPACE(sizeof(int))];
  struct iovec iov = { .iov_base = (void *)name, .iov_len = strlen(name) };
  struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = buf, .msg_controllen = sizeof buf };
  memset(buf, 0, sizeof buf);
  struct cmsghdr *cm = CMSG_FIRSTHDR(&msg);
  cm->cmsg_level = SOL_SOCKET;
  cm->cmsg_type = SCM_RIGHTS;
  cm->cmsg_len = CMSG_LEN(sizeof(int));
  memcpy(CMSG_DATA(cm), &fd, sizeof fd);
  while (sendmsg(sock, &msg, MSG_NOSIGNAL) < 0)
    if (errno != EINTR) die(c, errno, "send the pty master to the console socket");
}

void op_pty(struct ctx *c, const struct op *op) {
  int sock = op->f[F_PTY_CONSOLE_FD].num == 0xffffffffu ? c->console_pair : (int)op->f[F_PTY_CONSOLE_FD].num, unlock = 0, n = 0;
  struct winsize ws = { .ws_row = (unsigned short)op->f[F_PTY_ROWS].num, .ws_col = (unsigned short)op->f[F_PTY_COLS].num };
  char name[64];
  int master = open("/dev/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC);
  if (master < 0) die(c, errno, "open /dev/ptmx");
  if (ioctl(master, TIOCSPTLCK, &unlock) < 0 || ioctl(master, TIOCGPTN, &n) < 0) die(c, errno, "unlock the pty");
  if (ws.ws_row && ws.ws_col && ioctl(master, TIOCSWINSZ, &ws) < 0) die(c, errno, "size the pty");
  int slave = ioctl(master, TIOCGPTPEER, O_RDWR | O_NOCTTY | O_CLOEXEC);
  if (slave < 0) {
    snprintf(name, sizeof name, "/dev/pts/%d", n);
    slave = open(name, O_RDWR | O_NOCTTY | O_CLOEXEC);
  }
  if (slave < 0) die(c, errno, "open the pty slave");
  snprintf(name, sizeof name, "/dev/pts/%d", n);
  send_fd(c, sock, master, name);
  close(master);
  close(sock);
  if (sock == c->console_pair) c->console_pair = -1;
  if (ioctl(slave, TIOCSCTTY, 0) < 0) die(c, errno, "make the pty the controlling terminal");
  for (int fd = 0; fd < 3; fd++)
    if (dup2(slave, fd) < 0) die(c, errno, "dup2 the pty");
  if (slave > 2) close(slave);
}

static int cmp_int(const void *a, const void *b) { return *(const int *)a - *(const int *)b; }

/* Close every fd >= first except the helper's own (close-on-exec) ones, so none of the host's
 * reaches the container, even before exec (a leaked directory fd could become the cwd). */
void op_close_fds(struct ctx *c, const struct op *op) {
  unsigned first = (unsigned)op->f[F_CLOSE_FDS_FIRST].num;
  int keep[6] = { c->sync_fd, c->log_fd, c->root_fd, c->gate_rd, c->console_pair, INT_MAX }, n = 6;
  qsort(keep, (size_t)n, sizeof keep[0], cmp_int);
  unsigned from = first;
  for (int i = 0; i < n; i++) {
    if (keep[i] < 0 || (unsigned)keep[i] < from) continue;
    if ((unsigned)keep[i] > from) {
      unsigned to = keep[i] == INT_MAX ? ~0u : (unsigned)keep[i] - 1;
      if (syscall(SYS_close_range, from, to, 0) < 0) {
        if (errno != ENOSYS) die(c, errno, "close_range");
        for (unsigned fd = from; fd <= to && fd < 65536; fd++) close((int)fd);
      }
    }
    if (keep[i] == INT_MAX) break;
    from = (unsigned)keep[i] + 1;
  }
}

void reset_signals(void) {
  sigset_t all;
  for (int s = 1; s < NSIG; s++) signal(s, SIG_DFL);
  sigemptyset(&all);
  sigprocmask(SIG_SETMASK, &all, NULL);
}

static const char *env_path(char **env) {
  for (; env && *env; env++)
    if (!strncmp(*env, "PATH=", 5)) return *env + 5;
  return "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
}

/* argv0 as execve will run it: itself with a slash, else the first executable in PATH.
 * -1 with errno ENOENT when there is none, EACCES when it is there but not executable. */
static int lookup(const char *argv0, char **env, char *out, size_t n) {
  struct stat st;
  if (strchr(argv0, '/')) {
    snprintf(out, n, "%s", argv0);
    if (stat(out, &st) < 0) { errno = ENOENT; return -1; }
    if (!S_ISREG(st.st_mode) || access(out, X_OK) < 0) { errno = EACCES; return -1; }
    return 0;
  }
  const char *p = env_path(env);
  errno = ENOENT;
  while (*p) {
    const char *end = strchrnul(p, ':');
    snprintf(out, n, "%.*s/%s", (int)(end - p), end == p ? "." : p, argv0);
    if (end == p) snprintf(out, n, "./%s", argv0);
    if (stat(out, &st) == 0 && S_ISREG(st.st_mode) && access(out, X_OK) == 0) return 0;
    p = *end ? end + 1 : end;
  }
  return -1;
}

void op_exec(struct ctx *c, const struct op *op) {
  char **argv = op->f[F_EXEC_ARGV].strs, **env = op->f[F_EXEC_ENV].strs, path[PATH_MAX];
  if (!argv || !argv[0]) die(c, EINVAL, "exec: no argv");
  if (lookup(argv[0], env, path, sizeof path) < 0) {
    if (errno == EACCES) die(c, EACCES, "exec: \"%s\": permission denied", argv[0]);
    die(c, ENOENT, strchr(argv[0], '/') ? "exec: \"%s\": stat %s: no such file or directory" : "exec: \"%s\": executable file not found in $PATH", argv[0], argv[0]);
  }
  if (op->f[F_EXEC_GATE].num) {
    char b = 0;
    send_line(c, "ready", NULL, NULL, 0);
    if (read_all(c->gate_rd, &b, 1) < 0 || b != 'g') _exit(1); /* the monitor went away */
  }
  reset_signals();
  execve(path, argv, env);
  die(c, errno, "exec %s", path);
}

void op_spawn(struct ctx *c, const struct op *op) {
  char **argv = op->f[F_SPAWN_ARGV].strs, **env = op->f[F_SPAWN_ENV].strs;
  int status;
  if (!argv || !argv[0] || argv[0][0] != '/') die(c, EINVAL, "spawn: argv[0] must be an absolute path");
  pid_t pid = fork();
  if (pid < 0) die(c, errno, "fork %s", argv[0]);
  if (pid == 0) {
    reset_signals();
    execve(argv[0], argv, env);
    _exit(127);
  }
  while (waitpid(pid, &status, 0) < 0)
    if (errno != EINTR) die(c, errno, "wait for %s", argv[0]);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
    die(c, 0, "%s failed (%s %d)", argv[0], WIFEXITED(status) ? "exit status" : "signal", WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status));
}

void op_link_up(struct ctx *c, const struct op *op) {
  struct ifreq ifr;
  const char *name = op->f[F_LINK_UP_NAME].str;
  if (op->f[F_LINK_UP_NAME].len >= sizeof ifr.ifr_name) die(c, EINVAL, "interface name %s", name);
  int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (s < 0) die(c, errno, "socket for %s", name);
  memset(&ifr, 0, sizeof ifr);
  memcpy(ifr.ifr_name, name, op->f[F_LINK_UP_NAME].len);
  if (ioctl(s, SIOCGIFFLAGS, &ifr) < 0) die(c, errno, "get the flags of %s", name);
  ifr.ifr_flags |= IFF_UP;
  if (ioctl(s, SIOCSIFFLAGS, &ifr) < 0) die(c, errno, "bring %s up", name);
  close(s);
}

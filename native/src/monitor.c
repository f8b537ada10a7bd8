/* clone: the helper forks the container's first process and stays as its monitor, a process
 * of a few hundred KB that releases the exec gate, forwards signals and records the exit.
 * init: a pid-1 that reaps zombies and forwards signals (docker run --init). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>
#include "monitor-io.h"

static const int FORWARDED[] = { SIGHUP, SIGINT, SIGQUIT, SIGTERM, SIGUSR1, SIGUSR2, SIGWINCH, SIGCONT, SIGALRM, SIGPWR };

static void watched(sigset_t *set) {
  sigemptyset(set);
  sigaddset(set, SIGCHLD);
  for (size_t i = 0; i < sizeof FORWARDED / sizeof FORWARDED[0]; i++) sigaddset(set, FORWARDED[i]);
}

/* Closes every fd from 3 up but those in keep (-1 entries ignored): close_range(2) over the gaps
 * (a few syscalls instead of ~1000 closes per container start), a loop where it is missing. */
static void close_except(int *keep, int n) {
  for (int i = 1; i < n; i++) /* insertion sort: n <= 8 */
    for (int j = i; j > 0 && keep[j - 1] > keep[j]; j--) { int t = keep[j]; keep[j] = keep[j - 1]; keep[j - 1] = t; }
  unsigned lo = 3;
  for (int i = 0; i <= n; i++) {
    if (i < n && keep[i] < (int)lo) continue;
    unsigned hi = i < n ? (unsigned)keep[i] - 1 : ~0u;
    if (hi >= lo && syscall(SYS_close_range, lo, hi, 0) < 0)
      for (unsigned fd = lo; fd <= hi && fd < 1024; fd++) close((int)fd);
    if (i < n) lo = (unsigned)keep[i] + 1;
  }
}

static int exit_code(int status) { return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status); }

/* exit_file gets {"exitCode":N,"signal":S,"finishedAt":ms} through a rename: never half-written.
 * No fsync: the file lives in the runtime's state dir (the exec root, tmpfs on a host), read
 * by a daemon that may crash, not by one that survives a power loss (which ends the container
 * too); on a disk-backed exec root the fsync cost every exit milliseconds. */
static void record_exit(const char *exit_file, int status) {
  char tmp[4200], text[160];
  struct timeval tv;
  if (!*exit_file) return;
  gettimeofday(&tv, NULL);
  int n = snprintf(text, sizeof text, "{\"exitCode\":%d,\"signal\":%d,\"finishedAt\":%lld}\n", exit_code(status),
                   WIFSIGNALED(status) ? WTERMSIG(status) : 0, (long long)tv.tv_sec * 1000 + tv.tv_usec / 1000);
  snprintf(tmp, sizeof tmp, "%s.tmp", exit_file);
  int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return;
  int ok = write_all(fd, text, (size_t)n) == 0;
  close(fd);
  if (ok) rename(tmp, exit_file);
}

/* Waits for the child; releases the gate when the fifo gets a byte; forwards signals; with
 * the io op, moves the container's output to the log and attach clients. */
static __attribute__((noreturn)) void monitor(pid_t child, int fifo, int gate_wr, const char *exit_file, struct mon_io *io) {
  sigset_t set;
  watched(&set);
  int sfd = signalfd(-1, &set, SFD_CLOEXEC);
  for (;;) {
    struct pollfd p[2 + IO_MAX_POLL] = { { .fd = sfd, .events = POLLIN }, { .fd = fifo, .events = POLLIN } };
    int n = 2 + (io ? io_poll(io, p + 2) : 0);
    if (poll(p, (nfds_t)n, -1) < 0 && errno != EINTR) _exit(125);
    if (fifo >= 0 && p[1].revents) {
      char b;
      if (read(fifo, &b, 1) == 1) {
        (void)write_all(gate_wr, "g", 1);
        close(fifo);
        close(gate_wr);
        fifo = gate_wr = -1;
      }
    }
    if (io) io_handle(io, p + 2, n - 2);
    if (!(p[0].revents & POLLIN)) continue;
    struct signalfd_siginfo si;
    if (read(sfd, &si, sizeof si) != sizeof si) continue;
    if ((int)si.ssi_signo != SIGCHLD) {
      kill(child, (int)si.ssi_signo);
      continue;
    }
    int status;
    pid_t r;
    while ((r = waitpid(-1, &status, WNOHANG)) > 0) {
      if (r != child) continue;
      if (io) io_finish(io);
      record_exit(exit_file, status); /* before clients see EOF: they may ask for the exit code */
      if (io) io_close(io);
      _exit(exit_code(status));
    }
  }
}

void op_clone(struct ctx *c, const struct op *op) {
  const char *exit_file = op->f[F_CLONE_EXIT_FILE].str, *gate_fifo = op->f[F_CLONE_GATE_FIFO].str;
  int fifo = -1, p[2];
  sigset_t set, old;
  if (*gate_fifo && mkfifo(gate_fifo, 0600) < 0 && errno != EEXIST) die(c, errno, "make the exec gate %s", gate_fifo);
  if (*gate_fifo && (fifo = open(gate_fifo, O_RDWR | O_NONBLOCK | O_CLOEXEC)) < 0) die(c, errno, "open the exec gate %s", gate_fifo);
  if (pipe2(p, O_CLOEXEC) < 0) die(c, errno, "pipe");
  struct mon_io *io = c->io ? io_prepare(c, c->io) : NULL;
  watched(&set);
  sigprocmask(SIG_BLOCK, &set, &old);
  pid_t pid = (pid_t)syscall(SYS_clone, (unsigned long)op->f[F_CLONE_FLAGS].num | SIGCHLD, NULL, NULL, NULL, NULL);
  if (pid < 0) die(c, errno, "clone (flags 0x%llx)", (unsigned long long)op->f[F_CLONE_FLAGS].num);
  if (pid == 0) {
    char b = 0;
    sigprocmask(SIG_SETMASK, &old, NULL);
    close(p[1]);
    if (fifo >= 0) close(fifo);
    c->gate_rd = p[0];
    if (io) io_child(c, io);
    /* Wait until the monitor has reported our pid: syncs must not overtake it. */
    if (read_all(c->gate_rd, &b, 1) < 0 || b != 's') _exit(1);
    return;
  }
  close(p[0]);
  send_line(c, "pid", "pid", NULL, pid);
  if (write_all(p[1], "s", 1) < 0) die(c, errno, "release the child");
  /* The monitor keeps nothing of the caller's: EOF on the sync socket then means "exec'd". */
  int null = open("/dev/null", O_RDWR | O_CLOEXEC);
  for (int fd = 0; fd < 3; fd++) dup2(null, fd);
  int keep[8] = { fifo, p[1] }, nkeep = 2;
  if (io) {
    io_parent(io);
    nkeep += io_fds(io, keep + 2, 6);
  }
  close_except(keep, nkeep);
  c->sync_fd = c->log_fd = c->root_fd = -1;
  prctl(PR_SET_NAME, "berth-monitor", 0, 0, 0);
  monitor(pid, fifo, p[1], exit_file, io);
}

void op_init(struct ctx *c) {
  sigset_t set, old;
  watched(&set);
  sigprocmask(SIG_BLOCK, &set, &old);
  pid_t child = fork();
  if (child < 0) die(c, errno, "fork the init's child");
  if (child == 0) {
    sigprocmask(SIG_SETMASK, &old, NULL);
    return;
  }
  close_except(NULL, 0);
  c->sync_fd = c->log_fd = c->root_fd = c->gate_rd = -1;
  prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0);
  prctl(PR_SET_NAME, c->op->f[F_INIT_NAME].str, 0, 0, 0);
  show_args(0, c->op->f[F_INIT_ARGV].strs);
  int sfd = signalfd(-1, &set, SFD_CLOEXEC);
  for (;;) {
    struct signalfd_siginfo si;
    if (read(sfd, &si, sizeof si) != sizeof si) {
      if (errno == EINTR) continue;
      _exit(125);
    }
    if ((int)si.ssi_signo != SIGCHLD) {
      kill(child, (int)si.ssi_signo);
      continue;
    }
    int status;
    pid_t r;
    while ((r = waitpid(-1, &status, WNOHANG)) > 0)
      if (r == child) _exit(exit_code(status));
  }
}

/* berth-helper: reads one op list from fd 3 and runs it, ending in execve (see
 * docs/native-helper.md). `berth-helper --decode` reads a framed message on stdin and prints
 * the ops as JSON (the cross-check with the TS encoder). No decisions are made here. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include "helper.h"
#include "jbuf.h"

extern char **environ;

unsigned char *read_frame(int fd, size_t *len, const char **err) {
  unsigned char hdr[4];
  if (read_all(fd, hdr, 4) < 0) { *err = "no message"; return NULL; }
  *len = (size_t)hdr[0] | (size_t)hdr[1] << 8 | (size_t)hdr[2] << 16 | (size_t)hdr[3] << 24;
  if (*len > LIMIT_MESSAGE) { *err = "message too large"; return NULL; }
  unsigned char *buf = malloc(*len ? *len : 1);
  if (!buf || read_all(fd, buf, *len) < 0) { free(buf); *err = "truncated message"; return NULL; }
  return buf;
}

static int decode_mode(void) {
  size_t len;
  const char *err = NULL;
  struct msg m;
  unsigned char *buf = read_frame(0, &len, &err);
  if (!buf || msg_decode(buf, len, &m, &err) < 0) {
    dprintf(2, "decode: %s\n", err);
    free(buf);
    return 2;
  }
  int rc = msg_dump_json(&m, 1) < 0 ? 1 : 0;
  msg_free(&m);
  free(buf);
  return rc;
}

/* Runs from a sealed in-memory copy of itself, so a container process that reaches the
 * helper's /proc/PID/exe cannot rewrite the binary on the host (CVE-2019-5736). */
static void ensure_sealed(struct ctx *c, char **argv) {
  const int all = F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE;
  int exe = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
  if (exe < 0) die(c, errno, "open /proc/self/exe");
  int seals = fcntl(exe, F_GET_SEALS);
  if (seals >= 0 && (seals & all) == all) { close(exe); return; }
  struct stat st;
  int mem = (int)syscall(SYS_memfd_create, "berth-helper", MFD_CLOEXEC | MFD_ALLOW_SEALING);
  if (mem < 0 || fstat(exe, &st) < 0) die(c, errno, "copy the helper into memory");
  for (off_t off = 0; off < st.st_size;) {
    ssize_t n = sendfile(mem, exe, &off, (size_t)(st.st_size - off));
    if (n <= 0) die(c, n < 0 ? errno : EIO, "copy the helper into memory");
  }
  if (fcntl(mem, F_ADD_SEALS, all) < 0) die(c, errno, "seal the helper copy");
  close(exe);
  syscall(SYS_execveat, mem, "", argv, environ, AT_EMPTY_PATH);
  die(c, errno, "re-exec the sealed helper");
}

void run_op(struct ctx *c, const struct op *op) {
  const struct value *f = op->f;
  char b = 0;
  switch (op->code) {
  case OP_SETNS: {
    int fd = open(f[F_SETNS_PATH].str, O_RDONLY | O_CLOEXEC);
    if (fd < 0 || setns(fd, (int)f[F_SETNS_NSTYPE].num) < 0) die(c, errno, "setns %s", f[F_SETNS_PATH].str);
    close(fd);
    break;
  }
  case OP_IO: c->io = op; break;
  case OP_LINK_UP: op_link_up(c, op); break;
  case OP_SPAWN_HELPER: die(c, EINVAL, "spawn_helper is for the op server (--serve)");
  case OP_UMOUNT:
    if (umount2(f[F_UMOUNT_TARGET].str, (int)f[F_UMOUNT_FLAGS].num) < 0) die(c, errno, "umount %s", f[F_UMOUNT_TARGET].str);
    break;
  case OP_CLONE: op_clone(c, op); break;
  case OP_CLONE_MOUNT: op_clone_mount(c, op); break;
  case OP_SYNC:
    send_line(c, "sync", "name", f[F_SYNC_NAME].str, 0);
    if (c->sync_fd < 0 || read_all(c->sync_fd, &b, 1) < 0 || b != 'k') _exit(1);
    break;
  case OP_SET_ROOT:
    if (c->root_fd >= 0) close(c->root_fd);
    c->root_fd = open(f[F_SET_ROOT_PATH].str, O_PATH | O_DIRECTORY | O_CLOEXEC);
    if (c->root_fd < 0) die(c, errno, "open the root %s", f[F_SET_ROOT_PATH].str);
    break;
  case OP_MOUNT: op_mount(c, op); break;
  case OP_MKDIR: op_mkdir(c, op); break;
  case OP_MKFILE: op_mkfile(c, op); break;
  case OP_SYMLINK: op_symlink(c, op); break;
  case OP_MKNOD: op_mknod(c, op); break;
  case OP_PIVOT_ROOT: op_pivot_root(c); break;
  case OP_MASK: op_mask(c, op); break;
  case OP_READONLY: op_readonly(c, op); break;
  case OP_SETHOSTNAME:
    if (sethostname(f[0].str, f[0].len) < 0) die(c, errno, "sethostname %s", f[0].str);
    break;
  case OP_SETDOMAINNAME:
    if (setdomainname(f[0].str, f[0].len) < 0) die(c, errno, "setdomainname %s", f[0].str);
    break;
  case OP_RLIMIT: {
    struct rlimit r = { f[F_RLIMIT_SOFT].num == UINT64_MAX ? RLIM_INFINITY : f[F_RLIMIT_SOFT].num,
                        f[F_RLIMIT_HARD].num == UINT64_MAX ? RLIM_INFINITY : f[F_RLIMIT_HARD].num };
    if (setrlimit((int)f[F_RLIMIT_RESOURCE].num, &r) < 0) die(c, errno, "setrlimit %u", (unsigned)f[F_RLIMIT_RESOURCE].num);
    break;
  }
  case OP_WRITE_FILE: op_write_file(c, op); break;
  case OP_SETSID:
    if (setsid() < 0) die(c, errno, "setsid");
    break;
  case OP_PTY: op_pty(c, op); break;
  case OP_CLOSE_FDS: op_close_fds(c, op); break;
  case OP_NO_NEW_PRIVS:
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0) die(c, errno, "no_new_privs");
    break;
  case OP_USER: op_user(c, op); break;
  case OP_CAPS: op_caps(c, op); break;
  case OP_SECCOMP: op_seccomp(c, op); break;
  case OP_CHDIR: op_chdir(c, op); break;
  case OP_EXEC: op_exec(c, op); break;
  case OP_INIT: op_init(c); break;
  case OP_SPAWN: op_spawn(c, op); break;
  case OP_UMASK: umask((mode_t)f[0].num); break;
  case OP_UNSHARE:
    if (unshare((int)f[0].num) < 0) die(c, errno, "unshare 0x%llx", (unsigned long long)f[0].num);
    break;
  default: die(c, EINVAL, "unknown op %u", op->code);
  }
}

/* Reads one op list from fd 3 and runs it (the helper's whole job, also after a fork by the
 * op server in serve.c). */
int run_frame(struct ctx *c) {
  size_t len;
  const char *err = NULL;
  struct msg m;
  unsigned char *buf = read_frame(SYNC_FD, &len, &err);
  if (!buf || msg_decode(buf, len, &m, &err) < 0) die(c, EINVAL, "decode the op list: %s", err);
  free(buf);
  for (c->index = 0; c->index < m.nops; c->index++) {
    c->op = &m.ops[c->index];
    run_op(c, c->op);
  }
  return 0;
}

char **g_argv;

/* Shows args as the process's command line (ps, /proc/PID/cmdline), '\0'-separated, written over
 * the argument area from argv[from] to the end of the last argument; what does not fit is cut. */
void show_args(int from, char *const *args) {
  char *start = g_argv[from], *end = start;
  for (int i = from; g_argv[i]; i++) end = g_argv[i] + strlen(g_argv[i]);
  size_t room = (size_t)(end - start), at = 0;
  for (int i = 0; args[i] && at < room; i++) {
    size_t n = strlen(args[i]);
    if (n > room - at) n = room - at;
    memcpy(start + at, args[i], n);
    at += n;
    if (at < room) start[at++] = 0;
  }
  memset(start + at, 0, room - at);
}

int main(int argc, char **argv) {
  g_argv = argv;
  struct ctx c = { .sync_fd = SYNC_FD, .log_fd = LOG_FD, .root_fd = -1, .gate_rd = -1, .console_pair = -1 };
  if (argc > 1 && !strcmp(argv[1], "--decode")) return decode_mode();
  if (fcntl(SYNC_FD, F_GETFD) < 0 || fcntl(LOG_FD, F_GETFD) < 0) {
    dprintf(2, "berth-helper: fds 3 (sync) and 4 (log) must be open; this program is started by berth\n");
    return 2;
  }
  ensure_sealed(&c, argv); /* before close-on-exec is set: the re-exec keeps fds 3 and 4 */
  fcntl(SYNC_FD, F_SETFD, FD_CLOEXEC);
  fcntl(LOG_FD, F_SETFD, FD_CLOEXEC);
  signal(SIGPIPE, SIG_IGN);
  umask(0);
  if (argc > 1 && !strcmp(argv[1], "--serve")) return serve(&c, argv);
  return run_frame(&c);
}

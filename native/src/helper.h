/* The interpreter's state and the op implementations. Every op either succeeds or ends the
 * process through die(), which reports {"type":"error",...} on the sync socket and log pipe. */
#ifndef BERTH_HELPER_H
#define BERTH_HELPER_H
#include <stdarg.h>
#include <sys/types.h>
#include "proto.h"
#include "jbuf.h"

#define SYNC_FD 3
#define LOG_FD 4

struct ctx {
  int sync_fd;          /* socket to the TS side; -1 once closed */
  int log_fd;           /* pipe for log lines; -1 once closed */
  int root_fd;          /* the container root (set_root), O_PATH; -1 before */
  int gate_rd;          /* read end of the monitor→child pipe: 's' start, 'g' exec gate */
  int console_pair;     /* with the io op and a tty: the socket to hand the pty master to the monitor */
  const struct op *io;  /* the io op, if any (it precedes clone) */
  size_t index;         /* the op being run, for error reports */
  const struct op *op;
};

__attribute__((noreturn, format(printf, 3, 4))) void die(struct ctx *c, int err, const char *fmt, ...);
void send_line(struct ctx *c, const char *type, const char *key, const char *val, long long num);
void log_line(struct ctx *c, const char *level, const char *msg);

/* resolve.c: paths inside the root, never leaving it (openat2 RESOLVE_IN_ROOT). */
int open_in_root(struct ctx *c, const char *path, int flags);
int mkdir_in_root(struct ctx *c, const char *path, unsigned mode);
int parent_in_root(struct ctx *c, const char *path, const char **last);
void fd_path(char *buf, size_t n, int fd);

/* main.c */
unsigned char *read_frame(int fd, size_t *len, const char **err);
void run_op(struct ctx *c, const struct op *op);
int run_frame(struct ctx *c);
/* serve.c: the op server (--serve) */
int serve(const struct ctx *base, char **argv);
/* The argument area main() was given; show_args writes args (from argv[from] on) over it. */
extern char **g_argv;
void show_args(int from, char *const *args);
/* monitor.c */
void op_clone(struct ctx *c, const struct op *op);
void op_init(struct ctx *c);
/* ops-fs.c */
void op_mount(struct ctx *c, const struct op *op);
void op_mkdir(struct ctx *c, const struct op *op);
void op_mkfile(struct ctx *c, const struct op *op);
void op_symlink(struct ctx *c, const struct op *op);
void op_mknod(struct ctx *c, const struct op *op);
void op_pivot_root(struct ctx *c);
void op_mask(struct ctx *c, const struct op *op);
void op_readonly(struct ctx *c, const struct op *op);
void op_write_file(struct ctx *c, const struct op *op);
void op_chdir(struct ctx *c, const struct op *op);
/* ops-clone-mount.c */
void op_clone_mount(struct ctx *c, const struct op *op);
/* ops-proc.c */
void op_pty(struct ctx *c, const struct op *op);
void op_close_fds(struct ctx *c, const struct op *op);
void op_exec(struct ctx *c, const struct op *op);
void op_spawn(struct ctx *c, const struct op *op);
void reset_signals(void);
void op_link_up(struct ctx *c, const struct op *op);
/* ops-cred.c */
void op_user(struct ctx *c, const struct op *op);
void op_caps(struct ctx *c, const struct op *op);
void op_seccomp(struct ctx *c, const struct op *op);

#endif

/* Filesystem ops: mounts, files inside the root, pivot_root, masked and read-only paths. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <unistd.h>
#include "helper.h"

#define NUL_IF_EMPTY(s) ((s) && *(s) ? (s) : NULL)

/* Flags a remount must repeat or the kernel refuses it (locked in user namespaces). */
static unsigned long locked_flags(const char *target, unsigned long want) {
  struct statvfs sv;
  unsigned long f = 0;
  if (statvfs(target, &sv) < 0) return 0;
  if (sv.f_flag & ST_NOSUID) f |= MS_NOSUID;
  if (sv.f_flag & ST_NODEV) f |= MS_NODEV;
  if (sv.f_flag & ST_NOEXEC) f |= MS_NOEXEC;
  if (!(want & (MS_NOATIME | MS_RELATIME | MS_STRICTATIME))) {
    if (sv.f_flag & ST_NOATIME) f |= MS_NOATIME;
    if (sv.f_flag & ST_RELATIME) f |= MS_RELATIME;
    if (sv.f_flag & ST_NODIRATIME) f |= MS_NODIRATIME;
  }
  return f;
}

static void do_mount(struct ctx *c, const char *src, const char *target, const char *shown, const char *fstype, unsigned long flags, const char *data) {
  if (flags & MS_REMOUNT) flags |= locked_flags(target, flags);
  if (mount(NUL_IF_EMPTY(src), target, NUL_IF_EMPTY(fstype), flags, NUL_IF_EMPTY(data)) < 0)
    die(c, errno, "mount %s on %s (type %s, flags 0x%lx)", src && *src ? src : "none", shown, fstype && *fstype ? fstype : "none", flags);
}

void op_mount(struct ctx *c, const struct op *op) {
  const char *target = op->f[F_MOUNT_TARGET].str;
  unsigned long flags = (unsigned long)op->f[F_MOUNT_FLAGS].num;
  if (!op->f[F_MOUNT_TARGET_IN_ROOT].num) {
    do_mount(c, op->f[F_MOUNT_SOURCE].str, target, target, op->f[F_MOUNT_FSTYPE].str, flags, op->f[F_MOUNT_DATA].str);
    return;
  }
  int fd = open_in_root(c, target, O_PATH);
  if (fd < 0) die(c, errno, "mount target %s", target);
  char p[64];
  fd_path(p, sizeof p, fd);
  do_mount(c, op->f[F_MOUNT_SOURCE].str, p, target, op->f[F_MOUNT_FSTYPE].str, flags, op->f[F_MOUNT_DATA].str);
  close(fd);
}

void op_mkdir(struct ctx *c, const struct op *op) {
  int fd = mkdir_in_root(c, op->f[F_MKDIR_PATH].str, (unsigned)op->f[F_MKDIR_MODE].num);
  if (fd < 0) die(c, errno, "mkdir %s", op->f[F_MKDIR_PATH].str);
  close(fd);
}

void op_mkfile(struct ctx *c, const struct op *op) {
  const char *path = op->f[F_MKFILE_PATH].str, *last;
  int dir = parent_in_root(c, path, &last);
  if (dir < 0) die(c, errno, "mkfile %s", path);
  int fd = openat(dir, last, O_CREAT | O_EXCL | O_WRONLY | O_NOFOLLOW | O_CLOEXEC, (mode_t)op->f[F_MKFILE_MODE].num);
  if (fd < 0 && errno != EEXIST) die(c, errno, "mkfile %s", path);
  if (fd >= 0) close(fd);
  close(dir);
}

void op_symlink(struct ctx *c, const struct op *op) {
  const char *path = op->f[F_SYMLINK_PATH].str, *last;
  int dir = parent_in_root(c, path, &last);
  if (dir < 0 || (symlinkat(op->f[F_SYMLINK_TARGET].str, dir, last) < 0 && errno != EEXIST)) die(c, errno, "symlink %s", path);
  close(dir);
}

void op_mknod(struct ctx *c, const struct op *op) {
  const char *path = op->f[F_MKNOD_PATH].str, *last;
  struct stat st;
  int dir = parent_in_root(c, path, &last);
  if (dir < 0) die(c, errno, "mknod %s", path);
  if (fstatat(dir, last, &st, AT_SYMLINK_NOFOLLOW) == 0) {
    if (S_ISDIR(st.st_mode)) die(c, EISDIR, "mknod %s", path);
    if (unlinkat(dir, last, 0) < 0) die(c, errno, "mknod %s: remove the existing entry", path);
  }
  dev_t dev = makedev((unsigned)op->f[F_MKNOD_MAJOR].num, (unsigned)op->f[F_MKNOD_MINOR].num);
  if (mknodat(dir, last, (mode_t)op->f[F_MKNOD_MODE].num, dev) < 0) die(c, errno, "mknod %s", path);
  if (fchownat(dir, last, (uid_t)op->f[F_MKNOD_UID].num, (gid_t)op->f[F_MKNOD_GID].num, AT_SYMLINK_NOFOLLOW) < 0) die(c, errno, "chown %s", path);
  close(dir);
}

void op_pivot_root(struct ctx *c) {
  int old = open("/", O_DIRECTORY | O_RDONLY | O_CLOEXEC);
  if (old < 0) die(c, errno, "open the old root");
  if (c->root_fd < 0 || fchdir(c->root_fd) < 0) die(c, errno, "enter the new root");
  if (syscall(SYS_pivot_root, ".", ".") < 0) die(c, errno, "pivot_root");
  /* The old root now sits on top of the new one: detach it without propagating the unmount. */
  if (fchdir(old) < 0) die(c, errno, "enter the old root");
  if (mount(NULL, ".", NULL, MS_SLAVE | MS_REC, NULL) < 0) die(c, errno, "make the old root a slave");
  if (umount2(".", MNT_DETACH) < 0) die(c, errno, "detach the old root");
  if (chdir("/") < 0) die(c, errno, "chdir /");
  close(old);
  close(c->root_fd);
  c->root_fd = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (c->root_fd < 0) die(c, errno, "open the new root");
}

/* The fd of an existing path inside the root, or -1 when it does not exist. */
static int existing(struct ctx *c, const char *path) {
  int fd = open_in_root(c, path, O_PATH);
  if (fd < 0 && errno != ENOENT) die(c, errno, "open %s", path);
  return fd;
}

void op_mask(struct ctx *c, const struct op *op) {
  const char *path = op->f[F_MASK_PATH].str;
  struct stat st;
  char p[64];
  int fd = existing(c, path);
  if (fd < 0) return;
  if (fstat(fd, &st) < 0) die(c, errno, "stat %s", path);
  fd_path(p, sizeof p, fd);
  if (S_ISDIR(st.st_mode)) do_mount(c, "tmpfs", p, path, "tmpfs", MS_RDONLY, NULL);
  else do_mount(c, "/dev/null", p, path, NULL, MS_BIND, NULL);
  close(fd);
}

void op_readonly(struct ctx *c, const struct op *op) {
  const char *path = op->f[F_READONLY_PATH].str;
  char p[64];
  int fd = existing(c, path);
  if (fd < 0) return;
  fd_path(p, sizeof p, fd);
  do_mount(c, p, p, path, NULL, MS_BIND | MS_REC, NULL);
  close(fd);
  fd = existing(c, path); /* now the new bind mount on top */
  if (fd < 0) die(c, ENOENT, "open %s", path);
  fd_path(p, sizeof p, fd);
  do_mount(c, NULL, p, path, NULL, MS_BIND | MS_REMOUNT | MS_RDONLY, NULL);
  close(fd);
}

void op_write_file(struct ctx *c, const struct op *op) {
  const char *path = op->f[F_WRITE_FILE_PATH].str;
  int fd = open(path, O_WRONLY | O_CLOEXEC | O_NOFOLLOW);
  if (fd < 0) die(c, errno, "open %s", path);
  ssize_t w = write(fd, op->f[F_WRITE_FILE_DATA].str, op->f[F_WRITE_FILE_DATA].len);
  if (w < 0 || (size_t)w != op->f[F_WRITE_FILE_DATA].len) die(c, w < 0 ? errno : EIO, "write %s", path);
  close(fd);
}

void op_chdir(struct ctx *c, const struct op *op) {
  char cwd[PATH_MAX];
  const char *path = op->f[F_CHDIR_PATH].str;
  if (chdir(path) < 0) die(c, errno, "chdir %s", path);
  /* A directory outside the root (e.g. reached through a leaked fd) shows as "(unreachable)". */
  if (!getcwd(cwd, sizeof cwd)) die(c, errno, "getcwd after chdir %s", path);
  if (cwd[0] != '/') die(c, EPERM, "working directory %s is outside the container", path);
}

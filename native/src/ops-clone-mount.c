/* clone_mount: a mount of another mount namespace (a running container's tmpfs) cloned into
 * ours, so host-side code can reach the filesystem the container sees there. open_tree refuses
 * to clone a mount of a namespace other than the caller's (EINVAL through /proc/PID/root), so
 * the source is resolved and cloned from inside that namespace, and the detached clone is moved
 * onto the target after returning to our own. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <sched.h>
#include <stdint.h>
#include <string.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "helper.h"

#ifndef SYS_open_tree
#define SYS_open_tree 428
#endif
#ifndef SYS_move_mount
#define SYS_move_mount 429
#endif
#ifndef OPEN_TREE_CLONE
#define OPEN_TREE_CLONE 1
#endif
#ifndef OPEN_TREE_CLOEXEC
#define OPEN_TREE_CLOEXEC O_CLOEXEC
#endif
#ifndef MOVE_MOUNT_F_EMPTY_PATH
#define MOVE_MOUNT_F_EMPTY_PATH 0x00000004
#endif
#ifndef SYS_statx
#define SYS_statx 332
#endif
#define STATX_ATTR_MOUNT_ROOT_BIT 0x00002000ull

/* The head of the kernel's struct statx (a stable ABI; musl may lack statx and its struct). */
struct statx_head {
  uint32_t mask, blksize;
  uint64_t attributes;
  uint32_t nlink, uid, gid;
  uint16_t mode, pad0;
  uint64_t ino, size, blocks, attributes_mask;
  unsigned char rest[256 - 64];
};
_Static_assert(sizeof(struct statx_head) == 256, "struct statx is 256 bytes");

#define CLONE_MOUNT_MOUNT_ROOT 1u

static int open_ns(struct ctx *c, const char *path) {
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) die(c, errno, "open the mount namespace %s", path);
  return fd;
}

/* The source, resolved under the current root without leaving it, checked as the op asks. */
static int open_source(struct ctx *c, const char *source, unsigned magic, unsigned flags) {
  int root = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (root < 0) die(c, errno, "open the root");
  struct open_how how = { .flags = O_PATH | O_DIRECTORY | O_CLOEXEC, .resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS };
  int fd = (int)syscall(SYS_openat2, root, source, &how, sizeof how);
  if (fd < 0) die(c, errno, "open %s", source);
  close(root);
  struct statfs sf;
  if (fstatfs(fd, &sf) < 0) die(c, errno, "statfs %s", source);
  if (magic && (unsigned)sf.f_type != magic) die(c, EXDEV, "%s is not the expected filesystem (type 0x%lx)", source, (unsigned long)sf.f_type);
  if (flags & CLONE_MOUNT_MOUNT_ROOT) {
    struct statx_head sx = { 0 };
    if (syscall(SYS_statx, fd, "", AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW, 0x7ffu /* STATX_BASIC_STATS */, &sx) < 0) die(c, errno, "statx %s", source);
    if (!(sx.attributes_mask & STATX_ATTR_MOUNT_ROOT_BIT)) die(c, ENOSYS, "statx %s: no mount-root attribute", source);
    if (!(sx.attributes & STATX_ATTR_MOUNT_ROOT_BIT)) die(c, EXDEV, "%s is not a mount point", source);
  }
  return fd;
}

void op_clone_mount(struct ctx *c, const struct op *op) {
  const char *ns = op->f[F_CLONE_MOUNT_MNTNS].str, *source = op->f[F_CLONE_MOUNT_SOURCE].str;
  const char *target = op->f[F_CLONE_MOUNT_TARGET].str;
  int self = -1;
  if (*ns) {
    self = open_ns(c, "/proc/self/ns/mnt");
    int other = open_ns(c, ns);
    if (setns(other, CLONE_NEWNS) < 0) die(c, errno, "enter the mount namespace %s", ns);
    close(other);
  }
  int src = open_source(c, source, (unsigned)op->f[F_CLONE_MOUNT_FS_MAGIC].num, (unsigned)op->f[F_CLONE_MOUNT_FLAGS].num);
  int tree = (int)syscall(SYS_open_tree, src, "", OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_EMPTY_PATH);
  if (tree < 0) die(c, errno, "clone the mount at %s", source);
  close(src);
  /* Back in our own namespace (and its root), the target is a path of ours. */
  if (self >= 0 && setns(self, CLONE_NEWNS) < 0) die(c, errno, "return to the helper's mount namespace");
  if (self >= 0) close(self);
  if (syscall(SYS_move_mount, tree, "", AT_FDCWD, target, MOVE_MOUNT_F_EMPTY_PATH) < 0) die(c, errno, "mount the clone of %s on %s", source, target);
  close(tree);
}

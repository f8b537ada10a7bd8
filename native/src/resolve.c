/* Paths inside the container root, resolved by the kernel as if the root were "/" (symlinks
 * and ".." cannot climb out), at the moment of use: no resolve-then-mount race. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "helper.h"

int open_in_root(struct ctx *c, const char *path, int flags) {
  struct open_how how = { .flags = (uint64_t)(flags | O_CLOEXEC), .resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS };
  if (c->root_fd < 0) die(c, 0, "no root set before a path inside the root (%s)", path);
  return (int)syscall(SYS_openat2, c->root_fd, path, &how, sizeof how);
}

void fd_path(char *buf, size_t n, int fd) { snprintf(buf, n, "/proc/self/fd/%d", fd); }

/* mkdir -p inside the root; returns an O_PATH fd of the directory. */
int mkdir_in_root(struct ctx *c, const char *path, unsigned mode) {
  char prefix[4096];
  size_t n = strlen(path);
  if (n >= sizeof prefix) { errno = ENAMETOOLONG; return -1; }
  int dir = open_in_root(c, "/", O_PATH | O_DIRECTORY);
  if (dir < 0) return -1;
  size_t i = 0;
  while (i < n) {
    while (i < n && path[i] == '/') i++;
    size_t start = i;
    while (i < n && path[i] != '/') i++;
    if (i == start) break;
    memcpy(prefix, path, i);
    prefix[i] = 0;
    int next = open_in_root(c, prefix, O_PATH | O_DIRECTORY);
    if (next < 0 && errno == ENOENT) {
      char comp[256];
      if (i - start >= sizeof comp) { close(dir); errno = ENAMETOOLONG; return -1; }
      memcpy(comp, path + start, i - start);
      comp[i - start] = 0;
      if (mkdirat(dir, comp, mode) < 0 && errno != EEXIST) { int e = errno; close(dir); errno = e; return -1; }
      next = open_in_root(c, prefix, O_PATH | O_DIRECTORY);
    }
    int e = errno;
    close(dir);
    if (next < 0) { errno = e; return -1; }
    dir = next;
  }
  return dir;
}

/* The parent directory of path inside the root (created if missing) and its last component. */
int parent_in_root(struct ctx *c, const char *path, const char **last) {
  char parent[4096];
  const char *slash = strrchr(path, '/');
  size_t n = slash ? (size_t)(slash - path) : 0;
  if (n >= sizeof parent) { errno = ENAMETOOLONG; return -1; }
  memcpy(parent, path, n);
  parent[n] = 0;
  *last = slash ? slash + 1 : path;
  if (!**last || !strcmp(*last, ".") || !strcmp(*last, "..")) { errno = EINVAL; return -1; }
  return mkdir_in_root(c, n ? parent : "/", 0755);
}

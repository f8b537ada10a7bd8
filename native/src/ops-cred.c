/* Credentials: groups and ids, the five capability sets, the seccomp filter. */
#define _GNU_SOURCE
#include <errno.h>
#include <grp.h>
#include <linux/capability.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "helper.h"

void op_user(struct ctx *c, const struct op *op) {
  uid_t uid = (uid_t)op->f[F_USER_UID].num;
  gid_t gid = (gid_t)op->f[F_USER_GID].num;
  const struct value *g = &op->f[F_USER_GROUPS];
  if (setgroups(g->count, (const gid_t *)g->u32s) < 0) die(c, errno, "setgroups");
  if (setresgid(gid, gid, gid) < 0) die(c, errno, "setresgid %u", gid);
  /* Keep the permitted set across the uid change; the caps op decides what stays. */
  if (prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) < 0) die(c, errno, "PR_SET_KEEPCAPS");
  if (setresuid(uid, uid, uid) < 0) die(c, errno, "setresuid %u", uid);
  if (prctl(PR_SET_KEEPCAPS, 0, 0, 0, 0) < 0) die(c, errno, "PR_SET_KEEPCAPS");
}

static int capset3(struct __user_cap_data_struct d[2]) {
  struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
  return (int)syscall(SYS_capset, &h, d);
}

void op_caps(struct ctx *c, const struct op *op) {
  struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
  struct __user_cap_data_struct d[2];
  uint64_t bounding = op->f[F_CAPS_BOUNDING].num, eff = op->f[F_CAPS_EFFECTIVE].num;
  uint64_t perm = op->f[F_CAPS_PERMITTED].num, inh = op->f[F_CAPS_INHERITABLE].num, amb = op->f[F_CAPS_AMBIENT].num;
  /* A uid change cleared the effective set: raise it again to drop the bounding set. */
  if (syscall(SYS_capget, &h, d) < 0) die(c, errno, "capget");
  d[0].effective = d[0].permitted;
  d[1].effective = d[1].permitted;
  if (capset3(d) < 0) die(c, errno, "capset (raise effective)");
  for (int cap = 0; cap < 64; cap++) {
    if (prctl(PR_CAPBSET_READ, cap, 0, 0, 0) < 0) break; /* past the kernel's last capability */
    if (!(bounding >> cap & 1) && prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) < 0) die(c, errno, "drop bounding capability %d", cap);
  }
  d[0].effective = (uint32_t)eff;
  d[1].effective = (uint32_t)(eff >> 32);
  d[0].permitted = (uint32_t)perm;
  d[1].permitted = (uint32_t)(perm >> 32);
  d[0].inheritable = (uint32_t)inh;
  d[1].inheritable = (uint32_t)(inh >> 32);
  if (capset3(d) < 0) die(c, errno, "capset");
  if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) < 0 && amb) die(c, errno, "clear ambient capabilities");
  for (int cap = 0; cap < 64; cap++)
    if (amb >> cap & 1 && prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, cap, 0, 0) < 0) die(c, errno, "raise ambient capability %d", cap);
}

void op_seccomp(struct ctx *c, const struct op *op) {
  const struct value *f = &op->f[F_SECCOMP_FILTER];
  if (f->len == 0 || f->len % sizeof(struct sock_filter) || f->len / sizeof(struct sock_filter) > 0xffff) die(c, EINVAL, "seccomp filter of %zu bytes", f->len);
  struct sock_fprog prog = { .len = (unsigned short)(f->len / sizeof(struct sock_filter)), .filter = (struct sock_filter *)(void *)f->str };
  if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, (unsigned)op->f[F_SECCOMP_FLAGS].num, &prog) < 0) die(c, errno, "install the seccomp filter");
}

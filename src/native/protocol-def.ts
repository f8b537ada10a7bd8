// The one source of the helper protocol. `scripts/gen-protocol.ts` turns this table into
// `native/src/protocol.gen.h` (C) and `src/native/protocol.gen.ts` (TS); a test checks
// that both generated files are up to date. See docs/native-helper.md for the semantics.
//
// Wire format (all integers little-endian):
//   frame   = u32 length-of-message, message
//   message = u32 magic 0x48545242 ("BRTH"), u16 version, u16 flags (0), u32 op count, op*
//   op      = u16 code, u16 reserved (0), u32 payload length, payload
//   payload = the op's fields in order:
//     u32 / i32 / u64 : fixed width
//     str             : u32 length, bytes (no NUL; at most 65535 bytes, no NUL inside)
//     bytes           : u32 length, bytes (at most 1 MiB)
//     strs            : u32 count, str*          (at most 4096 entries)
//     u32s            : u32 count, u32*          (at most 65536 entries)

export type FieldType = 'u32' | 'i32' | 'u64' | 'str' | 'bytes' | 'strs' | 'u32s';

export interface OpDef {
  readonly code: number;
  readonly name: string; // snake_case; TS uses the camelCase form as the `op` tag
  readonly fields: readonly (readonly [name: string, type: FieldType])[];
  readonly doc: string;
}

export const PROTOCOL_MAGIC = 0x48545242;
export const PROTOCOL_VERSION = 1;

export const OPS: readonly OpDef[] = [
  { code: 1, name: 'setns', fields: [['path', 'str'], ['nstype', 'u32']],
    doc: 'open path and setns(fd, nstype). Before clone: runs in the helper (needed for pid namespaces); after: in the child.' },
  { code: 2, name: 'clone', fields: [['flags', 'u64'], ['exit_file', 'str'], ['gate_fifo', 'str']],
    doc: 'fork a child with these CLONE_NEW* flags. The helper becomes the monitor: it reports {"type":"pid"} on the sync socket, releases the exec gate when gate_fifo (made here, mode 0600, unless it exists) receives a byte, writes exit_file and exits with the child\'s code (128+signal when killed). Ops after clone run in the child.' },
  { code: 3, name: 'sync', fields: [['name', 'str']],
    doc: 'send {"type":"sync","name":...} on the sync socket and wait for a one-byte answer: "k" goes on, anything else ends the child with status 1.' },
  { code: 4, name: 'set_root', fields: [['path', 'str']],
    doc: 'open path (a host path) as the root directory that *_in_root paths are resolved in, without following symlinks out of it.' },
  { code: 5, name: 'mount', fields: [['source', 'str'], ['target', 'str'], ['fstype', 'str'], ['flags', 'u64'], ['data', 'str'], ['target_in_root', 'u32']],
    doc: 'mount(2). With target_in_root the target is resolved inside the root (openat2 RESOLVE_IN_ROOT) and mounted through its /proc/self/fd path. MS_REMOUNT keeps the locked flags (nosuid, nodev, noexec, ...) the mount already has.' },
  { code: 6, name: 'mkdir', fields: [['path', 'str'], ['mode', 'u32']],
    doc: 'create a directory and its missing parents inside the root; existing directories are fine.' },
  { code: 7, name: 'mkfile', fields: [['path', 'str'], ['mode', 'u32']],
    doc: 'create an empty regular file inside the root if missing (for bind-mounting a file); parents are created.' },
  { code: 8, name: 'symlink', fields: [['target', 'str'], ['path', 'str']],
    doc: 'create a symlink inside the root; an existing entry is left alone.' },
  { code: 9, name: 'mknod', fields: [['path', 'str'], ['mode', 'u32'], ['major', 'u32'], ['minor', 'u32'], ['uid', 'u32'], ['gid', 'u32']],
    doc: 'mknod inside the root (replacing an existing non-directory), then chown.' },
  { code: 10, name: 'pivot_root', fields: [],
    doc: 'pivot_root into the root set by set_root and detach the old root.' },
  { code: 11, name: 'mask', fields: [['path', 'str']],
    doc: 'after pivot_root: hide path (a directory gets a read-only empty tmpfs, anything else /dev/null bound over it); a missing path is fine.' },
  { code: 12, name: 'readonly', fields: [['path', 'str']],
    doc: 'after pivot_root: bind path onto itself and remount it read-only; a missing path is fine.' },
  { code: 13, name: 'sethostname', fields: [['name', 'str']], doc: 'sethostname(2).' },
  { code: 14, name: 'setdomainname', fields: [['name', 'str']], doc: 'setdomainname(2).' },
  { code: 15, name: 'rlimit', fields: [['resource', 'u32'], ['soft', 'u64'], ['hard', 'u64']],
    doc: 'setrlimit(2); u64 max means RLIM_INFINITY.' },
  { code: 16, name: 'write_file', fields: [['path', 'str'], ['data', 'str']],
    doc: 'write data to an existing file (after pivot_root, e.g. /proc/sys/... for sysctls).' },
  { code: 17, name: 'setsid', fields: [], doc: 'setsid(2).' },
  { code: 18, name: 'pty', fields: [['console_fd', 'u32'], ['rows', 'u32'], ['cols', 'u32']],
    doc: 'open a pty from /dev/ptmx, size it, send the master over console_fd (SCM_RIGHTS), make the slave stdin/stdout/stderr and the controlling terminal, close console_fd.' },
  { code: 19, name: 'close_fds', fields: [['first', 'u32']],
    doc: 'close every fd >= first except the helper\'s own sync/log/gate fds (which are close-on-exec).' },
  { code: 20, name: 'no_new_privs', fields: [], doc: 'prctl(PR_SET_NO_NEW_PRIVS, 1).' },
  { code: 21, name: 'user', fields: [['uid', 'u32'], ['gid', 'u32'], ['groups', 'u32s']],
    doc: 'setgroups, setresgid, setresuid, keeping capabilities across the uid change (the caps op sets them afterwards).' },
  { code: 22, name: 'caps', fields: [['bounding', 'u64'], ['effective', 'u64'], ['permitted', 'u64'], ['inheritable', 'u64'], ['ambient', 'u64']],
    doc: 'drop every bounding capability not in bounding, capset the other three sets, raise ambient ones. Bit n is capability n.' },
  { code: 23, name: 'seccomp', fields: [['filter', 'bytes'], ['flags', 'u32']],
    doc: 'install a seccomp filter: filter is an array of struct sock_filter (8 bytes each, host endianness).' },
  { code: 24, name: 'chdir', fields: [['path', 'str']],
    doc: 'chdir(2) and refuse a working directory outside the root (getcwd starting with "(unreachable)").' },
  { code: 25, name: 'exec', fields: [['argv', 'strs'], ['env', 'strs'], ['gate', 'u32']],
    doc: 'look argv[0] up in the PATH of env when it has no slash; with gate, send {"type":"ready"} and wait for the monitor to release the gate; then execve.' },
  { code: 26, name: 'init', fields: [['name', 'str'], ['argv', 'strs']],
    doc: 'become a pid-1 init: fork; the parent forwards signals to the child, reaps every zombie and exits as the child did; the child runs the remaining ops. The init shows name as its comm and argv as its command line (as much as fits in the argument area the helper was started with).' },
  { code: 27, name: 'spawn', fields: [['argv', 'strs'], ['env', 'strs']],
    doc: 'run a program (argv[0] an absolute path), wait for it, fail unless it exits 0 (startContainer hooks).' },
  { code: 28, name: 'umask', fields: [['mask', 'u32']], doc: 'umask(2).' },
  { code: 29, name: 'unshare', fields: [['flags', 'u64']],
    doc: 'unshare(2) in the child, e.g. CLONE_NEWCGROUP after the parent has moved it into its cgroup.' },
  { code: 30, name: 'io', fields: [['log_path', 'str'], ['max_size', 'u64'], ['max_files', 'u32'], ['attach_path', 'str'], ['flags', 'u32']],
    doc: 'before clone: the monitor holds the container\'s stdio. The child gets pipes (or, with flags bit 0 (tty), sends its pty master to the monitor: pty with console_fd 0xffffffff); bit 1 keeps stdin open for attach clients. The monitor writes stdout/stderr as Docker json-file lines to log_path (rotated at max_size bytes, max_files files; 0 = no rotation) and serves attach_path, a unix socket streaming output in stdcopy frames and taking stdin/resize/close-stdin frames.' },
  { code: 31, name: 'link_up', fields: [['name', 'str']],
    doc: 'bring a network interface of the current network namespace up (SIOCSIFFLAGS IFF_UP), e.g. lo in a new netns as runc does.' },
  { code: 32, name: 'umount', fields: [['target', 'str'], ['flags', 'u32']],
    doc: 'umount2(2) of a host path (flags: MNT_DETACH 2), e.g. a container\'s rootfs after its exit.' },
  { code: 33, name: 'spawn_helper', fields: [['socket_path', 'str'], ['token', 'str'], ['label', 'str']],
    doc: 'op server (--serve) only, alone in its list: start a new helper without a process start: fork twice (the new helper is nobody\'s child), setsid, stdio and fd 4 on /dev/null, connect to socket_path as fd 3, say {"type":"hello","token":..,"pid":..} there, show label as its argument, then read and run an op list from fd 3 as a started helper does.' },
  { code: 34, name: 'clone_mount', fields: [['mntns', 'str'], ['source', 'str'], ['target', 'str'], ['fs_magic', 'u32'], ['flags', 'u32']],
    doc: 'clone the mount at source into this namespace at target (open_tree OPEN_TREE_CLONE, move_mount), the clone sharing the mounted filesystem (writes through it land in the original). With mntns (a /proc/PID/ns/mnt path) source is resolved in that mount namespace, under its root (openat2 RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS: symlinks cannot climb out), and the op returns to its own namespace before moving the clone. Refused (EXDEV) unless the resolved source has filesystem type fs_magic (statfs f_type; 0: any) and, with flags bit 0, is the root of a mount (not a directory inside one). Not recursive: mounts beneath source are not cloned.' },
];

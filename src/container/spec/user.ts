// @pure
// `--user` resolution against the image's /etc/passwd and /etc/group, as runc's
// libcontainer/user GetExecUser and Docker's getUser do. The caller reads the files (they may be
// absent: pass undefined) and hands over their text.
import { invalidArgument } from '../../errors/errors.ts';

export interface PasswdEntry { name: string; uid: number; gid: number; home: string; shell: string }
export interface GroupEntry { name: string; gid: number; members: string[] }

const MAX_ID = 2 ** 31 - 1;

function lines(text: string): string[][] {
  return text.split('\n').map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('#')).map((l) => l.split(':'));
}

const num = (s: string | undefined): number => {
  const n = Number(s);
  return s !== undefined && /^\d+$/.test(s) ? n : NaN;
};

export function parsePasswd(text: string): PasswdEntry[] {
  return lines(text).map((f) => ({ name: f[0] ?? '', uid: num(f[2]), gid: num(f[3]), home: f[5] ?? '', shell: f[6] ?? '' }));
}

export function parseGroup(text: string): GroupEntry[] {
  return lines(text).map((f) => ({ name: f[0] ?? '', gid: num(f[2]), members: (f[3] ?? '').split(',').map((m) => m.trim()).filter(Boolean) }));
}

export interface ResolvedUser { uid: number; gid: number; additionalGids: number[]; home: string; name: string }

const idOf = (s: string): number | undefined => (/^\d+$/.test(s) ? Number(s) : undefined);

function checkRange(n: number): number {
  if (n < 0 || n > MAX_ID) throw invalidArgument('uids and gids must be in range 0-2147483647');
  return n;
}

/**
 * "", "name", "uid", "name:group", "uid:gid" (and mixes). Without an explicit group the
 * supplementary groups are those listing the user's name; `groupAdd` (HostConfig.GroupAdd, names
 * or numbers) is appended. As Docker, additionalGids starts with the primary gid.
 */
export function resolveUser(spec: string, passwdText: string | undefined, groupText: string | undefined, groupAdd: readonly string[] = []): ResolvedUser {
  const [userArg = '', groupArg = ''] = splitOnce(spec, ':');
  const users = passwdText === undefined ? [] : parsePasswd(passwdText);
  const groups = groupText === undefined ? [] : parseGroup(groupText);
  const out: ResolvedUser = { uid: 0, gid: 0, additionalGids: [], home: '/', name: '' };

  if (userArg !== '') {
    const uidArg = idOf(userArg);
    const match = users.find((u) => (uidArg === undefined ? u.name === userArg : u.uid === uidArg));
    if (match) {
      Object.assign(out, { uid: match.uid, gid: match.gid, home: match.home, name: match.name });
    } else if (uidArg === undefined) {
      throw invalidArgument(`unable to find user ${userArg}: no matching entries in passwd file`);
    } else {
      out.uid = checkRange(uidArg);
    }
  } else {
    const root = users.find((u) => u.uid === 0);
    if (root) Object.assign(out, { gid: root.gid, home: root.home, name: root.name });
  }

  const sgids: number[] = [];
  if (groupArg !== '') {
    const gidArg = idOf(groupArg);
    const match = groups.find((g) => (gidArg === undefined ? g.name === groupArg : g.gid === gidArg));
    if (match) out.gid = match.gid;
    else if (gidArg === undefined) throw invalidArgument(`unable to find group ${groupArg}: no matching entries in group file`);
    else out.gid = checkRange(gidArg);
  } else if (out.name !== '') {
    for (const g of groups) if (g.members.includes(out.name)) sgids.push(g.gid);
  }

  const added = groupAdd.map((ag) => {
    const n = idOf(ag);
    const match = groups.find((g) => g.name === ag || (n !== undefined && g.gid === n));
    if (match) return match.gid;
    if (n === undefined) throw invalidArgument(`Unable to find group ${ag}: no matching entries in group file`);
    return checkRange(n);
  });
  out.additionalGids = [out.gid, ...sgids, ...added];
  return out;
}

function splitOnce(s: string, sep: string): [string, string] {
  const i = s.indexOf(sep);
  return i < 0 ? [s, ''] : [s.slice(0, i), s.slice(i + 1)];
}

// @pure
// Container names and references, as Docker handles them: the name rule, random names, the
// conflict message, and resolving a reference (full id, name, or unique id prefix).
import { conflict, invalidArgument, notFound } from '../errors/errors.ts';
import { ADJECTIVES, SURNAMES } from './name-words.ts';

/** Docker's RestrictedNameChars/RestrictedNamePattern; a leading "/" is allowed. */
export const NAME_PATTERN = /^\/?[a-zA-Z0-9][a-zA-Z0-9_.-]+$/;

/** Validates a user-given name and returns it with the leading slash ("/web"). */
export function normalizeName(name: string): string {
  if (!NAME_PATTERN.test(name)) {
    throw invalidArgument(`Invalid container name (${name}), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed`);
  }
  return name.startsWith('/') ? name : `/${name}`;
}

/** Conflict text of `docker create --name x` when x exists (Docker prints the name with its slash). */
export function nameConflict(name: string, holderId: string): Error {
  const n = name.startsWith('/') ? name : `/${name}`;
  return conflict(`Conflict. The container name "${n}" is already in use by container "${holderId}". You have to remove (or rename) that container to be able to reuse that name.`);
}

/**
 * A random "adjective_surname" (namesgenerator.GetRandomName). `rand(n)` returns an integer in
 * [0, n). With `retry > 0` a random digit is appended. "boring_wozniak" is never produced.
 */
export function randomName(rand: (n: number) => number, retry = 0): string {
  for (;;) {
    const name = `${ADJECTIVES[rand(ADJECTIVES.length)]}_${SURNAMES[rand(SURNAMES.length)]}`;
    if (name === 'boring_wozniak') continue; // Steve Wozniak is not boring
    return retry > 0 ? `${name}${rand(10)}` : name;
  }
}

/**
 * Docker's generateNewName: tries random names (retries 1..5 carry a digit), then falls back to
 * the short id. `taken(name)` says whether "/name" is in use.
 */
export function generateName(rand: (n: number) => number, taken: (slashName: string) => boolean, id: string): string {
  for (let i = 0; i < 6; i++) {
    const n = `/${randomName(rand, i)}`;
    if (!taken(n)) return n;
  }
  return `/${id.slice(0, 12)}`;
}

/** What resolution needs: every container's id and stored name ("/x"). */
export interface NameIndexEntry { id: string; name: string }

export const noSuchContainer = (ref: string) => notFound(`No such container: ${ref}`);

/**
 * Resolves `ref` as Docker's daemon.GetContainer does: an exact full id first, then a name
 * (with or without the slash), then a unique id prefix. An empty ref is invalid; a prefix that
 * matches several ids is an InvalidArgument "multiple IDs found with provided prefix: …".
 */
export function resolveRef(entries: Iterable<NameIndexEntry>, ref: string): string {
  if (ref === '') throw invalidArgument(`invalid name or ID supplied: ""`);
  const list = [...entries];
  const exact = list.find((e) => e.id === ref);
  if (exact) return exact.id;
  const slash = ref.startsWith('/') ? ref : `/${ref}`;
  const byName = list.find((e) => e.name === slash);
  if (byName) return byName.id;
  if (!/^[0-9a-f]+$/.test(ref)) throw noSuchContainer(ref);
  const matches = list.filter((e) => e.id.startsWith(ref));
  if (matches.length === 0) throw noSuchContainer(ref);
  if (matches.length > 1) throw invalidArgument(`multiple IDs found with provided prefix: ${ref}`);
  return matches[0].id;
}

/**
 * A name registry with reservation (Docker's registrar): `reserve` fails with the conflict text
 * when another id holds the name, so of N parallel creates of one name exactly one wins.
 */
export class NameRegistry {
  private readonly byName = new Map<string, string>();

  reserve(name: string, id: string): void {
    const n = normalizeName(name);
    const holder = this.byName.get(n);
    if (holder !== undefined && holder !== id) throw nameConflict(n, holder);
    this.byName.set(n, id);
  }

  release(name: string): void {
    this.byName.delete(name.startsWith('/') ? name : `/${name}`);
  }

  /** Releases every name held by `id`. */
  releaseId(id: string): void {
    for (const [n, holder] of this.byName) if (holder === id) this.byName.delete(n);
  }

  holder(name: string): string | undefined {
    return this.byName.get(name.startsWith('/') ? name : `/${name}`);
  }

  has(name: string): boolean {
    return this.holder(name) !== undefined;
  }
}

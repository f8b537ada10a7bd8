// Prepared statements of a SQLite database kept by SQL text: compiling one costs more than
// running it (~0.5 ms per image resolve at `docker create` before the stores kept them).
import type { DatabaseSync, StatementSync } from 'node:sqlite';

export function statementCache(db: DatabaseSync): (sql: string) => StatementSync {
  const stmts = new Map<string, StatementSync>();
  return (sql) => {
    let st = stmts.get(sql);
    if (!st) stmts.set(sql, (st = db.prepare(sql)));
    return st;
  };
}

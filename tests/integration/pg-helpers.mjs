// Shared by the tests that need PostgreSQL: a database of their own on the
// server tests/pg starts (GAZETTE_TEST_PG names its maintenance database),
// dropped again after.
import { spawnSync } from 'node:child_process';

export const pgBase = process.env.GAZETTE_TEST_PG;

// Runs SQL with psql on db (the maintenance database by default).
export function psql(sql, db = pgBase) {
  const r = spawnSync('psql', ['-qAt', db, '-c', sql], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`psql: ${r.stderr}`);
  return r.stdout.trim();
}

// Creates database name; returns its URL.
export function createDatabase(name) {
  if (!pgBase) throw new Error('GAZETTE_TEST_PG is not set: run through tests/run (tests/pg)');
  psql(`CREATE DATABASE ${name}`);
  return pgBase.replace(/\/[^/?]*\?/, `/${name}?`);
}

export function dropDatabase(name) {
  if (pgBase) psql(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
}

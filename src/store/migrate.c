/*
 * Copyright (c) 2026 The gazette authors
 *
 * Permission to use, copy, modify, and distribute this software for any
 * purpose with or without fee is hereby granted, provided that the above
 * copyright notice and this permission notice appear in all copies.
 *
 * THE SOFTWARE IS PROVIDED "AS IS" AND THE AUTHOR DISCLAIMS ALL WARRANTIES.
 */

/*
 * Schema migrations.  The files schema/<engine>/NNN-name.sql are compiled
 * into the binary; a database records the last one applied in SQLite's
 * user_version and is marked as ours by application_id, so that a stray
 * file given as the database is refused before anything is written to
 * it.  Each migration runs in its own transaction with its version
 * bump: a failure leaves the database at the previous version, never
 * half-way.  A migration may have a part in C that runs after its SQL in
 * the same transaction (store_sqlite_migrate_step), for what SQL cannot
 * do; the connection first gets the SQL functions and the tokenizer
 * migrations rely on (store_fts5_register).  The PostgreSQL engine will
 * keep its version in a table and reuse migrate_list().  Connection
 * setup (WAL, synchronous, foreign keys for normal use) belongs to the
 * engine, not here.
 */
#include <stdio.h>
#include <string.h>

#include <sqlite3.h>

#include "base.h"
#include "store_int.h"

/* More than enough; a build with more fails migrate_list loudly. */
#define MIGRATIONS_MAX	256

/*
 * Parses "NNN-name.sql" (the part after the directory): three digits, a
 * dash, a name, ".sql".  Returns the number, or -1 when it is not one.
 */
static int
migration_number(const char *base)
{
	size_t	 len;
	int	 i, v;

	len = strlen(base);
	if (len < 3 + 1 + 1 + 4 || base[3] != '-' ||
	    strcmp(base + len - 4, ".sql") != 0)
		return -1;
	for (v = 0, i = 0; i < 3; i++) {
		if (base[i] < '0' || base[i] > '9')
			return -1;
		v = v * 10 + (base[i] - '0');
	}
	return v;
}

int
migrate_list(const char *dir, struct migration *v, size_t cap, size_t *n,
    char *err, size_t errlen)
{
	const struct embedded_file	*f;
	size_t				 i, dirlen, k = 0;
	int				 num;

	*n = 0;
	dirlen = strlen(dir);
	/* The generator sorts by name, so NNN- prefixes come in order. */
	for (i = 0; i < embedded_nfiles; i++) {
		f = &embedded_files[i];
		if (strncmp(f->name, dir, dirlen) != 0 ||
		    strchr(f->name + dirlen, '/') != NULL)
			continue;
		if ((num = migration_number(f->name + dirlen)) < 0) {
			snprintf(err, errlen, "%s: migration file names "
			    "must be NNN-name.sql", f->name);
			return -1;
		}
		if (num != (int)k + 1) {
			snprintf(err, errlen, "%s: expected migration %zu "
			    "next", f->name, k + 1);
			return -1;
		}
		if (k == cap) {
			snprintf(err, errlen, "%s: more than %zu migrations",
			    dir, cap);
			return -1;
		}
		v[k].version = num;
		v[k].name = f->name;
		v[k].sql = (const char *)f->data;
		k++;
	}
	if (k == 0) {
		snprintf(err, errlen, "%s: no migrations built in", dir);
		return -1;
	}
	*n = k;
	return 0;
}

/*
 * Runs a query returning one integer (a pragma, a count).  Returns the
 * SQLite result code; *out is 0 unless SQLITE_OK.
 */
static int
query_int(sqlite3 *db, const char *sql, int64_t *out)
{
	sqlite3_stmt	*st = NULL;
	int		 rc;

	*out = 0;
	if ((rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL)) != SQLITE_OK)
		return rc;
	if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		*out = sqlite3_column_int64(st, 0);
		rc = SQLITE_OK;
	} else if (rc == SQLITE_DONE)
		rc = SQLITE_OK;
	sqlite3_finalize(st);
	return rc;
}

/* Maps a SQLite result code to ours. */
static enum store_err
rc_err(int rc)
{
	switch (rc & 0xff) {
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		return STORE_BUSY;
	default:
		return STORE_ERR;
	}
}

/* Ends a failed migration; the message is already in err. */
static void
rollback(sqlite3 *db)
{
	if (!sqlite3_get_autocommit(db) &&
	    sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL) != SQLITE_OK)
		log_warnx("migration rollback: %s", sqlite3_errmsg(db));
}

/*
 * Applies one migration inside the transaction the caller began.  A
 * failure's message is db's, or in why when that is not "".
 */
static int
apply_one(sqlite3 *db, const struct migration *m, int64_t appid, char *why,
    size_t whylen)
{
	char	 sql[64];
	int64_t	 bad;
	int	 rc;

	why[0] = '\0';
	if ((rc = sqlite3_exec(db, m->sql, NULL, NULL, NULL)) != SQLITE_OK)
		return rc;
	/* What SQL cannot do (version 2: fill the search index). */
	if ((rc = store_sqlite_migrate_step(db, m->version, why, whylen)) !=
	    SQLITE_OK)
		return rc;
	/*
	 * Pragmas take no bound parameters; the number is the migration's
	 * own, from a compiled-in file name, never from input.
	 */
	snprintf(sql, sizeof(sql), "PRAGMA user_version = %d", m->version);
	if ((rc = sqlite3_exec(db, sql, NULL, NULL, NULL)) != SQLITE_OK)
		return rc;
	if (appid == 0) {
		snprintf(sql, sizeof(sql), "PRAGMA application_id = %d",
		    STORE_SQLITE_APP_ID);
		if ((rc = sqlite3_exec(db, sql, NULL, NULL, NULL)) !=
		    SQLITE_OK)
			return rc;
	}
	/*
	 * Foreign keys are off while migrating (a table rebuild needs
	 * that), so check by hand that the result is consistent.
	 */
	if ((rc = query_int(db, "SELECT count(*) FROM pragma_foreign_key_check",
	    &bad)) != SQLITE_OK)
		return rc;
	if (bad != 0)
		return SQLITE_CONSTRAINT_FOREIGNKEY;
	return SQLITE_OK;
}

enum store_err
migrate_sqlite_apply(sqlite3 *db, const struct migration *v, size_t n,
    char *err, size_t errlen)
{
	char	 why[256];
	size_t	 i;
	int64_t	 cur, appid;
	int	 rc;

	/* A no-op inside a transaction, so it goes first. */
	if ((rc = sqlite3_exec(db, "PRAGMA foreign_keys = OFF", NULL, NULL,
	    NULL)) != SQLITE_OK) {
		snprintf(err, errlen, "%s", sqlite3_errmsg(db));
		return rc_err(rc);
	}
	/* Migrations call gazette_label_key() and create FTS5 tables. */
	if ((rc = store_fts5_register(db)) != SQLITE_OK) {
		snprintf(err, errlen, "search tokenizer: %s",
		    sqlite3_errstr(rc));
		return rc_err(rc);
	}
	for (i = 0; i < n; i++) {
		/*
		 * IMMEDIATE, and the version read again inside: another
		 * process may have applied this one since we looked.
		 */
		rc = sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
		if (rc != SQLITE_OK) {
			snprintf(err, errlen, "%s: %s", v[i].name,
			    sqlite3_errmsg(db));
			return rc_err(rc);
		}
		if ((rc = query_int(db, "PRAGMA user_version", &cur)) !=
		    SQLITE_OK ||
		    (rc = query_int(db, "PRAGMA application_id", &appid)) !=
		    SQLITE_OK) {
			snprintf(err, errlen, "%s: %s", v[i].name,
			    sqlite3_errmsg(db));
			rollback(db);
			return rc_err(rc);
		}
		if (cur >= v[i].version) {
			rollback(db);
			continue;
		}
		if (cur != v[i].version - 1) {
			snprintf(err, errlen, "%s: database is at version "
			    "%lld, expected %d", v[i].name, (long long)cur,
			    v[i].version - 1);
			rollback(db);
			return STORE_ERR;
		}
		if ((rc = apply_one(db, &v[i], appid, why, sizeof(why))) !=
		    SQLITE_OK) {
			if (rc == SQLITE_CONSTRAINT_FOREIGNKEY)
				snprintf(err, errlen, "%s: leaves rows whose "
				    "foreign keys point nowhere", v[i].name);
			else
				snprintf(err, errlen, "%s: %s", v[i].name,
				    why[0] != '\0' ? why : sqlite3_errmsg(db));
			rollback(db);
			return rc_err(rc);
		}
		if ((rc = sqlite3_exec(db, "COMMIT", NULL, NULL, NULL)) !=
		    SQLITE_OK) {
			snprintf(err, errlen, "%s: %s", v[i].name,
			    sqlite3_errmsg(db));
			rollback(db);
			return rc_err(rc);
		}
	}
	return STORE_OK;
}

enum store_err
migrate_sqlite(sqlite3 *db, const char *path, int create, char *err,
    size_t errlen)
{
	struct migration	 v[MIGRATIONS_MAX];
	char			 why[256];
	size_t			 n;
	int64_t			 appid, version, nobj;
	int			 rc;
	enum store_err		 e;

	if (migrate_list("schema/sqlite/", v, nitems(v), &n, why,
	    sizeof(why)) == -1) {
		snprintf(err, errlen, "%s: %s", path, why);
		return STORE_ERR;
	}

	/*
	 * The first read of the file is where SQLite notices it is not a
	 * database at all, so it happens before anything could write.
	 */
	if ((rc = query_int(db, "PRAGMA application_id", &appid)) !=
	    SQLITE_OK ||
	    (rc = query_int(db, "PRAGMA user_version", &version)) !=
	    SQLITE_OK ||
	    (rc = query_int(db, "SELECT count(*) FROM sqlite_schema",
	    &nobj)) != SQLITE_OK) {
		if ((rc & 0xff) == SQLITE_NOTADB)
			snprintf(err, errlen, "%s: not a gazette database "
			    "(not an SQLite file)", path);
		else
			snprintf(err, errlen, "%s: %s", path,
			    sqlite3_errmsg(db));
		return rc_err(rc);
	}
	if (appid != STORE_SQLITE_APP_ID) {
		if (appid != 0 || version != 0 || nobj != 0) {
			snprintf(err, errlen, "%s: not a gazette database "
			    "(an SQLite file of another program)", path);
			return STORE_ERR;
		}
		if (!create) {
			snprintf(err, errlen, "%s: not a gazette database "
			    "(empty)", path);
			return STORE_ERR;
		}
	}
	if (version > (int64_t)n) {
		snprintf(err, errlen, "%s: schema version %lld is newer than "
		    "this gazette %s knows (%zu); use a newer gazette", path,
		    (long long)version, GAZETTE_VERSION, n);
		return STORE_ERR;
	}

	if ((e = migrate_sqlite_apply(db, v, n, why, sizeof(why))) !=
	    STORE_OK) {
		snprintf(err, errlen, "%s: %s", path, why);
		return e;
	}

	/* A newer gazette may have migrated it while we were looking. */
	if ((rc = query_int(db, "PRAGMA user_version", &version)) !=
	    SQLITE_OK) {
		snprintf(err, errlen, "%s: %s", path, sqlite3_errmsg(db));
		return rc_err(rc);
	}
	if (version > (int64_t)n) {
		snprintf(err, errlen, "%s: schema version %lld is newer than "
		    "this gazette %s knows (%zu); use a newer gazette", path,
		    (long long)version, GAZETTE_VERSION, n);
		return STORE_ERR;
	}
	return STORE_OK;
}

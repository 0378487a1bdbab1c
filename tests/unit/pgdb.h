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
 * For unit tests that run store cases on PostgreSQL too: a database of
 * their own per test, created on the server GAZETTE_TEST_PG names (the
 * maintenance database of the one tests/pg starts) and dropped after.
 * Without that server the setup fails: CI installs PostgreSQL, so a
 * missing one is a fault, not a reason to skip.  Functions only, static
 * inline: the including test keeps the count of databases it made.
 */
#ifndef GAZETTE_TESTS_PGDB_H
#define GAZETTE_TESTS_PGDB_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libpq-fe.h>

/* Runs fixed SQL on a fresh connection to url; 0 or -1 (printed). */
static inline int
pgdb_exec(const char *url, const char *sql)
{
	PGconn		*db;
	PGresult	*r;
	int		 rc = 0;

	db = PQconnectdb(url);
	if (PQstatus(db) != CONNECTION_OK) {
		fprintf(stderr, "%s: %s", url, PQerrorMessage(db));
		PQfinish(db);
		return -1;
	}
	r = PQexec(db, sql);
	if (PQresultStatus(r) != PGRES_TUPLES_OK &&
	    PQresultStatus(r) != PGRES_COMMAND_OK) {
		fprintf(stderr, "%s: %s", sql, PQerrorMessage(db));
		rc = -1;
	}
	PQclear(r);
	PQfinish(db);
	return rc;
}

/*
 * Creates database number n of this process, its name into
 * name[namelen] and its URL (GAZETTE_TEST_PG with the database name
 * replaced) into url[urllen].
 */
static inline int
pgdb_create(char *url, size_t urllen, char *name, size_t namelen, int n)
{
	const char	*base, *q, *slash;
	char		 sql[128];

	if ((base = getenv("GAZETTE_TEST_PG")) == NULL || *base == '\0') {
		fprintf(stderr, "GAZETTE_TEST_PG is not set: run the tests "
		    "through tests/run, whose tests/pg starts a throwaway "
		    "PostgreSQL\n");
		return -1;
	}
	snprintf(name, namelen, "gazette_test_%ld_%d", (long)getpid(), n);
	if ((q = strchr(base, '?')) == NULL)
		q = base + strlen(base);
	for (slash = q; slash > base && slash[-1] != '/'; slash--)
		continue;
	if (slash == base || snprintf(url, urllen, "%.*s%s%s",
	    (int)(slash - base), base, name, q) >= (int)urllen)
		return -1;
	snprintf(sql, sizeof(sql), "CREATE DATABASE %s", name);
	return pgdb_exec(base, sql);
}

static inline void
pgdb_drop(const char *name)
{
	char	 sql[128];

	snprintf(sql, sizeof(sql), "DROP DATABASE %s WITH (FORCE)", name);
	pgdb_exec(getenv("GAZETTE_TEST_PG"), sql);
}

#endif /* GAZETTE_TESTS_PGDB_H */

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
 * How every node of a PostgreSQL site learns of every write at once.
 * Each write records its change tags (store.h) in the changes table, in
 * its own transaction, and before it commits sends NOTIFY
 * gazette_changes with its newest sequence number; NOTIFY is delivered
 * at commit and only then.  Every process LISTENs on a connection of
 * its own, in a small thread started by the first store_data_version():
 * a notification bumps the number store_data_version() returns, so a
 * cache that polls it sees a write of another node within a round trip
 * and asks store_changes_since() what it touched.
 *
 * Sequence numbers are taken under a transaction-scoped advisory lock,
 * held until commit, so that they are in commit order across nodes: a
 * reader that has seen N never later finds a smaller number appear.
 * The log keeps the newest CHANGES_KEEP rows; a reader further behind
 * gets "all".
 */
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <libpq-fe.h>

#include "base.h"
#include "store_pg_int.h"

#define CHANGES_KEEP	10000	/* rows of the log kept */
#define CHANGES_PRUNE	256	/* prune when seq crosses a multiple */
#define LISTEN_POLL_MS	200	/* how soon the thread sees a stop */
#define LISTEN_RETRY_MS	250	/* between reconnection attempts */

enum store_err
pg_tag(struct pg_engine *pe, const char *tag)
{
	struct pg_conn		*c;
	struct pg_params	 p;
	size_t			 i;
	enum store_err		 e;

	if ((c = pg_conn_write(pe)) == NULL)
		return STORE_ERR;
	for (i = 0; i < pe->ntags; i++)
		if (strcmp(pe->tags[i], tag) == 0)
			return STORE_OK;
	if (pe->ntags == 0 && (e = pg_do(pe, c, PS_CHANGES_LOCK, NULL,
	    "change log")) != STORE_OK)
		return e;
	pg_params_init(&p);
	pg_param_str(&p, tag);
	if ((e = pg_int(pe, c, PS_CHANGE_ADD, &p, "change log",
	    &pe->lastseq)) != STORE_OK)
		return e;
	if (pe->ntags == pe->tagcap) {
		pe->tagcap = pe->tagcap == 0 ? 8 : pe->tagcap * 2;
		pe->tags = xreallocarray(pe->tags, pe->tagcap,
		    sizeof(*pe->tags));
	}
	pe->tags[pe->ntags++] = xstrdup(tag);
	return STORE_OK;
}

enum store_err
pg_tagf(struct pg_engine *pe, const char *fmt, ...)
{
	va_list		 ap;
	char		 tag[512];

	va_start(ap, fmt);
	vsnprintf(tag, sizeof(tag), fmt, ap);
	va_end(ap);
	return pg_tag(pe, tag);
}

enum store_err
pg_changes_commit(struct pg_engine *pe)
{
	struct pg_params	 p;
	enum store_err		 e;

	if (pe->ntags == 0)
		return STORE_OK;
	pg_params_init(&p);
	pg_param_i64(&p, pe->lastseq);
	if ((e = pg_do(pe, &pe->w, PS_NOTIFY, &p, "notify")) != STORE_OK)
		return e;
	/* Now and then, not on every write: a prune is a range delete. */
	if (pe->lastseq > CHANGES_KEEP &&
	    pe->lastseq / CHANGES_PRUNE != (pe->lastseq - (int64_t)pe->ntags) /
	    CHANGES_PRUNE) {
		pg_params_init(&p);
		pg_param_i64(&p, pe->lastseq - CHANGES_KEEP);
		return pg_do(pe, &pe->w, PS_CHANGES_PRUNE, &p, "change log");
	}
	return STORE_OK;
}

void
pg_changes_reset(struct pg_engine *pe)
{
	size_t	 i;

	for (i = 0; i < pe->ntags; i++)
		free(pe->tags[i]);
	pe->ntags = 0;
	pe->lastseq = 0;
}

enum store_err
store_pg_changes_since(struct store *s, struct arena *a, int64_t after,
    struct store_change **v, size_t *np, int64_t *last)
{
	struct pg_engine	*pe = s->engine;
	struct pg_conn		*c;
	struct pg_params	 p;
	PGresult		*r;
	struct store_change	*cv = NULL;
	int64_t			 pruned = 0, newest = 0;
	size_t			 n = 0, cap = 0;
	enum store_err		 e = STORE_OK;
	int			 i;

	if ((c = pg_conn_read(pe)) == NULL)
		return STORE_ERR;
	pg_params_init(&p);
	pg_param_i64(&p, after);
	pg_param_str(&p, after >= 0 ? "1" : "0");
	if ((r = pg_run(pe, c, PS_CHANGES_SINCE, &p, "changes", &e)) == NULL)
		return e;
	for (i = 0; i < PQntuples(r); i++) {
		switch (pg_get_i64(r, i, 0)) {
		case 0:
			pruned = pg_get_i64(r, i, 1);
			break;
		case 1:
			newest = pg_get_i64(r, i, 1);
			break;
		default:
			cv = arena_grow(a, cv, n, &cap, sizeof(*cv));
			cv[n].seq = pg_get_i64(r, i, 1);
			cv[n].tag = pg_get_str(r, i, 2, a);
			n++;
			break;
		}
	}
	PQclear(r);
	if (newest < pruned)
		newest = pruned;
	if (after >= 0 && after < pruned) {
		/* Older than the log: anything may have changed. */
		cv = arena_alloc(a, sizeof(*cv));
		cv->seq = newest;
		cv->tag = arena_strdup(a, "all");
		n = 1;
	}
	if (after >= 0 && n == 0)
		newest = newest > after ? newest : after;
	*v = n == 0 ? NULL : cv;
	*np = n;
	*last = newest;
	return STORE_OK;
}

/* Sleeps ms milliseconds, or less when asked to stop. */
static void
nap(struct pg_engine *pe, int ms)
{
	struct timespec	 ts;

	for (; ms > 0 && !atomic_load(&pe->lstop); ms -= 50) {
		ts.tv_sec = 0;
		ts.tv_nsec = 50 * 1000000L;
		nanosleep(&ts, NULL);
	}
}

/*
 * The listener: a connection of its own that LISTENs, and bumps the
 * epoch for every notification.  Whenever it (re)connects it bumps it
 * too, since notifications sent while it was away are lost.
 */
static void *
listener(void *arg)
{
	struct pg_engine	*pe = arg;
	struct pollfd		 pfd;
	PGconn			*db = NULL;
	PGnotify		*nf;
	PGresult		*r;
	char			 err[256];
	int			 ok;

	while (!atomic_load(&pe->lstop)) {
		if (db == NULL) {
			if ((db = pg_connect(pe->url, err, sizeof(err))) ==
			    NULL) {
				nap(pe, LISTEN_RETRY_MS);
				continue;
			}
			r = PQexec(db, "LISTEN gazette_changes");
			ok = PQresultStatus(r) == PGRES_COMMAND_OK;
			PQclear(r);
			if (!ok) {
				PQfinish(db);
				db = NULL;
				nap(pe, LISTEN_RETRY_MS);
				continue;
			}
			atomic_fetch_add(&pe->epoch, 1);
		}
		pfd.fd = PQsocket(db);
		pfd.events = POLLIN;
		pfd.revents = 0;
		if (pfd.fd < 0 || (poll(&pfd, 1, LISTEN_POLL_MS) == -1 &&
		    errno != EINTR)) {
			PQfinish(db);
			db = NULL;
			continue;
		}
		if (pfd.revents == 0)
			continue;
		if (!PQconsumeInput(db) || PQstatus(db) != CONNECTION_OK) {
			PQfinish(db);
			db = NULL;
			atomic_fetch_add(&pe->epoch, 1);
			continue;
		}
		while ((nf = PQnotifies(db)) != NULL) {
			atomic_fetch_add(&pe->epoch, 1);
			PQfreemem(nf);
		}
	}
	PQfinish(db);
	return NULL;
}

void
pg_listener_stop(struct pg_engine *pe)
{
	if (!pe->lstarted)
		return;
	atomic_store(&pe->lstop, 1);
	pthread_join(pe->lthread, NULL);
	pe->lstarted = 0;
}

enum store_err
store_pg_data_version(struct store *s, int64_t *out)
{
	struct pg_engine	*pe = s->engine;
	int			 rc;

	if (!pe->lstarted) {
		pthread_mutex_lock(&pe->llock);
		if (!pe->lstarted) {
			if ((rc = pthread_create(&pe->lthread, NULL, listener,
			    pe)) != 0) {
				pthread_mutex_unlock(&pe->llock);
				store_errmsg_set("listener thread: %s",
				    strerror(rc));
				return STORE_ERR;
			}
			pe->lstarted = 1;
		}
		pthread_mutex_unlock(&pe->llock);
	}
	*out = atomic_load(&pe->epoch);
	return STORE_OK;
}

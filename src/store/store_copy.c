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
 * store_copy: a whole site from one store to another, either engine to
 * either (gazette migrate).  Both schemas have the same tables and
 * columns, so rows go across as they are, ids included (public: #cID,
 * /feeds/POSTID/...), as text through one raw connection to each side;
 * the columns are named below, never taken from the data, and values
 * are bound.  Both stores are opened through store_open first, so the
 * source is checked and brought up to date and the target is created
 * with the engine's own schema; the target's search index is then
 * rebuilt by the engine (store_reindex), since an index is the
 * engine's own business, and its counts are compared with the source's
 * table by table.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>
#include <sqlite3.h>

#include "base.h"
#include "store_int.h"

/* The tables, in an order that satisfies the foreign keys. */
static const struct {
	const char	*name;
	const char	*cols;
	const char	*order;
	int		 ncols;
} tables[] = {
	{ "posts", "id, path, slug, title, source, html, lang, status, "
	    "is_page, published, updated, comments_closed, comments_days",
	    "id", 13 },
	{ "labels", "id, name, key", "id", 3 },
	{ "post_labels", "post_id, label_id, position", "post_id, label_id",
	    3 },
	/* By id: a reply always comes after the comment it answers. */
	{ "comments", "id, post_id, parent_id, name, email, url, body, "
	    "status, created, addr_hash, spam_score, spam_reasons, "
	    "body_hash, name_key", "id", 14 },
	{ "moderation_log", "id, comment_id, action, actor, at, detail",
	    "id", 6 },
	{ "spam_terms", "term, ham, spam", "term", 3 },
	{ "spam_totals", "id, nham, nspam", "id", 3 },
	{ "redirects", "path, target", "path", 2 },
	/*
	 * The admin's: accounts with their password hashes and TOTP
	 * secrets, API tokens (hashes), who wrote what, the daily counts.
	 * Sessions are left out: they are sign-ins of the moment, not the
	 * site, and die within days anyway; after a move everyone signs
	 * in once more, which also ends any session a stolen cookie held.
	 */
	{ "users", "id, name, role, pwhash, totp_secret, created", "id", 6 },
	{ "api_tokens", "id, user_id, name, token_hash, created, last_used",
	    "id", 6 },
	{ "post_authors", "post_id, user_id", "post_id", 2 },
	{ "stats_daily", "day, kind, key, n", "day, kind, key", 4 },
};
_Static_assert(nitems(tables) == STORE_COPY_TABLES,
    "STORE_COPY_TABLES counts the tables copied");

/* Identity columns whose sequence must move past the copied ids. */
static const char *const pg_ids[] = {
	"posts", "labels", "comments", "moderation_log", "users",
	"api_tokens",
};

/* One raw connection: SQLite or PostgreSQL. */
struct raw {
	sqlite3		*sq;
	PGconn		*pg;
	char		 msg[256];
};

/* A row being copied: its values as text, NULL for SQL NULL. */
struct row {
	const char	*v[16];
	int		 len[16];
};

static int
raw_open(struct raw *r, const char *url)
{
	memset(r, 0, sizeof(*r));
	if (str_has_prefix(url, "sqlite:")) {
		if (sqlite3_open_v2(url + 7, &r->sq, SQLITE_OPEN_READWRITE,
		    NULL) != SQLITE_OK) {
			snprintf(r->msg, sizeof(r->msg), "%s", r->sq == NULL ?
			    "out of memory" : sqlite3_errmsg(r->sq));
			return -1;
		}
		sqlite3_busy_timeout(r->sq, 5000);
		return 0;
	}
	r->pg = PQconnectdb(url);
	if (PQstatus(r->pg) != CONNECTION_OK) {
		snprintf(r->msg, sizeof(r->msg), "%s", PQerrorMessage(r->pg));
		return -1;
	}
	return 0;
}

static void
raw_close(struct raw *r)
{
	if (r->sq != NULL)
		sqlite3_close(r->sq);
	PQfinish(r->pg);
	memset(r, 0, sizeof(*r));
}

/* Runs fixed SQL that returns nothing wanted. */
static int
raw_exec(struct raw *r, const char *sql)
{
	PGresult	*res;
	char		*m = NULL;
	int		 rc = 0;

	if (r->sq != NULL) {
		if (sqlite3_exec(r->sq, sql, NULL, NULL, &m) != SQLITE_OK) {
			snprintf(r->msg, sizeof(r->msg), "%s", m == NULL ? "?" :
			    m);
			rc = -1;
		}
		sqlite3_free(m);
		return rc;
	}
	res = PQexec(r->pg, sql);
	if (PQresultStatus(res) != PGRES_COMMAND_OK &&
	    PQresultStatus(res) != PGRES_TUPLES_OK) {
		snprintf(r->msg, sizeof(r->msg), "%s", PQerrorMessage(r->pg));
		rc = -1;
	}
	PQclear(res);
	return rc;
}

/* One integer that fixed SQL returns; -1 with a message. */
static int64_t
raw_int(struct raw *r, const char *sql)
{
	sqlite3_stmt	*st;
	PGresult	*res;
	int64_t		 v = -1;

	if (r->sq != NULL) {
		if (sqlite3_prepare_v2(r->sq, sql, -1, &st, NULL) !=
		    SQLITE_OK) {
			snprintf(r->msg, sizeof(r->msg), "%s",
			    sqlite3_errmsg(r->sq));
			return -1;
		}
		if (sqlite3_step(st) == SQLITE_ROW)
			v = sqlite3_column_int64(st, 0);
		else
			snprintf(r->msg, sizeof(r->msg), "%s",
			    sqlite3_errmsg(r->sq));
		sqlite3_finalize(st);
		return v;
	}
	res = PQexec(r->pg, sql);
	if (PQresultStatus(res) == PGRES_TUPLES_OK && PQntuples(res) == 1)
		v = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
	else
		snprintf(r->msg, sizeof(r->msg), "%s", PQerrorMessage(r->pg));
	PQclear(res);
	return v;
}

/* Copies table t from src to dst; 0, or -1 with a message in err. */
static int
copy_table(struct raw *src, struct raw *dst, size_t t, char *err,
    size_t errlen)
{
	sqlite3_stmt	*sst = NULL, *ins = NULL;
	PGresult	*res = NULL, *pres;
	struct row	 row;
	struct buf	 sel = BUF_INIT, insb = BUF_INIT;
	int		 i, k, n, nrows, rc = -1, ncols = tables[t].ncols;

	buf_addf(&sel, "SELECT %s FROM %s ORDER BY %s", tables[t].cols,
	    tables[t].name, tables[t].order);
	buf_addf(&insb, "INSERT INTO %s (%s) VALUES (", tables[t].name,
	    tables[t].cols);
	for (i = 0; i < ncols; i++)
		buf_addf(&insb, "%s$%d", i > 0 ? ", " : "", i + 1);
	buf_addc(&insb, ')');
	buf_addc(&sel, '\0');
	buf_addc(&insb, '\0');

	if (dst->sq != NULL) {
		/* SQLite reads "$1" as a named parameter, number 1. */
		if (sqlite3_prepare_v2(dst->sq, insb.p, -1, &ins, NULL) !=
		    SQLITE_OK) {
			snprintf(err, errlen, "%s: %s", tables[t].name,
			    sqlite3_errmsg(dst->sq));
			goto out;
		}
	} else {
		pres = PQprepare(dst->pg, "copy_insert", insb.p, 0, NULL);
		k = PQresultStatus(pres) == PGRES_COMMAND_OK;
		PQclear(pres);
		if (!k) {
			snprintf(err, errlen, "%s: %s", tables[t].name,
			    PQerrorMessage(dst->pg));
			goto out;
		}
	}
	if (src->sq != NULL) {
		if (sqlite3_prepare_v2(src->sq, sel.p, -1, &sst, NULL) !=
		    SQLITE_OK) {
			snprintf(err, errlen, "%s: %s", tables[t].name,
			    sqlite3_errmsg(src->sq));
			goto out;
		}
		nrows = -1;
	} else {
		res = PQexec(src->pg, sel.p);
		if (PQresultStatus(res) != PGRES_TUPLES_OK) {
			snprintf(err, errlen, "%s: %s", tables[t].name,
			    PQerrorMessage(src->pg));
			goto out;
		}
		nrows = PQntuples(res);
	}

	for (n = 0;; n++) {
		if (sst != NULL) {
			if ((k = sqlite3_step(sst)) == SQLITE_DONE)
				break;
			if (k != SQLITE_ROW) {
				snprintf(err, errlen, "%s: %s", tables[t].name,
				    sqlite3_errmsg(src->sq));
				goto out;
			}
			for (i = 0; i < ncols; i++) {
				row.v[i] = (const char *)sqlite3_column_text(
				    sst, i);
				row.len[i] = sqlite3_column_bytes(sst, i);
			}
		} else {
			if (n == nrows)
				break;
			for (i = 0; i < ncols; i++) {
				row.v[i] = PQgetisnull(res, n, i) ? NULL :
				    PQgetvalue(res, n, i);
				row.len[i] = PQgetlength(res, n, i);
			}
		}
		if (ins != NULL) {
			sqlite3_reset(ins);
			for (i = 0; i < ncols; i++)
				if (row.v[i] == NULL)
					sqlite3_bind_null(ins, i + 1);
				else
					sqlite3_bind_text(ins, i + 1, row.v[i],
					    row.len[i], SQLITE_TRANSIENT);
			if (sqlite3_step(ins) != SQLITE_DONE) {
				snprintf(err, errlen, "%s: row %d: %s",
				    tables[t].name, n + 1,
				    sqlite3_errmsg(dst->sq));
				goto out;
			}
		} else {
			pres = PQexecPrepared(dst->pg, "copy_insert", ncols,
			    row.v, row.len, NULL, 0);
			k = PQresultStatus(pres) == PGRES_COMMAND_OK;
			PQclear(pres);
			if (!k) {
				snprintf(err, errlen, "%s: row %d: %s",
				    tables[t].name, n + 1,
				    PQerrorMessage(dst->pg));
				goto out;
			}
		}
	}
	rc = 0;
out:
	if (dst->pg != NULL)
		PQclear(PQexec(dst->pg, "DEALLOCATE copy_insert"));
	sqlite3_finalize(sst);
	sqlite3_finalize(ins);
	PQclear(res);
	buf_clear(&sel);
	buf_clear(&insb);
	return rc;
}

/* Opens url as a store (creating it when create) and closes it again. */
static enum store_err
touch(const char *url, int create, char *err, size_t errlen)
{
	struct store	*s;
	enum store_err	 e;

	if ((e = store_open(url, create, &s, err, errlen)) == STORE_OK)
		store_close(s);
	return e;
}

/* Rebuilds the search index of the store at url. */
static enum store_err
reindex(const char *url, char *err, size_t errlen)
{
	struct store	*s;
	enum store_err	 e;

	if ((e = store_open(url, 0, &s, err, errlen)) != STORE_OK)
		return e;
	if ((e = store_write_begin(s)) == STORE_OK) {
		e = store_reindex(s, NULL, NULL);
		if (store_write_end(s, e == STORE_OK) != STORE_OK &&
		    e == STORE_OK)
			e = STORE_ERR;
	}
	if (e != STORE_OK)
		snprintf(err, errlen, "%s: search index: %s", url,
		    store_errmsg_get());
	store_close(s);
	return e;
}

enum store_err
store_copy(const char *from, const char *to, struct store_copy_count *counts,
    size_t *n, char *err, size_t errlen)
{
	struct raw	 src, dst;
	char		 sql[256];
	int64_t		 v;
	size_t		 t;
	enum store_err	 e = STORE_ERR;

	*n = 0;
	if ((e = touch(from, 0, err, errlen)) != STORE_OK ||
	    (e = touch(to, 1, err, errlen)) != STORE_OK)
		return e;
	e = STORE_ERR;
	if (raw_open(&src, from) == -1) {
		snprintf(err, errlen, "%s: %s", from, src.msg);
		raw_close(&src);
		return STORE_ERR;
	}
	if (raw_open(&dst, to) == -1) {
		snprintf(err, errlen, "%s: %s", to, dst.msg);
		raw_close(&src);
		raw_close(&dst);
		return STORE_ERR;
	}
	/* Only into an empty site: a merge would renumber ids. */
	v = raw_int(&dst, "SELECT (SELECT count(*) FROM posts) + "
	    "(SELECT count(*) FROM labels) + (SELECT count(*) FROM comments) "
	    "+ (SELECT count(*) FROM moderation_log) + "
	    "(SELECT count(*) FROM spam_terms) + "
	    "(SELECT count(*) FROM redirects) + "
	    "(SELECT count(*) FROM users) + "
	    "(SELECT count(*) FROM stats_daily) + "
	    "(SELECT coalesce(sum(nham + nspam), 0) FROM spam_totals)");
	if (v != 0) {
		if (v < 0)
			snprintf(err, errlen, "%s: %s", to, dst.msg);
		else
			snprintf(err, errlen, "%s: not empty; migrate copies "
			    "a site into an empty database only", to);
		e = v < 0 ? STORE_ERR : STORE_CONFLICT;
		goto out;
	}
	/* A transaction a side: one snapshot read, one all-or-nothing write. */
	if ((src.pg != NULL ? raw_exec(&src, "BEGIN ISOLATION LEVEL "
	    "REPEATABLE READ READ ONLY") : raw_exec(&src, "BEGIN")) == -1) {
		snprintf(err, errlen, "%s: %s", from, src.msg);
		goto out;
	}
	if (raw_exec(&dst, "BEGIN") == -1 ||
	    raw_exec(&dst, "DELETE FROM spam_totals") == -1) {
		snprintf(err, errlen, "%s: %s", to, dst.msg);
		goto out;
	}
	for (t = 0; t < nitems(tables); t++)
		if (copy_table(&src, &dst, t, err, errlen) == -1)
			goto out;
	for (t = 0; dst.pg != NULL && t < nitems(pg_ids); t++) {
		snprintf(sql, sizeof(sql), "SELECT setval(pg_get_serial_"
		    "sequence('%s', 'id'), coalesce(max(id), 0) + 1, false) "
		    "FROM %s", pg_ids[t], pg_ids[t]);
		if (raw_exec(&dst, sql) == -1) {
			snprintf(err, errlen, "%s: %s", to, dst.msg);
			goto out;
		}
	}
	if (raw_exec(&dst, "COMMIT") == -1) {
		snprintf(err, errlen, "%s: %s", to, dst.msg);
		goto out;
	}
	raw_exec(&src, "COMMIT");
	if ((e = reindex(to, err, errlen)) != STORE_OK)
		goto out;

	/* The check: every table has as many rows on both sides. */
	e = STORE_OK;
	for (t = 0; t < nitems(tables); t++) {
		snprintf(sql, sizeof(sql), "SELECT count(*) FROM %s",
		    tables[t].name);
		counts[t].table = tables[t].name;
		counts[t].from = raw_int(&src, sql);
		counts[t].to = raw_int(&dst, sql);
		if (counts[t].from != counts[t].to || counts[t].from < 0) {
			snprintf(err, errlen, "%s: %lld rows in the source, "
			    "%lld in the copy", tables[t].name,
			    (long long)counts[t].from,
			    (long long)counts[t].to);
			e = STORE_ERR;
		}
	}
	*n = nitems(tables);
out:
	raw_close(&src);
	raw_close(&dst);
	return e;
}

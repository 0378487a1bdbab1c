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
 * The PostgreSQL engine, for several nodes on one database.  Like the
 * SQLite engine: one writer connection, used by whichever thread holds
 * the writer mutex, and one connection per reading thread, opened on
 * first use.  A connection that broke is opened again on its next use,
 * and a read that finds its connection gone is tried once more on a
 * fresh one, so the store recovers by itself when the server returns;
 * while it is away calls fail with STORE_BUSY ("database unavailable"),
 * which the site answers with 503.  Every statement comes from the
 * fixed table below and is prepared once per connection; values only
 * ever reach the server as bound parameters.  Commits wait for the WAL
 * flush (synchronous_commit on, set on every connection).
 *
 * Here: connections, statements, posts, comments, labels, moderation,
 * the spam filter and redirects.  The search index is in
 * store_pg_search.c, the change log and its LISTEN thread in
 * store_pg_notify.c, the schema in schema/postgres/.
 */
#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>

#include "base.h"
#include "text/text.h"
#include "store_pg_int.h"

/*
 * Session advisory lock held while checking and applying migrations, so
 * that nodes starting at once migrate one after the other.
 */
#define MIGRATE_LOCK	"4747000"

/* Columns read by pg_post_row(), in this order; PG_POST_NCOLS of them. */
#define POST_COLS							\
	"p.id, p.path, p.slug, p.title, p.source, p.html, p.lang, "	\
	"p.status, p.is_page, p.published, p.updated, "			\
	"(SELECT count(*) FROM comments c WHERE c.post_id = p.id "	\
	"AND c.status = 'approved'), p.comments_closed, p.comments_days, "\
	"(SELECT string_agg(l.name, E'\\x1f' ORDER BY pl.position) "	\
	"FROM post_labels pl JOIN labels l ON l.id = pl.label_id "	\
	"WHERE pl.post_id = p.id)"

/* Columns of a user, read by store_pg_admin.c's user_row(). */
#define USER_COLS "u.id, u.name, u.role, u.pwhash, u.totp_secret, u.created"

#define COMMENT_COLS							\
	"c.id, c.post_id, coalesce(c.parent_id, 0), c.name, c.email, "	\
	"c.url, c.body, c.status, c.created, c.addr_hash, "		\
	"c.spam_score, c.spam_reasons, p.title, p.path "		\
	"FROM comments c JOIN posts p ON p.id = c.post_id"

/*
 * Listings: $1 now, $2 from, $3 to, $4 all statuses, $5 pages too, $6
 * label key or NULL, then $7 limit (NULL: none) and $8 offset.  One
 * text for every combination: custom plans see the constants and drop
 * the branches that do not apply.
 */
#define LIST_WHERE							\
	"FROM posts p WHERE ($4::boolean OR (p.status = 'published' "	\
	"AND p.published <= $1)) AND ($5::boolean OR p.is_page = 0) "	\
	"AND p.published >= $2 AND p.published < $3 AND "		\
	"($6::text IS NULL OR EXISTS (SELECT 1 FROM post_labels pl "	\
	"JOIN labels l ON l.id = pl.label_id WHERE pl.post_id = p.id "	\
	"AND l.key = $6))"

/* Search: $1 the tsquery, $2 now, $3 a label id or 0. */
#define SEARCH_FROM							\
	"FROM post_search s JOIN posts p ON p.id = s.post_id "		\
	"WHERE s.doc @@ $1::tsquery AND p.status = 'published' AND "	\
	"p.is_page = 0 AND p.published <= $2 AND ($3::bigint = 0 OR "	\
	"EXISTS (SELECT 1 FROM post_labels pl WHERE pl.post_id = p.id "	\
	"AND pl.label_id = $3))"

static const char *const sqls[PS__MAX] = {
	[PS_PING] = "SELECT 1",
	[PS_POST_BY_ID] = "SELECT " POST_COLS " FROM posts p WHERE p.id = $1",
	[PS_POST_BY_PATH] =
	    "SELECT " POST_COLS " FROM posts p WHERE p.path = $1",
	[PS_POST_BY_SLUG] =
	    "SELECT " POST_COLS " FROM posts p WHERE p.slug = $1 "
	    "ORDER BY p.published DESC, p.id DESC LIMIT 1",
	[PS_LIST] = "SELECT " POST_COLS " " LIST_WHERE
	    " ORDER BY p.published DESC, p.id DESC LIMIT $7 OFFSET $8",
	[PS_COUNT] = "SELECT count(*) " LIST_WHERE,
	[PS_POST_STATE] =
	    "SELECT published, is_page, status FROM posts WHERE id = $1",
	[PS_POST_ID_BY_PATH] = "SELECT id FROM posts WHERE path = $1",
	[PS_POST_INSERT] =
	    "INSERT INTO posts (path, slug, title, source, html, lang, "
	    "status, is_page, published, updated, comments_closed, "
	    "comments_days) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, "
	    "$10, $11, $12) RETURNING id",
	[PS_POST_UPDATE] =
	    "UPDATE posts SET path = $1, slug = $2, title = $3, "
	    "source = $4, html = $5, lang = $6, status = $7, is_page = $8, "
	    "published = $9, updated = $10, comments_closed = $11, "
	    "comments_days = $12 WHERE id = $13",
	[PS_POST_DELETE] = "DELETE FROM posts WHERE id = $1",
	[PS_POST_LABEL_KEYS] =
	    "SELECT l.key FROM post_labels pl JOIN labels l "
	    "ON l.id = pl.label_id WHERE pl.post_id = $1",
	[PS_LABELS_DROP_OWN] =
	    "DELETE FROM labels WHERE id IN "
	    "(SELECT label_id FROM post_labels WHERE post_id = $1) "
	    "AND NOT EXISTS (SELECT 1 FROM post_labels o "
	    "WHERE o.label_id = labels.id AND o.post_id <> $1)",
	[PS_POST_LABELS_CLEAR] = "DELETE FROM post_labels WHERE post_id = $1",
	[PS_LABEL_ID] = "SELECT id FROM labels WHERE key = $1",
	[PS_LABEL_INSERT] =
	    "INSERT INTO labels (name, key) VALUES ($1, $2) RETURNING id",
	[PS_POST_LABEL_ADD] =
	    "INSERT INTO post_labels (post_id, label_id, position) "
	    "VALUES ($1, $2, $3) ON CONFLICT (post_id, label_id) DO NOTHING",
	[PS_LABEL_GET] =
	    "SELECT l.name FROM labels l WHERE l.key = $1 "
	    "AND EXISTS (SELECT 1 FROM post_labels pl "
	    "WHERE pl.label_id = l.id)",
	[PS_LABEL_LIST] =
	    "SELECT l.name, l.key, (SELECT count(*) FROM post_labels pl "
	    "JOIN posts p ON p.id = pl.post_id WHERE pl.label_id = l.id "
	    "AND p.status = 'published' AND p.is_page = 0 "
	    "AND p.published <= $1) "
	    "FROM labels l ORDER BY lower(l.name COLLATE \"C\"), l.id",
	[PS_LABEL_RENAME] = "UPDATE labels SET name = $2, key = $3 "
	    "WHERE id = $1",
	[PS_LABEL_POSTS] = "SELECT post_id FROM post_labels WHERE label_id = $1",
	[PS_LABEL_MERGE_POS] =
	    "UPDATE post_labels t SET position = least(t.position, "
	    "f.position) FROM post_labels f WHERE t.label_id = $2 "
	    "AND f.label_id = $1 AND f.post_id = t.post_id",
	[PS_LABEL_MERGE_DUP] =
	    "DELETE FROM post_labels WHERE label_id = $1 AND post_id IN "
	    "(SELECT post_id FROM post_labels WHERE label_id = $2)",
	[PS_LABEL_MERGE_MOVE] =
	    "UPDATE post_labels SET label_id = $2 WHERE label_id = $1",
	[PS_LABEL_DELETE] = "DELETE FROM labels WHERE id = $1",

	[PS_COMMENT_STATE] =
	    "SELECT post_id, (status = 'approved')::int, "
	    "coalesce(parent_id, 0) FROM comments WHERE id = $1",
	[PS_COMMENT_INSERT] =
	    "INSERT INTO comments (post_id, parent_id, name, email, url, "
	    "body, status, created, addr_hash, spam_score, spam_reasons, "
	    "body_hash, name_key) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, "
	    "$9, $10, $11, $12, $13) RETURNING id",
	[PS_COMMENT_FIND] =
	    "SELECT id FROM comments WHERE post_id = $1 AND created = $2 "
	    "AND name = $3 AND body = $4 ORDER BY id LIMIT 1",
	[PS_COMMENT_SET_STATUS] =
	    "UPDATE comments SET status = $2 WHERE id = $1",
	[PS_COMMENT_REPARENT] =
	    "UPDATE comments SET parent_id = $2 WHERE parent_id = $1",
	[PS_COMMENT_DELETE] = "DELETE FROM comments WHERE id = $1",
	[PS_COMMENT_GET] = "SELECT " COMMENT_COLS " WHERE c.id = $1",
	[PS_COMMENT_LIST_POST] =
	    "SELECT " COMMENT_COLS " WHERE c.post_id = $1 "
	    "AND ($2::text IS NULL OR c.status = $2) "
	    "ORDER BY c.created, c.id",
	[PS_COMMENT_QUERY] =
	    "SELECT " COMMENT_COLS " WHERE ($1::text IS NULL OR "
	    "c.status = $1) AND c.id >= $2 AND c.id <= $3 AND "
	    "($4::text IS NULL OR c.name_key = $4) AND "
	    "($5::bigint = 0 OR c.post_id = $5) "
	    "ORDER BY c.created DESC, c.id DESC LIMIT $6",
	/* The expressions match the comments_commenter index. */
	[PS_COMMENTER_KNOWN] =
	    "SELECT 1 FROM comments WHERE lower(name COLLATE \"C\") = "
	    "lower($1::text COLLATE \"C\") AND lower(email COLLATE \"C\") = "
	    "lower($2::text COLLATE \"C\") AND status = 'approved' LIMIT 1",
	[PS_SAME_BODY] =
	    "SELECT count(*) FROM comments WHERE body_hash = $1 "
	    "AND created >= $2 AND body = $3",
	[PS_MOD_ADD] =
	    "INSERT INTO moderation_log (comment_id, action, actor, at, "
	    "detail) VALUES ($1, $2, $3, $4, $5)",
	[PS_MOD_LIST] =
	    "SELECT id, comment_id, action, actor, at, detail "
	    "FROM moderation_log WHERE ($2::bigint = 0 OR comment_id = $2) "
	    "ORDER BY at DESC, id DESC LIMIT $1",
	[PS_SPAM_TOTALS] = "SELECT nham, nspam FROM spam_totals WHERE id = 1",
	[PS_SPAM_TERM] = "SELECT ham, spam FROM spam_terms WHERE term = $1",
	[PS_SPAM_TERM_ADD] =
	    "INSERT INTO spam_terms (term, ham, spam) VALUES ($1, $2, $3) "
	    "ON CONFLICT (term) DO UPDATE SET ham = spam_terms.ham + $2, "
	    "spam = spam_terms.spam + $3",
	[PS_SPAM_TERM_SUB] =
	    "UPDATE spam_terms SET ham = greatest(ham + $2, 0), "
	    "spam = greatest(spam + $3, 0) WHERE term = $1",
	[PS_SPAM_TERM_PRUNE] =
	    "DELETE FROM spam_terms WHERE term = $1 AND ham = 0 AND spam = 0",
	[PS_SPAM_TOTALS_ADD] =
	    "INSERT INTO spam_totals (id, nham, nspam) VALUES (1, "
	    "greatest($1::bigint, 0), greatest($2::bigint, 0)) "
	    "ON CONFLICT (id) DO UPDATE SET "
	    "nham = greatest(spam_totals.nham + $1, 0), "
	    "nspam = greatest(spam_totals.nspam + $2, 0)",
	[PS_REDIRECT_PUT] =
	    "INSERT INTO redirects (path, target) VALUES ($1, $2) "
	    "ON CONFLICT (path) DO UPDATE SET target = excluded.target",
	[PS_REDIRECT_GET] = "SELECT target FROM redirects WHERE path = $1",
	[PS_NEXT_DUE] =
	    "SELECT coalesce(min(published), 0) FROM posts "
	    "WHERE status = 'published' AND published > $1",

	[PS_IX_POST] =
	    "SELECT lang, title, html, source FROM posts WHERE id = $1",
	[PS_IX_LABELS] =
	    "SELECT l.name FROM post_labels pl JOIN labels l "
	    "ON l.id = pl.label_id WHERE pl.post_id = $1 ORDER BY pl.position",
	[PS_IX_COMMENTS] =
	    "SELECT body FROM comments WHERE post_id = $1 "
	    "AND status = 'approved' ORDER BY created, id",
	/* The terms and length of the row a delete or rewrite drops. */
	[PS_IX_OLD] =
	    "SELECT t, s.ntokens FROM post_search s LEFT JOIN LATERAL "
	    "unnest(tsvector_to_array(s.doc)) t ON true WHERE s.post_id = $1",
	[PS_IX_TERMS_PRUNE] =
	    "DELETE FROM search_terms WHERE ndocs <= 0 "
	    "AND term = ANY ($1::text[])",
	[PS_IX_DELETE] = "DELETE FROM post_search WHERE post_id = $1",
	[PS_IX_INSERT] =
	    "INSERT INTO post_search (post_id, lang, title, body, ntokens, "
	    "doc) VALUES ($1, $2, $3, $4, $5, $6::tsvector)",
	[PS_IX_TERMS_APPLY] =
	    "INSERT INTO search_terms (term, ndocs) SELECT x.t, x.d "
	    "FROM unnest($1::text[], $2::bigint[]) AS x(t, d) "
	    "ON CONFLICT (term) DO UPDATE "
	    "SET ndocs = search_terms.ndocs + excluded.ndocs",
	[PS_IX_CLEAR] = "DELETE FROM post_search",
	[PS_IX_TERMS_CLEAR] = "DELETE FROM search_terms",
	[PS_POST_IDS] = "SELECT id FROM posts ORDER BY id",
	[PS_IX_STATS_APPLY] =
	    "UPDATE search_stats SET nrows = nrows + $1, "
	    "ntokens = ntokens + $2 WHERE id = 1",
	[PS_IX_REBUILD_TERMS] =
	    "INSERT INTO search_terms (term, ndocs) SELECT t, count(*) "
	    "FROM post_search, unnest(tsvector_to_array(doc)) AS t "
	    "GROUP BY t",
	[PS_IX_REBUILD_STATS] =
	    "UPDATE search_stats SET nrows = (SELECT count(*) FROM "
	    "post_search), ntokens = (SELECT coalesce(sum(ntokens), 0) "
	    "FROM post_search) WHERE id = 1",
	/*
	 * The window: the newest $4 matches, each with its length and the
	 * positions and weights of the query's terms ($5, a text[]), for
	 * BM25 in C.
	 */
	[PS_SEARCH_WINDOW] =
	    "SELECT w.id, w.pub, w.ntokens, u.lexeme, "
	    "array_to_string(u.positions, ','), "
	    "array_to_string(u.weights, '') FROM (SELECT s.post_id AS id, "
	    "p.published AS pub, s.ntokens, s.doc " SEARCH_FROM
	    " ORDER BY s.post_id DESC LIMIT $4) w "
	    "LEFT JOIN LATERAL unnest(w.doc) u "
	    "ON u.lexeme = ANY ($5::text[]) ORDER BY w.id DESC",
	[PS_SEARCH_STATS] = "SELECT nrows, ntokens FROM search_stats "
	    "WHERE id = 1",
	/*
	 * How many indexed posts have each phrase: a term's count from
	 * search_terms, a longer phrase's by the index.  $1 the single
	 * terms (NULL for a phrase), $2 the phrases' tsqueries.
	 */
	[PS_SEARCH_NHIT] =
	    "SELECT coalesce((SELECT ndocs FROM search_terms t "
	    "WHERE t.term = x.t), (SELECT count(*) FROM post_search "
	    "WHERE x.q IS NOT NULL AND doc @@ x.q::tsquery)) "
	    "FROM unnest($1::text[], $2::text[]) WITH ORDINALITY "
	    "AS x(t, q, i) ORDER BY x.i",
	[PS_SEARCH_ROWS] =
	    "SELECT " POST_COLS ", s.lang, s.title, s.body FROM posts p "
	    "JOIN post_search s ON s.post_id = p.id "
	    "WHERE p.id = ANY ($1::bigint[])",
	/* Counts of indexed posts, drafts too, as the SQLite vocabulary. */
	[PS_TERMS] =
	    "SELECT term, ndocs FROM search_terms WHERE term >= $1 "
	    "AND term < $2 AND ndocs > 0 ORDER BY ndocs DESC, term LIMIT $3",
	[PS_PHRASE_DOCS] =
	    "SELECT count(*) FROM post_search s JOIN posts p "
	    "ON p.id = s.post_id WHERE s.doc @@ $1::tsquery "
	    "AND p.status = 'published' AND p.is_page = 0",
	[PS_COUNT_PUBLISHED] =
	    "SELECT count(*) FROM posts "
	    "WHERE status = 'published' AND is_page = 0",

	/* Held to commit: sequence numbers follow commit order. */
	[PS_CHANGES_LOCK] = "SELECT pg_advisory_xact_lock(4747001)",
	[PS_CHANGE_ADD] =
	    "INSERT INTO changes (seq, tag) "
	    "VALUES (nextval('changes_seq'), $1) RETURNING seq",
	/*
	 * One statement, so one snapshot: the prune mark (k 0), the
	 * newest seq (k 1) and, when $2, the changes after $1 (k 2).
	 */
	[PS_CHANGES_SINCE] =
	    "SELECT 0 AS k, pruned AS seq, '' AS tag FROM changes_state "
	    "UNION ALL SELECT 1, coalesce(max(seq), 0), '' FROM changes "
	    "UNION ALL (SELECT 2, seq, tag FROM changes "
	    "WHERE $2::boolean AND seq > $1) ORDER BY 1, 2",
	[PS_NOTIFY] = "SELECT pg_notify('gazette_changes', $1)",
	[PS_CHANGES_PRUNE] =
	    "WITH d AS (DELETE FROM changes WHERE seq <= $1 RETURNING seq) "
	    "UPDATE changes_state SET pruned = greatest(pruned, "
	    "(SELECT coalesce(max(seq), 0) FROM d)) WHERE id = 1",

	/* The admin's tables (store_pg_admin.c); names compare as NOCASE. */
	[PS_USER_INSERT] =
	    "INSERT INTO users (name, role, pwhash, totp_secret, created) "
	    "VALUES ($1, $2, $3, $4, $5) RETURNING id",
	[PS_USER_UPDATE] =
	    "UPDATE users SET role = $2, pwhash = $3, totp_secret = $4 "
	    "WHERE id = $1 RETURNING id",
	[PS_USER_BY_NAME] = "SELECT " USER_COLS " FROM users u "
	    "WHERE lower(u.name COLLATE \"C\") = "
	    "lower($1::text COLLATE \"C\")",
	[PS_USER_BY_ID] = "SELECT " USER_COLS " FROM users u WHERE u.id = $1",
	[PS_USER_LIST] = "SELECT " USER_COLS " FROM users u "
	    "ORDER BY lower(u.name COLLATE \"C\"), u.id",
	[PS_USER_DELETE] = "DELETE FROM users WHERE id = $1 RETURNING id",
	[PS_SESSION_INSERT] =
	    "INSERT INTO sessions (id_hash, user_id, csrf, created, expires) "
	    "VALUES ($1, $2, $3, $4, $5)",
	[PS_SESSION_GET] = "SELECT " USER_COLS ", x.csrf FROM sessions x "
	    "JOIN users u ON u.id = x.user_id "
	    "WHERE x.id_hash = $1 AND x.expires > $2",
	[PS_SESSION_DELETE] =
	    "DELETE FROM sessions WHERE id_hash = $1 OR expires <= $2",
	[PS_TOKEN_INSERT] =
	    "INSERT INTO api_tokens (user_id, name, token_hash, created) "
	    "VALUES ($1, $2, $3, $4) RETURNING id",
	[PS_TOKEN_USER] = "SELECT " USER_COLS " FROM api_tokens t "
	    "JOIN users u ON u.id = t.user_id WHERE t.token_hash = $1",
	[PS_TOKEN_LIST] =
	    "SELECT id, user_id, name, created, last_used FROM api_tokens "
	    "WHERE user_id = $1 ORDER BY id DESC",
	[PS_TOKEN_DELETE] =
	    "DELETE FROM api_tokens WHERE user_id = $1 AND id = $2 "
	    "RETURNING id",
	[PS_AUTHOR_SET] =
	    "INSERT INTO post_authors (post_id, user_id) VALUES ($1, $2) "
	    "ON CONFLICT (post_id) DO UPDATE SET user_id = excluded.user_id",
	[PS_AUTHOR_GET] = "SELECT user_id FROM post_authors WHERE post_id = $1",
	[PS_STATS_ADD] =
	    "INSERT INTO stats_daily (day, kind, key, n) "
	    "VALUES ($1, $2, $3, $4) ON CONFLICT (day, kind, key) "
	    "DO UPDATE SET n = stats_daily.n + excluded.n",
	[PS_STATS_VIEWS] =
	    "SELECT day, sum(n) FROM stats_daily WHERE kind = 'view' "
	    "AND day >= $1 AND day < $2 GROUP BY day",
	[PS_STATS_COMMENTS] =
	    "SELECT created / 86400, count(*) FROM comments "
	    "WHERE created >= $1 AND created < $2 GROUP BY 1",
	[PS_STATS_TOP] =
	    "SELECT key, sum(n) FROM stats_daily WHERE kind = $2 "
	    "AND day >= $1 GROUP BY key ORDER BY 2 DESC, 1 LIMIT $3",
	[PS_STATS_TOP_LABELS] =
	    "SELECT l.name, sum(d.n) FROM stats_daily d "
	    "JOIN posts p ON p.path = d.key "
	    "JOIN post_labels pl ON pl.post_id = p.id "
	    "JOIN labels l ON l.id = pl.label_id "
	    "WHERE d.kind = 'view' AND d.day >= $1 GROUP BY l.id, l.name "
	    "ORDER BY 2 DESC, l.name COLLATE \"C\" LIMIT $2",
};

/* A thread's read connection; owned by the thread's rkey slot. */
struct pg_reader {
	struct pg_conn		 c;
	struct pg_engine	*pe;
	struct pg_reader	*prev;	/* in pe->readers, under rlock */
	struct pg_reader	*next;
};

/* ---- parameters ---- */

void
pg_params_init(struct pg_params *p)
{
	p->n = 0;
}

void
pg_param_strn(struct pg_params *p, const char *s, size_t len)
{
	if (p->n >= PG_PARAMS_MAX)
		abort();	/* a programming error: the table is fixed */
	p->v[p->n] = s == NULL ? "" : s;
	p->len[p->n] = s == NULL ? 0 : (int)len;
	p->n++;
}

void
pg_param_str(struct pg_params *p, const char *s)
{
	pg_param_strn(p, s, s == NULL ? 0 : strlen(s));
}

void
pg_param_null(struct pg_params *p)
{
	if (p->n >= PG_PARAMS_MAX)
		abort();
	p->v[p->n] = NULL;
	p->len[p->n] = 0;
	p->n++;
}

void
pg_param_i64(struct pg_params *p, int64_t v)
{
	if (p->n >= PG_PARAMS_MAX)
		abort();
	snprintf(p->num[p->n], sizeof(p->num[0]), "%lld", (long long)v);
	p->v[p->n] = p->num[p->n];
	p->len[p->n] = (int)strlen(p->num[p->n]);
	p->n++;
}

void
pg_param_f64(struct pg_params *p, double v)
{
	if (p->n >= PG_PARAMS_MAX)
		abort();
	snprintf(p->num[p->n], sizeof(p->num[0]), "%.17g", v);
	p->v[p->n] = p->num[p->n];
	p->len[p->n] = (int)strlen(p->num[p->n]);
	p->n++;
}

void
pg_param_limit(struct pg_params *p, size_t v)
{
	if (v == 0)
		pg_param_null(p);
	else
		pg_param_i64(p, v > INT64_MAX ? INT64_MAX : (int64_t)v);
}

/* ---- connections ---- */

PGconn *
pg_connect(const char *url, char *err, size_t errlen)
{
	PGconn		*db;
	PGresult	*r;
	char		*nl;

	db = PQconnectdb(url);
	if (db == NULL || PQstatus(db) != CONNECTION_OK) {
		snprintf(err, errlen, "%s", db == NULL ? "out of memory" :
		    PQerrorMessage(db));
		if ((nl = strchr(err, '\n')) != NULL)
			*nl = '\0';
		PQfinish(db);
		return NULL;
	}
	/*
	 * A commit that returned is on disk whatever the server's default
	 * says; UTC and UTF-8 whatever the role's settings are.
	 */
	r = PQexec(db, "SET synchronous_commit TO on; "
	    "SET client_encoding TO 'UTF8'; SET TimeZone TO 'UTC'");
	if (PQresultStatus(r) != PGRES_COMMAND_OK) {
		snprintf(err, errlen, "%s", PQerrorMessage(db));
		if ((nl = strchr(err, '\n')) != NULL)
			*nl = '\0';
		PQclear(r);
		PQfinish(db);
		return NULL;
	}
	PQclear(r);
	return db;
}

/*
 * Makes c usable: (re)connects when it has no connection or lost it,
 * which also forgets what it had prepared.  0, or -1 with a message.
 */
static int
conn_ensure(struct pg_engine *pe, struct pg_conn *c)
{
	char	 err[256];

	if (c->db != NULL && PQstatus(c->db) == CONNECTION_OK)
		return 0;
	PQfinish(c->db);
	memset(c->prepared, 0, sizeof(c->prepared));
	if ((c->db = pg_connect(pe->url, err, sizeof(err))) == NULL) {
		store_errmsg_set("database unavailable: %s", err);
		return -1;
	}
	return 0;
}

/* Maps a failed result to our code, with its message under what. */
enum store_err
pg_res_err(PGconn *db, const PGresult *r, const char *what)
{
	const char	*state, *msg;
	char		 buf[400];
	char		*nl;

	state = r == NULL ? NULL : PQresultErrorField(r, PG_DIAG_SQLSTATE);
	msg = r != NULL && PQresultErrorMessage(r)[0] != '\0' ?
	    PQresultErrorMessage(r) : PQerrorMessage(db);
	snprintf(buf, sizeof(buf), "%s", msg);
	if ((nl = strchr(buf, '\n')) != NULL)
		*nl = '\0';
	if (PQstatus(db) != CONNECTION_OK || state == NULL ||
	    strncmp(state, "08", 2) == 0 || strncmp(state, "57P", 3) == 0) {
		store_errmsg_set("%s: database unavailable: %s", what, buf);
		return STORE_BUSY;
	}
	store_errmsg_set("%s: %s", what, buf);
	if (strcmp(state, "23505") == 0)
		return STORE_CONFLICT;
	if (strcmp(state, "23503") == 0)
		return STORE_NOTFOUND;
	if (strcmp(state, "40001") == 0 || strcmp(state, "40P01") == 0 ||
	    strcmp(state, "55P03") == 0)
		return STORE_BUSY;
	return STORE_ERR;
}

PGresult *
pg_run(struct pg_engine *pe, struct pg_conn *c, enum pg_stmt id,
    const struct pg_params *p, const char *what, enum store_err *e)
{
	PGresult	*r;
	ExecStatusType	 st;
	char		 name[16];
	int		 tries, is_writer = c == &pe->w;

	snprintf(name, sizeof(name), "g%d", (int)id);
	for (tries = 0;; tries++) {
		if (conn_ensure(pe, c) == -1) {
			*e = STORE_BUSY;
			return NULL;
		}
		r = NULL;
		if (!c->prepared[id]) {
			r = PQprepare(c->db, name, sqls[id], 0, NULL);
			if (PQresultStatus(r) == PGRES_COMMAND_OK) {
				c->prepared[id] = 1;
				PQclear(r);
				r = NULL;
			}
		}
		if (r == NULL) {
			r = PQexecPrepared(c->db, name, p == NULL ? 0 : p->n,
			    p == NULL ? NULL : p->v, p == NULL ? NULL : p->len,
			    NULL, 0);
			st = PQresultStatus(r);
			if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK)
				return r;
		}
		/*
		 * A reader whose connection died (the server restarted)
		 * tries once more on a new one; the writer cannot, its
		 * transaction died with the connection.
		 */
		if (!is_writer && tries == 0 &&
		    PQstatus(c->db) != CONNECTION_OK) {
			PQclear(r);
			continue;
		}
		*e = pg_res_err(c->db, r, what);
		PQclear(r);
		return NULL;
	}
}

enum store_err
pg_do(struct pg_engine *pe, struct pg_conn *c, enum pg_stmt id,
    const struct pg_params *p, const char *what)
{
	PGresult	*r;
	enum store_err	 e = STORE_OK;

	if ((r = pg_run(pe, c, id, p, what, &e)) == NULL)
		return e;
	PQclear(r);
	return STORE_OK;
}

int64_t
pg_get_i64(const PGresult *r, int row, int col)
{
	return strtoll(PQgetvalue(r, row, col), NULL, 10);
}

char *
pg_get_str(const PGresult *r, int row, int col, struct arena *a)
{
	return arena_strndup(a, PQgetvalue(r, row, col),
	    (size_t)PQgetlength(r, row, col));
}

enum store_err
pg_int(struct pg_engine *pe, struct pg_conn *c, enum pg_stmt id,
    const struct pg_params *p, const char *what, int64_t *out)
{
	PGresult	*r;
	enum store_err	 e = STORE_OK;

	*out = 0;
	if ((r = pg_run(pe, c, id, p, what, &e)) == NULL)
		return e;
	if (PQntuples(r) == 0)
		e = STORE_NOTFOUND;
	else
		*out = pg_get_i64(r, 0, 0);
	PQclear(r);
	return e;
}

static void
conn_close(struct pg_conn *c)
{
	PQfinish(c->db);
	c->db = NULL;
	memset(c->prepared, 0, sizeof(c->prepared));
}

static void
reader_unlink(struct pg_reader *r)
{
	if (r->prev != NULL)
		r->prev->next = r->next;
	else
		r->pe->readers = r->next;
	if (r->next != NULL)
		r->next->prev = r->prev;
	r->prev = r->next = NULL;
}

/* rkey's destructor: a thread that read is exiting. */
static void
reader_destroy(void *arg)
{
	struct pg_reader	*r = arg;

	pthread_mutex_lock(&r->pe->rlock);
	reader_unlink(r);
	pthread_mutex_unlock(&r->pe->rlock);
	conn_close(&r->c);
	free(r);
}

struct pg_conn *
pg_conn_read(struct pg_engine *pe)
{
	struct pg_reader	*r;
	int			 rc;

	if (pthread_getspecific(pe->wkey) != NULL)
		return &pe->w;
	if ((r = pthread_getspecific(pe->rkey)) != NULL)
		return &r->c;
	/* The connection itself opens on first use, in pg_run. */
	r = xcalloc(1, sizeof(*r));
	r->pe = pe;
	if ((rc = pthread_setspecific(pe->rkey, r)) != 0) {
		store_errmsg_set("pthread_setspecific: %s", strerror(rc));
		free(r);
		return NULL;
	}
	pthread_mutex_lock(&pe->rlock);
	r->next = pe->readers;
	if (r->next != NULL)
		r->next->prev = r;
	pe->readers = r;
	pthread_mutex_unlock(&pe->rlock);
	return &r->c;
}

struct pg_conn *
pg_conn_write(struct pg_engine *pe)
{
	if (pthread_getspecific(pe->wkey) == NULL) {
		store_errmsg_set("write outside store_write_begin");
		return NULL;
	}
	return &pe->w;
}

char *
pg_label_key(struct arena *a, const char *name)
{
	char	*k;

	k = text_label_key(a, name, strlen(name));
	return *k == '\0' ? arena_strdup(a, name) : k;
}

/* ---- rows ---- */

void
pg_post_row(const PGresult *r, int i, struct arena *a, struct post *p)
{
	const char	*s, *e;
	size_t		 n, cap = 0;
	int		 v;

	memset(p, 0, sizeof(*p));
	p->id = pg_get_i64(r, i, 0);
	p->path = pg_get_str(r, i, 1, a);
	p->slug = pg_get_str(r, i, 2, a);
	p->title = pg_get_str(r, i, 3, a);
	p->source = pg_get_str(r, i, 4, a);
	p->html = pg_get_str(r, i, 5, a);
	p->lang = pg_get_str(r, i, 6, a);
	v = post_status_parse(PQgetvalue(r, i, 7));
	p->status = v < 0 ? POST_DRAFT : (enum post_status)v;
	p->is_page = pg_get_i64(r, i, 8) != 0;
	p->published = pg_get_i64(r, i, 9);
	p->updated = pg_get_i64(r, i, 10);
	p->ncomments = pg_get_i64(r, i, 11);
	p->comments_closed = pg_get_i64(r, i, 12) != 0;
	p->comments_days = (int)pg_get_i64(r, i, 13);
	if (PQgetisnull(r, i, 14))
		return;
	/* Labels come joined by \x1f, which a label name never holds. */
	s = PQgetvalue(r, i, 14);
	for (n = 0;; s = e + 1) {
		if ((e = strchr(s, '\x1f')) == NULL)
			e = s + strlen(s);
		p->labels = arena_grow(a, p->labels, n, &cap,
		    sizeof(*p->labels));
		p->labels[n++] = arena_strndup(a, s, (size_t)(e - s));
		if (*e == '\0')
			break;
	}
	p->nlabels = n;
}

static void
comment_row(const PGresult *r, int i, struct arena *a, struct comment *m)
{
	int	 v;

	m->id = pg_get_i64(r, i, 0);
	m->post_id = pg_get_i64(r, i, 1);
	m->parent_id = pg_get_i64(r, i, 2);
	m->name = pg_get_str(r, i, 3, a);
	m->email = pg_get_str(r, i, 4, a);
	m->url = pg_get_str(r, i, 5, a);
	m->body = pg_get_str(r, i, 6, a);
	v = comment_status_parse(PQgetvalue(r, i, 7));
	m->status = v < 0 ? COMMENT_PENDING : (enum comment_status)v;
	m->created = pg_get_i64(r, i, 8);
	m->addr_hash = pg_get_str(r, i, 9, a);
	m->spam_score = strtod(PQgetvalue(r, i, 10), NULL);
	m->spam_reasons = pg_get_str(r, i, 11, a);
	m->post_title = pg_get_str(r, i, 12, a);
	m->post_path = pg_get_str(r, i, 13, a);
}

/* ---- reading ---- */

static enum store_err
post_get(struct store *s, struct arena *a, enum pg_stmt id,
    const struct pg_params *p, struct post **out)
{
	struct pg_engine	*pe = s->engine;
	struct pg_conn		*c;
	PGresult		*r;
	enum store_err		 e = STORE_OK;

	if ((c = pg_conn_read(pe)) == NULL)
		return STORE_ERR;
	if ((r = pg_run(pe, c, id, p, "post get", &e)) == NULL)
		return e;
	if (PQntuples(r) == 0)
		e = STORE_NOTFOUND;
	else {
		*out = arena_alloc(a, sizeof(**out));
		pg_post_row(r, 0, a, *out);
	}
	PQclear(r);
	return e;
}

static enum store_err
store_pg_post_get_id(struct store *s, struct arena *a, int64_t id,
    struct post **out)
{
	struct pg_params	 p;

	pg_params_init(&p);
	pg_param_i64(&p, id);
	return post_get(s, a, PS_POST_BY_ID, &p, out);
}

static enum store_err
store_pg_post_get_path(struct store *s, struct arena *a, const char *path,
    struct post **out)
{
	struct pg_params	 p;

	if (path == NULL)
		return STORE_NOTFOUND;
	pg_params_init(&p);
	pg_param_str(&p, path);
	return post_get(s, a, PS_POST_BY_PATH, &p, out);
}

static enum store_err
store_pg_post_get_slug(struct store *s, struct arena *a, const char *slug,
    struct post **out)
{
	struct pg_params	 p;

	if (slug == NULL)
		return STORE_NOTFOUND;
	pg_params_init(&p);
	pg_param_str(&p, slug);
	return post_get(s, a, PS_POST_BY_SLUG, &p, out);
}

static enum store_err
store_pg_post_list(struct store *s, struct arena *a,
    const struct post_query *q, struct post_list *out)
{
	struct pg_engine	*pe = s->engine;
	struct pg_conn		*c;
	struct pg_params	 p;
	PGresult		*r;
	struct arena		*ka;
	int64_t			 total;
	enum store_err		 e = STORE_OK;
	int			 i, n;

	if ((c = pg_conn_read(pe)) == NULL)
		return STORE_ERR;
	ka = arena_new();
	pg_params_init(&p);
	pg_param_i64(&p, q->now);
	pg_param_i64(&p, q->from == 0 ? INT64_MIN : q->from);
	pg_param_i64(&p, q->to == 0 ? INT64_MAX : q->to);
	pg_param_str(&p, q->all_statuses ? "1" : "0");
	pg_param_str(&p, q->include_pages ? "1" : "0");
	if (q->label != NULL)
		pg_param_str(&p, pg_label_key(ka, q->label));
	else
		pg_param_null(&p);
	if ((e = pg_int(pe, c, PS_COUNT, &p, "post count", &total)) !=
	    STORE_OK)
		goto out;
	pg_param_limit(&p, q->limit);
	pg_param_i64(&p, q->offset > INT64_MAX ? INT64_MAX :
	    (int64_t)q->offset);
	if ((r = pg_run(pe, c, PS_LIST, &p, "post list", &e)) == NULL)
		goto out;
	n = PQntuples(r);
	out->v = n == 0 ? NULL : arena_allocarray(a, (size_t)n,
	    sizeof(*out->v));
	for (i = 0; i < n; i++)
		pg_post_row(r, i, a, &out->v[i]);
	out->n = (size_t)n;
	out->total = (size_t)total;
	PQclear(r);
out:
	arena_free(ka);
	return e;
}

static enum store_err
comment_rows(struct pg_engine *pe, struct pg_conn *c, enum pg_stmt id,
    const struct pg_params *p, struct arena *a, struct comment_list *out)
{
	PGresult	*r;
	enum store_err	 e = STORE_OK;
	int		 i, n;

	if ((r = pg_run(pe, c, id, p, "comment list", &e)) == NULL)
		return e;
	n = PQntuples(r);
	out->v = n == 0 ? NULL : arena_allocarray(a, (size_t)n,
	    sizeof(*out->v));
	for (i = 0; i < n; i++)
		comment_row(r, i, a, &out->v[i]);
	out->n = (size_t)n;
	PQclear(r);
	return STORE_OK;
}

static enum store_err
store_pg_comment_list_post(struct store *s, struct arena *a, int64_t post_id,
    enum comment_status cs, struct comment_list *out)
{
	struct pg_engine	*pe = s->engine;
	struct pg_conn		*c;
	struct pg_params	 p;

	if ((c = pg_conn_read(pe)) == NULL)
		return STORE_ERR;
	pg_params_init(&p);
	pg_param_i64(&p, post_id);
	if (cs == COMMENT_STATUS__MAX)
		pg_param_null(&p);
	else
		pg_param_str(&p, comment_status_name(cs));
	return comment_rows(pe, c, PS_COMMENT_LIST_POST, &p, a, out);
}

static enum store_err
store_pg_comment_query(struct store *s, struct arena *a,
    const struct comment_query *q, struct comment_list *out)
{
	struct pg_engine	*pe = s->engine;
	struct pg_conn		*c;
	struct pg_params	 p;
	struct arena		*ka;
	enum store_err		 e;

	if ((c = pg_conn_read(pe)) == NULL)
		return STORE_ERR;
	ka = arena_new();
	pg_params_init(&p);
	if (q->status == COMMENT_STATUS__MAX)
		pg_param_null(&p);
	else
		pg_param_str(&p, comment_status_name(q->status));
	pg_param_i64(&p, q->id_min);
	pg_param_i64(&p, q->id_max == 0 ? INT64_MAX : q->id_max);
	if (q->author != NULL)
		pg_param_str(&p, pg_label_key(ka, q->author));
	else
		pg_param_null(&p);
	pg_param_i64(&p, q->post_id);
	pg_param_limit(&p, q->limit);
	e = comment_rows(pe, c, PS_COMMENT_QUERY, &p, a, out);
	arena_free(ka);
	return e;
}

static enum store_err
store_pg_comment_get(struct store *s, struct arena *a, int64_t id,
    struct comment **out)
{
	struct pg_engine	*pe = s->engine;
	struct comment_list	 l;
	struct pg_conn		*c;
	struct pg_params	 p;
	enum store_err		 e;

	if ((c = pg_conn_read(pe)) == NULL)
		return STORE_ERR;
	pg_params_init(&p);
	pg_param_i64(&p, id);
	memset(&l, 0, sizeof(l));
	if ((e = comment_rows(pe, c, PS_COMMENT_GET, &p, a, &l)) != STORE_OK)
		return e;
	if (l.n == 0)
		return STORE_NOTFOUND;
	*out = l.v;
	return STORE_OK;
}

static enum store_err
store_pg_commenter_known(struct store *s, const char *name,
    const char *email, int *out)
{
	struct pg_engine	*pe = s->engine;
	struct pg_conn		*c;
	struct pg_params	 p;
	int64_t			 v;
	enum store_err		 e;

	if (name == NULL)
		return STORE_OK;
	if ((c = pg_conn_read(pe)) == NULL)
		return STORE_ERR;
	pg_params_init(&p);
	pg_param_str(&p, name);
	pg_param_str(&p, email);
	e = pg_int(pe, c, PS_COMMENTER_KNOWN, &p, "commenter known", &v);
	if (e == STORE_NOTFOUND)
		return STORE_OK;
	if (e == STORE_OK)
		*out = 1;
	return e;
}

/* One text value of statement id with parameter key, into the arena. */
static enum store_err
one_str(struct pg_engine *pe, struct pg_conn *c, enum pg_stmt id,
    const char *key, const char *what, struct arena *a, char **out)
{
	struct pg_params	 p;
	PGresult		*r;
	enum store_err		 e = STORE_OK;

	pg_params_init(&p);
	pg_param_str(&p, key);
	if ((r = pg_run(pe, c, id, &p, what, &e)) == NULL)
		return e;
	if (PQntuples(r) == 0)
		e = STORE_NOTFOUND;
	else
		*out = pg_get_str(r, 0, 0, a);
	PQclear(r);
	return e;
}

static enum store_err
store_pg_label_get(struct store *s, struct arena *a, const char *name,
    char **out)
{
	struct pg_engine	*pe = s->engine;
	struct pg_conn		*c;

	if (name == NULL)
		return STORE_NOTFOUND;
	if ((c = pg_conn_read(pe)) == NULL)
		return STORE_ERR;
	return one_str(pe, c, PS_LABEL_GET, pg_label_key(a, name),
	    "label get", a, out);
}

static enum store_err
store_pg_redirect_get(struct store *s, struct arena *a, const char *from,
    char **to)
{
	struct pg_engine	*pe = s->engine;
	struct pg_conn		*c;

	if ((c = pg_conn_read(pe)) == NULL)
		return STORE_ERR;
	return one_str(pe, c, PS_REDIRECT_GET, from, "redirect", a, to);
}

static enum store_err
store_pg_label_list(struct store *s, struct arena *a, struct label **out,
    size_t *np)
{
	struct pg_engine	*pe = s->engine;
	struct pg_conn		*c;
	struct pg_params	 p;
	PGresult		*r;
	struct label		*v;
	enum store_err		 e = STORE_OK;
	int			 i, n;

	if ((c = pg_conn_read(pe)) == NULL)
		return STORE_ERR;
	pg_params_init(&p);
	pg_param_i64(&p, clock_now());
	if ((r = pg_run(pe, c, PS_LABEL_LIST, &p, "label list", &e)) == NULL)
		return e;
	n = PQntuples(r);
	v = n == 0 ? NULL : arena_allocarray(a, (size_t)n, sizeof(*v));
	for (i = 0; i < n; i++) {
		v[i].name = pg_get_str(r, i, 0, a);
		v[i].key = pg_get_str(r, i, 1, a);
		v[i].nposts = pg_get_i64(r, i, 2);
	}
	PQclear(r);
	*out = v;
	*np = (size_t)n;
	return STORE_OK;
}

static enum store_err
store_pg_moderation_list(struct store *s, struct arena *a,
    int64_t comment_id, size_t limit, struct moderation_log *out)
{
	struct pg_engine	*pe = s->engine;
	struct pg_conn		*c;
	struct pg_params	 p;
	PGresult		*r;
	struct moderation_entry	*v;
	enum store_err		 e = STORE_OK;
	int			 i, n;

	if ((c = pg_conn_read(pe)) == NULL)
		return STORE_ERR;
	pg_params_init(&p);
	pg_param_limit(&p, limit);
	pg_param_i64(&p, comment_id);
	if ((r = pg_run(pe, c, PS_MOD_LIST, &p, "moderation log", &e)) ==
	    NULL)
		return e;
	n = PQntuples(r);
	v = n == 0 ? NULL : arena_allocarray(a, (size_t)n, sizeof(*v));
	for (i = 0; i < n; i++) {
		v[i].id = pg_get_i64(r, i, 0);
		v[i].comment_id = pg_get_i64(r, i, 1);
		v[i].action = pg_get_str(r, i, 2, a);
		v[i].actor = pg_get_str(r, i, 3, a);
		v[i].at = pg_get_i64(r, i, 4);
		v[i].detail = pg_get_str(r, i, 5, a);
	}
	PQclear(r);
	out->v = v;
	out->n = (size_t)n;
	return STORE_OK;
}

/*
 * comments.body_hash: the same 64-bit FNV-1a, top bit cleared, as the
 * SQLite engine stores, so that `gazette migrate` copies it as it is.
 */
int64_t
pg_body_hash(const char *s, size_t len)
{
	uint64_t	 h = UINT64_C(0xcbf29ce484222325);
	size_t		 i;

	for (i = 0; i < len; i++) {
		h ^= (unsigned char)s[i];
		h *= UINT64_C(0x100000001b3);
	}
	return (int64_t)(h & INT64_MAX);
}

static enum store_err
store_pg_comment_same_body(struct store *s, const char *body, int64_t since,
    int64_t *count)
{
	struct pg_engine	*pe = s->engine;
	struct pg_conn		*c;
	struct pg_params	 p;

	if ((c = pg_conn_read(pe)) == NULL)
		return STORE_ERR;
	pg_params_init(&p);
	pg_param_i64(&p, pg_body_hash(body, strlen(body)));
	pg_param_i64(&p, since);
	pg_param_str(&p, body);
	return pg_int(pe, c, PS_SAME_BODY, &p, "same body", count);
}

static enum store_err
store_pg_spam_counts(struct store *s, struct arena *a,
    const char *const *terms, size_t n, struct text_spam_counts *out)
{
	struct pg_engine	*pe = s->engine;
	struct pg_conn		*c;
	struct pg_params	 p;
	PGresult		*r;
	int64_t			*ham = NULL, *spam = NULL, nham = 0, nspam = 0;
	size_t			 i;
	enum store_err		 e = STORE_OK;

	if ((c = pg_conn_read(pe)) == NULL)
		return STORE_ERR;
	if ((r = pg_run(pe, c, PS_SPAM_TOTALS, NULL, "spam totals", &e)) ==
	    NULL)
		return e;
	if (PQntuples(r) > 0) {
		nham = pg_get_i64(r, 0, 0);
		nspam = pg_get_i64(r, 0, 1);
	}
	PQclear(r);
	if (n > 0) {
		ham = arena_allocarray(a, n, sizeof(*ham));
		spam = arena_allocarray(a, n, sizeof(*spam));
	}
	for (i = 0; i < n; i++) {
		pg_params_init(&p);
		pg_param_str(&p, terms[i]);
		if ((r = pg_run(pe, c, PS_SPAM_TERM, &p, "spam terms", &e)) ==
		    NULL)
			return e;
		if (PQntuples(r) > 0) {
			ham[i] = pg_get_i64(r, 0, 0);
			spam[i] = pg_get_i64(r, 0, 1);
		}
		PQclear(r);
	}
	out->ham = ham;
	out->spam = spam;
	out->nham = nham;
	out->nspam = nspam;
	return STORE_OK;
}

/* ---- writing ---- */

static enum store_err
store_pg_write_begin(struct store *s)
{
	struct pg_engine	*pe = s->engine;
	PGresult		*r;
	enum store_err		 e;
	int			 rc, tries;

	if (pthread_getspecific(pe->wkey) != NULL) {
		store_errmsg_set("store_write_begin inside a write");
		return STORE_ERR;
	}
	pthread_mutex_lock(&pe->wlock);
	/*
	 * A connection that died with its server looks fine until used:
	 * when BEGIN finds it dead, once more on a new one.
	 */
	for (tries = 0;; tries++) {
		if (conn_ensure(pe, &pe->w) == -1) {
			pthread_mutex_unlock(&pe->wlock);
			return STORE_BUSY;
		}
		r = PQexec(pe->w.db, "BEGIN");
		if (PQresultStatus(r) == PGRES_COMMAND_OK)
			break;
		if (tries == 0 && PQstatus(pe->w.db) != CONNECTION_OK) {
			PQclear(r);
			continue;
		}
		e = pg_res_err(pe->w.db, r, "begin");
		PQclear(r);
		pthread_mutex_unlock(&pe->wlock);
		return e;
	}
	PQclear(r);
	if ((rc = pthread_setspecific(pe->wkey, pe)) != 0) {
		store_errmsg_set("pthread_setspecific: %s", strerror(rc));
		PQclear(PQexec(pe->w.db, "ROLLBACK"));
		pthread_mutex_unlock(&pe->wlock);
		return STORE_ERR;
	}
	return STORE_OK;
}

static enum store_err
store_pg_write_end(struct store *s, int commit)
{
	struct pg_engine	*pe = s->engine;
	PGresult		*r;
	enum store_err		 e = STORE_OK;

	if (pthread_getspecific(pe->wkey) == NULL) {
		store_errmsg_set("store_write_end without store_write_begin");
		return STORE_ERR;
	}
	if (commit && (e = pg_terms_flush(pe)) == STORE_OK &&
	    (e = pg_changes_commit(pe)) == STORE_OK) {
		r = PQexec(pe->w.db, "COMMIT");
		/* An aborted transaction answers COMMIT with ROLLBACK. */
		if (PQresultStatus(r) != PGRES_COMMAND_OK)
			e = pg_res_err(pe->w.db, r, "commit");
		else if (strcmp(PQcmdStatus(r), "COMMIT") != 0) {
			store_errmsg_set("commit: the transaction was already "
			    "rolled back by an earlier error");
			e = STORE_ERR;
		} else
			atomic_fetch_add(&pe->epoch, 1);
		PQclear(r);
	}
	if (!commit || e != STORE_OK) {
		if (PQstatus(pe->w.db) == CONNECTION_OK &&
		    PQtransactionStatus(pe->w.db) != PQTRANS_IDLE)
			PQclear(PQexec(pe->w.db, "ROLLBACK"));
	}
	pg_changes_reset(pe);
	pg_terms_truncate(pe, 0);
	pthread_setspecific(pe->wkey, NULL);
	pthread_mutex_unlock(&pe->wlock);
	return e;
}

/* ---- the rest ---- */

static enum store_err
store_pg_ping(struct store *s)
{
	struct pg_engine	*pe = s->engine;
	struct pg_conn		*c;
	int64_t			 v;

	if ((c = pg_conn_read(pe)) == NULL)
		return STORE_ERR;
	return pg_int(pe, c, PS_PING, NULL, "ping", &v);
}

static enum store_err
store_pg_post_next_due(struct store *s, int64_t now, int64_t *when)
{
	struct pg_engine	*pe = s->engine;
	struct pg_conn		*c;
	struct pg_params	 p;

	if ((c = pg_conn_read(pe)) == NULL)
		return STORE_ERR;
	pg_params_init(&p);
	pg_param_i64(&p, now);
	return pg_int(pe, c, PS_NEXT_DUE, &p, "next due", when);
}

/*
 * There is no consistent copy to make from inside one connection that
 * would not hold the whole database in a transaction for as long as it
 * takes; pg_dump does exactly that job, and restores with pg_restore.
 */
static enum store_err
store_pg_backup(struct store *s, const char *path)
{
	(void)s;
	store_errmsg_set("%s: gazette backup works on SQLite only; back up "
	    "a PostgreSQL database with pg_dump (pg_dump -Fc -f FILE "
	    "DBNAME), or copy it to SQLite with gazette migrate", path);
	return STORE_ERR;
}

static void
engine_free(struct pg_engine *pe)
{
	struct pg_reader	*r;

	if (pe == NULL)
		return;
	pg_listener_stop(pe);
	if (pe->has_keys) {
		pthread_mutex_lock(&pe->rlock);
		while ((r = pe->readers) != NULL) {
			reader_unlink(r);
			conn_close(&r->c);
			free(r);
		}
		pthread_mutex_unlock(&pe->rlock);
		pthread_setspecific(pe->rkey, NULL);
		pthread_key_delete(pe->rkey);
		pthread_key_delete(pe->wkey);
	}
	conn_close(&pe->w);
	pg_changes_reset(pe);
	free(pe->tags);
	pg_terms_truncate(pe, 0);
	free(pe->tlog);
	pthread_mutex_destroy(&pe->llock);
	pthread_mutex_destroy(&pe->rlock);
	pthread_mutex_destroy(&pe->wlock);
	free(pe->url);
	free(pe);
}

static void
store_pg_close(struct store *s)
{
	engine_free(s->engine);
	s->engine = NULL;
}

/* Runs fixed SQL on db; 0, or -1 with PostgreSQL's message in err. */
static int
exec_plain(PGconn *db, const char *sql, char *err, size_t errlen)
{
	PGresult	*r;
	char		*nl;
	int		 rc = 0;

	r = PQexec(db, sql);
	if (PQresultStatus(r) != PGRES_COMMAND_OK &&
	    PQresultStatus(r) != PGRES_TUPLES_OK) {
		snprintf(err, errlen, "%s", PQerrorMessage(db));
		if ((nl = strchr(err, '\n')) != NULL)
			*nl = '\0';
		rc = -1;
	}
	PQclear(r);
	return rc;
}

/* One integer that fixed SQL returns, or -1 with a message. */
static int64_t
query_int(PGconn *db, const char *sql, char *err, size_t errlen)
{
	PGresult	*r;
	int64_t		 v = -1;
	char		*nl;

	r = PQexec(db, sql);
	if (PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1)
		v = PQgetisnull(r, 0, 0) ? 0 : pg_get_i64(r, 0, 0);
	else {
		snprintf(err, errlen, "%s", PQerrorMessage(db));
		if ((nl = strchr(err, '\n')) != NULL)
			*nl = '\0';
	}
	PQclear(r);
	return v;
}

/*
 * Applies the embedded migrations newer than the database's version,
 * one transaction each.  A database with no gazette_schema table is
 * new: created when create is 1, else refused, as is one with tables
 * of something else or a version newer than this program knows.
 */
static enum store_err
migrate_pg(PGconn *db, const char *url, int create, char *err,
    size_t errlen)
{
	struct migration	 v[64];
	struct pg_params	 p;
	PGresult		*r;
	char			 msg[256];
	size_t			 n, i;
	int64_t			 has, ntables, version;
	enum store_err		 e = STORE_ERR;

	if (migrate_list("schema/postgres/", v, nitems(v), &n, err,
	    errlen) == -1)
		return STORE_ERR;
	if (exec_plain(db, "SELECT pg_advisory_lock(" MIGRATE_LOCK ")", msg,
	    sizeof(msg)) == -1) {
		snprintf(err, errlen, "%s: %s", url, msg);
		return STORE_BUSY;
	}
	has = query_int(db, "SELECT count(*) FROM pg_tables WHERE "
	    "schemaname = current_schema() AND tablename = 'gazette_schema'",
	    msg, sizeof(msg));
	ntables = query_int(db, "SELECT count(*) FROM pg_tables WHERE "
	    "schemaname = current_schema()", msg, sizeof(msg));
	if (has < 0 || ntables < 0) {
		snprintf(err, errlen, "%s: %s", url, msg);
		goto out;
	}
	if (has == 0 && ntables > 0) {
		snprintf(err, errlen, "%s: not a gazette database (it has "
		    "other tables)", url);
		goto out;
	}
	if (has == 0 && !create) {
		snprintf(err, errlen, "%s: not a gazette database (no "
		    "gazette tables; gazette init or gazette migrate --to "
		    "creates them)", url);
		goto out;
	}
	if (has == 0 && exec_plain(db, "CREATE TABLE gazette_schema "
	    "(version integer NOT NULL)", msg, sizeof(msg)) == -1) {
		snprintf(err, errlen, "%s: %s", url, msg);
		goto out;
	}
	if ((version = query_int(db, "SELECT max(version) FROM "
	    "gazette_schema", msg, sizeof(msg))) < 0) {
		snprintf(err, errlen, "%s: %s", url, msg);
		goto out;
	}
	if (version > (int64_t)n) {
		snprintf(err, errlen, "%s: schema version %lld is newer than "
		    "this program knows (%zu)", url, (long long)version, n);
		goto out;
	}
	for (i = 0; i < n; i++) {
		if (v[i].version <= version)
			continue;
		if (exec_plain(db, "BEGIN", msg, sizeof(msg)) == -1 ||
		    exec_plain(db, v[i].sql, msg, sizeof(msg)) == -1) {
			snprintf(err, errlen, "%s: %s: %s", url, v[i].name,
			    msg);
			exec_plain(db, "ROLLBACK", msg, sizeof(msg));
			goto out;
		}
		pg_params_init(&p);
		pg_param_i64(&p, v[i].version);
		r = PQexecParams(db, "INSERT INTO gazette_schema (version) "
		    "VALUES ($1)", 1, NULL, p.v, p.len, NULL, 0);
		if (PQresultStatus(r) != PGRES_COMMAND_OK ||
		    exec_plain(db, "COMMIT", msg, sizeof(msg)) == -1) {
			snprintf(err, errlen, "%s: %s: %s", url, v[i].name,
			    PQerrorMessage(db));
			PQclear(r);
			exec_plain(db, "ROLLBACK", msg, sizeof(msg));
			goto out;
		}
		PQclear(r);
	}
	e = STORE_OK;
out:
	exec_plain(db, "SELECT pg_advisory_unlock(" MIGRATE_LOCK ")", msg,
	    sizeof(msg));
	return e;
}

static enum store_err
store_pg_open(struct store *s, const char *target, int create, char *err,
    size_t errlen)
{
	struct pg_engine	*pe;
	char			 msg[256];
	enum store_err		 e;
	int			 rc;

	pe = xcalloc(1, sizeof(*pe));
	/* The URL is the conninfo: libpq reads postgres:// URLs itself. */
	pe->url = xstrdup(target);
	atomic_init(&pe->epoch, 0);
	atomic_init(&pe->lstop, 0);
	pthread_mutex_init(&pe->wlock, NULL);
	pthread_mutex_init(&pe->rlock, NULL);
	pthread_mutex_init(&pe->llock, NULL);
	if ((rc = pthread_key_create(&pe->rkey, reader_destroy)) != 0) {
		snprintf(err, errlen, "pthread_key_create: %s", strerror(rc));
		engine_free(pe);
		return STORE_ERR;
	}
	if ((rc = pthread_key_create(&pe->wkey, NULL)) != 0) {
		pthread_key_delete(pe->rkey);
		snprintf(err, errlen, "pthread_key_create: %s", strerror(rc));
		engine_free(pe);
		return STORE_ERR;
	}
	pe->has_keys = 1;
	if ((pe->w.db = pg_connect(target, msg, sizeof(msg))) == NULL) {
		snprintf(err, errlen, "database unavailable: %s", msg);
		engine_free(pe);
		return STORE_BUSY;
	}
	if ((e = migrate_pg(pe->w.db, target, create, err, errlen)) !=
	    STORE_OK) {
		engine_free(pe);
		return e;
	}
	s->engine = pe;
	return STORE_OK;
}

const struct store_ops store_pg_ops = {
	.name = "postgres",
	.open = store_pg_open,
	.close = store_pg_close,
	.ping = store_pg_ping,
	.data_version = store_pg_data_version,
	.write_begin = store_pg_write_begin,
	.write_end = store_pg_write_end,
	.post_save = store_pg_post_save_op,
	.post_delete = store_pg_post_delete_op,
	.comment_add = store_pg_comment_add_op,
	.comment_put = store_pg_comment_put_op,
	.comment_set_status = store_pg_comment_set_status_op,
	.comment_delete = store_pg_comment_delete_op,
	.post_get_id = store_pg_post_get_id,
	.post_get_path = store_pg_post_get_path,
	.post_get_slug = store_pg_post_get_slug,
	.post_list = store_pg_post_list,
	.comment_list_post = store_pg_comment_list_post,
	.comment_query = store_pg_comment_query,
	.comment_get = store_pg_comment_get,
	.commenter_known = store_pg_commenter_known,
	.label_get = store_pg_label_get,
	.search = store_pg_search,
	.terms_prefix = store_pg_terms_prefix,
	.phrase_docs = store_pg_phrase_docs,
	.reindex = store_pg_reindex_op,
	.label_list = store_pg_label_list,
	.label_rename = store_pg_label_rename_op,
	.label_merge = store_pg_label_merge_op,
	.moderation_add = store_pg_moderation_add_op,
	.moderation_list = store_pg_moderation_list,
	.comment_same_body = store_pg_comment_same_body,
	.spam_counts = store_pg_spam_counts,
	.spam_learn = store_pg_spam_learn_op,
	.redirect_put = store_pg_redirect_put_op,
	.redirect_get = store_pg_redirect_get,
	.backup = store_pg_backup,
	.changes_since = store_pg_changes_since,
	.post_next_due = store_pg_post_next_due,
	/* accounts, sessions, tokens, authors, stats: store_pg_admin.c */
	.user_put = store_pg_user_put,
	.user_get = store_pg_user_get,
	.user_list = store_pg_user_list,
	.user_delete = store_pg_user_delete,
	.session_put = store_pg_session_put,
	.session_get = store_pg_session_get,
	.session_delete = store_pg_session_delete,
	.token_put = store_pg_token_put,
	.token_user = store_pg_token_user,
	.token_list = store_pg_token_list,
	.token_delete = store_pg_token_delete,
	.post_author_set = store_pg_post_author_set,
	.post_author_get = store_pg_post_author_get,
	.stats_add = store_pg_stats_add,
	.stats_days = store_pg_stats_days,
	.stats_top = store_pg_stats_top,
};

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
 * The SQLite engine.  One read-write connection, used by whichever thread
 * holds the writer mutex (store_write_begin to store_write_end), and one
 * read-only connection per thread, opened on first use and closed when
 * the thread exits or the store closes.  The database runs in WAL mode so
 * readers never wait for the writer, with synchronous=FULL so that a
 * commit that returned is on disk.  Every statement comes from the fixed
 * table below (the comment query from fixed pieces of one), is prepared
 * once per connection and reset after use; input only ever reaches
 * SQLite through bound parameters.
 *
 * The search index (post_search, FTS5) is written here too, in the same
 * transaction as every write that changes what it holds, so it can
 * never disagree with the posts it was made from.
 *
 * Not here: schema creation and upgrades (migrate.c), argument checks
 * and output resets common to all engines (store.c), the tokenizer and
 * the text conventions of the index (fts5_tokenizer.c).
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "base.h"
#include "store_int.h"

/*
 * How long a connection waits for a lock held by another process before
 * giving up with STORE_BUSY.  Writes are short; a wait this long means
 * something is stuck, and the caller should hear about it.
 */
#define BUSY_MS		5000

/* The statements, one per distinct query; see sqls[] for the text. */
enum stmt {
	ST_BEGIN,
	ST_BEGIN_IMMEDIATE,
	ST_COMMIT,
	ST_ROLLBACK,
	ST_DATA_VERSION,
	ST_PING,
	ST_POST_BY_ID,
	ST_POST_BY_PATH,
	ST_POST_BY_SLUG,
	ST_POST_LABELS,
	ST_LIST_PUB,
	ST_LIST_PUB_LABEL,
	ST_LIST_ANY,
	ST_LIST_ANY_LABEL,
	ST_COUNT_PUB,
	ST_COUNT_PUB_LABEL,
	ST_COUNT_ANY,
	ST_COUNT_ANY_LABEL,
	ST_POST_ID_BY_PATH,
	ST_POST_EXISTS,
	ST_POST_INSERT,
	ST_POST_UPDATE,
	ST_POST_DELETE,
	ST_LABELS_DROP_OWN,
	ST_POST_LABELS_CLEAR,
	ST_LABEL_ID,
	ST_LABEL_INSERT,
	ST_POST_LABEL_ADD,
	ST_LABEL_GET,
	ST_COMMENT_POST_OF,
	ST_COMMENT_INSERT,
	ST_COMMENT_FIND,
	ST_COMMENT_SET_STATUS,
	ST_COMMENT_PARENT_OF,
	ST_COMMENT_REPARENT,
	ST_COMMENT_DELETE,
	ST_COMMENT_GET,
	ST_COMMENT_LIST_POST,
	ST_COMMENTER_KNOWN,
	ST_COMMENT_APPROVED,
	ST_LABEL_LIST,
	ST_LABEL_RENAME,
	ST_LABEL_POSTS,
	ST_LABEL_MERGE_POS,
	ST_LABEL_MERGE_DUP,
	ST_LABEL_MERGE_MOVE,
	ST_LABEL_DELETE,
	ST_IX_DELETE,
	ST_IX_POST,
	ST_IX_COMMENTS,
	ST_IX_INSERT,
	ST_POST_IDS,
	ST_SEARCH_PAGE,
	ST_SEARCH_COUNT,
	ST_TERMS,
	ST_PHRASE_DOCS,
	ST_COUNT_PUBLISHED,
	ST_SAME_BODY,
	ST_MOD_ADD,
	ST_MOD_LIST,
	ST_MOD_LIST_COMMENT,
	ST_SPAM_TOTALS,
	ST_SPAM_TERM,
	ST_SPAM_TERM_ADD,
	ST_SPAM_TERM_SUB,
	ST_SPAM_TERM_PRUNE,
	ST_SPAM_TOTALS_ADD,
	ST_REDIRECT_PUT,
	ST_REDIRECT_GET,
	ST_CHANGES_RANGE,
	ST_CHANGES_SINCE,
	ST_NEXT_DUE,
	ST__MAX
};

/* Columns read by post_row(), in this order; POST_NCOLS of them. */
#define POST_COLS							\
	"p.id, p.path, p.slug, p.title, p.source, p.html, p.lang, "	\
	"p.status, p.is_page, p.published, p.updated, "			\
	"(SELECT count(*) FROM comments c WHERE c.post_id = p.id "	\
	"AND c.status = 'approved'), p.comments_closed, p.comments_days"
#define POST_NCOLS	14

/* Columns read by comment_row(), in this order. */
#define COMMENT_COLS							\
	"c.id, c.post_id, c.parent_id, c.name, c.email, c.url, "	\
	"c.body, c.status, c.created, c.addr_hash, c.spam_score, "	\
	"c.spam_reasons, p.title, p.path "				\
	"FROM comments c JOIN posts p ON p.id = c.post_id"

/*
 * store_comment_query.  Each filter is in the text only when it is in
 * use, one statement per combination (enum cq_filter bits), so that the
 * planner sees plain equalities and takes the matching index: the
 * moderation queue (status) comes straight off comments_status in
 * order, an author's comments off comments_name.  Parameters keep their
 * numbers in every variant: ?1 status, ?2 and ?3 the id range, ?4 the
 * author, ?5 the post, ?6 the limit (always there, so that ?1..?5 may
 * be bound whether used or not).
 */
enum cq_filter {
	CQ_STATUS = 1 << 0,
	CQ_IDS = 1 << 1,
	CQ_AUTHOR = 1 << 2,
	CQ_POST = 1 << 3,
	CQ__MAX = 1 << 4	/* number of combinations */
};

/* The filters, in bit order; name_key is what comment_insert writes. */
static const char *const cq_where[] = {
	" AND c.status = ?1",				/* CQ_STATUS */
	" AND c.id >= ?2 AND c.id <= ?3",		/* CQ_IDS */
	" AND c.name_key = gazette_label_key(?4)",	/* CQ_AUTHOR */
	" AND c.post_id = ?5",				/* CQ_POST */
};
#define CQ_HEAD		"SELECT " COMMENT_COLS " WHERE 1"
#define CQ_TAIL		" ORDER BY c.created DESC, c.id DESC LIMIT ?6"

/*
 * Listing parameters, the same numbers in every variant: ?1 now, ?2 from,
 * ?3 to, ?4 label, ?5 limit, ?6 offset, ?7 all statuses, ?8 pages too.
 * The public variant spells status and is_page as equalities so the
 * posts_due index serves the front page and archives in order with no
 * sort; the general one (admin, sitemap) may filter.
 */
#define LIST_PUB_WHERE							\
	"p.status = 'published' AND p.is_page = 0 AND "			\
	"p.published >= ?2 AND p.published < ?3 AND p.published <= ?1"
#define LIST_ANY_WHERE							\
	"(?7 OR (p.status = 'published' AND p.published <= ?1)) AND "	\
	"(?8 OR p.is_page = 0) AND "					\
	"p.published >= ?2 AND p.published < ?3"
#define LIST_FROM	"FROM posts p WHERE "
#define LIST_ORDER	" ORDER BY p.published DESC, p.id DESC"
#define LIST_LIMIT	LIST_ORDER " LIMIT ?5 OFFSET ?6"
/*
 * A label's posts.  CROSS JOIN fixes the order: from the label to its
 * posts, which costs what the label has.  Left to itself the planner
 * walks every post in date order testing each for the label, which is
 * slow for a rare label.  The page is picked on (published, id) alone
 * and only its rows are read whole, so the sort never carries bodies.
 */
#define LIST_FROM_LABEL							\
	"FROM labels l "						\
	"CROSS JOIN post_labels pl ON pl.label_id = l.id "		\
	"CROSS JOIN posts p ON p.id = pl.post_id "			\
	"WHERE l.key = gazette_label_key(?4) AND "
#define LIST_LABEL(where)						\
	"SELECT " POST_COLS " FROM (SELECT p.id AS kid "		\
	LIST_FROM_LABEL where LIST_LIMIT ") AS k "			\
	"CROSS JOIN posts p ON p.id = k.kid" LIST_ORDER

/*
 * Search parameters: ?1 the MATCH expression (store_fts5_match), ?2
 * now, ?3 a label id or 0, ?4 limit, ?5 offset.  Only published, due
 * posts that are not pages, though the index holds every post.  The
 * order is fixed, from the matches to their posts: left to itself the
 * planner may walk every published post and run the full-text query
 * once for each.  Each match's status is read from the posts_state
 * index, because in the row it comes after source and html, whose
 * overflow pages a row lookup would have to read first (ten times
 * slower on posts of a few kilobytes); the planner cannot know rows are
 * that wide, hence INDEXED BY.
 */
#define SEARCH_FROM							\
	"FROM post_search CROSS JOIN posts p INDEXED BY posts_state "	\
	"ON p.id = post_search.rowid "					\
	"WHERE post_search MATCH ?1 AND p.status = 'published' AND "	\
	"p.is_page = 0 AND p.published <= ?2 AND (?3 = 0 OR EXISTS "	\
	"(SELECT 1 FROM post_labels pl WHERE pl.post_id = p.id AND "	\
	"pl.label_id = ?3))"
/*
 * BM25 weights of title, body, labels and comments: a word in the title
 * or a label says more about what a post is about than one in its text,
 * and one in a comment less.
 */
#define SEARCH_RANK	"bm25(post_search, 10.0, 1.0, 5.0, 0.3)"
/*
 * The page is picked on the rank alone, with the number of all matches
 * alongside, so that snippets (which re-read and re-tokenize the text)
 * are made only for the rows returned: the outer MATCH on one rowid
 * gives snippet() the query's matches in that row.  The matches are
 * materialized first because an auxiliary function such as bm25() only
 * works straight off the FTS5 cursor, not inside a window query.
 */
#define SEARCH_PAGE							\
	"WITH m AS MATERIALIZED (SELECT post_search.rowid AS id, -"	\
	SEARCH_RANK " AS score, p.published AS pub " SEARCH_FROM	\
	" ORDER BY post_search.rowid DESC LIMIT ?6), "			\
	"k AS (SELECT id, score, pub, count(*) OVER () AS total FROM m "	\
	"ORDER BY score DESC, pub DESC, id DESC LIMIT ?4 OFFSET ?5) "	\
	"SELECT " POST_COLS ", k.score, k.total, "			\
	"gazette_snippet(post_search, 1, 0) "				\
	"FROM k CROSS JOIN posts p ON p.id = k.id "			\
	"CROSS JOIN post_search ON post_search.rowid = k.id "		\
	"WHERE post_search MATCH ?1 "					\
	"ORDER BY k.score DESC, k.pub DESC, k.id DESC"

/*
 * post_search exactly as 002-search.sql creates it, for store_reindex to
 * create it afresh (the reindex test compares the two).  A later
 * migration that changes the table changes this too.
 */
#define IX_CREATE							\
	"CREATE VIRTUAL TABLE post_search USING fts5 (\n"		\
	"\ttitle, body, labels, comments,\n"				\
	"\ttokenize = 'gazette'\n"					\
	")"

static const char *const sqls[ST__MAX] = {
	[ST_BEGIN] = "BEGIN",
	[ST_BEGIN_IMMEDIATE] = "BEGIN IMMEDIATE",
	[ST_COMMIT] = "COMMIT",
	[ST_ROLLBACK] = "ROLLBACK",
	[ST_DATA_VERSION] = "PRAGMA data_version",
	[ST_PING] = "SELECT count(*) FROM sqlite_schema",

	[ST_POST_BY_ID] = "SELECT " POST_COLS " FROM posts p WHERE p.id = ?1",
	[ST_POST_BY_PATH] =
	    "SELECT " POST_COLS " FROM posts p WHERE p.path = ?1",
	[ST_POST_BY_SLUG] =
	    "SELECT " POST_COLS " FROM posts p WHERE p.slug = ?1 "
	    "ORDER BY p.published DESC, p.id DESC LIMIT 1",
	[ST_POST_LABELS] =
	    "SELECT l.name FROM post_labels pl "
	    "JOIN labels l ON l.id = pl.label_id "
	    "WHERE pl.post_id = ?1 ORDER BY pl.position",

	[ST_LIST_PUB] =
	    "SELECT " POST_COLS " " LIST_FROM LIST_PUB_WHERE LIST_LIMIT,
	[ST_LIST_PUB_LABEL] = LIST_LABEL(LIST_PUB_WHERE),
	[ST_LIST_ANY] =
	    "SELECT " POST_COLS " " LIST_FROM LIST_ANY_WHERE LIST_LIMIT,
	[ST_LIST_ANY_LABEL] = LIST_LABEL(LIST_ANY_WHERE),
	[ST_COUNT_PUB] = "SELECT count(*) " LIST_FROM LIST_PUB_WHERE,
	[ST_COUNT_PUB_LABEL] =
	    "SELECT count(*) " LIST_FROM_LABEL LIST_PUB_WHERE,
	[ST_COUNT_ANY] = "SELECT count(*) " LIST_FROM LIST_ANY_WHERE,
	[ST_COUNT_ANY_LABEL] =
	    "SELECT count(*) " LIST_FROM_LABEL LIST_ANY_WHERE,

	[ST_POST_ID_BY_PATH] = "SELECT id FROM posts WHERE path = ?1",
	[ST_POST_EXISTS] = "SELECT id FROM posts WHERE id = ?1",
	[ST_POST_INSERT] =
	    "INSERT INTO posts (path, slug, title, source, html, lang, "
	    "status, is_page, published, updated, comments_closed, "
	    "comments_days) "
	    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
	[ST_POST_UPDATE] =
	    "UPDATE posts SET path = ?1, slug = ?2, title = ?3, "
	    "source = ?4, html = ?5, lang = ?6, status = ?7, is_page = ?8, "
	    "published = ?9, updated = ?10, comments_closed = ?11, "
	    "comments_days = ?12 WHERE id = ?13",
	[ST_POST_DELETE] = "DELETE FROM posts WHERE id = ?1",
	/*
	 * Labels that only this post uses go before its labels are
	 * replaced, so no label outlives its last post and a label
	 * re-added in other case takes the new spelling.
	 */
	[ST_LABELS_DROP_OWN] =
	    "DELETE FROM labels WHERE id IN "
	    "(SELECT label_id FROM post_labels WHERE post_id = ?1) "
	    "AND NOT EXISTS (SELECT 1 FROM post_labels o "
	    "WHERE o.label_id = labels.id AND o.post_id <> ?1)",
	[ST_POST_LABELS_CLEAR] = "DELETE FROM post_labels WHERE post_id = ?1",
	[ST_LABEL_ID] =
	    "SELECT id FROM labels WHERE key = gazette_label_key(?1)",
	[ST_LABEL_INSERT] =
	    "INSERT INTO labels (name, key) VALUES (?1, gazette_label_key(?1))",
	[ST_POST_LABEL_ADD] =
	    "INSERT INTO post_labels (post_id, label_id, position) "
	    "VALUES (?1, ?2, ?3) ON CONFLICT (post_id, label_id) DO NOTHING",
	[ST_LABEL_GET] =
	    "SELECT l.name FROM labels l WHERE l.key = gazette_label_key(?1) "
	    "AND EXISTS (SELECT 1 FROM post_labels pl "
	    "WHERE pl.label_id = l.id)",
	[ST_LABEL_LIST] =
	    "SELECT l.name, l.key, (SELECT count(*) FROM post_labels pl "
	    "JOIN posts p ON p.id = pl.post_id WHERE pl.label_id = l.id "
	    "AND p.status = 'published' AND p.is_page = 0 "
	    "AND p.published <= ?1) "
	    "FROM labels l ORDER BY l.name COLLATE NOCASE, l.id",
	[ST_LABEL_RENAME] =
	    "UPDATE labels SET name = ?2, key = gazette_label_key(?2) "
	    "WHERE id = ?1",
	[ST_LABEL_POSTS] =
	    "SELECT post_id FROM post_labels WHERE label_id = ?1",
	/*
	 * Merging label ?1 into ?2.  A post with both keeps ?2 where the
	 * first of the two stood, and positions stay distinct because
	 * ?1's row goes; elsewhere ?2 takes ?1's place.
	 */
	[ST_LABEL_MERGE_POS] =
	    "UPDATE post_labels SET position = min(position, "
	    "(SELECT f.position FROM post_labels f "
	    "WHERE f.post_id = post_labels.post_id AND f.label_id = ?1)) "
	    "WHERE label_id = ?2 AND post_id IN "
	    "(SELECT post_id FROM post_labels WHERE label_id = ?1)",
	[ST_LABEL_MERGE_DUP] =
	    "DELETE FROM post_labels WHERE label_id = ?1 AND post_id IN "
	    "(SELECT post_id FROM post_labels WHERE label_id = ?2)",
	[ST_LABEL_MERGE_MOVE] =
	    "UPDATE post_labels SET label_id = ?2 WHERE label_id = ?1",
	[ST_LABEL_DELETE] = "DELETE FROM labels WHERE id = ?1",

	[ST_IX_DELETE] = "DELETE FROM post_search WHERE rowid = ?1",
	[ST_IX_POST] =
	    "SELECT lang, title, html, source FROM posts WHERE id = ?1",
	[ST_IX_COMMENTS] =
	    "SELECT body FROM comments WHERE post_id = ?1 "
	    "AND status = 'approved' ORDER BY created, id",
	[ST_IX_INSERT] =
	    "INSERT INTO post_search (rowid, title, body, labels, comments) "
	    "VALUES (?1, ?2, ?3, ?4, ?5)",
	[ST_POST_IDS] = "SELECT id FROM posts ORDER BY id",
	[ST_SEARCH_PAGE] = SEARCH_PAGE,
	[ST_SEARCH_COUNT] = "SELECT count(*) FROM (SELECT 1 " SEARCH_FROM
	    " LIMIT ?6)",
	/* Counts of indexed posts: fts5vocab cannot leave drafts out. */
	[ST_TERMS] =
	    "SELECT term, doc FROM post_search_vocab "
	    "WHERE term >= ?1 AND term < ?2 ORDER BY doc DESC, term LIMIT ?3",
	[ST_PHRASE_DOCS] =
	    "SELECT count(*) FROM post_search "
	    "CROSS JOIN posts p INDEXED BY posts_state "
	    "ON p.id = post_search.rowid "
	    "WHERE post_search MATCH ?1 AND p.status = 'published' "
	    "AND p.is_page = 0",
	[ST_COUNT_PUBLISHED] =
	    "SELECT count(*) FROM posts "
	    "WHERE status = 'published' AND is_page = 0",

	[ST_COMMENT_POST_OF] = "SELECT post_id FROM comments WHERE id = ?1",
	[ST_COMMENT_INSERT] =
	    "INSERT INTO comments (post_id, parent_id, name, email, url, "
	    "body, status, created, addr_hash, spam_score, spam_reasons, "
	    "body_hash, name_key) "
	    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, "
	    "gazette_label_key(?3))",
	[ST_COMMENT_FIND] =
	    "SELECT id FROM comments WHERE post_id = ?1 AND created = ?2 "
	    "AND name = ?3 AND body = ?4 ORDER BY id LIMIT 1",
	[ST_COMMENT_SET_STATUS] =
	    "UPDATE comments SET status = ?2 WHERE id = ?1",
	[ST_COMMENT_PARENT_OF] =
	    "SELECT parent_id FROM comments WHERE id = ?1",
	[ST_COMMENT_REPARENT] =
	    "UPDATE comments SET parent_id = ?2 WHERE parent_id = ?1",
	[ST_COMMENT_DELETE] = "DELETE FROM comments WHERE id = ?1",
	[ST_COMMENT_GET] = "SELECT " COMMENT_COLS " WHERE c.id = ?1",
	[ST_COMMENT_LIST_POST] =
	    "SELECT " COMMENT_COLS " WHERE c.post_id = ?1 "
	    "AND (?2 OR c.status = ?3) ORDER BY c.created, c.id",
	/* The expressions match the comments_commenter index. */
	[ST_COMMENTER_KNOWN] =
	    "SELECT 1 FROM comments WHERE lower(name) = lower(?1) "
	    "AND lower(email) = lower(?2) AND status = 'approved' LIMIT 1",
	[ST_COMMENT_APPROVED] =
	    "SELECT status = 'approved' FROM comments WHERE id = ?1",

	/* The hash narrows to a few rows; the body settles a collision. */
	[ST_SAME_BODY] =
	    "SELECT count(*) FROM comments WHERE body_hash = ?1 "
	    "AND created >= ?2 AND body = ?3",
	[ST_MOD_ADD] =
	    "INSERT INTO moderation_log (comment_id, action, actor, at, "
	    "detail) VALUES (?1, ?2, ?3, ?4, ?5)",
	[ST_MOD_LIST] =
	    "SELECT id, comment_id, action, actor, at, detail "
	    "FROM moderation_log ORDER BY at DESC, id DESC LIMIT ?1",
	[ST_MOD_LIST_COMMENT] =
	    "SELECT id, comment_id, action, actor, at, detail "
	    "FROM moderation_log WHERE comment_id = ?2 "
	    "ORDER BY at DESC, id DESC LIMIT ?1",
	[ST_SPAM_TOTALS] = "SELECT nham, nspam FROM spam_totals WHERE id = 1",
	[ST_REDIRECT_PUT] =
	    "INSERT INTO redirects (path, target) VALUES (?1, ?2) "
	    "ON CONFLICT (path) DO UPDATE SET target = excluded.target",
	[ST_REDIRECT_GET] = "SELECT target FROM redirects WHERE path = ?1",
	/* The change log (005-changes.sql); seq is the rowid. */
	[ST_CHANGES_RANGE] = "SELECT min(seq), max(seq) FROM changes",
	[ST_CHANGES_SINCE] =
	    "SELECT seq, tag FROM changes WHERE seq > ?1 ORDER BY seq",
	/* The posts_due index gives the minimum straight away. */
	[ST_NEXT_DUE] =
	    "SELECT min(published) FROM posts WHERE status = 'published' "
	    "AND is_page = 0 AND published > ?1",
	[ST_SPAM_TERM] = "SELECT ham, spam FROM spam_terms WHERE term = ?1",
	/*
	 * Learning: ?2 and ?3 are what to add to ham and spam.  Adding
	 * upserts; taking away only touches rows that are there, and
	 * drops a row that reaches nothing (ST_SPAM_TERM_PRUNE), so that
	 * unlearning leaves no trace of terms it never saw.
	 */
	[ST_SPAM_TERM_ADD] =
	    "INSERT INTO spam_terms (term, ham, spam) VALUES (?1, ?2, ?3) "
	    "ON CONFLICT (term) DO UPDATE SET ham = ham + ?2, "
	    "spam = spam + ?3",
	[ST_SPAM_TERM_SUB] =
	    "UPDATE spam_terms SET ham = max(ham + ?2, 0), "
	    "spam = max(spam + ?3, 0) WHERE term = ?1",
	[ST_SPAM_TERM_PRUNE] =
	    "DELETE FROM spam_terms WHERE term = ?1 AND ham = 0 AND spam = 0",
	/* The row may be missing from a hand-edited file. */
	[ST_SPAM_TOTALS_ADD] =
	    "INSERT INTO spam_totals (id, nham, nspam) "
	    "VALUES (1, max(?1, 0), max(?2, 0)) "
	    "ON CONFLICT (id) DO UPDATE SET nham = max(nham + ?1, 0), "
	    "nspam = max(nspam + ?2, 0)",
};

/* A connection and its statements. */
struct conn {
	sqlite3		*db;
	sqlite3_stmt	*st[ST__MAX];	/* prepared on first use, or NULL */
	sqlite3_stmt	*cq[CQ__MAX];	/* comment queries, the same way */
	int		 in_read;	/* inside read_begin's BEGIN */
};

struct sqlite_engine;

/* A thread's read connection; owned by the thread's rkey slot. */
struct reader {
	struct conn		 c;
	struct sqlite_engine	*sq;	/* borrowed: the store it reads */
	int64_t			 dv;	/* PRAGMA data_version last seen */
	struct reader		*prev;	/* in sq->readers, under rlock */
	struct reader		*next;
};

/* The engine behind one struct store. */
struct sqlite_engine {
	char		*path;		/* absolute, for readers; owned */
	struct conn	 w;		/* the writer, under wlock */
	pthread_mutex_t	 wlock;		/* held from write_begin to end */
	pthread_key_t	 wkey;		/* non-NULL on the writing thread */
	pthread_key_t	 rkey;		/* the thread's struct reader */
	int		 has_keys;	/* wkey and rkey were created */
	pthread_mutex_t	 rlock;		/* guards readers */
	struct reader	*readers;	/* every open reader, to close */
	/*
	 * Counts changes seen by any reader and commits made by the
	 * writer; what store_data_version returns.  Atomic: every
	 * thread reads and bumps it without a lock.
	 */
	_Atomic int64_t	 epoch;
};

/* Maps a SQLite result code to ours. */
static enum store_err
rc_err(int rc)
{
	switch (rc) {
	case SQLITE_CONSTRAINT_UNIQUE:
	case SQLITE_CONSTRAINT_PRIMARYKEY:
		return STORE_CONFLICT;
	case SQLITE_CONSTRAINT_FOREIGNKEY:
		return STORE_NOTFOUND;	/* it names a row that is not there */
	default:
		break;
	}
	switch (rc & 0xff) {
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		return STORE_BUSY;
	default:
		return STORE_ERR;
	}
}

/* Records the connection's message under what; returns our code. */
static enum store_err
dberr(struct conn *c, int rc, const char *what)
{
	store_errmsg_set("%s: %s", what, sqlite3_errmsg(c->db));
	return rc_err(rc);
}

/* Ends a use of a statement: back to the start, no borrowed pointers. */
static void
done(sqlite3_stmt *st)
{
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
}

/* The connection's statement id, prepared on first use; NULL on error. */
static sqlite3_stmt *
stmt(struct conn *c, enum stmt id)
{
	int	 rc;

	if (c->st[id] != NULL)
		return c->st[id];
	rc = sqlite3_prepare_v3(c->db, sqls[id], -1,
	    SQLITE_PREPARE_PERSISTENT, &c->st[id], NULL);
	if (rc != SQLITE_OK) {
		dberr(c, rc, "prepare");
		c->st[id] = NULL;
		return NULL;
	}
	return c->st[id];
}

/* Sticky binders: each is a no-op once *rc is set. */
static void
bind_str(sqlite3_stmt *st, int i, const char *s, int *rc)
{
	if (*rc == SQLITE_OK)
		*rc = sqlite3_bind_text(st, i, s == NULL ? "" : s, -1,
		    SQLITE_STATIC);
}

static void
bind_i64(sqlite3_stmt *st, int i, int64_t v, int *rc)
{
	if (*rc == SQLITE_OK)
		*rc = sqlite3_bind_int64(st, i, v);
}

/* Binds an id, with 0 (none) as NULL. */
static void
bind_id(sqlite3_stmt *st, int i, int64_t v, int *rc)
{
	if (*rc != SQLITE_OK)
		return;
	if (v == 0)
		*rc = sqlite3_bind_null(st, i);
	else
		*rc = sqlite3_bind_int64(st, i, v);
}

/* Binds a size as a LIMIT (0: none) or OFFSET. */
static void
bind_size(sqlite3_stmt *st, int i, size_t v, int is_limit, int *rc)
{
	if (is_limit && v == 0)
		bind_i64(st, i, -1, rc);
	else
		bind_i64(st, i, v > INT64_MAX ? INT64_MAX : (int64_t)v, rc);
}

static void
bind_double(sqlite3_stmt *st, int i, double v, int *rc)
{
	if (*rc == SQLITE_OK)
		*rc = sqlite3_bind_double(st, i, v);
}

/*
 * comments.body_hash of a body: 64-bit FNV-1a of its bytes with the top
 * bit cleared, so that it is a positive SQLite integer whatever the
 * platform does with unsigned-to-signed conversion.  Stored, so it must
 * never change (see 003-moderation.sql).
 */
static int64_t
body_hash(const char *s, size_t len)
{
	uint64_t	 h = UINT64_C(0xcbf29ce484222325);
	size_t		 i;

	for (i = 0; i < len; i++) {
		h ^= (unsigned char)s[i];
		h *= UINT64_C(0x100000001b3);
	}
	return (int64_t)(h & INT64_MAX);
}

/* Steps a statement that returns no rows; resets it. */
static enum store_err
run(struct conn *c, sqlite3_stmt *st, int brc, const char *what)
{
	enum store_err	 e = STORE_OK;
	int		 rc;

	if (brc != SQLITE_OK)
		e = dberr(c, brc, what);
	else if ((rc = sqlite3_step(st)) != SQLITE_DONE &&
	    rc != SQLITE_ROW)
		e = dberr(c, rc, what);
	done(st);
	return e;
}

/*
 * Steps a statement that returns at most one integer; resets it.
 * STORE_NOTFOUND when it returned no row; a NULL reads as 0.
 */
static enum store_err
one_int(struct conn *c, sqlite3_stmt *st, int brc, const char *what,
    int64_t *out)
{
	enum store_err	 e;
	int		 rc;

	*out = 0;
	if (brc != SQLITE_OK)
		e = dberr(c, brc, what);
	else if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		*out = sqlite3_column_int64(st, 0);
		e = STORE_OK;
	} else if (rc == SQLITE_DONE)
		e = STORE_NOTFOUND;
	else
		e = dberr(c, rc, what);
	done(st);
	return e;
}

/* Runs a statement that takes no parameters. */
static enum store_err
run_plain(struct conn *c, enum stmt id, const char *what)
{
	sqlite3_stmt	*st;

	if ((st = stmt(c, id)) == NULL)
		return STORE_ERR;
	return run(c, st, SQLITE_OK, what);
}

/*
 * Opens a snapshot for a read made of several statements, so that a
 * post and its labels, or a count and its page, agree.  A no-op on the
 * writer inside its transaction, which is a snapshot already.
 */
static enum store_err
read_begin(struct conn *c)
{
	enum store_err	 e;

	if (!sqlite3_get_autocommit(c->db))
		return STORE_OK;
	if ((e = run_plain(c, ST_BEGIN, "begin read")) == STORE_OK)
		c->in_read = 1;
	return e;
}

/*
 * Ends read_begin's snapshot whatever happened in between: a reader
 * left inside a transaction would never see new data again.
 */
static void
read_end(struct conn *c)
{
	if (!c->in_read)
		return;
	c->in_read = 0;
	if (run_plain(c, ST_COMMIT, "end read") != STORE_OK &&
	    !sqlite3_get_autocommit(c->db) &&
	    run_plain(c, ST_ROLLBACK, "end read") != STORE_OK)
		log_warnx("sqlite: %s", sqlite3_errmsg(c->db));
}

/* Finalizes a connection's statements; the connection stays open. */
static void
conn_finalize(struct conn *c)
{
	size_t	 i;

	for (i = 0; i < ST__MAX; i++) {
		sqlite3_finalize(c->st[i]);
		c->st[i] = NULL;
	}
	for (i = 0; i < CQ__MAX; i++) {
		sqlite3_finalize(c->cq[i]);
		c->cq[i] = NULL;
	}
}

/* Finalizes a connection's statements and closes it. */
static void
conn_close(struct conn *c)
{
	conn_finalize(c);
	if (c->db != NULL && sqlite3_close(c->db) != SQLITE_OK)
		log_warnx("sqlite: close: %s", sqlite3_errmsg(c->db));
	c->db = NULL;
}

/* Takes r out of its store's list; the caller holds rlock. */
static void
reader_unlink(struct reader *r)
{
	if (r->prev != NULL)
		r->prev->next = r->next;
	else
		r->sq->readers = r->next;
	if (r->next != NULL)
		r->next->prev = r->prev;
	r->prev = r->next = NULL;
}

/* rkey's destructor: a thread that read is exiting. */
static void
reader_destroy(void *arg)
{
	struct reader	*r = arg;

	pthread_mutex_lock(&r->sq->rlock);
	reader_unlink(r);
	pthread_mutex_unlock(&r->sq->rlock);
	conn_close(&r->c);
	free(r);
}

/* This thread's reader, opened on first use; NULL (with a message). */
static struct reader *
reader_get(struct sqlite_engine *sq)
{
	struct reader	*r;
	int		 rc;

	if ((r = pthread_getspecific(sq->rkey)) != NULL)
		return r;
	r = xcalloc(1, sizeof(*r));
	r->sq = sq;
	rc = sqlite3_open_v2(sq->path, &r->c.db,
	    SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, NULL);
	if (rc != SQLITE_OK) {
		store_errmsg_set("%s: %s", sq->path, r->c.db == NULL ?
		    sqlite3_errstr(rc) : sqlite3_errmsg(r->c.db));
		conn_close(&r->c);
		free(r);
		return NULL;
	}
	sqlite3_extended_result_codes(r->c.db, 1);
	sqlite3_busy_timeout(r->c.db, BUSY_MS);
	if ((rc = store_fts5_register(r->c.db)) != SQLITE_OK) {
		store_errmsg_set("%s: search tokenizer: %s", sq->path,
		    sqlite3_errstr(rc));
		conn_close(&r->c);
		free(r);
		return NULL;
	}
	if ((rc = pthread_setspecific(sq->rkey, r)) != 0) {
		store_errmsg_set("pthread_setspecific: %s", strerror(rc));
		conn_close(&r->c);
		free(r);
		return NULL;
	}
	pthread_mutex_lock(&sq->rlock);
	r->next = sq->readers;
	if (r->next != NULL)
		r->next->prev = r;
	sq->readers = r;
	pthread_mutex_unlock(&sq->rlock);
	return r;
}

/* The writer when this thread holds it (reads see its changes). */
static struct conn *
conn_read(struct sqlite_engine *sq)
{
	struct reader	*r;

	if (pthread_getspecific(sq->wkey) != NULL)
		return &sq->w;
	if ((r = reader_get(sq)) == NULL)
		return NULL;
	return &r->c;
}

/* The writer, if this thread holds it; NULL with a message if not. */
static struct conn *
conn_write(struct sqlite_engine *sq)
{
	if (pthread_getspecific(sq->wkey) == NULL) {
		store_errmsg_set("write outside store_write_begin");
		return NULL;
	}
	return &sq->w;
}

/* Copies a text column into the arena; NULL reads as "". */
static char *
col_str(sqlite3_stmt *st, int i, struct arena *a)
{
	const unsigned char	*t;
	size_t			 len;
	char			*s;

	t = sqlite3_column_text(st, i);
	len = (size_t)sqlite3_column_bytes(st, i);
	s = arena_alloc(a, len + 1);
	if (t != NULL)
		memcpy(s, t, len);
	return s;
}

/* Fills p from a row of POST_COLS; labels come separately. */
static void
post_row(sqlite3_stmt *st, struct arena *a, struct post *p)
{
	const char	*status;
	int		 v;

	p->id = sqlite3_column_int64(st, 0);
	p->path = col_str(st, 1, a);
	p->slug = col_str(st, 2, a);
	p->title = col_str(st, 3, a);
	p->source = col_str(st, 4, a);
	p->html = col_str(st, 5, a);
	p->lang = col_str(st, 6, a);
	/* Anything unexpected in a hand-edited file stays hidden. */
	status = (const char *)sqlite3_column_text(st, 7);
	v = post_status_parse(status);
	p->status = v < 0 ? POST_DRAFT : (enum post_status)v;
	p->is_page = sqlite3_column_int64(st, 8) != 0;
	p->published = sqlite3_column_int64(st, 9);
	p->updated = sqlite3_column_int64(st, 10);
	p->ncomments = sqlite3_column_int64(st, 11);
	p->comments_closed = sqlite3_column_int64(st, 12) != 0;
	/* The schema's CHECK keeps it >= 0; int is the contract's type. */
	p->comments_days = sqlite3_column_int(st, 13);
	p->labels = NULL;
	p->nlabels = 0;
}

/* Reads p's labels, in order, into the arena. */
static enum store_err
post_labels(struct conn *c, struct arena *a, struct post *p)
{
	sqlite3_stmt	*st;
	char		**v = NULL;
	size_t		 n = 0, cap = 0;
	enum store_err	 e = STORE_OK;
	int		 rc = SQLITE_OK;

	if ((st = stmt(c, ST_POST_LABELS)) == NULL)
		return STORE_ERR;
	bind_i64(st, 1, p->id, &rc);
	if (rc != SQLITE_OK) {
		e = dberr(c, rc, "post labels");
		done(st);
		return e;
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		v = arena_grow(a, v, n, &cap, sizeof(*v));
		v[n++] = col_str(st, 0, a);
	}
	if (rc != SQLITE_DONE)
		e = dberr(c, rc, "post labels");
	done(st);
	if (e == STORE_OK) {
		p->labels = v;
		p->nlabels = n;
	}
	return e;
}

/* One post by id (sval NULL) or by text key, with its labels. */
static enum store_err
post_get(struct store *s, struct arena *a, enum stmt id, int64_t ival,
    const char *sval, struct post **out)
{
	struct sqlite_engine	*sq = s->engine;
	struct conn		*c;
	sqlite3_stmt		*st;
	struct post		*p = NULL;
	enum store_err		 e;
	int			 rc = SQLITE_OK;

	if ((c = conn_read(sq)) == NULL)
		return STORE_ERR;
	if ((e = read_begin(c)) != STORE_OK)
		return e;
	if ((st = stmt(c, id)) == NULL) {
		e = STORE_ERR;
		goto out;
	}
	if (sval != NULL)
		bind_str(st, 1, sval, &rc);
	else
		bind_i64(st, 1, ival, &rc);
	if (rc != SQLITE_OK)
		e = dberr(c, rc, "post get");
	else if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		p = arena_alloc(a, sizeof(*p));
		post_row(st, a, p);
	} else if (rc == SQLITE_DONE)
		e = STORE_NOTFOUND;
	else
		e = dberr(c, rc, "post get");
	done(st);
	if (e == STORE_OK)
		e = post_labels(c, a, p);
out:
	read_end(c);
	if (e == STORE_OK)
		*out = p;
	return e;
}

static enum store_err
store_sqlite_post_get_id(struct store *s, struct arena *a, int64_t id,
    struct post **out)
{
	return post_get(s, a, ST_POST_BY_ID, id, NULL, out);
}

static enum store_err
store_sqlite_post_get_path(struct store *s, struct arena *a,
    const char *path, struct post **out)
{
	if (path == NULL)
		return STORE_NOTFOUND;
	return post_get(s, a, ST_POST_BY_PATH, 0, path, out);
}

static enum store_err
store_sqlite_post_get_slug(struct store *s, struct arena *a,
    const char *slug, struct post **out)
{
	if (slug == NULL)
		return STORE_NOTFOUND;
	return post_get(s, a, ST_POST_BY_SLUG, 0, slug, out);
}

/* Binds a post_query to a listing or count statement (?1..?8). */
static int
bind_query(sqlite3_stmt *st, const struct post_query *q)
{
	int64_t	 from, to, limit, offset;
	int	 rc = SQLITE_OK, max;

	from = q->from == 0 ? INT64_MIN : q->from;
	to = q->to == 0 ? INT64_MAX : q->to;
	limit = q->limit == 0 || q->limit > INT64_MAX ? -1 :
	    (int64_t)q->limit;
	offset = q->offset > INT64_MAX ? INT64_MAX : (int64_t)q->offset;
	/* Counts have no ?5, ?6; a statement may stop before ?8. */
	max = sqlite3_bind_parameter_count(st);
	bind_i64(st, 1, q->now, &rc);
	bind_i64(st, 2, from, &rc);
	bind_i64(st, 3, to, &rc);
	if (q->label != NULL)
		bind_str(st, 4, q->label, &rc);
	if (max >= 6) {
		bind_i64(st, 5, limit, &rc);
		bind_i64(st, 6, offset, &rc);
	}
	if (max >= 8) {
		bind_i64(st, 7, q->all_statuses != 0, &rc);
		bind_i64(st, 8, q->include_pages != 0, &rc);
	}
	return rc;
}

static enum store_err
store_sqlite_post_list(struct store *s, struct arena *a,
    const struct post_query *q, struct post_list *out)
{
	struct sqlite_engine	*sq = s->engine;
	struct conn		*c;
	sqlite3_stmt		*st;
	struct post		*v = NULL;
	size_t			 i, n = 0, cap = 0;
	int64_t			 total = 0;
	enum stmt		 lid, cid;
	enum store_err		 e;
	int			 pub, rc;

	pub = !q->all_statuses && !q->include_pages;
	if (pub) {
		lid = q->label != NULL ? ST_LIST_PUB_LABEL : ST_LIST_PUB;
		cid = q->label != NULL ? ST_COUNT_PUB_LABEL : ST_COUNT_PUB;
	} else {
		lid = q->label != NULL ? ST_LIST_ANY_LABEL : ST_LIST_ANY;
		cid = q->label != NULL ? ST_COUNT_ANY_LABEL : ST_COUNT_ANY;
	}

	if ((c = conn_read(sq)) == NULL)
		return STORE_ERR;
	if ((e = read_begin(c)) != STORE_OK)
		return e;
	if ((st = stmt(c, cid)) == NULL) {
		e = STORE_ERR;
		goto out;
	}
	rc = bind_query(st, q);
	if ((e = one_int(c, st, rc, "post count", &total)) != STORE_OK)
		goto out;

	if ((st = stmt(c, lid)) == NULL) {
		e = STORE_ERR;
		goto out;
	}
	if ((rc = bind_query(st, q)) != SQLITE_OK) {
		e = dberr(c, rc, "post list");
		done(st);
		goto out;
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		v = arena_grow(a, v, n, &cap, sizeof(*v));
		post_row(st, a, &v[n++]);
	}
	if (rc != SQLITE_DONE)
		e = dberr(c, rc, "post list");
	done(st);
	for (i = 0; e == STORE_OK && i < n; i++)
		e = post_labels(c, a, &v[i]);
out:
	read_end(c);
	if (e == STORE_OK) {
		out->v = v;
		out->n = n;
		out->total = (size_t)total;
	}
	return e;
}

/* Fills m from a row of COMMENT_COLS. */
static void
comment_row(sqlite3_stmt *st, struct arena *a, struct comment *m)
{
	const char	*status;
	int		 v;

	m->id = sqlite3_column_int64(st, 0);
	m->post_id = sqlite3_column_int64(st, 1);
	m->parent_id = sqlite3_column_int64(st, 2);
	m->name = col_str(st, 3, a);
	m->email = col_str(st, 4, a);
	m->url = col_str(st, 5, a);
	m->body = col_str(st, 6, a);
	/* Anything unexpected in a hand-edited file stays hidden. */
	status = (const char *)sqlite3_column_text(st, 7);
	v = comment_status_parse(status);
	m->status = v < 0 ? COMMENT_PENDING : (enum comment_status)v;
	m->created = sqlite3_column_int64(st, 8);
	m->addr_hash = col_str(st, 9, a);
	m->spam_score = sqlite3_column_double(st, 10);
	m->spam_reasons = col_str(st, 11, a);
	m->post_title = col_str(st, 12, a);
	m->post_path = col_str(st, 13, a);
}

/* Steps a bound comment statement to the end, into out. */
static enum store_err
comment_rows(struct conn *c, sqlite3_stmt *st, int brc, struct arena *a,
    struct comment_list *out)
{
	struct comment	*v = NULL;
	size_t		 n = 0, cap = 0;
	enum store_err	 e = STORE_OK;
	int		 rc;

	if (brc != SQLITE_OK) {
		e = dberr(c, brc, "comment list");
		done(st);
		return e;
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		v = arena_grow(a, v, n, &cap, sizeof(*v));
		comment_row(st, a, &v[n++]);
	}
	if (rc != SQLITE_DONE)
		e = dberr(c, rc, "comment list");
	done(st);
	if (e == STORE_OK) {
		out->v = v;
		out->n = n;
	}
	return e;
}

static enum store_err
store_sqlite_comment_list_post(struct store *s, struct arena *a,
    int64_t post_id, enum comment_status cs, struct comment_list *out)
{
	struct conn	*c;
	sqlite3_stmt	*st;
	int		 rc = SQLITE_OK;

	if ((c = conn_read(s->engine)) == NULL)
		return STORE_ERR;
	if ((st = stmt(c, ST_COMMENT_LIST_POST)) == NULL)
		return STORE_ERR;
	bind_i64(st, 1, post_id, &rc);
	bind_i64(st, 2, cs == COMMENT_STATUS__MAX, &rc);
	bind_str(st, 3, comment_status_name(cs), &rc);
	return comment_rows(c, st, rc, a, out);
}

/*
 * The comment query for the filters in mask (enum cq_filter), prepared
 * on first use from the fixed pieces above; NULL on error.
 */
static sqlite3_stmt *
cq_stmt(struct conn *c, unsigned mask)
{
	struct buf	 b = BUF_INIT;
	size_t		 i;
	int		 rc;

	if (c->cq[mask] != NULL)
		return c->cq[mask];
	buf_adds(&b, CQ_HEAD);
	for (i = 0; i < nitems(cq_where); i++)
		if (mask & (1u << i))
			buf_adds(&b, cq_where[i]);
	buf_adds(&b, CQ_TAIL);
	rc = sqlite3_prepare_v3(c->db, b.p, (int)b.len,
	    SQLITE_PREPARE_PERSISTENT, &c->cq[mask], NULL);
	buf_clear(&b);
	if (rc != SQLITE_OK) {
		dberr(c, rc, "prepare comment query");
		c->cq[mask] = NULL;
		return NULL;
	}
	return c->cq[mask];
}

static enum store_err
store_sqlite_comment_query(struct store *s, struct arena *a,
    const struct comment_query *q, struct comment_list *out)
{
	struct conn	*c;
	sqlite3_stmt	*st;
	unsigned	 mask = 0;
	int		 rc = SQLITE_OK;

	if (q->status != COMMENT_STATUS__MAX)
		mask |= CQ_STATUS;
	if (q->id_min != 0 || q->id_max != 0)
		mask |= CQ_IDS;
	if (q->author != NULL)
		mask |= CQ_AUTHOR;
	if (q->post_id != 0)
		mask |= CQ_POST;
	if ((c = conn_read(s->engine)) == NULL)
		return STORE_ERR;
	if ((st = cq_stmt(c, mask)) == NULL)
		return STORE_ERR;
	bind_str(st, 1, comment_status_name(q->status), &rc);
	/* One end given: the other is open. */
	bind_i64(st, 2, q->id_min, &rc);
	bind_i64(st, 3, q->id_max == 0 ? INT64_MAX : q->id_max, &rc);
	bind_str(st, 4, q->author, &rc);
	bind_i64(st, 5, q->post_id, &rc);
	bind_size(st, 6, q->limit, 1, &rc);
	return comment_rows(c, st, rc, a, out);
}

static enum store_err
store_sqlite_comment_get(struct store *s, struct arena *a, int64_t id,
    struct comment **out)
{
	struct conn	*c;
	sqlite3_stmt	*st;
	struct comment	*m = NULL;
	enum store_err	 e = STORE_OK;
	int		 rc = SQLITE_OK;

	if ((c = conn_read(s->engine)) == NULL)
		return STORE_ERR;
	if ((st = stmt(c, ST_COMMENT_GET)) == NULL)
		return STORE_ERR;
	bind_i64(st, 1, id, &rc);
	if (rc != SQLITE_OK)
		e = dberr(c, rc, "comment get");
	else if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		m = arena_alloc(a, sizeof(*m));
		comment_row(st, a, m);
	} else if (rc == SQLITE_DONE)
		e = STORE_NOTFOUND;
	else
		e = dberr(c, rc, "comment get");
	done(st);
	if (e == STORE_OK)
		*out = m;
	return e;
}

static enum store_err
store_sqlite_commenter_known(struct store *s, const char *name,
    const char *email, int *out)
{
	struct conn	*c;
	sqlite3_stmt	*st;
	int64_t		 v;
	enum store_err	 e;
	int		 rc = SQLITE_OK;

	if (name == NULL)
		return STORE_OK;
	if ((c = conn_read(s->engine)) == NULL)
		return STORE_ERR;
	if ((st = stmt(c, ST_COMMENTER_KNOWN)) == NULL)
		return STORE_ERR;
	bind_str(st, 1, name, &rc);
	bind_str(st, 2, email, &rc);
	e = one_int(c, st, rc, "commenter known", &v);
	if (e == STORE_NOTFOUND)
		return STORE_OK;
	if (e == STORE_OK)
		*out = 1;
	return e;
}

static enum store_err
store_sqlite_label_get(struct store *s, struct arena *a, const char *name,
    char **out)
{
	struct conn	*c;
	sqlite3_stmt	*st;
	char		*v = NULL;
	enum store_err	 e = STORE_OK;
	int		 rc = SQLITE_OK;

	if (name == NULL)
		return STORE_NOTFOUND;
	if ((c = conn_read(s->engine)) == NULL)
		return STORE_ERR;
	if ((st = stmt(c, ST_LABEL_GET)) == NULL)
		return STORE_ERR;
	bind_str(st, 1, name, &rc);
	if (rc != SQLITE_OK)
		e = dberr(c, rc, "label get");
	else if ((rc = sqlite3_step(st)) == SQLITE_ROW)
		v = col_str(st, 0, a);
	else if (rc == SQLITE_DONE)
		e = STORE_NOTFOUND;
	else
		e = dberr(c, rc, "label get");
	done(st);
	if (e == STORE_OK)
		*out = v;
	return e;
}

/* ---- writing ---- */

static enum store_err
store_sqlite_write_begin(struct store *s)
{
	struct sqlite_engine	*sq = s->engine;
	enum store_err		 e;
	int			 rc;

	/* Taking the mutex again would deadlock this thread. */
	if (pthread_getspecific(sq->wkey) != NULL) {
		store_errmsg_set("store_write_begin inside a write");
		return STORE_ERR;
	}
	pthread_mutex_lock(&sq->wlock);
	/*
	 * IMMEDIATE takes the database's write lock now, so a busy
	 * database shows here, before the caller did any work, rather
	 * than as a failed write half-way.
	 */
	if ((e = run_plain(&sq->w, ST_BEGIN_IMMEDIATE, "begin")) !=
	    STORE_OK) {
		pthread_mutex_unlock(&sq->wlock);
		return e;
	}
	if ((rc = pthread_setspecific(sq->wkey, sq)) != 0) {
		store_errmsg_set("pthread_setspecific: %s", strerror(rc));
		run_plain(&sq->w, ST_ROLLBACK, "rollback");
		pthread_mutex_unlock(&sq->wlock);
		return STORE_ERR;
	}
	return STORE_OK;
}

static enum store_err
store_sqlite_write_end(struct store *s, int commit)
{
	struct sqlite_engine	*sq = s->engine;
	struct conn		*c = &sq->w;
	enum store_err		 e = STORE_OK;

	if (pthread_getspecific(sq->wkey) == NULL) {
		store_errmsg_set("store_write_end without store_write_begin");
		return STORE_ERR;
	}
	if (commit) {
		/* Some errors (I/O, full disk) end the transaction early. */
		if (sqlite3_get_autocommit(c->db)) {
			store_errmsg_set("commit: the transaction was already "
			    "rolled back by an earlier error");
			e = STORE_ERR;
		} else if ((e = run_plain(c, ST_COMMIT, "commit")) ==
		    STORE_OK)
			atomic_fetch_add(&sq->epoch, 1);
	}
	if (!sqlite3_get_autocommit(c->db) &&
	    run_plain(c, ST_ROLLBACK, "rollback") != STORE_OK) {
		log_warnx("sqlite: %s", store_errmsg(s));
		if (e == STORE_OK)
			e = STORE_ERR;
	}
	pthread_setspecific(sq->wkey, NULL);
	pthread_mutex_unlock(&sq->wlock);
	return e;
}

/* ---- the search index ---- */

/* Binds b's bytes as text (SQLITE_STATIC: b must outlive the step). */
static void
bind_buf(sqlite3_stmt *st, int i, const struct buf *b, int *rc)
{
	if (*rc != SQLITE_OK)
		return;
	/* An int counts the bytes; <limits.h> is shadowed by base's. */
	if (b->len > INT32_MAX)
		*rc = SQLITE_TOOBIG;
	else
		*rc = sqlite3_bind_text(st, i, b->p == NULL ? "" : b->p,
		    (int)b->len, SQLITE_STATIC);
}

/* Appends a text column's bytes to b. */
static void
col_buf(sqlite3_stmt *st, int i, struct buf *b)
{
	const unsigned char	*t;

	if ((t = sqlite3_column_text(st, i)) != NULL)
		buf_add(b, t, (size_t)sqlite3_column_bytes(st, i));
}

/*
 * Appends the first column of every row of st (bound to post ?1 = id)
 * to b, the rows separated by sep.
 */
static enum store_err
rows_join(struct conn *c, enum stmt id, int64_t post, const char *sep,
    struct buf *b)
{
	sqlite3_stmt	*st;
	enum store_err	 e = STORE_OK;
	size_t		 n = 0;
	int		 rc = SQLITE_OK;

	if ((st = stmt(c, id)) == NULL)
		return STORE_ERR;
	bind_i64(st, 1, post, &rc);
	if (rc != SQLITE_OK) {
		e = dberr(c, rc, "search index");
		done(st);
		return e;
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (n++ > 0)
			buf_adds(b, sep);
		col_buf(st, 0, b);
	}
	if (rc != SQLITE_DONE)
		e = dberr(c, rc, "search index");
	done(st);
	return e;
}

/* Drops post id's row of the search index, if it has one. */
static enum store_err
index_del(struct conn *c, int64_t id)
{
	sqlite3_stmt	*st;
	int		 rc = SQLITE_OK;

	if ((st = stmt(c, ST_IX_DELETE)) == NULL)
		return STORE_ERR;
	bind_i64(st, 1, id, &rc);
	return run(c, st, rc, "search index");
}

/*
 * Writes post id's row of the search index afresh from the post, its
 * labels and its approved comments (only drops it when the post is
 * gone).  Every write that changes any of these calls it before it
 * returns, so the index commits or rolls back with the change.  is_new
 * says the row cannot exist yet (a rebuild), which saves the delete.
 */
static enum store_err
index_put(struct conn *c, int64_t id, int is_new)
{
	sqlite3_stmt	*st;
	struct buf	 text = BUF_INIT, title = BUF_INIT, body = BUF_INIT;
	struct buf	 labels = BUF_INIT, comments = BUF_INIT;
	char		 lang[16];
	enum store_err	 e = STORE_OK;
	int		 rc = SQLITE_OK;

	if (!is_new && (e = index_del(c, id)) != STORE_OK)
		return e;
	if ((st = stmt(c, ST_IX_POST)) == NULL)
		return STORE_ERR;
	bind_i64(st, 1, id, &rc);
	if (rc != SQLITE_OK || (rc = sqlite3_step(st)) != SQLITE_ROW) {
		if (rc != SQLITE_DONE)
			e = dberr(c, rc, "search index");
		done(st);
		return e;
	}
	/* Columns: lang, title, html, source. */
	store_fts5_html_text(&text, (const char *)sqlite3_column_text(st, 2),
	    (size_t)sqlite3_column_bytes(st, 2));
	/* A post saved without html: its source is the best text there is. */
	if (text.len == 0)
		col_buf(st, 3, &text);
	store_fts5_lang(lang, sizeof(lang),
	    (const char *)sqlite3_column_text(st, 0), text.p == NULL ? "" :
	    text.p, text.len);
	store_fts5_doc(&title, lang, (const char *)sqlite3_column_text(st, 1),
	    (size_t)sqlite3_column_bytes(st, 1));
	store_fts5_doc(&body, lang, text.p, text.len);
	done(st);

	buf_reset(&text);
	if ((e = rows_join(c, ST_POST_LABELS, id, "\n", &text)) != STORE_OK)
		goto out;
	store_fts5_doc(&labels, lang, text.p, text.len);
	buf_reset(&text);
	if ((e = rows_join(c, ST_IX_COMMENTS, id, "\n\n", &text)) !=
	    STORE_OK)
		goto out;
	store_fts5_doc(&comments, lang, text.p, text.len);

	if ((st = stmt(c, ST_IX_INSERT)) == NULL) {
		e = STORE_ERR;
		goto out;
	}
	rc = SQLITE_OK;
	bind_i64(st, 1, id, &rc);
	bind_buf(st, 2, &title, &rc);
	bind_buf(st, 3, &body, &rc);
	bind_buf(st, 4, &labels, &rc);
	bind_buf(st, 5, &comments, &rc);
	e = run(c, st, rc, "search index");
out:
	buf_clear(&text);
	buf_clear(&title);
	buf_clear(&body);
	buf_clear(&labels);
	buf_clear(&comments);
	return e;
}

/* Reads the first column of st's rows (bound to ?1 = arg) into *v. */
static enum store_err
ids_read(struct conn *c, enum stmt id, int64_t arg, int64_t **v,
    size_t *n)
{
	sqlite3_stmt	*st;
	size_t		 cap = 0;
	enum store_err	 e = STORE_OK;
	int		 rc = SQLITE_OK;

	*v = NULL;
	*n = 0;
	if ((st = stmt(c, id)) == NULL)
		return STORE_ERR;
	if (sqlite3_bind_parameter_count(st) > 0)
		bind_i64(st, 1, arg, &rc);
	if (rc != SQLITE_OK) {
		e = dberr(c, rc, "search index");
		done(st);
		return e;
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (*n == cap) {
			cap = cap == 0 ? 64 : cap * 2;
			*v = xreallocarray(*v, cap, sizeof(**v));
		}
		(*v)[(*n)++] = sqlite3_column_int64(st, 0);
	}
	if (rc != SQLITE_DONE)
		e = dberr(c, rc, "search index");
	done(st);
	if (e != STORE_OK) {
		free(*v);
		*v = NULL;
		*n = 0;
	}
	return e;
}

/* Writes the index rows of posts v[0..n) afresh. */
static enum store_err
index_put_all(struct conn *c, const int64_t *v, size_t n)
{
	size_t		 i;
	enum store_err	 e;

	for (i = 0; i < n; i++)
		if ((e = index_put(c, v[i], 0)) != STORE_OK)
			return e;
	return STORE_OK;
}

/* How many posts a rebuild does between calls of progress. */
#define REINDEX_STEP	1000

/*
 * Rebuilds the whole search index inside the caller's transaction.  The
 * table is dropped and created again, not emptied: deleting a row makes
 * FTS5 tokenize its stored text again, and after a change to the text
 * pipeline (the very reason to reindex) that would remove other tokens
 * than were added and leave the index corrupt.
 */
static enum store_err
index_rebuild(struct conn *c, void (*progress)(void *, size_t, size_t),
    void *arg)
{
	int64_t		*v;
	size_t		 i, n;
	enum store_err	 e;
	int		 rc;

	if ((e = ids_read(c, ST_POST_IDS, 0, &v, &n)) != STORE_OK)
		return e;
	if ((rc = sqlite3_exec(c->db, "DROP TABLE IF EXISTS post_search",
	    NULL, NULL, NULL)) != SQLITE_OK ||
	    (rc = sqlite3_exec(c->db, IX_CREATE, NULL, NULL, NULL)) !=
	    SQLITE_OK) {
		e = dberr(c, rc, "search index");
		goto out;
	}
	for (i = 0; i < n; i++) {
		if ((e = index_put(c, v[i], 1)) != STORE_OK)
			goto out;
		if (progress != NULL && (i + 1) % REINDEX_STEP == 0)
			progress(arg, i + 1, n);
	}
	if (progress != NULL && (n == 0 || n % REINDEX_STEP != 0))
		progress(arg, n, n);
out:
	free(v);
	return e;
}

static enum store_err
store_sqlite_reindex(struct store *s,
    void (*progress)(void *, size_t, size_t), void *arg)
{
	struct conn	*c;

	if ((c = conn_write(s->engine)) == NULL)
		return STORE_ERR;
	return index_rebuild(c, progress, arg);
}

/* gazette_body_hash(body): body_hash() for SQL, during migration 3. */
static void
fn_body_hash(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	const char	*s;

	(void)argc;
	if ((s = (const char *)sqlite3_value_text(argv[0])) == NULL) {
		sqlite3_result_int64(ctx, 0);
		return;
	}
	sqlite3_result_int64(ctx, body_hash(s,
	    (size_t)sqlite3_value_bytes(argv[0])));
}

/*
 * Migration 3's step: the body hash of every comment already there.
 * The function exists only for this statement, so that no schema or
 * view can come to depend on it and be unreadable elsewhere.
 */
static int
migrate_body_hashes(sqlite3 *db, char *err, size_t errlen)
{
	const int	 flags = SQLITE_UTF8 | SQLITE_DETERMINISTIC |
			    SQLITE_DIRECTONLY;
	int		 rc, rc2;

	rc = sqlite3_create_function(db, "gazette_body_hash", 1, flags, NULL,
	    fn_body_hash, NULL, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_exec(db, "UPDATE comments "
		    "SET body_hash = gazette_body_hash(body)", NULL, NULL,
		    NULL);
	if (rc != SQLITE_OK)
		snprintf(err, errlen, "comment body hashes: %s",
		    sqlite3_errmsg(db));
	rc2 = sqlite3_create_function(db, "gazette_body_hash", 1, flags, NULL,
	    NULL, NULL, NULL);
	if (rc == SQLITE_OK && rc2 != SQLITE_OK) {
		snprintf(err, errlen, "comment body hashes: %s",
		    sqlite3_errmsg(db));
		rc = rc2;
	}
	return rc;
}

int
store_sqlite_migrate_step(sqlite3 *db, int version, char *err, size_t errlen)
{
	struct conn	 c;
	enum store_err	 e;

	if (version == 3)
		return migrate_body_hashes(db, err, errlen);
	if (version != 2)
		return SQLITE_OK;
	/* The engine's statements, on the migrating connection. */
	memset(&c, 0, sizeof(c));
	c.db = db;
	e = index_rebuild(&c, NULL, NULL);
	conn_finalize(&c);
	if (e == STORE_OK)
		return SQLITE_OK;
	snprintf(err, errlen, "%s", store_errmsg_get());
	return e == STORE_BUSY ? SQLITE_BUSY : SQLITE_ERROR;
}

/* Binds the post's columns as ?1..?12 (ST_POST_INSERT, _UPDATE). */
static int
bind_post(sqlite3_stmt *st, const struct post *p)
{
	int	 rc = SQLITE_OK;

	bind_str(st, 1, p->path, &rc);
	bind_str(st, 2, p->slug, &rc);
	bind_str(st, 3, p->title, &rc);
	bind_str(st, 4, p->source, &rc);
	bind_str(st, 5, p->html, &rc);
	bind_str(st, 6, p->lang, &rc);
	bind_str(st, 7, post_status_name(p->status), &rc);
	bind_i64(st, 8, p->is_page != 0, &rc);
	bind_i64(st, 9, p->published, &rc);
	bind_i64(st, 10, p->updated, &rc);
	bind_i64(st, 11, p->comments_closed != 0, &rc);
	bind_i64(st, 12, p->comments_days, &rc);
	return rc;
}

/* Replaces post id's labels by p's, in p's order. */
static enum store_err
labels_replace(struct conn *c, int64_t id, const struct post *p)
{
	sqlite3_stmt	*st;
	int64_t		 lid;
	size_t		 i;
	enum store_err	 e;
	int		 rc;

	if ((st = stmt(c, ST_LABELS_DROP_OWN)) == NULL)
		return STORE_ERR;
	rc = SQLITE_OK;
	bind_i64(st, 1, id, &rc);
	if ((e = run(c, st, rc, "post labels")) != STORE_OK)
		return e;
	if ((st = stmt(c, ST_POST_LABELS_CLEAR)) == NULL)
		return STORE_ERR;
	rc = SQLITE_OK;
	bind_i64(st, 1, id, &rc);
	if ((e = run(c, st, rc, "post labels")) != STORE_OK)
		return e;

	for (i = 0; i < p->nlabels; i++) {
		/* An empty name could never be shown or linked. */
		if (p->labels[i] == NULL || p->labels[i][0] == '\0')
			continue;
		if ((st = stmt(c, ST_LABEL_ID)) == NULL)
			return STORE_ERR;
		rc = SQLITE_OK;
		bind_str(st, 1, p->labels[i], &rc);
		e = one_int(c, st, rc, "label", &lid);
		if (e == STORE_NOTFOUND) {
			if ((st = stmt(c, ST_LABEL_INSERT)) == NULL)
				return STORE_ERR;
			rc = SQLITE_OK;
			bind_str(st, 1, p->labels[i], &rc);
			if ((e = run(c, st, rc, "label")) != STORE_OK)
				return e;
			lid = sqlite3_last_insert_rowid(c->db);
		} else if (e != STORE_OK)
			return e;
		if ((st = stmt(c, ST_POST_LABEL_ADD)) == NULL)
			return STORE_ERR;
		rc = SQLITE_OK;
		bind_i64(st, 1, id, &rc);
		bind_i64(st, 2, lid, &rc);
		bind_i64(st, 3, (int64_t)i, &rc);
		if ((e = run(c, st, rc, "post label")) != STORE_OK)
			return e;
	}
	return STORE_OK;
}

static enum store_err
store_sqlite_post_save(struct store *s, struct post *p, int *created)
{
	struct conn	*c;
	sqlite3_stmt	*st;
	int64_t		 id, pathid, v;
	enum store_err	 e;
	int		 rc = SQLITE_OK, isnew = 0;

	if ((c = conn_write(s->engine)) == NULL)
		return STORE_ERR;
	if ((st = stmt(c, ST_POST_ID_BY_PATH)) == NULL)
		return STORE_ERR;
	bind_str(st, 1, p->path, &rc);
	e = one_int(c, st, rc, "post save", &pathid);
	if (e != STORE_OK && e != STORE_NOTFOUND)
		return e;

	if (p->id != 0) {
		if ((st = stmt(c, ST_POST_EXISTS)) == NULL)
			return STORE_ERR;
		rc = SQLITE_OK;
		bind_i64(st, 1, p->id, &rc);
		e = one_int(c, st, rc, "post save", &v);
		if (e == STORE_NOTFOUND)
			store_errmsg_set("post %lld: no such post",
			    (long long)p->id);
		if (e != STORE_OK)
			return e;
		if (pathid != 0 && pathid != p->id) {
			store_errmsg_set("%s: path taken by post %lld",
			    p->path, (long long)pathid);
			return STORE_CONFLICT;
		}
		id = p->id;
	} else
		id = pathid;

	if (id != 0) {
		if ((st = stmt(c, ST_POST_UPDATE)) == NULL)
			return STORE_ERR;
		rc = bind_post(st, p);
		bind_i64(st, 13, id, &rc);
	} else {
		if ((st = stmt(c, ST_POST_INSERT)) == NULL)
			return STORE_ERR;
		rc = bind_post(st, p);
		isnew = 1;
	}
	if ((e = run(c, st, rc, p->path)) != STORE_OK)
		return e;
	if (isnew)
		id = sqlite3_last_insert_rowid(c->db);
	if ((e = labels_replace(c, id, p)) != STORE_OK)
		return e;
	if ((e = index_put(c, id, 0)) != STORE_OK)
		return e;
	p->id = id;
	*created = isnew;
	return STORE_OK;
}

static enum store_err
store_sqlite_post_delete(struct store *s, int64_t id)
{
	struct conn	*c;
	sqlite3_stmt	*st;
	enum store_err	 e;
	int		 rc = SQLITE_OK;

	if ((c = conn_write(s->engine)) == NULL)
		return STORE_ERR;
	/* Labels first: afterwards nothing tells which were its own. */
	if ((st = stmt(c, ST_LABELS_DROP_OWN)) == NULL)
		return STORE_ERR;
	bind_i64(st, 1, id, &rc);
	if ((e = run(c, st, rc, "post delete")) != STORE_OK)
		return e;
	if ((st = stmt(c, ST_POST_DELETE)) == NULL)
		return STORE_ERR;
	rc = SQLITE_OK;
	bind_i64(st, 1, id, &rc);
	if ((e = run(c, st, rc, "post delete")) != STORE_OK)
		return e;
	if (sqlite3_changes(c->db) == 0) {
		store_errmsg_set("post %lld: no such post", (long long)id);
		return STORE_NOTFOUND;
	}
	return index_del(c, id);
}

/* Inserts m, its parent already checked; sets m->id. */
static enum store_err
comment_insert(struct conn *c, struct comment *m)
{
	sqlite3_stmt	*st;
	enum store_err	 e;
	int		 rc = SQLITE_OK;

	if ((st = stmt(c, ST_COMMENT_INSERT)) == NULL)
		return STORE_ERR;
	bind_i64(st, 1, m->post_id, &rc);
	bind_id(st, 2, m->parent_id, &rc);
	bind_str(st, 3, m->name, &rc);
	bind_str(st, 4, m->email, &rc);
	bind_str(st, 5, m->url, &rc);
	bind_str(st, 6, m->body, &rc);
	bind_str(st, 7, comment_status_name(m->status), &rc);
	bind_i64(st, 8, m->created, &rc);
	bind_str(st, 9, m->addr_hash, &rc);
	bind_double(st, 10, m->spam_score, &rc);
	bind_str(st, 11, m->spam_reasons, &rc);
	bind_i64(st, 12, body_hash(m->body, strlen(m->body)), &rc);
	if ((e = run(c, st, rc, "comment add")) != STORE_OK) {
		if (e == STORE_NOTFOUND)
			store_errmsg_set("comment add: post %lld: no such "
			    "post", (long long)m->post_id);
		return e;
	}
	m->id = sqlite3_last_insert_rowid(c->db);
	/* Only approved comments are indexed. */
	if (m->status == COMMENT_APPROVED)
		return index_put(c, m->post_id, 0);
	return STORE_OK;
}

/*
 * Comment id's post and whether the comment is approved (that is, in the
 * index); STORE_NOTFOUND, with a message, when there is no such comment.
 */
static enum store_err
comment_state(struct conn *c, int64_t id, int64_t *post, int *approved)
{
	sqlite3_stmt	*st;
	int64_t		 v;
	enum store_err	 e;
	int		 rc = SQLITE_OK;

	*post = 0;
	*approved = 0;
	if ((st = stmt(c, ST_COMMENT_POST_OF)) == NULL)
		return STORE_ERR;
	bind_i64(st, 1, id, &rc);
	e = one_int(c, st, rc, "comment", post);
	if (e == STORE_OK) {
		if ((st = stmt(c, ST_COMMENT_APPROVED)) == NULL)
			return STORE_ERR;
		rc = SQLITE_OK;
		bind_i64(st, 1, id, &rc);
		e = one_int(c, st, rc, "comment", &v);
		*approved = v != 0;
	}
	if (e == STORE_NOTFOUND)
		store_errmsg_set("comment %lld: no such comment",
		    (long long)id);
	return e;
}

/* Checks that m's parent, if any, is a comment of the same post. */
static enum store_err
comment_parent_check(struct conn *c, const struct comment *m)
{
	sqlite3_stmt	*st;
	int64_t		 post;
	enum store_err	 e;
	int		 rc = SQLITE_OK;

	if (m->parent_id == 0)
		return STORE_OK;
	if ((st = stmt(c, ST_COMMENT_POST_OF)) == NULL)
		return STORE_ERR;
	bind_i64(st, 1, m->parent_id, &rc);
	e = one_int(c, st, rc, "comment parent", &post);
	if (e == STORE_OK && post != m->post_id)
		e = STORE_NOTFOUND;
	if (e == STORE_NOTFOUND)
		store_errmsg_set("comment %lld: no such comment on post %lld",
		    (long long)m->parent_id, (long long)m->post_id);
	return e;
}

static enum store_err
store_sqlite_comment_add(struct store *s, struct comment *m)
{
	struct conn	*c;
	enum store_err	 e;

	if ((c = conn_write(s->engine)) == NULL)
		return STORE_ERR;
	if ((e = comment_parent_check(c, m)) != STORE_OK)
		return e;
	return comment_insert(c, m);
}

static enum store_err
store_sqlite_comment_put(struct store *s, struct comment *m)
{
	struct conn	*c;
	sqlite3_stmt	*st;
	int64_t		 id;
	enum store_err	 e;
	int		 rc = SQLITE_OK;

	if ((c = conn_write(s->engine)) == NULL)
		return STORE_ERR;
	if ((st = stmt(c, ST_COMMENT_FIND)) == NULL)
		return STORE_ERR;
	bind_i64(st, 1, m->post_id, &rc);
	bind_i64(st, 2, m->created, &rc);
	bind_str(st, 3, m->name, &rc);
	bind_str(st, 4, m->body, &rc);
	e = one_int(c, st, rc, "comment put", &id);
	if (e == STORE_OK) {
		m->id = id;
		return STORE_OK;
	}
	if (e != STORE_NOTFOUND)
		return e;
	if ((e = comment_parent_check(c, m)) != STORE_OK)
		return e;
	return comment_insert(c, m);
}

static enum store_err
store_sqlite_comment_set_status(struct store *s, int64_t id,
    enum comment_status cs)
{
	struct conn	*c;
	sqlite3_stmt	*st;
	int64_t		 post;
	enum store_err	 e;
	int		 rc = SQLITE_OK, was;

	if ((c = conn_write(s->engine)) == NULL)
		return STORE_ERR;
	if ((e = comment_state(c, id, &post, &was)) != STORE_OK)
		return e;
	if ((st = stmt(c, ST_COMMENT_SET_STATUS)) == NULL)
		return STORE_ERR;
	bind_i64(st, 1, id, &rc);
	bind_str(st, 2, comment_status_name(cs), &rc);
	if ((e = run(c, st, rc, "comment status")) != STORE_OK)
		return e;
	/* The index holds approved comments: in or out, it changes. */
	if (was != (cs == COMMENT_APPROVED))
		return index_put(c, post, 0);
	return STORE_OK;
}

static enum store_err
store_sqlite_comment_delete(struct store *s, int64_t id)
{
	struct conn	*c;
	sqlite3_stmt	*st;
	int64_t		 parent, post;
	enum store_err	 e;
	int		 rc = SQLITE_OK, was;

	if ((c = conn_write(s->engine)) == NULL)
		return STORE_ERR;
	if ((e = comment_state(c, id, &post, &was)) != STORE_OK)
		return e;
	if ((st = stmt(c, ST_COMMENT_PARENT_OF)) == NULL)
		return STORE_ERR;
	bind_i64(st, 1, id, &rc);
	e = one_int(c, st, rc, "comment delete", &parent);
	if (e == STORE_NOTFOUND)
		store_errmsg_set("comment %lld: no such comment",
		    (long long)id);
	if (e != STORE_OK)
		return e;
	if ((st = stmt(c, ST_COMMENT_REPARENT)) == NULL)
		return STORE_ERR;
	rc = SQLITE_OK;
	bind_i64(st, 1, id, &rc);
	bind_id(st, 2, parent, &rc);
	if ((e = run(c, st, rc, "comment delete")) != STORE_OK)
		return e;
	if ((st = stmt(c, ST_COMMENT_DELETE)) == NULL)
		return STORE_ERR;
	rc = SQLITE_OK;
	bind_i64(st, 1, id, &rc);
	if ((e = run(c, st, rc, "comment delete")) != STORE_OK)
		return e;
	return was ? index_put(c, post, 0) : STORE_OK;
}

/* ---- search ---- */

/*
 * The id of the label with name's key; STORE_NOTFOUND, with a message,
 * when there is none.
 */
static enum store_err
label_find(struct conn *c, const char *name, int64_t *id)
{
	sqlite3_stmt	*st;
	enum store_err	 e;
	int		 rc = SQLITE_OK;

	if ((st = stmt(c, ST_LABEL_ID)) == NULL)
		return STORE_ERR;
	bind_str(st, 1, name, &rc);
	e = one_int(c, st, rc, "label", id);
	if (e == STORE_NOTFOUND)
		store_errmsg_set("label %s: no such label", name);
	return e;
}

static enum store_err
store_sqlite_search(struct store *s, struct arena *a,
    const struct search_query *q, struct search_result *out)
{
	struct conn		*c;
	sqlite3_stmt		*st;
	struct search_hit	*v = NULL;
	struct buf		 m = BUF_INIT;
	size_t			 i, n = 0, cap = 0;
	int64_t			 lid = 0, total = 0;
	enum store_err		 e;
	int			 rc = SQLITE_OK;

	/* Nothing to look for finds nothing. */
	if (store_fts5_match(&m, q->phrases, q->nphrases) == -1) {
		buf_clear(&m);
		return STORE_OK;
	}
	if ((c = conn_read(s->engine)) == NULL) {
		buf_clear(&m);
		return STORE_ERR;
	}
	if ((e = read_begin(c)) != STORE_OK) {
		buf_clear(&m);
		return e;
	}
	if (q->label != NULL && (e = label_find(c, q->label, &lid)) !=
	    STORE_OK) {
		/* No such label: no hits. */
		if (e == STORE_NOTFOUND)
			e = STORE_OK;
		goto out;
	}

	if ((st = stmt(c, ST_SEARCH_PAGE)) == NULL) {
		e = STORE_ERR;
		goto out;
	}
	bind_buf(st, 1, &m, &rc);
	bind_i64(st, 2, q->now, &rc);
	bind_i64(st, 3, lid, &rc);
	bind_size(st, 4, q->limit, 1, &rc);
	bind_size(st, 5, q->offset, 0, &rc);
	bind_i64(st, 6, STORE_SEARCH_WINDOW, &rc);
	if (rc != SQLITE_OK) {
		e = dberr(c, rc, "search");
		done(st);
		goto out;
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		v = arena_grow(a, v, n, &cap, sizeof(*v));
		post_row(st, a, &v[n].post);
		v[n].score = sqlite3_column_double(st, POST_NCOLS);
		total = sqlite3_column_int64(st, POST_NCOLS + 1);
		/* The body's, or the title's when only it has matches. */
		v[n].snippet = col_str(st, POST_NCOLS + 2, a);
		n++;
	}
	if (rc != SQLITE_DONE)
		e = dberr(c, rc, "search");
	done(st);
	if (e != STORE_OK)
		goto out;

	/* Past the last page the window count came with no row. */
	if (n == 0 && q->offset > 0) {
		if ((st = stmt(c, ST_SEARCH_COUNT)) == NULL) {
			e = STORE_ERR;
			goto out;
		}
		rc = SQLITE_OK;
		bind_buf(st, 1, &m, &rc);
		bind_i64(st, 2, q->now, &rc);
		bind_i64(st, 3, lid, &rc);
		bind_i64(st, 6, STORE_SEARCH_WINDOW, &rc);
		if ((e = one_int(c, st, rc, "search", &total)) != STORE_OK)
			goto out;
	}
	for (i = 0; e == STORE_OK && i < n; i++)
		e = post_labels(c, a, &v[i].post);
out:
	read_end(c);
	buf_clear(&m);
	if (e == STORE_OK) {
		out->v = v;
		out->n = n;
		out->total = (size_t)total;
		out->is_capped = total >= STORE_SEARCH_WINDOW;
	}
	return e;
}

static enum store_err
store_sqlite_terms_prefix(struct store *s, struct arena *a,
    const char *prefix, size_t limit, char ***terms, int64_t **ndocs,
    size_t *np)
{
	struct conn	*c;
	sqlite3_stmt	*st;
	char		**tv = NULL, *up;
	const char	*hi;
	int64_t		*dv = NULL;
	size_t		 len, n = 0, tcap = 0, dcap = 0;
	enum store_err	 e = STORE_OK;
	int		 rc = SQLITE_OK;

	/*
	 * Terms from prefix up to the first string past every string
	 * that starts with it: the last byte that can grow, grown.  With
	 * no such byte every term qualifies, and "\xf5" sorts after any
	 * UTF-8.
	 */
	len = strlen(prefix);
	up = arena_strndup(a, prefix, len);
	while (len > 0 && (unsigned char)up[len - 1] == 0xff)
		up[--len] = '\0';
	if (len > 0) {
		up[len - 1] = (char)((unsigned char)up[len - 1] + 1);
		hi = up;
	} else
		hi = "\xf5";

	if ((c = conn_read(s->engine)) == NULL)
		return STORE_ERR;
	if ((st = stmt(c, ST_TERMS)) == NULL)
		return STORE_ERR;
	bind_str(st, 1, prefix, &rc);
	bind_str(st, 2, hi, &rc);
	bind_size(st, 3, limit, 1, &rc);
	if (rc != SQLITE_OK) {
		e = dberr(c, rc, "search terms");
		done(st);
		return e;
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		tv = arena_grow(a, tv, n, &tcap, sizeof(*tv));
		dv = arena_grow(a, dv, n, &dcap, sizeof(*dv));
		tv[n] = col_str(st, 0, a);
		dv[n] = sqlite3_column_int64(st, 1);
		n++;
	}
	if (rc != SQLITE_DONE)
		e = dberr(c, rc, "search terms");
	done(st);
	if (e == STORE_OK) {
		*terms = tv;
		*ndocs = dv;
		*np = n;
	}
	return e;
}

static enum store_err
store_sqlite_phrase_docs(struct store *s, const char *const *terms,
    size_t nterms, int64_t *ndocs, int64_t *total)
{
	struct conn	*c;
	sqlite3_stmt	*st;
	struct buf	 m = BUF_INIT;
	int64_t		 nd = 0, nt = 0;
	enum store_err	 e;
	int		 rc = SQLITE_OK;

	if ((c = conn_read(s->engine)) == NULL)
		return STORE_ERR;
	if ((e = read_begin(c)) != STORE_OK)
		return e;
	if ((st = stmt(c, ST_COUNT_PUBLISHED)) == NULL) {
		e = STORE_ERR;
		goto out;
	}
	if ((e = one_int(c, st, SQLITE_OK, "phrase docs", &nt)) != STORE_OK)
		goto out;
	/* A phrase with no terms is in no post. */
	if (store_fts5_phrase(&m, terms, nterms) > 0) {
		if ((st = stmt(c, ST_PHRASE_DOCS)) == NULL) {
			e = STORE_ERR;
			goto out;
		}
		bind_buf(st, 1, &m, &rc);
		e = one_int(c, st, rc, "phrase docs", &nd);
	}
out:
	read_end(c);
	buf_clear(&m);
	if (e == STORE_OK) {
		*ndocs = nd;
		*total = nt;
	}
	return e;
}

/* ---- labels ---- */

static enum store_err
store_sqlite_label_list(struct store *s, struct arena *a, struct label **out,
    size_t *np)
{
	struct conn	*c;
	sqlite3_stmt	*st;
	struct label	*v = NULL;
	size_t		 n = 0, cap = 0;
	enum store_err	 e = STORE_OK;
	int		 rc = SQLITE_OK;

	if ((c = conn_read(s->engine)) == NULL)
		return STORE_ERR;
	if ((st = stmt(c, ST_LABEL_LIST)) == NULL)
		return STORE_ERR;
	/* "Published" as a reader sees it: due by now. */
	bind_i64(st, 1, clock_now(), &rc);
	if (rc != SQLITE_OK) {
		e = dberr(c, rc, "label list");
		done(st);
		return e;
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		v = arena_grow(a, v, n, &cap, sizeof(*v));
		v[n].name = col_str(st, 0, a);
		v[n].key = col_str(st, 1, a);
		v[n].nposts = sqlite3_column_int64(st, 2);
		n++;
	}
	if (rc != SQLITE_DONE)
		e = dberr(c, rc, "label list");
	done(st);
	if (e == STORE_OK) {
		*out = v;
		*np = n;
	}
	return e;
}

/* Runs a statement of two ids, ?1 and ?2. */
static enum store_err
run_ids(struct conn *c, enum stmt id, int64_t a, int64_t b, const char *what)
{
	sqlite3_stmt	*st;
	int		 rc = SQLITE_OK;

	if ((st = stmt(c, id)) == NULL)
		return STORE_ERR;
	bind_i64(st, 1, a, &rc);
	if (sqlite3_bind_parameter_count(st) >= 2)
		bind_i64(st, 2, b, &rc);
	return run(c, st, rc, what);
}

/* Moves label from's posts onto label into and deletes from. */
static enum store_err
label_merge_ids(struct conn *c, int64_t from, int64_t into)
{
	enum store_err	 e;

	if ((e = run_ids(c, ST_LABEL_MERGE_POS, from, into, "label merge")) !=
	    STORE_OK ||
	    (e = run_ids(c, ST_LABEL_MERGE_DUP, from, into, "label merge")) !=
	    STORE_OK ||
	    (e = run_ids(c, ST_LABEL_MERGE_MOVE, from, into, "label merge")) !=
	    STORE_OK)
		return e;
	return run_ids(c, ST_LABEL_DELETE, from, 0, "label merge");
}

static enum store_err
store_sqlite_label_rename(struct store *s, const char *name,
    const char *newname)
{
	struct conn	*c;
	sqlite3_stmt	*st;
	int64_t		 from, to, *v = NULL;
	size_t		 n;
	enum store_err	 e;
	int		 rc = SQLITE_OK;

	if ((c = conn_write(s->engine)) == NULL)
		return STORE_ERR;
	if ((e = label_find(c, name, &from)) != STORE_OK)
		return e;
	if ((e = label_find(c, newname, &to)) == STORE_NOTFOUND)
		to = from;
	else if (e != STORE_OK)
		return e;
	/* newname is another label's key: one label, named newname. */
	if (to != from && (e = label_merge_ids(c, from, to)) != STORE_OK)
		return e;
	if ((st = stmt(c, ST_LABEL_RENAME)) == NULL)
		return STORE_ERR;
	bind_i64(st, 1, to, &rc);
	bind_str(st, 2, newname, &rc);
	if ((e = run(c, st, rc, "label rename")) != STORE_OK)
		return e;
	/* Every post with the label shows its new name in the index. */
	if ((e = ids_read(c, ST_LABEL_POSTS, to, &v, &n)) != STORE_OK)
		return e;
	e = index_put_all(c, v, n);
	free(v);
	return e;
}

static enum store_err
store_sqlite_label_merge(struct store *s, const char *from,
    const char *into)
{
	struct conn	*c;
	int64_t		 fid, iid, *v = NULL;
	size_t		 n;
	enum store_err	 e;

	if ((c = conn_write(s->engine)) == NULL)
		return STORE_ERR;
	if ((e = label_find(c, from, &fid)) != STORE_OK ||
	    (e = label_find(c, into, &iid)) != STORE_OK)
		return e;
	if (fid == iid)
		return STORE_OK;
	/* Only from's posts see their labels change. */
	if ((e = ids_read(c, ST_LABEL_POSTS, fid, &v, &n)) != STORE_OK)
		return e;
	if ((e = label_merge_ids(c, fid, iid)) == STORE_OK)
		e = index_put_all(c, v, n);
	free(v);
	return e;
}

/* ---- moderation and the spam filter ---- */

static enum store_err
store_sqlite_moderation_add(struct store *s, int64_t comment_id,
    const char *action, const char *actor, const char *detail)
{
	struct conn	*c;
	sqlite3_stmt	*st;
	int		 rc = SQLITE_OK;

	if ((c = conn_write(s->engine)) == NULL)
		return STORE_ERR;
	if ((st = stmt(c, ST_MOD_ADD)) == NULL)
		return STORE_ERR;
	bind_i64(st, 1, comment_id, &rc);
	bind_str(st, 2, action, &rc);
	bind_str(st, 3, actor, &rc);
	bind_i64(st, 4, clock_now(), &rc);
	bind_str(st, 5, detail, &rc);
	return run(c, st, rc, "moderation log");
}

static enum store_err
store_sqlite_redirect_put(struct store *s, const char *from, const char *to)
{
	struct conn	*c;
	sqlite3_stmt	*st;
	int		 rc = SQLITE_OK;

	if ((c = conn_write(s->engine)) == NULL)
		return STORE_ERR;
	if ((st = stmt(c, ST_REDIRECT_PUT)) == NULL)
		return STORE_ERR;
	bind_str(st, 1, from, &rc);
	bind_str(st, 2, to, &rc);
	return run(c, st, rc, "redirect");
}

static enum store_err
store_sqlite_redirect_get(struct store *s, struct arena *a, const char *from,
    char **to)
{
	struct conn	*c;
	sqlite3_stmt	*st;
	enum store_err	 e;
	int		 rc = SQLITE_OK;

	if ((c = conn_read(s->engine)) == NULL)
		return STORE_ERR;
	if ((e = read_begin(c)) != STORE_OK)
		return e;
	if ((st = stmt(c, ST_REDIRECT_GET)) == NULL) {
		read_end(c);
		return STORE_ERR;
	}
	bind_str(st, 1, from, &rc);
	if (rc != SQLITE_OK)
		e = dberr(c, rc, "redirect");
	else if ((rc = sqlite3_step(st)) == SQLITE_ROW)
		*to = col_str(st, 0, a);
	else if (rc == SQLITE_DONE)
		e = STORE_NOTFOUND;
	else
		e = dberr(c, rc, "redirect");
	done(st);
	read_end(c);
	return e;
}

/*
 * SQLite's online backup, from this thread's reader: one step copies
 * every page inside one read transaction, so the copy is one moment of
 * the database however busy the writer is.  It goes to PATH.tmp, is
 * synced, and only then takes its name.
 */
static enum store_err
store_sqlite_backup(struct store *s, const char *path)
{
	struct conn	*c;
	sqlite3		*dst = NULL;
	sqlite3_backup	*b;
	char		*tmp;
	enum store_err	 e = STORE_ERR;
	int		 rc, fd;

	if (access(path, F_OK) == 0) {
		store_errmsg_set("%s: exists; backup writes a new file", path);
		return STORE_CONFLICT;
	}
	if ((c = conn_read(s->engine)) == NULL)
		return STORE_ERR;
	tmp = xasprintf("%s.tmp", path);
	unlink(tmp);
	if ((rc = sqlite3_open_v2(tmp, &dst, SQLITE_OPEN_READWRITE |
	    SQLITE_OPEN_CREATE, NULL)) != SQLITE_OK) {
		store_errmsg_set("%s: %s", tmp, dst != NULL ?
		    sqlite3_errmsg(dst) : sqlite3_errstr(rc));
		goto out;
	}
	if ((b = sqlite3_backup_init(dst, "main", c->db, "main")) == NULL) {
		store_errmsg_set("%s: %s", tmp, sqlite3_errmsg(dst));
		goto out;
	}
	rc = sqlite3_backup_step(b, -1);
	sqlite3_backup_finish(b);
	if (rc != SQLITE_DONE) {
		store_errmsg_set("%s: %s", tmp, sqlite3_errstr(rc));
		goto out;
	}
	if (sqlite3_close(dst) != SQLITE_OK) {
		store_errmsg_set("%s: cannot close", tmp);
		dst = NULL;
		goto out;
	}
	dst = NULL;
	if ((fd = open(tmp, O_RDONLY | O_CLOEXEC)) == -1 || fsync(fd) == -1) {
		store_errmsg_set("%s: %s", tmp, strerror(errno));
		if (fd != -1)
			close(fd);
		goto out;
	}
	close(fd);
	if (rename(tmp, path) == -1) {
		store_errmsg_set("%s: %s", path, strerror(errno));
		goto out;
	}
	e = STORE_OK;
out:
	if (dst != NULL)
		sqlite3_close(dst);
	if (e != STORE_OK)
		unlink(tmp);
	free(tmp);
	return e;
}

static enum store_err
store_sqlite_moderation_list(struct store *s, struct arena *a,
    int64_t comment_id, size_t limit, struct moderation_log *out)
{
	struct conn		*c;
	sqlite3_stmt		*st;
	struct moderation_entry	*v = NULL, *m;
	size_t			 n = 0, cap = 0;
	enum store_err		 e = STORE_OK;
	int			 rc = SQLITE_OK;

	if ((c = conn_read(s->engine)) == NULL)
		return STORE_ERR;
	if ((st = stmt(c, comment_id != 0 ? ST_MOD_LIST_COMMENT :
	    ST_MOD_LIST)) == NULL)
		return STORE_ERR;
	bind_size(st, 1, limit, 1, &rc);
	if (comment_id != 0)
		bind_i64(st, 2, comment_id, &rc);
	if (rc != SQLITE_OK) {
		e = dberr(c, rc, "moderation log");
		done(st);
		return e;
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		v = arena_grow(a, v, n, &cap, sizeof(*v));
		m = &v[n++];
		m->id = sqlite3_column_int64(st, 0);
		m->comment_id = sqlite3_column_int64(st, 1);
		m->action = col_str(st, 2, a);
		m->actor = col_str(st, 3, a);
		m->at = sqlite3_column_int64(st, 4);
		m->detail = col_str(st, 5, a);
	}
	if (rc != SQLITE_DONE)
		e = dberr(c, rc, "moderation log");
	done(st);
	if (e == STORE_OK) {
		out->v = v;
		out->n = n;
	}
	return e;
}

static enum store_err
store_sqlite_comment_same_body(struct store *s, const char *body,
    int64_t since, int64_t *count)
{
	struct conn	*c;
	sqlite3_stmt	*st;
	int		 rc = SQLITE_OK;

	if ((c = conn_read(s->engine)) == NULL)
		return STORE_ERR;
	if ((st = stmt(c, ST_SAME_BODY)) == NULL)
		return STORE_ERR;
	bind_i64(st, 1, body_hash(body, strlen(body)), &rc);
	bind_i64(st, 2, since, &rc);
	bind_str(st, 3, body, &rc);
	return one_int(c, st, rc, "same body", count);
}

/*
 * Steps st (bound, or failed binding with brc) for one row of two
 * integers into *x, *y; no row reads as 0, 0.  Resets st.
 */
static enum store_err
two_ints(struct conn *c, sqlite3_stmt *st, int brc, const char *what,
    int64_t *x, int64_t *y)
{
	enum store_err	 e = STORE_OK;
	int		 rc;

	*x = *y = 0;
	if (brc != SQLITE_OK)
		e = dberr(c, brc, what);
	else if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		*x = sqlite3_column_int64(st, 0);
		*y = sqlite3_column_int64(st, 1);
	} else if (rc != SQLITE_DONE)
		e = dberr(c, rc, what);
	done(st);
	return e;
}

static enum store_err
store_sqlite_spam_counts(struct store *s, struct arena *a,
    const char *const *terms, size_t n, struct text_spam_counts *out)
{
	struct conn	*c;
	sqlite3_stmt	*st;
	int64_t		*ham = NULL, *spam = NULL, nham = 0, nspam = 0;
	size_t		 i;
	enum store_err	 e;
	int		 rc;

	if ((c = conn_read(s->engine)) == NULL)
		return STORE_ERR;
	/* One snapshot: totals that agree with the terms' counts. */
	if ((e = read_begin(c)) != STORE_OK)
		return e;
	if ((st = stmt(c, ST_SPAM_TOTALS)) == NULL) {
		e = STORE_ERR;
		goto out;
	}
	if ((e = two_ints(c, st, SQLITE_OK, "spam totals", &nham,
	    &nspam)) != STORE_OK)
		goto out;
	if (n > 0) {
		ham = arena_allocarray(a, n, sizeof(*ham));
		spam = arena_allocarray(a, n, sizeof(*spam));
	}
	/*
	 * One lookup a term: at most TEXT_SPAM_TERMS_MAX of them, each a
	 * probe of the primary key, cheaper than sending the list in.
	 */
	for (i = 0; i < n; i++) {
		if ((st = stmt(c, ST_SPAM_TERM)) == NULL) {
			e = STORE_ERR;
			goto out;
		}
		rc = SQLITE_OK;
		bind_str(st, 1, terms[i], &rc);
		if ((e = two_ints(c, st, rc, "spam terms", &ham[i],
		    &spam[i])) != STORE_OK)
			goto out;
	}
out:
	read_end(c);
	if (e == STORE_OK) {
		out->ham = ham;
		out->spam = spam;
		out->nham = nham;
		out->nspam = nspam;
	}
	return e;
}

static enum store_err
store_sqlite_spam_learn(struct store *s, const char *const *terms, size_t n,
    int is_spam, int delta)
{
	struct conn	*c;
	sqlite3_stmt	*st;
	int64_t		 dham, dspam;
	size_t		 i;
	enum store_err	 e;
	int		 rc;

	if ((c = conn_write(s->engine)) == NULL)
		return STORE_ERR;
	dham = is_spam ? 0 : delta;
	dspam = is_spam ? delta : 0;
	for (i = 0; i < n; i++) {
		if ((st = stmt(c, delta > 0 ? ST_SPAM_TERM_ADD :
		    ST_SPAM_TERM_SUB)) == NULL)
			return STORE_ERR;
		rc = SQLITE_OK;
		bind_str(st, 1, terms[i], &rc);
		bind_i64(st, 2, dham, &rc);
		bind_i64(st, 3, dspam, &rc);
		if ((e = run(c, st, rc, "spam learn")) != STORE_OK)
			return e;
		if (delta > 0)
			continue;
		if ((st = stmt(c, ST_SPAM_TERM_PRUNE)) == NULL)
			return STORE_ERR;
		rc = SQLITE_OK;
		bind_str(st, 1, terms[i], &rc);
		if ((e = run(c, st, rc, "spam learn")) != STORE_OK)
			return e;
	}
	/* A message counts even when it had no terms. */
	if ((st = stmt(c, ST_SPAM_TOTALS_ADD)) == NULL)
		return STORE_ERR;
	rc = SQLITE_OK;
	bind_i64(st, 1, dham, &rc);
	bind_i64(st, 2, dspam, &rc);
	return run(c, st, rc, "spam learn");
}

/* ---- the rest ---- */

static enum store_err
store_sqlite_ping(struct store *s)
{
	struct conn	*c;
	sqlite3_stmt	*st;
	int64_t		 v;

	if ((c = conn_read(s->engine)) == NULL)
		return STORE_ERR;
	if ((st = stmt(c, ST_PING)) == NULL)
		return STORE_ERR;
	return one_int(c, st, SQLITE_OK, "ping", &v);
}

/*
 * PRAGMA data_version changes when another connection commits, but
 * each reader counts on its own, so raw values from two threads do not
 * compare.  Instead every reader that sees its value move bumps one
 * shared epoch; so do our own commits.  A reader's first look counts
 * as a change (dv starts at 0, the pragma never returns 0), because a
 * commit may have come before it was opened.
 */
static enum store_err
store_sqlite_data_version(struct store *s, int64_t *out)
{
	struct sqlite_engine	*sq = s->engine;
	struct reader		*r;
	sqlite3_stmt		*st;
	int64_t			 dv;
	enum store_err		 e;

	if ((r = reader_get(sq)) == NULL)
		return STORE_ERR;
	if ((st = stmt(&r->c, ST_DATA_VERSION)) == NULL)
		return STORE_ERR;
	if ((e = one_int(&r->c, st, SQLITE_OK, "data_version", &dv)) !=
	    STORE_OK)
		return e == STORE_NOTFOUND ? STORE_ERR : e;
	if (dv != r->dv) {
		r->dv = dv;
		atomic_fetch_add(&sq->epoch, 1);
	}
	*out = atomic_load(&sq->epoch);
	return STORE_OK;
}

/* ---- changes, for page caches ---- */

/* The oldest and newest seq kept (0, 0 for an empty log). */
static enum store_err
changes_range(struct conn *c, int64_t *lo, int64_t *hi)
{
	sqlite3_stmt	*st;
	enum store_err	 e = STORE_OK;
	int		 rc;

	*lo = *hi = 0;
	if ((st = stmt(c, ST_CHANGES_RANGE)) == NULL)
		return STORE_ERR;
	if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		*lo = sqlite3_column_int64(st, 0);
		*hi = sqlite3_column_int64(st, 1);
	} else
		e = dberr(c, rc, "changes");
	done(st);
	return e;
}

/*
 * The range and the rows are read in one snapshot, so a prune committed
 * in between cannot make rows vanish unnoticed.  A caller ahead of the
 * log (a database put back from a backup) or behind what was pruned
 * gets "all".
 */
static enum store_err
store_sqlite_changes_since(struct store *s, struct arena *a, int64_t after,
    struct store_change **vp, size_t *np, int64_t *last)
{
	struct conn		*c;
	sqlite3_stmt		*st;
	struct store_change	*v = NULL;
	size_t			 n = 0, cap = 0;
	int64_t			 lo, hi;
	enum store_err		 e;
	int			 rc = SQLITE_OK;

	if ((c = conn_read(s->engine)) == NULL)
		return STORE_ERR;
	if ((e = read_begin(c)) != STORE_OK)
		return e;
	if ((e = changes_range(c, &lo, &hi)) != STORE_OK)
		goto out;
	if (after < 0 || after == hi) {
		*last = hi;
		goto out;
	}
	if (after > hi || (lo > 0 && after < lo - 1)) {
		v = arena_alloc(a, sizeof(*v));
		v->seq = hi;
		v->tag = arena_strdup(a, "all");
		*vp = v;
		*np = 1;
		*last = hi;
		goto out;
	}
	if ((st = stmt(c, ST_CHANGES_SINCE)) == NULL) {
		e = STORE_ERR;
		goto out;
	}
	bind_i64(st, 1, after, &rc);
	while (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		rc = SQLITE_OK;
		v = arena_grow(a, v, n, &cap, sizeof(*v));
		v[n].seq = sqlite3_column_int64(st, 0);
		v[n].tag = col_str(st, 1, a);
		n++;
	}
	if (rc != SQLITE_DONE)
		e = dberr(c, rc, "changes");
	done(st);
	if (e == STORE_OK) {
		*vp = v;
		*np = n;
		*last = n > 0 ? v[n - 1].seq : after;
	}
out:
	read_end(c);
	return e;
}

static enum store_err
store_sqlite_post_next_due(struct store *s, int64_t now, int64_t *when)
{
	struct conn	*c;
	sqlite3_stmt	*st;
	int		 rc = SQLITE_OK;
	enum store_err	 e;

	if ((c = conn_read(s->engine)) == NULL)
		return STORE_ERR;
	if ((st = stmt(c, ST_NEXT_DUE)) == NULL)
		return STORE_ERR;
	bind_i64(st, 1, now, &rc);
	e = one_int(c, st, rc, "next due", when);
	return e == STORE_NOTFOUND ? STORE_OK : e;
}

/* Releases what store_sqlite_open built, in any state it got to. */
static void
engine_free(struct sqlite_engine *sq)
{
	struct reader	*r;

	if (sq == NULL)
		return;
	if (sq->has_keys) {
		pthread_mutex_lock(&sq->rlock);
		while ((r = sq->readers) != NULL) {
			reader_unlink(r);
			conn_close(&r->c);
			free(r);
		}
		pthread_mutex_unlock(&sq->rlock);
		/* Deleted keys run no destructors in other threads. */
		pthread_setspecific(sq->rkey, NULL);
		pthread_key_delete(sq->rkey);
		pthread_key_delete(sq->wkey);
	}
	conn_close(&sq->w);
	pthread_mutex_destroy(&sq->rlock);
	pthread_mutex_destroy(&sq->wlock);
	free(sq->path);
	free(sq);
}

static void
store_sqlite_close(struct store *s)
{
	engine_free(s->engine);
	s->engine = NULL;
}

/* Runs a pragma that answers with one text value, into buf. */
static int
pragma_text(sqlite3 *db, const char *sql, char *buf, size_t len)
{
	sqlite3_stmt		*st = NULL;
	const unsigned char	*t;
	int			 rc;

	buf[0] = '\0';
	if ((rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL)) != SQLITE_OK)
		return rc;
	if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if ((t = sqlite3_column_text(st, 0)) != NULL)
			snprintf(buf, len, "%s", (const char *)t);
		rc = SQLITE_OK;
	} else if (rc == SQLITE_DONE)
		rc = SQLITE_OK;
	sqlite3_finalize(st);
	return rc;
}

static enum store_err
store_sqlite_open(struct store *s, const char *target, int create,
    char *err, size_t errlen)
{
	struct sqlite_engine	*sq;
	struct stat		 sb;
	const char		*full;
	char			*path = NULL, mode[16];
	enum store_err		 e = STORE_ERR;
	int			 rc, flags;

	if (*target == '\0') {
		snprintf(err, errlen, "sqlite: no database path");
		return STORE_ERR;
	}
	/* Readers open it again by name, and memory is not shared. */
	if (strcmp(target, ":memory:") == 0 ||
	    str_has_prefix(target, "file::memory:")) {
		snprintf(err, errlen, "%s: in-memory databases are not "
		    "supported", target);
		return STORE_ERR;
	}
	if (!create && stat(target, &sb) == -1) {
		snprintf(err, errlen, "%s: no such database (%s)", target,
		    strerror(errno));
		return STORE_ERR;
	}
	/*
	 * This SQLite takes names starting "file:" as URIs whatever the
	 * open flags say; a path is a path.
	 */
	path = str_has_prefix(target, "file:") ? xasprintf("./%s", target) :
	    xstrdup(target);

	sq = xcalloc(1, sizeof(*sq));
	atomic_init(&sq->epoch, 0);
	pthread_mutex_init(&sq->wlock, NULL);
	pthread_mutex_init(&sq->rlock, NULL);
	if ((rc = pthread_key_create(&sq->rkey, reader_destroy)) != 0) {
		snprintf(err, errlen, "pthread_key_create: %s", strerror(rc));
		goto out;
	}
	if ((rc = pthread_key_create(&sq->wkey, NULL)) != 0) {
		pthread_key_delete(sq->rkey);
		snprintf(err, errlen, "pthread_key_create: %s", strerror(rc));
		goto out;
	}
	sq->has_keys = 1;

	flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX;
	if (create)
		flags |= SQLITE_OPEN_CREATE;
	if ((rc = sqlite3_open_v2(path, &sq->w.db, flags, NULL)) !=
	    SQLITE_OK) {
		snprintf(err, errlen, "%s: %s", target, sq->w.db == NULL ?
		    sqlite3_errstr(rc) : sqlite3_errmsg(sq->w.db));
		goto out;
	}
	sqlite3_extended_result_codes(sq->w.db, 1);
	sqlite3_busy_timeout(sq->w.db, BUSY_MS);
	/* READWRITE quietly falls back to read-only on a locked file. */
	if (sqlite3_db_readonly(sq->w.db, "main") == 1) {
		snprintf(err, errlen, "%s: database is read-only", target);
		goto out;
	}
	if ((rc = store_fts5_register(sq->w.db)) != SQLITE_OK) {
		snprintf(err, errlen, "%s: search tokenizer: %s", target,
		    sqlite3_errstr(rc));
		e = rc_err(rc);
		goto out;
	}

	if ((e = migrate_sqlite(sq->w.db, target, create, err, errlen)) !=
	    STORE_OK)
		goto out;
	e = STORE_ERR;

	/* WAL only now: a foreign file must not be converted. */
	if ((rc = pragma_text(sq->w.db, "PRAGMA journal_mode = WAL", mode,
	    sizeof(mode))) != SQLITE_OK) {
		snprintf(err, errlen, "%s: journal_mode: %s", target,
		    sqlite3_errmsg(sq->w.db));
		e = rc_err(rc);
		goto out;
	}
	if (strcmp(mode, "wal") != 0) {
		snprintf(err, errlen, "%s: cannot use WAL mode (got %s)",
		    target, mode);
		goto out;
	}
	if ((rc = sqlite3_exec(sq->w.db, "PRAGMA synchronous = FULL; "
	    "PRAGMA foreign_keys = ON", NULL, NULL, NULL)) != SQLITE_OK) {
		snprintf(err, errlen, "%s: %s", target,
		    sqlite3_errmsg(sq->w.db));
		e = rc_err(rc);
		goto out;
	}
	/* Absolute, so that a later chdir cannot send readers elsewhere. */
	if ((full = sqlite3_db_filename(sq->w.db, "main")) == NULL ||
	    *full == '\0') {
		snprintf(err, errlen, "%s: no file name", target);
		goto out;
	}
	sq->path = xstrdup(full);
	e = STORE_OK;
out:
	free(path);
	if (e != STORE_OK) {
		engine_free(sq);
		return e;
	}
	s->engine = sq;
	return STORE_OK;
}

const struct store_ops store_sqlite_ops = {
	.name = "sqlite",
	.open = store_sqlite_open,
	.close = store_sqlite_close,
	.ping = store_sqlite_ping,
	.data_version = store_sqlite_data_version,
	.write_begin = store_sqlite_write_begin,
	.write_end = store_sqlite_write_end,
	.post_save = store_sqlite_post_save,
	.post_delete = store_sqlite_post_delete,
	.comment_add = store_sqlite_comment_add,
	.comment_put = store_sqlite_comment_put,
	.comment_set_status = store_sqlite_comment_set_status,
	.comment_delete = store_sqlite_comment_delete,
	.post_get_id = store_sqlite_post_get_id,
	.post_get_path = store_sqlite_post_get_path,
	.post_get_slug = store_sqlite_post_get_slug,
	.post_list = store_sqlite_post_list,
	.comment_list_post = store_sqlite_comment_list_post,
	.comment_query = store_sqlite_comment_query,
	.comment_get = store_sqlite_comment_get,
	.commenter_known = store_sqlite_commenter_known,
	.label_get = store_sqlite_label_get,
	.search = store_sqlite_search,
	.terms_prefix = store_sqlite_terms_prefix,
	.phrase_docs = store_sqlite_phrase_docs,
	.reindex = store_sqlite_reindex,
	.label_list = store_sqlite_label_list,
	.label_rename = store_sqlite_label_rename,
	.label_merge = store_sqlite_label_merge,
	.moderation_add = store_sqlite_moderation_add,
	.moderation_list = store_sqlite_moderation_list,
	.comment_same_body = store_sqlite_comment_same_body,
	.spam_counts = store_sqlite_spam_counts,
	.spam_learn = store_sqlite_spam_learn,
	.redirect_put = store_sqlite_redirect_put,
	.redirect_get = store_sqlite_redirect_get,
	.backup = store_sqlite_backup,
	.changes_since = store_sqlite_changes_since,
	.post_next_due = store_sqlite_post_next_due,
	.user_put = store_sqlite_user_put,
	.user_get = store_sqlite_user_get,
	.user_list = store_sqlite_user_list,
	.user_delete = store_sqlite_user_delete,
	.session_put = store_sqlite_session_put,
	.session_get = store_sqlite_session_get,
	.session_delete = store_sqlite_session_delete,
	.token_put = store_sqlite_token_put,
	.token_user = store_sqlite_token_user,
	.token_list = store_sqlite_token_list,
	.token_delete = store_sqlite_token_delete,
	.post_author_set = store_sqlite_post_author_set,
	.post_author_get = store_sqlite_post_author_get,
	.stats_add = store_sqlite_stats_add,
	.stats_days = store_sqlite_stats_days,
	.stats_top = store_sqlite_stats_top,
};

struct sqlite3 *
store_sqlite_conn(struct store *s, int write)
{
	struct conn	*c;

	c = write ? conn_write(s->engine) : conn_read(s->engine);
	return c == NULL ? NULL : c->db;
}

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
 * store: the one interface to the site's data.  Handlers, importers and
 * commands see posts, labels and comments, never SQL.  An engine (SQLite
 * today, PostgreSQL later) fills struct store_ops; the db URL picks it.
 *
 * Errors: every function that can fail returns enum store_err, STORE_OK
 * on success; store_strerror() names the code, store_errmsg() gives the
 * engine's last message for this thread.
 *
 * Memory: read functions put everything they return into the caller's
 * arena (struct arena, base.h); nothing they return needs freeing apart
 * from the arena.  Output pointers are NULL/0 on failure.
 *
 * Threads: one struct store is shared by all threads.  Reads may run on
 * any thread at once (each thread gets its own read connection, opened on
 * first use).  Writes happen between store_write_begin() and
 * store_write_end() on one thread at a time; begin blocks while another
 * thread holds the writer.  A read on the thread that holds the writer
 * sees that transaction's uncommitted changes; reads on other threads
 * see only committed data.
 *
 * Times are seconds since the epoch, UTC.
 */
#ifndef GAZETTE_STORE_H
#define GAZETTE_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "text/text.h"

struct arena;
struct store;

enum store_err {
	STORE_OK = 0,
	STORE_NOTFOUND,		/* no such row */
	STORE_CONFLICT,		/* a unique key (path, slug) is taken */
	STORE_BUSY,		/* the database stayed locked, or cannot
				   be reached (PostgreSQL) */
	STORE_ERR,		/* anything else; see store_errmsg() */
};

enum post_status {
	POST_DRAFT = 0,		/* not shown */
	POST_PUBLISHED,		/* shown from its publish time on */
};

enum comment_status {
	COMMENT_PENDING = 0,	/* held for moderation; never shown */
	COMMENT_APPROVED,	/* shown under its post */
	COMMENT_SPAM,		/* never shown */
	COMMENT_STATUS__MAX
};

struct post {
	int64_t		 id;		/* 0 for a new post */
	char		*path;		/* "/2023/09/slug.html", unique */
	char		*slug;		/* "slug", the last path part */
	char		*title;
	char		*source;	/* what the author wrote (Markdown) */
	char		*html;		/* rendered and sanitized at save */
	char		*lang;		/* BCP 47 language of the text */
	enum post_status status;
	int		 is_page;	/* a page (/p/...): no date, no feed */
	int64_t		 published;	/* publish time */
	int64_t		 updated;	/* last change */
	char		**labels;	/* label names, in the post's order */
	size_t		 nlabels;
	int64_t		 ncomments;	/* approved comments (read only) */
	int		 comments_closed;	/* 1: no new comments */
	int		 comments_days;	/* > 0: closed this many days after
					   published; 0: never */
};

struct comment {
	int64_t		 id;		/* 0 for a new comment */
	int64_t		 post_id;
	int64_t		 parent_id;	/* 0: top level */
	char		*name;
	char		*email;		/* "" when not given */
	char		*url;		/* "" when not given */
	char		*body;		/* plain text, as written */
	enum comment_status status;
	int64_t		 created;
	char		*addr_hash;	/* keyed hash of client address or "" */
	double		 spam_score;	/* 0 (ham) .. 1 (spam) when scored */
	char		*spam_reasons;	/* why, "; "-separated, or "" */
	char		*post_title;	/* read only: the post's title */
	char		*post_path;	/* read only: the post's path */
};

/* Which comments store_comment_query() returns, newest first. */
struct comment_query {
	enum comment_status status;	/* COMMENT_STATUS__MAX: any */
	int64_t		 id_min, id_max;	/* ids in [min, max]; 0,0: any;
					   0 at one end: open there */
	const char	*author;	/* only this name (any case), or NULL;
					   names meet by key as labels do
					   (text_label_key), so look-alike
					   letters and spacing around
					   punctuation do not count either */
	int64_t		 post_id;	/* only this post, or 0 */
	size_t		 limit;	/* 0: no limit */
};

/* One moderation action, as the log keeps it. */
struct moderation_entry {
	int64_t		 id;
	int64_t		 comment_id;
	char		*action;	/* "approve", "spam", "delete", "hold",
					   "reject", "pass" (the scorer's) */
	char		*actor;	/* "cli:USER", "scorer", "admin:NAME" */
	int64_t		 at;	/* when */
	char		*detail;	/* reasons or "" */
};

struct moderation_log {
	struct moderation_entry *v;	/* arena array, newest first */
	size_t		 n;
};


/* Which posts store_post_list() returns, newest published first. */
struct post_query {
	int		 all_statuses;	/* 0: published and due only */
	int64_t		 now;		/* "due" means published <= now */
	int64_t		 from, to;	/* published in [from, to); 0: open */
	const char	*label;		/* only posts with it, or NULL */
	int		 include_pages;	/* 0: posts only */
	size_t		 offset;	/* skip this many */
	size_t		 limit;		/* at most this many (0: no limit) */
};

struct post_list {
	struct post	*v;		/* arena-owned array */
	size_t		 n;		/* posts in v */
	size_t		 total;		/* matches ignoring offset/limit */
};

struct comment_list {
	struct comment	*v;		/* arena-owned array */
	size_t		 n;
};

/* ---- opening ---- */

/*
 * Opens the store that url names: "sqlite:PATH" (PATH relative to the
 * current directory), or "postgres://..." / "postgresql://..." (a libpq
 * URL).  Creates the database (on PostgreSQL: the tables, in an empty
 * database) when create is 1; with create 0 a missing one is an error.
 * Either way pending schema migrations are applied, and a file that is
 * not a gazette database, or whose schema is newer than this program
 * knows, is refused.  Returns STORE_OK and *out, or an error with a
 * message in err.  Call from one thread before any other use.  Free
 * with store_close(), after every other thread has stopped using the
 * store.
 */
enum store_err	 store_open(const char *url, int create, struct store **out,
		    char *err, size_t errlen);
void		 store_close(struct store *);	/* NULL is a no-op */

const char	*store_strerror(enum store_err);
/* This thread's last engine message, or "". Borrowed until the next call. */
const char	*store_errmsg(struct store *);
/* STORE_OK when the database answers a trivial query. */
enum store_err	 store_ping(struct store *);
/*
 * A number that changes whenever any process commits a write to the
 * database; equal numbers mean nothing changed.  For cache invalidation.
 * Numbers from different threads of one struct store compare; it may
 * also change when nothing did (the first call on each thread).
 */
enum store_err	 store_data_version(struct store *, int64_t *out);

/* ---- writing: only between begin and end, on one thread ---- */

/* Takes the writer and starts a transaction. */
enum store_err	 store_write_begin(struct store *);
/*
 * Commits (commit = 1) or rolls back (commit = 0) and releases the
 * writer.  A commit returns STORE_OK only once the data is durable.  If
 * the commit fails the transaction is rolled back and the writer
 * released all the same.
 */
enum store_err	 store_write_end(struct store *, int commit);

/*
 * Inserts p (p->id == 0) or replaces the post whose path is p->path
 * (or whose id is p->id when not 0): title, source, html, lang, status,
 * is_page, published, updated, comments_closed, comments_days and its
 * labels (labels are created as needed; a post's old labels are
 * replaced).  Sets p->id.  *created is 1 when a new row was inserted (may
 * be NULL).  STORE_CONFLICT when p->id names one post and p->path
 * another; STORE_ERR for a negative comments_days.
 */
enum store_err	 store_post_save(struct store *, struct post *p,
		    int *created);
enum store_err	 store_post_delete(struct store *, int64_t id);

/*
 * Inserts c and sets c->id.  c->parent_id, when not 0, must be a comment
 * of the same post (else STORE_NOTFOUND).  STORE_ERR when c->spam_score
 * is not within 0..1.
 */
enum store_err	 store_comment_add(struct store *, struct comment *c);
/*
 * Like store_comment_add, unless the post already has a comment with
 * the same name, created time and body: then sets c->id to that one and
 * changes nothing.  For importers, so a re-import adds no duplicates.
 */
enum store_err	 store_comment_put(struct store *, struct comment *c);
enum store_err	 store_comment_set_status(struct store *, int64_t id,
		    enum comment_status);
/* Deletes the comment; its replies move up to its parent. */
enum store_err	 store_comment_delete(struct store *, int64_t id);

/* ---- reading ---- */

/* The post with that id, path or slug (newest on a slug clash). */
enum store_err	 store_post_get_id(struct store *, struct arena *,
		    int64_t id, struct post **out);
enum store_err	 store_post_get_path(struct store *, struct arena *,
		    const char *path, struct post **out);
enum store_err	 store_post_get_slug(struct store *, struct arena *,
		    const char *slug, struct post **out);
/* Posts matching q, with labels and comment counts filled. */
enum store_err	 store_post_list(struct store *, struct arena *,
		    const struct post_query *q, struct post_list *out);
/*
 * A post's comments with status st (or every status when st is
 * COMMENT_STATUS__MAX), oldest first.
 */
enum store_err	 store_comment_list_post(struct store *, struct arena *,
		    int64_t post_id, enum comment_status st,
		    struct comment_list *out);
/* All comments with status st (or all), newest first, with post_title. */
enum store_err	 store_comment_list(struct store *, struct arena *,
		    enum comment_status st, struct comment_list *out);
enum store_err	 store_comment_get(struct store *, struct arena *,
		    int64_t id, struct comment **out);
/*
 * *out = 1 when a comment by this name and email (compared without
 * case) was approved before, else 0.
 */
enum store_err	 store_commenter_known(struct store *, const char *name,
		    const char *email, int *out);
/*
 * The label's display name, given any spelling with the same key
 * (text_label_key: case, spacing around punctuation, look-alike
 * letters): STORE_NOTFOUND when there is no such label.
 */
enum store_err	 store_label_get(struct store *, struct arena *,
		    const char *name, char **out);

/* ---- search (the index is kept in step by every write above) ---- */

/*
 * A phrase of a search query: its terms, already through the text
 * pipeline (text_tokenize with TEXT_TOKEN_STEM), in order.  The engine
 * matches them as a phrase (one term: anywhere) and never re-tokenizes
 * them.
 */
struct search_phrase {
	const char	**terms;	/* borrowed */
	size_t		 nterms;
	int		 is_negated;	/* "-word": posts with it are out */
	int		 alt;	/* phrases next to each other with the same
				   non-zero alt are alternatives: any one
				   matches (the same words stemmed in several
				   languages) */
};

struct search_query {
	struct search_phrase *phrases;	/* all non-negated ones must match */
	size_t		 nphrases;	/* at least one non-negated */
	const char	*label;	/* only posts with this label (any
				   spelling), or NULL */
	int64_t		 now;	/* only posts published and due by now */
	size_t		 offset;
	size_t		 limit;	/* 0: no limit */
};

struct search_hit {
	struct post	 post;	/* with labels and comment count */
	char		*snippet;	/* plain text around the matches, each
					   match between \002 and \003; the
					   caller escapes it */
	double		 score;	/* higher is better */
};

/*
 * Ranking reads at most this many matches, the newest: a word on every
 * post of a large site costs the same as one on a thousand.  Older
 * matches past the window are not found; total then says "at least".
 */
#define STORE_SEARCH_WINDOW	1000

struct search_result {
	struct search_hit *v;	/* arena array, best first */
	size_t		 n;
	size_t		 total;	/* hits ignoring offset and limit */
	int		 is_capped;	/* there may be more than total: the
					   ranking window was full */
};

/*
 * Ranked search: BM25 over title, body, labels and approved comments,
 * title and label matches weighted up, comments down, among the newest
 * STORE_SEARCH_WINDOW matches.  Published, due posts only (not pages).
 */
enum store_err	 store_search(struct store *, struct arena *,
		    const struct search_query *, struct search_result *out);
/*
 * Indexed terms that start with prefix (as the pipeline makes them),
 * most frequent first, at most limit; with the number of posts that
 * have each.  For "did you mean" and keyword weighting.
 */
enum store_err	 store_terms_prefix(struct store *, struct arena *,
		    const char *prefix, size_t limit, char ***terms,
		    int64_t **ndocs, size_t *n);
/*
 * How many published posts contain the phrase (terms as the pipeline
 * makes them, stemmed), and how many published posts there are in all.
 */
enum store_err	 store_phrase_docs(struct store *, const char *const *terms,
		    size_t nterms, int64_t *ndocs, int64_t *total);
/*
 * Rebuilds the whole index from the posts and comments (a write: call
 * between begin and end).  progress, when not NULL, is called now and
 * then with the posts done and the total.
 */
enum store_err	 store_reindex(struct store *,
		    void (*progress)(void *arg, size_t done, size_t total),
		    void *arg);

/* ---- labels ---- */

struct label {
	char		*name;	/* display name: the spelling first used */
	char		*key;	/* text_label_key() of the name */
	int64_t		 nposts;	/* published posts with it */
};

/* All labels with their post counts, by name. */
enum store_err	 store_label_list(struct store *, struct arena *,
		    struct label **out, size_t *n);
/*
 * Renames the label that name matches (by key) to newname; when newname
 * is the key of another label, the two are merged under newname (a
 * write).  STORE_NOTFOUND when name matches no label.
 */
enum store_err	 store_label_rename(struct store *, const char *name,
		    const char *newname);
/*
 * Moves every post of label from onto label into (both matched by key;
 * into keeps its display name) and deletes from (a write).
 */
enum store_err	 store_label_merge(struct store *, const char *from,
		    const char *into);

/* ---- moderation and the spam filter's memory ---- */

/* Comments matching q (store_comment_list is the simple case of it). */
enum store_err	 store_comment_query(struct store *, struct arena *,
		    const struct comment_query *q, struct comment_list *out);
/*
 * Records a moderation action in the log (a write), at clock_now();
 * actor and detail are copied (NULL: "").  STORE_ERR without an action.
 * The comment need not exist: the log outlives deleted comments.  A new
 * comment's own score and reasons are fields of struct comment, saved by
 * store_comment_add.
 */
enum store_err	 store_moderation_add(struct store *, int64_t comment_id,
		    const char *action, const char *actor, const char *detail);
/*
 * The newest entries of the log (of one comment when comment_id != 0),
 * at most limit (0: all); entries of the same second newest added first.
 */
enum store_err	 store_moderation_list(struct store *, struct arena *,
		    int64_t comment_id, size_t limit,
		    struct moderation_log *out);
/*
 * How many comments (any status) created at or after since have exactly
 * this body, byte for byte: the "same text again and again" signal.  A
 * NULL body has none.
 */
enum store_err	 store_comment_same_body(struct store *, const char *body,
		    int64_t since, int64_t *count);
/*
 * The filter's counts for terms[0..n) (distinct terms as
 * text_spam_terms makes them), arrays in the arena.
 */
enum store_err	 store_spam_counts(struct store *, struct arena *,
		    const char *const *terms, size_t n,
		    struct text_spam_counts *out);
/*
 * store_spam_counts as a text_spam_counts_fn (arg is the struct store):
 * 0 or -1.  For text_spam_check.
 */
int		 store_spam_counter(void *store, struct arena *,
		    const char *const *terms, size_t n,
		    struct text_spam_counts *out);
/*
 * Learns (delta 1) or unlearns (delta -1) one message with these
 * distinct terms as spam (is_spam 1) or ham (a write).  A term given
 * twice counts once, empty ones not at all; the message counts in the
 * totals even with no terms.  Counts never go below 0.
 */
enum store_err	 store_spam_learn(struct store *, const char *const *terms,
		    size_t n, int is_spam, int delta);

/* ---- redirects: old addresses of moved posts ---- */

/*
 * Records that from (a path such as "/2023/09/12/slug/" or "/?p=42")
 * moved to the path to (a write); a later put of the same from wins.
 */
enum store_err	 store_redirect_put(struct store *, const char *from,
		    const char *to);
/* Where from moved to (arena string), or STORE_NOTFOUND. */
enum store_err	 store_redirect_get(struct store *, struct arena *,
		    const char *from, char **to);

/* ---- changes: what each write touched, for page caches ---- */

/*
 * Every write records, in its own transaction, one tag per thing it may
 * have changed, so that a cache (of this process or of another process
 * or node on the same database) drops exactly the pages that show it:
 *
 *   "post:ID"	the post's own page: its text, title, labels, dates,
 *		status, or its comments (added, approved, spammed,
 *		deleted) and so its comment count and comment feed
 *   "list:T"	a post published at time T (seconds, UTC) joined, left
 *		or moved on the dated lists: front page, post feeds,
 *		sitemap, the archives covering T.  A post whose date
 *		changes tags both its old and its new time.
 *   "label:KEY"	a post joined or left label KEY's lists (the label
 *		key as text_label_key makes it), or changed on them
 *   "nav"	a page (is_page) was added, removed or renamed: the
 *		navigation every page shows
 *   "redirect"	the redirects table changed
 *   "all"	anything may have changed (label rename or merge,
 *		reindex, migrations, an import's bulk load)
 *
 * Comment-only writes tag only "post:ID" of their post; spam-filter
 * counts, moderation log entries and other private tables tag nothing.
 */
struct store_change {
	int64_t		 seq;	/* increasing; commit order */
	char		*tag;	/* arena string, as above */
};

/*
 * The changes committed after sequence number after, oldest first, with
 * *last the newest sequence number (after, when there are none).  Start
 * with after = 0 to learn the current number (then *n may be large:
 * callers that only want the number pass after = -1, which returns no
 * changes and sets *last).  Old changes are pruned: when after is older
 * than the oldest kept, the list is one change with tag "all".
 */
enum store_err	 store_changes_since(struct store *, struct arena *,
		    int64_t after, struct store_change **v, size_t *n,
		    int64_t *last);
/*
 * The earliest publish time later than now of a published post (one
 * that becomes due then, without any write), or 0 when there is none:
 * caches of dated lists expire then.
 */
enum store_err	 store_post_next_due(struct store *, int64_t now,
		    int64_t *when);

/*
 * How many errors any thread of this process has had from the store
 * since it started (every message store_errmsg() would give), for
 * metrics.  Any thread.
 */
uint64_t	 store_error_count(void);

/* ---- backup ---- */

/*
 * Writes a consistent copy of the whole database to the file path (a
 * new file: refused when path exists), while other threads and
 * processes go on writing; the copy is durable when this returns
 * STORE_OK, and nothing is left at path otherwise.  Not between
 * write_begin and write_end.
 */
enum store_err	 store_backup(struct store *, const char *path);

/* ---- accounts, sessions, API tokens, authors, stats (the admin) ---- */

struct user {
	int64_t		 id;		/* 0 for a new user */
	char		*name;		/* unique, compared without case */
	char		*role;		/* "owner", "editor" or "author" */
	char		*pwhash;	/* crypto_pwhash_str string */
	char		*totp_secret;	/* base32, or "" without TOTP */
	int64_t		 created;
};

/*
 * Inserts u (u->id == 0; sets it) or updates the user with u->id (role,
 * pwhash, totp_secret; the name stays).  STORE_CONFLICT when the name
 * is taken, STORE_NOTFOUND for an id that is not there (a write).
 */
enum store_err	 store_user_put(struct store *, struct user *u);
/* The user by name (any case) or by id; STORE_NOTFOUND. */
enum store_err	 store_user_get(struct store *, struct arena *,
		    const char *name, struct user **out);
enum store_err	 store_user_get_id(struct store *, struct arena *,
		    int64_t id, struct user **out);
/* Every user, by name. */
enum store_err	 store_user_list(struct store *, struct arena *,
		    struct user **out, size_t *n);
/* Deletes the user, their sessions and tokens (a write). */
enum store_err	 store_user_delete(struct store *, int64_t id);

/*
 * Sessions and API tokens are found by the hex SHA-256 of the secret
 * the client holds; the secret itself is never stored.
 */
/* Records a session of user_id that ends at expires (a write). */
enum store_err	 store_session_put(struct store *, const char *id_hash,
		    int64_t user_id, const char *csrf, int64_t expires);
/*
 * The user of the session id_hash and its CSRF token (arena string),
 * if it has not expired by now; STORE_NOTFOUND otherwise.
 */
enum store_err	 store_session_get(struct store *, struct arena *,
		    const char *id_hash, int64_t now, struct user **out,
		    char **csrf);
/* Deletes the session, and every session expired by now (a write). */
enum store_err	 store_session_delete(struct store *, const char *id_hash,
		    int64_t now);

struct api_token {
	int64_t		 id;
	int64_t		 user_id;
	char		*name;		/* what the owner called it */
	int64_t		 created;
	int64_t		 last_used;	/* 0: never */
};

/* Records a token for user_id (a write); sets *id. */
enum store_err	 store_token_put(struct store *, int64_t user_id,
		    const char *name, const char *token_hash, int64_t *id);
/* The user a token hash belongs to; STORE_NOTFOUND. */
enum store_err	 store_token_user(struct store *, struct arena *,
		    const char *token_hash, struct user **out);
/* A user's tokens, newest first. */
enum store_err	 store_token_list(struct store *, struct arena *,
		    int64_t user_id, struct api_token **out, size_t *n);
/* Deletes token id of user_id; STORE_NOTFOUND (a write). */
enum store_err	 store_token_delete(struct store *, int64_t user_id,
		    int64_t id);

/* Sets the author of a post (a write). */
enum store_err	 store_post_author_set(struct store *, int64_t post_id,
		    int64_t user_id);
/* The author of a post, *user_id 0 when it has none. */
enum store_err	 store_post_author_get(struct store *, int64_t post_id,
		    int64_t *user_id);

enum stats_kind {
	STATS_VIEW = 0,		/* key: a page's path */
	STATS_SEARCH,		/* key: a search query */
	STATS_LABEL,		/* read only: views of posts by label */
};

struct stats_row {
	char		*key;
	int64_t		 n;
};

/* Adds n to the count of key on day (UTC days since the epoch; write). */
enum store_err	 store_stats_add(struct store *, int64_t day,
		    enum stats_kind, const char *key, int64_t n);
/*
 * Page views and comments received per day for days [from, from + n),
 * into views[0..n) and comments[0..n) (the caller's arrays).
 */
enum store_err	 store_stats_days(struct store *, int64_t from, size_t n,
		    int64_t *views, int64_t *comments);
/*
 * The most counted keys of kind since day from, at most limit, most
 * first; STATS_LABEL adds up the views of the posts of each label.
 */
enum store_err	 store_stats_top(struct store *, struct arena *,
		    enum stats_kind, int64_t from, size_t limit,
		    struct stats_row **out, size_t *n);

/*
 * One moderation decision on comment c by actor, in the caller's write
 * transaction: approve and spam teach the spam filter (a changed mind
 * is unlearned first; nothing is learned twice), every action is
 * logged, then the comment changes.  Shared by the CLI and the admin.
 */
enum moderation_action {
	MODERATE_APPROVE = 0,
	MODERATE_SPAM,
	MODERATE_DELETE,
};
enum store_err	 store_comment_moderate(struct store *, struct arena *,
		    const struct comment *c, enum moderation_action,
		    const char *actor);
/* ---- copying a whole site (gazette migrate) ---- */

#define STORE_COPY_TABLES	12

/* One table of a copy: its rows in the source and in the copy. */
struct store_copy_count {
	const char	*table;	/* static */
	int64_t		 from, to;	/* -1: could not count */
};

/*
 * Copies the site in the store at URL from into the store at URL to
 * (either engine; created when missing): posts with their ids, labels,
 * comments with threads and statuses, the moderation log, the spam
 * filter's counts and the redirects, in one transaction, then rebuilds
 * to's search index.  STORE_CONFLICT when to is not empty.  Fills
 * counts[0..STORE_COPY_TABLES) and *n with the rows of each table on
 * both sides; STORE_ERR, with the table in err, when any differ.  Not
 * while other programs write to either store.
 * The admin's users (password hashes and TOTP secrets included), API
 * tokens, post authors and daily stats go along; sessions do not.
 */
enum store_err	 store_copy(const char *from, const char *to,
		    struct store_copy_count *counts, size_t *n, char *err,
		    size_t errlen);

const char	*comment_status_name(enum comment_status);
/* Parses "pending", "approved", "spam"; -1 when unknown. */
int		 comment_status_parse(const char *);
const char	*post_status_name(enum post_status);
/* Parses "draft", "published"; -1 when unknown. */
int		 post_status_parse(const char *);

#endif /* GAZETTE_STORE_H */

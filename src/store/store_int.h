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
 * store internals: what store.c, the engines and migrate.c share.  An
 * engine fills one struct store_ops; store.c checks arguments, resets
 * outputs and dispatches, so an engine sees only valid calls with
 * outputs already NULL/0.  Nothing outside src/store includes this.
 */
#ifndef GAZETTE_STORE_INT_H
#define GAZETTE_STORE_INT_H

#include <stddef.h>
#include <stdint.h>

#include "store.h"

struct sqlite3;

/*
 * One engine.  Every function but open takes the struct store that open
 * filled; outputs arrive reset; messages go through store_errmsg_set().
 */
struct store_ops {
	const char	*name;		/* "sqlite", for messages */
	/* Sets s->engine; err gets "why" without the engine name. */
	enum store_err	(*open)(struct store *s, const char *target,
			    int create, char *err, size_t errlen);
	void		(*close)(struct store *);
	enum store_err	(*ping)(struct store *);
	enum store_err	(*data_version)(struct store *, int64_t *);
	enum store_err	(*write_begin)(struct store *);
	enum store_err	(*write_end)(struct store *, int);
	enum store_err	(*post_save)(struct store *, struct post *, int *);
	enum store_err	(*post_delete)(struct store *, int64_t);
	enum store_err	(*comment_add)(struct store *, struct comment *);
	enum store_err	(*comment_put)(struct store *, struct comment *);
	enum store_err	(*comment_set_status)(struct store *, int64_t,
			    enum comment_status);
	enum store_err	(*comment_delete)(struct store *, int64_t);
	enum store_err	(*post_get_id)(struct store *, struct arena *,
			    int64_t, struct post **);
	enum store_err	(*post_get_path)(struct store *, struct arena *,
			    const char *, struct post **);
	enum store_err	(*post_get_slug)(struct store *, struct arena *,
			    const char *, struct post **);
	enum store_err	(*post_list)(struct store *, struct arena *,
			    const struct post_query *, struct post_list *);
	enum store_err	(*comment_list_post)(struct store *, struct arena *,
			    int64_t, enum comment_status,
			    struct comment_list *);
	enum store_err	(*comment_query)(struct store *, struct arena *,
			    const struct comment_query *,
			    struct comment_list *);
	enum store_err	(*comment_get)(struct store *, struct arena *,
			    int64_t, struct comment **);
	enum store_err	(*commenter_known)(struct store *, const char *,
			    const char *, int *);
	enum store_err	(*label_get)(struct store *, struct arena *,
			    const char *, char **);
	enum store_err	(*search)(struct store *, struct arena *,
			    const struct search_query *,
			    struct search_result *);
	enum store_err	(*terms_prefix)(struct store *, struct arena *,
			    const char *, size_t, char ***, int64_t **,
			    size_t *);
	enum store_err	(*phrase_docs)(struct store *, const char *const *,
			    size_t, int64_t *, int64_t *);
	enum store_err	(*reindex)(struct store *,
			    void (*)(void *, size_t, size_t), void *);
	enum store_err	(*label_list)(struct store *, struct arena *,
			    struct label **, size_t *);
	enum store_err	(*label_rename)(struct store *, const char *,
			    const char *);
	enum store_err	(*label_merge)(struct store *, const char *,
			    const char *);
	enum store_err	(*moderation_add)(struct store *, int64_t,
			    const char *, const char *, const char *);
	enum store_err	(*moderation_list)(struct store *, struct arena *,
			    int64_t, size_t, struct moderation_log *);
	enum store_err	(*comment_same_body)(struct store *, const char *,
			    int64_t, int64_t *);
	enum store_err	(*spam_counts)(struct store *, struct arena *,
			    const char *const *, size_t,
			    struct text_spam_counts *);
	/* terms[0..n) distinct, non-empty; delta != 0. */
	enum store_err	(*spam_learn)(struct store *, const char *const *,
			    size_t, int, int);
	enum store_err	(*redirect_put)(struct store *, const char *,
			    const char *);
	enum store_err	(*redirect_get)(struct store *, struct arena *,
			    const char *, char **);
	enum store_err	(*backup)(struct store *, const char *);
	enum store_err	(*changes_since)(struct store *, struct arena *,
			    int64_t, struct store_change **, size_t *,
			    int64_t *);
	enum store_err	(*post_next_due)(struct store *, int64_t,
			    int64_t *);
	/* accounts, sessions, tokens, authors, stats (the admin) */
	enum store_err	(*user_put)(struct store *, struct user *);
	enum store_err	(*user_get)(struct store *, struct arena *,
			    const char *, int64_t, struct user **);
	enum store_err	(*user_list)(struct store *, struct arena *,
			    struct user **, size_t *);
	enum store_err	(*user_delete)(struct store *, int64_t);
	enum store_err	(*session_put)(struct store *, const char *,
			    int64_t, const char *, int64_t);
	enum store_err	(*session_get)(struct store *, struct arena *,
			    const char *, int64_t, struct user **, char **);
	enum store_err	(*session_delete)(struct store *, const char *,
			    int64_t);
	enum store_err	(*token_put)(struct store *, int64_t, const char *,
			    const char *, int64_t *);
	enum store_err	(*token_user)(struct store *, struct arena *,
			    const char *, struct user **);
	enum store_err	(*token_list)(struct store *, struct arena *,
			    int64_t, struct api_token **, size_t *);
	enum store_err	(*token_delete)(struct store *, int64_t, int64_t);
	enum store_err	(*post_author_set)(struct store *, int64_t, int64_t);
	enum store_err	(*post_author_get)(struct store *, int64_t,
			    int64_t *);
	enum store_err	(*stats_add)(struct store *, int64_t,
			    enum stats_kind, const char *, int64_t);
	enum store_err	(*stats_days)(struct store *, int64_t, size_t,
			    int64_t *, int64_t *);
	enum store_err	(*stats_top)(struct store *, struct arena *,
			    enum stats_kind, int64_t, size_t,
			    struct stats_row **, size_t *);
};

struct store {
	const struct store_ops	*ops;		/* the engine the URL chose */
	void			*engine;	/* owned; ops->close frees */
};

/* "GZTT": the SQLite header's application_id marks a gazette database. */
#define STORE_SQLITE_APP_ID	0x475a5454

/* One numbered migration, compiled into the binary. */
struct migration {
	int		 version;	/* NNN of NNN-name.sql, from 1 */
	const char	*name;		/* "schema/sqlite/001-init.sql" */
	const char	*sql;		/* static, NUL-terminated */
};

/* ---- store.c ---- */

/* Sets this thread's store_errmsg(), truncating what does not fit. */
void		 store_errmsg_set(const char *, ...)
		    __attribute__((format(printf, 1, 2)));
/* This thread's message: what store_errmsg() returns, without a store. */
const char	*store_errmsg_get(void);

/* ---- store_sqlite.c ---- */

extern const struct store_ops	 store_sqlite_ops;
/*
 * The part of migration version that SQL cannot do, run by migrate.c in
 * the migration's transaction right after its SQL: for version 2,
 * filling the new search index from the posts (it needs the text
 * pipeline in C); for version 3, the body hashes of the comments there
 * are.  Returns SQLITE_OK, also for versions with nothing to do, or an
 * SQLite error code with a message in err.
 */
int		 store_sqlite_migrate_step(struct sqlite3 *db, int version,
		    char *err, size_t errlen);

/*
 * The connection for this thread: the writer when write is 1 (NULL with
 * a message outside store_write_begin), else the thread's reader (the
 * writer on the thread that holds it).  For store_sqlite_admin.c.
 */
struct sqlite3	*store_sqlite_conn(struct store *, int write);

/* ---- store_sqlite_admin.c ---- */

/* The SQLite engine's functions for the admin's tables (migration 6). */
enum store_err	 store_sqlite_user_put(struct store *, struct user *);
enum store_err	 store_sqlite_user_get(struct store *, struct arena *,
		    const char *name, int64_t id, struct user **);
enum store_err	 store_sqlite_user_list(struct store *, struct arena *,
		    struct user **, size_t *);
enum store_err	 store_sqlite_user_delete(struct store *, int64_t);
enum store_err	 store_sqlite_session_put(struct store *, const char *,
		    int64_t, const char *, int64_t);
enum store_err	 store_sqlite_session_get(struct store *, struct arena *,
		    const char *, int64_t, struct user **, char **);
enum store_err	 store_sqlite_session_delete(struct store *, const char *,
		    int64_t);
enum store_err	 store_sqlite_token_put(struct store *, int64_t,
		    const char *, const char *, int64_t *);
enum store_err	 store_sqlite_token_user(struct store *, struct arena *,
		    const char *, struct user **);
enum store_err	 store_sqlite_token_list(struct store *, struct arena *,
		    int64_t, struct api_token **, size_t *);
enum store_err	 store_sqlite_token_delete(struct store *, int64_t,
		    int64_t);
enum store_err	 store_sqlite_post_author_set(struct store *, int64_t,
		    int64_t);
enum store_err	 store_sqlite_post_author_get(struct store *, int64_t,
		    int64_t *);
enum store_err	 store_sqlite_stats_add(struct store *, int64_t,
		    enum stats_kind, const char *, int64_t);
enum store_err	 store_sqlite_stats_days(struct store *, int64_t, size_t,
		    int64_t *, int64_t *);
enum store_err	 store_sqlite_stats_top(struct store *, struct arena *,
		    enum stats_kind, int64_t, size_t, struct stats_row **,
		    size_t *);
/* ---- store_pg.c ---- */

extern const struct store_ops	 store_pg_ops;

/* ---- snippet.c: placing a search snippet, for both engines ---- */

#define SNIP_TOKENS	24	/* words in a snippet */
#define SNIP_LEAD	4	/* of them before the first match, if any */
#define SNIP_INST_MAX	256	/* matches weighed when placing one */

/* A match in the snippet's column: tokens first..last, of phrase ph. */
struct snip_inst {
	int	 first, last;
	int	 ph;
};

/*
 * Where the window of a column of ntok tokens starts: before the run of
 * SNIP_TOKENS that holds the most different phrases, then the most
 * matches, the earliest of equals.  Found from positions alone, so only
 * the text up to the window's end is ever tokenized.
 */
int		 store_snip_place(const struct snip_inst *v, int n, int ntok);
/* Merges the overlapping ones of matches v[0..n) sorted by first. */
int		 store_snip_merge(struct snip_inst *v, int n);

/* ---- fts5_tokenizer.c ---- */

struct buf;

/*
 * Sets up db for the search index and label keys: the FTS5 tokenizer
 * "gazette", the FTS5 function gazette_snippet(post_search, col,
 * fallback) (plain text around the matches of column col, or of column
 * fallback when only it has some; matches between \002 and \003) and
 * the SQL function gazette_label_key(name) (the label's
 * text_label_key(), or the name itself when that is "").  Every
 * connection needs it before it touches post_search or label keys,
 * migrations included; calling it again is harmless.  Returns an SQLite
 * result code.
 */
int		 store_fts5_register(struct sqlite3 *db);
/*
 * The language a post's text is indexed in, into out[outlen] (at least
 * 9 bytes): the primary subtag of lang, lower case ("pt" of "pt-BR"),
 * or when lang is empty what text_lang_detect() makes of text[0..len).
 */
void		 store_fts5_lang(char *out, size_t outlen, const char *lang,
		    const char *text, size_t len);
/*
 * Appends s[0..len) as one indexed value: the marker "\x1f" LANG "\x1f"
 * that tells the tokenizer the language, then the text with control
 * bytes as spaces and bytes that are not UTF-8 as '?' (same length, so
 * offsets hold).
 */
void		 store_fts5_doc(struct buf *, const char *lang, const char *s,
		    size_t len);
/*
 * Appends the text of html s[0..len): tags and comments dropped, block
 * elements as line breaks, common entities decoded.  For sanitized html;
 * it is not a parser and never fails.
 */
void		 store_fts5_html_text(struct buf *, const char *s,
		    size_t len);
/*
 * Appends an FTS5 phrase: each term quoted (embedded '"' doubled), the
 * terms joined with '+'; NULL and empty terms are skipped.  The
 * tokenizer passes query text through unchanged, so terms must come
 * from the pipeline already.  Returns the number of terms appended.
 */
size_t		 store_fts5_phrase(struct buf *, const char *const *terms,
		    size_t nterms);
/*
 * Appends an FTS5 MATCH expression for a query's phrases: alternatives
 * (neighbours sharing a non-zero alt) ORed into one group, the groups
 * that are not negated ANDed in parentheses, then each negated group
 * after NOT.  Returns 0, or -1 when no group that is not negated has a
 * term (nothing can match).
 */
int		 store_fts5_match(struct buf *, const struct search_phrase *v,
		    size_t n);

/* ---- migrate.c ---- */

/*
 * Fills v[0..cap) with the embedded migrations under dir
 * ("schema/sqlite/"), in order, and sets *n.  Returns 0, or -1 with a
 * message in err when they are not numbered 1, 2, 3... or exceed cap.
 */
int		 migrate_list(const char *dir, struct migration *v,
		    size_t cap, size_t *n, char *err, size_t errlen);
/*
 * Checks that db (open read-write on path) is a gazette database, or an
 * empty one when create is 1, no newer than the embedded migrations, and
 * applies the pending ones.  Returns STORE_OK, or an error with
 * "PATH: why" in err and nothing half-applied.  Leaves foreign keys off:
 * the caller turns them on.
 */
enum store_err	 migrate_sqlite(struct sqlite3 *db, const char *path,
		    int create, char *err, size_t errlen);
/*
 * Applies those of v[0..n) newer than db's user_version, one
 * transaction each, each followed by its store_sqlite_migrate_step;
 * sets db up with store_fts5_register first (exposed for tests of a
 * failing migration).  Same returns as migrate_sqlite; err names the
 * failing migration.
 */
enum store_err	 migrate_sqlite_apply(struct sqlite3 *db,
		    const struct migration *v, size_t n, char *err,
		    size_t errlen);

#endif /* GAZETTE_STORE_INT_H */

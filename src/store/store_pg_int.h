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
 * What the files of the PostgreSQL engine share: the connection and its
 * statements (store_pg.c), the search index (store_pg_search.c) and the
 * change log and listener (store_pg_notify.c).  Only src/store includes
 * this, and only it includes libpq.
 */
#ifndef GAZETTE_STORE_PG_INT_H
#define GAZETTE_STORE_PG_INT_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>

#include <libpq-fe.h>

#include "store_int.h"

/* Every statement of the engine; see store_pg.c's table for the text. */
enum pg_stmt {
	PS_PING,
	PS_POST_BY_ID,
	PS_POST_BY_PATH,
	PS_POST_BY_SLUG,
	PS_LIST,
	PS_COUNT,
	PS_POST_STATE,
	PS_POST_ID_BY_PATH,
	PS_POST_INSERT,
	PS_POST_UPDATE,
	PS_POST_DELETE,
	PS_POST_LABEL_KEYS,
	PS_LABELS_DROP_OWN,
	PS_POST_LABELS_CLEAR,
	PS_LABEL_ID,
	PS_LABEL_INSERT,
	PS_POST_LABEL_ADD,
	PS_LABEL_GET,
	PS_LABEL_LIST,
	PS_LABEL_RENAME,
	PS_LABEL_POSTS,
	PS_LABEL_MERGE_POS,
	PS_LABEL_MERGE_DUP,
	PS_LABEL_MERGE_MOVE,
	PS_LABEL_DELETE,
	PS_COMMENT_STATE,
	PS_COMMENT_INSERT,
	PS_COMMENT_FIND,
	PS_COMMENT_SET_STATUS,
	PS_COMMENT_REPARENT,
	PS_COMMENT_DELETE,
	PS_COMMENT_GET,
	PS_COMMENT_LIST_POST,
	PS_COMMENT_QUERY,
	PS_COMMENTER_KNOWN,
	PS_SAME_BODY,
	PS_MOD_ADD,
	PS_MOD_LIST,
	PS_SPAM_TOTALS,
	PS_SPAM_TERM,
	PS_SPAM_TERM_ADD,
	PS_SPAM_TERM_SUB,
	PS_SPAM_TERM_PRUNE,
	PS_SPAM_TOTALS_ADD,
	PS_REDIRECT_PUT,
	PS_REDIRECT_GET,
	PS_NEXT_DUE,
	/* store_pg_search.c */
	PS_IX_POST,
	PS_IX_LABELS,
	PS_IX_COMMENTS,
	PS_IX_OLD,
	PS_IX_TERMS_PRUNE,
	PS_IX_DELETE,
	PS_IX_INSERT,
	PS_IX_TERMS_APPLY,
	PS_IX_CLEAR,
	PS_IX_TERMS_CLEAR,
	PS_POST_IDS,
	PS_IX_STATS_APPLY,
	PS_IX_REBUILD_TERMS,
	PS_IX_REBUILD_STATS,
	PS_SEARCH_WINDOW,
	PS_SEARCH_STATS,
	PS_SEARCH_NHIT,
	PS_SEARCH_ROWS,
	PS_TERMS,
	PS_PHRASE_DOCS,
	PS_COUNT_PUBLISHED,
	/* store_pg_notify.c */
	PS_CHANGES_LOCK,
	PS_CHANGE_ADD,
	PS_CHANGES_SINCE,
	PS_NOTIFY,
	PS_CHANGES_PRUNE,
	/* store_pg_admin.c */
	PS_USER_INSERT,
	PS_USER_UPDATE,
	PS_USER_BY_NAME,
	PS_USER_BY_ID,
	PS_USER_LIST,
	PS_USER_DELETE,
	PS_SESSION_INSERT,
	PS_SESSION_GET,
	PS_SESSION_DELETE,
	PS_TOKEN_INSERT,
	PS_TOKEN_USER,
	PS_TOKEN_LIST,
	PS_TOKEN_DELETE,
	PS_AUTHOR_SET,
	PS_AUTHOR_GET,
	PS_STATS_ADD,
	PS_STATS_VIEWS,
	PS_STATS_COMMENTS,
	PS_STATS_TOP,
	PS_STATS_TOP_LABELS,
	PS__MAX
};

/* A connection and which statements it has prepared. */
struct pg_conn {
	PGconn		*db;
	unsigned char	 prepared[PS__MAX];
};

struct pg_reader;

/* A change of a term's post count, applied to search_terms at commit. */
struct pg_tdelta {
	char		*term;	/* owned */
	int		 delta;
};

/* The engine behind one struct store. */
struct pg_engine {
	char		*url;		/* conninfo, owned */
	struct pg_conn	 w;		/* the writer, under wlock */
	pthread_mutex_t	 wlock;		/* held from write_begin to end */
	pthread_key_t	 wkey;		/* non-NULL on the writing thread */
	pthread_key_t	 rkey;		/* the thread's struct pg_reader */
	int		 has_keys;
	pthread_mutex_t	 rlock;		/* guards readers */
	struct pg_reader *readers;
	/* The writer's transaction: tags recorded so far (writer only). */
	char		**tags;
	size_t		 ntags, tagcap;
	int64_t		 lastseq;	/* seq of the newest tag, or 0 */
	/*
	 * The transaction's changes to search_terms and search_stats,
	 * kept here and applied once at commit: updating a row again and
	 * again in one transaction makes each update walk every earlier
	 * version of it, which an import of many posts cannot afford.
	 */
	struct pg_tdelta *tlog;
	size_t		 ntlog, tlogcap;
	int64_t		 drows, dtokens;
	/* What store_data_version returns; bumped by commits and NOTIFY. */
	_Atomic int64_t	 epoch;
	/* The LISTEN thread, started by the first store_data_version. */
	pthread_mutex_t	 llock;
	pthread_t	 lthread;
	_Atomic int	 lstarted;
	_Atomic int	 lstop;
};

/* ---- store_pg.c ---- */

/* Bound parameters of one statement, as text (NULL for SQL NULL). */
#define PG_PARAMS_MAX	16
struct pg_params {
	const char	*v[PG_PARAMS_MAX];
	int		 len[PG_PARAMS_MAX];
	char		 num[PG_PARAMS_MAX][32];
	int		 n;
};

void		 pg_params_init(struct pg_params *);
void		 pg_param_str(struct pg_params *, const char *);	/* NULL: "" */
void		 pg_param_strn(struct pg_params *, const char *, size_t);
void		 pg_param_null(struct pg_params *);
void		 pg_param_i64(struct pg_params *, int64_t);
void		 pg_param_f64(struct pg_params *, double);
/* A LIMIT: 0 is none (SQL NULL). */
void		 pg_param_limit(struct pg_params *, size_t);
/*
 * Runs statement id on c (connecting or reconnecting first if needed)
 * with params p (or none).  Returns the result, which the caller
 * PQclear()s, or NULL with *e set and a message naming what.
 */
PGresult	*pg_run(struct pg_engine *, struct pg_conn *, enum pg_stmt,
		    const struct pg_params *, const char *what,
		    enum store_err *e);
/* pg_run for statements whose rows are not wanted. */
enum store_err	 pg_do(struct pg_engine *, struct pg_conn *, enum pg_stmt,
		    const struct pg_params *, const char *what);
/* The first column of the first row as an integer; NOTFOUND: no row. */
enum store_err	 pg_int(struct pg_engine *, struct pg_conn *, enum pg_stmt,
		    const struct pg_params *, const char *what, int64_t *out);
int64_t		 pg_get_i64(const PGresult *, int row, int col);
char		*pg_get_str(const PGresult *, int row, int col,
		    struct arena *);
/* This thread's reader, or the writer when this thread holds it. */
struct pg_conn	*pg_conn_read(struct pg_engine *);
/* The writer when this thread holds it; NULL with a message if not. */
struct pg_conn	*pg_conn_write(struct pg_engine *);
/* Opens a connection to url; NULL with a message in err. */
PGconn		*pg_connect(const char *url, char *err, size_t errlen);
/* Maps a failed result to our code, with its message under what. */
enum store_err	 pg_res_err(PGconn *, const PGresult *, const char *what);
/* comments.body_hash of a body: FNV-1a, as the SQLite engine's. */
int64_t		 pg_body_hash(const char *, size_t);
/* label key of name: text_label_key, or name itself when that is "". */
char		*pg_label_key(struct arena *, const char *name);
/* Fills p from row r of a result whose first columns are POST_COLS. */
void		 pg_post_row(const PGresult *, int, struct arena *,
		    struct post *);
#define PG_POST_NCOLS	15

/* ---- store_pg_write.c: the writes of store_pg_ops ---- */

enum store_err	 store_pg_post_save_op(struct store *, struct post *, int *);
enum store_err	 store_pg_post_delete_op(struct store *, int64_t);
enum store_err	 store_pg_comment_add_op(struct store *, struct comment *);
enum store_err	 store_pg_comment_put_op(struct store *, struct comment *);
enum store_err	 store_pg_comment_set_status_op(struct store *, int64_t,
		    enum comment_status);
enum store_err	 store_pg_comment_delete_op(struct store *, int64_t);
enum store_err	 store_pg_label_rename_op(struct store *, const char *,
		    const char *);
enum store_err	 store_pg_label_merge_op(struct store *, const char *,
		    const char *);
enum store_err	 store_pg_moderation_add_op(struct store *, int64_t,
		    const char *, const char *, const char *);
enum store_err	 store_pg_spam_learn_op(struct store *, const char *const *,
		    size_t, int, int);
enum store_err	 store_pg_redirect_put_op(struct store *, const char *,
		    const char *);
enum store_err	 store_pg_reindex_op(struct store *,
		    void (*)(void *, size_t, size_t), void *);
/*
 * Runs fn(s, arg), a write, in a savepoint as the writes above are: a
 * failure takes back its statements and tags and leaves the
 * transaction usable.  For writes made outside this file.
 */
enum store_err	 pg_savepoint(struct store *,
		    enum store_err (*fn)(struct store *, void *), void *arg);

/* ---- store_pg_admin.c: the admin's tables (migration 2) ---- */

enum store_err	 store_pg_user_put(struct store *, struct user *);
enum store_err	 store_pg_user_get(struct store *, struct arena *,
		    const char *name, int64_t id, struct user **);
enum store_err	 store_pg_user_list(struct store *, struct arena *,
		    struct user **, size_t *);
enum store_err	 store_pg_user_delete(struct store *, int64_t);
enum store_err	 store_pg_session_put(struct store *, const char *,
		    int64_t, const char *, int64_t);
enum store_err	 store_pg_session_get(struct store *, struct arena *,
		    const char *, int64_t, struct user **, char **);
enum store_err	 store_pg_session_delete(struct store *, const char *,
		    int64_t);
enum store_err	 store_pg_token_put(struct store *, int64_t, const char *,
		    const char *, int64_t *);
enum store_err	 store_pg_token_user(struct store *, struct arena *,
		    const char *, struct user **);
enum store_err	 store_pg_token_list(struct store *, struct arena *,
		    int64_t, struct api_token **, size_t *);
enum store_err	 store_pg_token_delete(struct store *, int64_t, int64_t);
enum store_err	 store_pg_post_author_set(struct store *, int64_t,
		    int64_t);
enum store_err	 store_pg_post_author_get(struct store *, int64_t,
		    int64_t *);
enum store_err	 store_pg_stats_add(struct store *, int64_t,
		    enum stats_kind, const char *, int64_t);
enum store_err	 store_pg_stats_days(struct store *, int64_t, size_t,
		    int64_t *, int64_t *);
enum store_err	 store_pg_stats_top(struct store *, struct arena *,
		    enum stats_kind, int64_t, size_t, struct stats_row **,
		    size_t *);

/* ---- store_pg_search.c ---- */

/* Writes post id's row of the index afresh (drops it if post is gone). */
enum store_err	 pg_index_put(struct pg_engine *, struct pg_conn *,
		    int64_t id);
enum store_err	 pg_index_del(struct pg_engine *, struct pg_conn *,
		    int64_t id);
enum store_err	 store_pg_search(struct store *, struct arena *,
		    const struct search_query *, struct search_result *);
enum store_err	 store_pg_terms_prefix(struct store *, struct arena *,
		    const char *, size_t, char ***, int64_t **, size_t *);
enum store_err	 store_pg_phrase_docs(struct store *, const char *const *,
		    size_t, int64_t *, int64_t *);
enum store_err	 store_pg_reindex(struct store *,
		    void (*)(void *, size_t, size_t), void *);
/* Applies the writer's term and stats changes (before commit). */
enum store_err	 pg_terms_flush(struct pg_engine *);
/* Forgets the changes logged after the first n (a failed write). */
void		 pg_terms_truncate(struct pg_engine *, size_t n);

/* ---- store_pg_notify.c ---- */

/* Records tag for the writer's transaction (once per transaction). */
enum store_err	 pg_tag(struct pg_engine *, const char *tag);
enum store_err	 pg_tagf(struct pg_engine *, const char *fmt, ...)
		    __attribute__((format(printf, 2, 3)));
/* Before COMMIT: NOTIFY the other processes and prune the log. */
enum store_err	 pg_changes_commit(struct pg_engine *);
/* After the transaction ended either way. */
void		 pg_changes_reset(struct pg_engine *);
enum store_err	 store_pg_data_version(struct store *, int64_t *);
enum store_err	 store_pg_changes_since(struct store *, struct arena *,
		    int64_t, struct store_change **, size_t *, int64_t *);
/* Stops the listener thread, if it runs. */
void		 pg_listener_stop(struct pg_engine *);

#endif /* GAZETTE_STORE_PG_INT_H */

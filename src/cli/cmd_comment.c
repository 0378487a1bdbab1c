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
 * gazette comment list|approve|spam|delete|log: moderation from the
 * shell.  approve and spam also teach the spam filter, so that the
 * owner's decisions are what the scorer learns from; the filter itself
 * (terms, counts) belongs to text/ and store/.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "store/store.h"
#include "text/text.h"

#define EXCERPT_CHARS	60	/* characters of a comment in a list */
#define LOG_LIMIT	100	/* log entries shown unless --limit */
#define LOG_LIMIT_MAX	1000000	/* highest --limit of comment log */

/* In the order of enum moderation_action (store.h). */
enum action {
	ACT_APPROVE,		/* show it, learn it as ham */
	ACT_SPAM,		/* hide it, learn it as spam */
	ACT_DELETE,		/* remove it; nothing learned */
};

/* What approve, spam and delete act on, from the command line. */
struct selection {
	int64_t		*from, *to;	/* id ranges; from == to: one id */
	const char	**args;	/* each range as written, for messages */
	size_t		 nranges;
	const char	*author;	/* --author, or NULL */
	enum comment_status status;	/* --status, or COMMENT_STATUS__MAX */
};

static noreturn void
usage(int status)
{
	fputs("usage: gazette [-C DIR] comment list [--status "
	    "pending|approved|spam|all]\n"
	    "           [--pending] [--spam] [--author NAME] [--post POST] "
	    "[--json]\n"
	    "       gazette [-C DIR] comment approve|spam|delete "
	    "[--author NAME]\n"
	    "           [--status pending|approved|spam] [ID | FROM-TO]...\n"
	    "       gazette [-C DIR] comment log [--comment ID] [--limit N] "
	    "[--json]\n", status == 0 ? stdout : stderr);
	exit(status);
}

/* The start of a comment on one line: whitespace runs become a space. */
static char *
excerpt(struct arena *a, const char *body)
{
	char	*out;
	size_t	 n = 0, chars = 0;
	int	 space = 0;

	out = arena_alloc(a, strlen(body) + 4);
	for (; *body != '\0' && chars < EXCERPT_CHARS; body++) {
		if (*body == ' ' || *body == '\t' || *body == '\n' ||
		    *body == '\r') {
			space = n > 0;
			continue;
		}
		if (space) {
			out[n++] = ' ';
			chars++;
			space = 0;
		}
		out[n++] = *body;
		if (((unsigned char)*body & 0xc0) != 0x80)
			chars++;
	}
	/* Finish a character cut in the middle. */
	while (((unsigned char)*body & 0xc0) == 0x80)
		out[n++] = *body++;
	if (*body != '\0')
		memcpy(out + n, "…", strlen("…") + 1);
	return out;
}

/* s with control characters made spaces, so it stays one field. */
static char *
one_field(struct arena *a, const char *s)
{
	char	*out, *p;

	out = arena_strdup(a, s);
	for (p = out; *p != '\0'; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = ' ';
	return out;
}

/*
 * Records the status an option asks for; two options that disagree
 * (--pending --spam) are a usage error rather than a silent choice.
 */
static void
want_status(struct cli *cli, enum comment_status *want, int *is_set,
    enum comment_status st)
{
	if (*is_set && *want != st)
		cli_usage(cli, "--status, --pending and --spam disagree");
	*want = st;
	*is_set = 1;
}

/* "pending", "approved", "spam" (and "all" when all_ok) for --status. */
static enum comment_status
parse_status(struct cli *cli, const char *s, int all_ok)
{
	int	 v;

	if (all_ok && strcmp(s, "all") == 0)
		return COMMENT_STATUS__MAX;
	if ((v = comment_status_parse(s)) == -1)
		cli_usage(cli, "--status: expected pending, approved, spam%s",
		    all_ok ? " or all" : "");
	return (enum comment_status)v;
}

/* Parses list's options into q; *post is the --post POST, or NULL. */
static void
list_options(struct cli *cli, int argc, char *argv[], struct comment_query *q,
    const char **post)
{
	static const struct option opts[] = {
		{ "status", required_argument, NULL, 's' },
		{ "pending", no_argument, NULL, 'p' },
		{ "spam", no_argument, NULL, 'S' },
		{ "author", required_argument, NULL, 'a' },
		{ "post", required_argument, NULL, 'P' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int	 c, is_set = 0;

	memset(q, 0, sizeof(*q));
	q->status = COMMENT_STATUS__MAX;
	*post = NULL;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 's':
			want_status(cli, &q->status, &is_set,
			    parse_status(cli, optarg, 1));
			break;
		case 'p':
			want_status(cli, &q->status, &is_set,
			    COMMENT_PENDING);
			break;
		case 'S':
			want_status(cli, &q->status, &is_set, COMMENT_SPAM);
			break;
		case 'a':
			if (*optarg == '\0')
				cli_usage(cli, "--author needs a name");
			q->author = optarg;
			break;
		case 'P':
			*post = optarg;
			break;
		case 'h':
			usage(0);
		default:
			cli_usage(cli, "unknown option \"%s\"",
			    argv[optind - 1]);
		}
	}
	if (optind != argc)
		cli_usage(cli, "unexpected argument \"%s\"", argv[optind]);
}

static int
comment_list(struct cli *cli, struct store *st, struct arena *a,
    struct comment_query *q, const char *post)
{
	const char		*keys[] = { "id", "status", "post_id", "name",
	    "excerpt", "score", "reasons" };
	const char		*vals[7];
	struct comment_list	 cl;
	struct post		*p;
	enum store_err		 e;
	char			 id[32], pid[32], score[32];
	size_t			 i;

	if (post != NULL) {
		if ((e = cli_find_post(st, a, post, &p)) != STORE_OK)
			return cli_fail("post %s: %s", post,
			    e == STORE_NOTFOUND ? "no such post" :
			    store_errmsg(st));
		q->post_id = p->id;
	}
	if (store_comment_query(st, a, q, &cl) != STORE_OK)
		return cli_fail("comment list: %s", store_errmsg(st));
	for (i = 0; i < cl.n; i++) {
		snprintf(id, sizeof(id), "%lld", (long long)cl.v[i].id);
		snprintf(pid, sizeof(pid), "%lld",
		    (long long)cl.v[i].post_id);
		snprintf(score, sizeof(score), "%.3f", cl.v[i].spam_score);
		vals[0] = id;
		vals[1] = comment_status_name(cl.v[i].status);
		vals[2] = pid;
		vals[3] = cl.v[i].name;
		vals[4] = excerpt(a, cl.v[i].body);
		vals[5] = score;
		vals[6] = cl.v[i].spam_reasons != NULL ?
		    cl.v[i].spam_reasons : "";
		/* The tab format stays as scripts already read it. */
		if (cli->json)
			cli_json_line(keys, vals, 7);
		else
			printf("%s\t%s\t%s\t%s\t%s\n", vals[0], vals[1],
			    vals[2], one_field(a, vals[3]), vals[4]);
	}
	return 0;
}

/* Parses "ID" or "FROM-TO" into [*from, *to]; 0 or -1. */
static int
parse_range(const char *s, int64_t *from, int64_t *to)
{
	char	 buf[64];
	char	*dash;

	*from = *to = 0;
	if (str_copy(buf, s, sizeof(buf)) == -1)
		return -1;
	if ((dash = strchr(buf, '-')) == NULL) {
		if (str_to_i64(buf, 1, INT64_MAX, from) == -1)
			return -1;
		*to = *from;
		return 0;
	}
	*dash = '\0';
	if (str_to_i64(buf, 1, INT64_MAX, from) == -1 ||
	    str_to_i64(dash + 1, 1, INT64_MAX, to) == -1 || *from > *to) {
		*from = *to = 0;
		return -1;
	}
	return 0;
}

/* Parses the options and arguments of approve, spam and delete. */
static void
act_options(struct cli *cli, struct arena *a, int argc, char *argv[],
    struct selection *sel)
{
	static const struct option opts[] = {
		{ "author", required_argument, NULL, 'a' },
		{ "status", required_argument, NULL, 's' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int	 c, i;

	memset(sel, 0, sizeof(*sel));
	sel->status = COMMENT_STATUS__MAX;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'a':
			if (*optarg == '\0')
				cli_usage(cli, "--author needs a name");
			sel->author = optarg;
			break;
		case 's':
			sel->status = parse_status(cli, optarg, 0);
			break;
		case 'h':
			usage(0);
		default:
			cli_usage(cli, "unknown option \"%s\"",
			    argv[optind - 1]);
		}
	}
	if (optind == argc && sel->author == NULL)
		cli_usage(cli, "%s needs comment ids, ranges (10-20) or "
		    "--author NAME", argv[0]);
	sel->nranges = (size_t)(argc - optind);
	sel->from = arena_allocarray(a, sel->nranges + 1, sizeof(int64_t));
	sel->to = arena_allocarray(a, sel->nranges + 1, sizeof(int64_t));
	sel->args = arena_allocarray(a, sel->nranges + 1, sizeof(char *));
	for (i = optind; i < argc; i++) {
		if (parse_range(argv[i], &sel->from[i - optind],
		    &sel->to[i - optind]) == -1)
			cli_usage(cli, "\"%s\" is not a comment id or a range "
			    "such as 10-20", argv[i]);
		sel->args[i - optind] = argv[i];
	}
}

/* The login name for the moderation log: who acted, as far as known. */
static const char *
actor(struct arena *a)
{
	const char	*who;

	if ((who = getlogin()) == NULL || *who == '\0')
		who = getenv("USER");
	if (who == NULL || *who == '\0')
		who = "cli";
	return arena_printf(a, "cli:%s", who);
}

static int
cmp_id(const void *a, const void *b)
{
	const struct comment	*x = a, *y = b;

	return x->id < y->id ? -1 : x->id > y->id;
}

/* Appends cl's comments to *v (arena array of *n, room *cap). */
static void
append(struct arena *a, struct comment **v, size_t *n, size_t *cap,
    const struct comment_list *cl)
{
	size_t	 i;

	for (i = 0; i < cl->n; i++) {
		*v = arena_grow(a, *v, *n, cap, sizeof(**v));
		(*v)[(*n)++] = cl->v[i];
	}
}

/*
 * The comments sel names, sorted by id, each once.  Every id, range and
 * --author must match something: a typo should change nothing rather
 * than the rest of the list alone.  Returns 0, or 1 after printing why.
 */
static int
select_comments(struct store *st, struct arena *a, const struct selection *sel,
    struct comment **out, size_t *nout)
{
	struct comment_query	 q;
	struct comment_list	 cl;
	struct comment		*v = NULL, *c;
	const char		*status = "";
	enum store_err		 e;
	size_t			 i, j, n = 0, cap = 0;
	int			 rc = 0;

	*out = NULL;
	*nout = 0;
	if (sel->status != COMMENT_STATUS__MAX)
		status = arena_printf(a, "%s ",
		    comment_status_name(sel->status));
	for (i = 0; i < sel->nranges; i++) {
		if (sel->from[i] == sel->to[i]) {
			e = store_comment_get(st, a, sel->from[i], &c);
			if (e == STORE_NOTFOUND)
				rc = cli_fail("comment %lld: no such comment",
				    (long long)sel->from[i]);
			else if (e != STORE_OK)
				return cli_fail("comment %lld: %s",
				    (long long)sel->from[i], store_errmsg(st));
			else if (sel->status != COMMENT_STATUS__MAX &&
			    c->status != sel->status)
				rc = cli_fail("comment %lld: %s, not %s",
				    (long long)c->id,
				    comment_status_name(c->status),
				    comment_status_name(sel->status));
			else {
				cl.v = c;
				cl.n = 1;
				append(a, &v, &n, &cap, &cl);
			}
			continue;
		}
		memset(&q, 0, sizeof(q));
		q.status = sel->status;
		q.id_min = sel->from[i];
		q.id_max = sel->to[i];
		if (store_comment_query(st, a, &q, &cl) != STORE_OK)
			return cli_fail("comment %s: %s", sel->args[i],
			    store_errmsg(st));
		if (cl.n == 0)
			rc = cli_fail("comment %s: no %scomments in that "
			    "range", sel->args[i], status);
		append(a, &v, &n, &cap, &cl);
	}
	if (sel->author != NULL) {
		memset(&q, 0, sizeof(q));
		q.status = sel->status;
		q.author = sel->author;
		if (store_comment_query(st, a, &q, &cl) != STORE_OK)
			return cli_fail("comment --author %s: %s",
			    sel->author, store_errmsg(st));
		if (cl.n == 0)
			rc = cli_fail("comment --author %s: no %scomments by "
			    "that name", sel->author, status);
		append(a, &v, &n, &cap, &cl);
	}
	if (rc != 0)
		return rc;
	if (n > 1)
		qsort(v, n, sizeof(*v), cmp_id);
	for (i = j = 0; i < n; i++)
		if (j == 0 || v[i].id != v[j - 1].id)
			v[j++] = v[i];
	*out = v;
	*nout = j;
	return 0;
}

/*
 * approve, spam or delete what sel names: selection, training, the log
 * and the changes in one transaction, so a failure leaves all as it was.
 */
static int
comment_act(struct store *st, struct arena *a, enum action act,
    const char *name, const struct selection *sel)
{
	static const char *const done[] = { "approved", "spam", "deleted" };
	struct comment		*v;
	const char		*who;
	enum store_err		 e;
	size_t			 i, n = 0;
	int			 rc;

	who = actor(a);
	if (store_write_begin(st) != STORE_OK)
		return cli_fail("comment %s: %s", name, store_errmsg(st));
	rc = select_comments(st, a, sel, &v, &n);
	for (i = 0; i < n && rc == 0; i++)
		if ((e = store_comment_moderate(st, a, &v[i],
		    (enum moderation_action)act, who)) != STORE_OK)
			rc = cli_fail("comment %lld: %s", (long long)v[i].id,
			    e == STORE_NOTFOUND ? "no such comment" :
			    store_errmsg(st));
	if (store_write_end(st, rc == 0) != STORE_OK && rc == 0)
		rc = cli_fail("comment %s: %s", name, store_errmsg(st));
	if (rc == 0)
		for (i = 0; i < n; i++)
			printf("%s\t%lld\n", done[act], (long long)v[i].id);
	return rc;
}

/* Parses log's options: --comment ID and --limit N. */
static void
log_options(struct cli *cli, int argc, char *argv[], int64_t *id,
    int64_t *limit)
{
	static const struct option opts[] = {
		{ "comment", required_argument, NULL, 'c' },
		{ "limit", required_argument, NULL, 'n' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int	 c;

	*id = 0;
	*limit = LOG_LIMIT;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'c':
			if (str_to_i64(optarg, 1, INT64_MAX, id) == -1)
				cli_usage(cli, "--comment: \"%s\" is not a "
				    "comment id", optarg);
			break;
		case 'n':
			if (str_to_i64(optarg, 1, LOG_LIMIT_MAX, limit) == -1)
				cli_usage(cli, "--limit: expected a number "
				    "from 1 to %d", LOG_LIMIT_MAX);
			break;
		case 'h':
			usage(0);
		default:
			cli_usage(cli, "unknown option \"%s\"",
			    argv[optind - 1]);
		}
	}
	if (optind != argc)
		cli_usage(cli, "unexpected argument \"%s\"", argv[optind]);
}

static int
comment_log(struct cli *cli, struct store *st, struct arena *a, int64_t id,
    int64_t limit)
{
	const char		*keys[] = { "time", "action", "actor",
	    "comment_id", "detail" };
	const char		*vals[5];
	struct moderation_log	 log;
	char			 iso[64], cid[32];
	size_t			 i;

	if (store_moderation_list(st, a, id, (size_t)limit, &log) !=
	    STORE_OK)
		return cli_fail("comment log: %s", store_errmsg(st));
	for (i = 0; i < log.n; i++) {
		if (text_date_iso(cli->conf.site_timezone, log.v[i].at, iso,
		    sizeof(iso)) == -1)
			snprintf(iso, sizeof(iso), "%lld",
			    (long long)log.v[i].at);
		snprintf(cid, sizeof(cid), "%lld",
		    (long long)log.v[i].comment_id);
		vals[0] = iso;
		vals[1] = log.v[i].action;
		vals[2] = log.v[i].actor;
		vals[3] = cid;
		vals[4] = log.v[i].detail != NULL ? log.v[i].detail : "";
		if (cli->json)
			cli_json_line(keys, vals, 5);
		else
			printf("%s\t%s\t%s\t%s\t%s\n", vals[0],
			    one_field(a, vals[1]), one_field(a, vals[2]),
			    vals[3], one_field(a, vals[4]));
	}
	return 0;
}

int
cmd_comment(struct cli *cli, int argc, char *argv[])
{
	static const char *const acts[] = { "approve", "spam", "delete" };
	struct store		*st;
	struct arena		*a;
	struct comment_query	 q;
	struct selection	 sel;
	const char		*post = NULL;
	int64_t			 id = 0, limit = 0;
	size_t			 act;
	int			 rc;

	if (argc < 2)
		usage(EXIT_USAGE);
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)
		usage(0);
	for (act = 0; act < nitems(acts); act++)
		if (strcmp(argv[1], acts[act]) == 0)
			break;
	if (act == nitems(acts) && strcmp(argv[1], "list") != 0 &&
	    strcmp(argv[1], "log") != 0)
		cli_usage(cli, "unknown action \"%s\" (list, approve, spam, "
		    "delete, log)", argv[1]);
	a = arena_new();
	if (strcmp(argv[1], "list") == 0)
		list_options(cli, argc - 1, argv + 1, &q, &post);
	else if (strcmp(argv[1], "log") == 0)
		log_options(cli, argc - 1, argv + 1, &id, &limit);
	else
		act_options(cli, a, argc - 1, argv + 1, &sel);
	if (cli_load(cli) == -1 || (st = cli_store(cli, 0)) == NULL) {
		arena_free(a);
		return 1;
	}
	if (strcmp(argv[1], "list") == 0)
		rc = comment_list(cli, st, a, &q, post);
	else if (strcmp(argv[1], "log") == 0)
		rc = comment_log(cli, st, a, id, limit);
	else
		rc = comment_act(st, a, (enum action)act, argv[1], &sel);
	arena_free(a);
	store_close(st);
	return rc;
}

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
 * gazette post list|show|delete|comments: posts from the shell, one
 * record a line (tab-separated, or JSON lines with --json).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "store/store.h"
#include "text/text.h"

#define COMMENTS_DAYS_MAX	36500	/* post comments DAYS: 100 years */

static noreturn void
usage(int status)
{
	fputs("usage: gazette [-C DIR] post list [--status "
	    "draft|published|all] [--json]\n"
	    "       gazette [-C DIR] post show [--json] POST\n"
	    "       gazette [-C DIR] post delete POST\n"
	    "       gazette [-C DIR] post comments POST open|closed|DAYS\n"
	    "POST is an id, a slug, or a URL path such as "
	    "/2023/09/slug.html\n", status == 0 ? stdout : stderr);
	exit(status);
}

enum store_err
cli_find_post(struct store *st, struct arena *a, const char *spec,
    struct post **out)
{
	const char	*p;
	char		*slug;
	size_t		 len;
	int64_t		 id;

	if (str_to_i64(spec, 1, INT64_MAX, &id) == 0)
		return store_post_get_id(st, a, id, out);
	if (str_has_prefix(spec, "http://") || str_has_prefix(spec,
	    "https://")) {
		p = strchr(spec + 8, '/');
		spec = p != NULL ? p : "/";
	}
	if (spec[0] == '/')
		return store_post_get_path(st, a, spec, out);
	slug = arena_strdup(a, spec);
	len = strlen(slug);
	if (len > 5 && strcmp(slug + len - 5, ".html") == 0)
		slug[len - 5] = '\0';
	return store_post_get_slug(st, a, slug, out);
}

static void
print_post_line(struct cli *cli, const struct post *p)
{
	const char	*keys[] = { "id", "status", "date", "url", "title" };
	const char	*vals[5];
	char		 id[32], date[64];
	int		 y, m, d;

	snprintf(id, sizeof(id), "%lld", (long long)p->id);
	if (text_date_parts(cli->conf.site_timezone, p->published, &y, &m,
	    &d) == -1)
		y = m = d = 0;
	snprintf(date, sizeof(date), "%04d-%02d-%02d", y, m, d);
	vals[0] = id;
	vals[1] = post_status_name(p->status);
	vals[2] = date;
	vals[3] = p->path;
	vals[4] = p->title;
	if (cli->json)
		cli_json_line(keys, vals, 5);
	else
		printf("%s\t%s\t%s\t%s\t%s\n", vals[0], vals[1], vals[2],
		    vals[3], vals[4]);
}

/* Parses list's options: the status wanted, -1 for all. */
static int
list_status(struct cli *cli, int argc, char *argv[])
{
	static const struct option opts[] = {
		{ "status", required_argument, NULL, 's' },
		{ NULL, 0, NULL, 0 },
	};
	const char	*status = "all";
	int		 c, want = -1;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c != 's')
			cli_usage(cli, "unknown option \"%s\"",
			    argv[optind - 1]);
		status = optarg;
	}
	if (strcmp(status, "draft") == 0)
		want = POST_DRAFT;
	else if (strcmp(status, "published") == 0)
		want = POST_PUBLISHED;
	else if (strcmp(status, "all") != 0)
		cli_usage(cli, "--status: expected draft, published or all");
	if (optind != argc)
		cli_usage(cli, "unexpected argument \"%s\"", argv[optind]);
	return want;
}

static int
post_list(struct cli *cli, struct store *st, struct arena *a, int want)
{
	struct post_query	 q;
	struct post_list	 pl;
	size_t			 i;

	memset(&q, 0, sizeof(q));
	q.all_statuses = 1;
	q.include_pages = 1;
	if (store_post_list(st, a, &q, &pl) != STORE_OK)
		return cli_fail("post list: %s", store_errmsg(st));
	for (i = 0; i < pl.n; i++)
		if (want == -1 || (int)pl.v[i].status == want)
			print_post_line(cli, &pl.v[i]);
	return 0;
}

/* A post's comment setting as show prints it: open, closed or N days. */
static void
comments_setting(const struct post *p, char *out, size_t outlen)
{
	if (p->comments_closed)
		snprintf(out, outlen, "closed");
	else if (p->comments_days > 0)
		snprintf(out, outlen, "%d days", p->comments_days);
	else
		snprintf(out, outlen, "open");
}

static int
post_show(struct cli *cli, const struct post *p)
{
	const char	*keys[] = { "id", "status", "url", "title", "lang",
	    "published", "labels", "comments", "source" };
	const char	*vals[9];
	char		 id[32], iso[64], comments[32];
	struct buf	 labels = BUF_INIT;
	size_t		 i;

	snprintf(id, sizeof(id), "%lld", (long long)p->id);
	text_date_iso(cli->conf.site_timezone, p->published, iso, sizeof(iso));
	for (i = 0; i < p->nlabels; i++)
		buf_addf(&labels, "%s%s", i > 0 ? ", " : "", p->labels[i]);
	vals[0] = id;
	vals[1] = post_status_name(p->status);
	vals[2] = p->path;
	vals[3] = p->title;
	vals[4] = p->lang;
	vals[5] = iso;
	vals[6] = labels.p != NULL ? labels.p : "";
	comments_setting(p, comments, sizeof(comments));
	vals[7] = comments;
	vals[8] = p->source;
	if (cli->json)
		cli_json_line(keys, vals, 9);
	else {
		for (i = 0; i < 8; i++)
			printf("%s: %s\n", keys[i], vals[i]);
		printf("\n%s\n", p->source);
	}
	buf_clear(&labels);
	return 0;
}

/*
 * Parses "open", "closed" or a number of days into the two fields of
 * struct post; 0 or -1.
 */
static int
parse_comments(const char *s, int *closed, int *days)
{
	int64_t	 n;

	*closed = *days = 0;
	if (strcmp(s, "open") == 0)
		return 0;
	if (strcmp(s, "closed") == 0) {
		*closed = 1;
		return 0;
	}
	if (str_to_i64(s, 1, COMMENTS_DAYS_MAX, &n) == -1)
		return -1;
	*days = (int)n;
	return 0;
}

/*
 * post comments: the post read and saved back in one transaction, so a
 * change made meanwhile by another process is not overwritten.
 */
static int
post_comments(struct store *st, struct arena *a, const char *spec, int closed,
    int days)
{
	struct post	*p = NULL;
	enum store_err	 e;
	char		 setting[32];

	if (store_write_begin(st) != STORE_OK)
		return cli_fail("post %s: %s", spec, store_errmsg(st));
	if ((e = cli_find_post(st, a, spec, &p)) == STORE_OK) {
		p->comments_closed = closed;
		p->comments_days = days;
		e = store_post_save(st, p, NULL);
	}
	if (store_write_end(st, e == STORE_OK) != STORE_OK && e == STORE_OK)
		e = STORE_ERR;
	if (e != STORE_OK)
		return cli_fail("post %s: %s", spec, e == STORE_NOTFOUND ?
		    "no such post" : store_errmsg(st));
	comments_setting(p, setting, sizeof(setting));
	printf("comments\t%lld\t%s\n", (long long)p->id, setting);
	return 0;
}

int
cmd_post(struct cli *cli, int argc, char *argv[])
{
	struct store	*st;
	struct arena	*a;
	struct post	*p;
	enum store_err	 e;
	int		 rc = 0, want = -1, closed = 0, days = 0;

	if (argc < 2)
		usage(EXIT_USAGE);
	if (strcmp(argv[1], "--help") == 0)
		usage(0);
	if (strcmp(argv[1], "list") != 0 && strcmp(argv[1], "show") != 0 &&
	    strcmp(argv[1], "delete") != 0 && strcmp(argv[1], "comments") != 0)
		cli_usage(cli, "unknown action \"%s\" (list, show, delete, "
		    "comments)", argv[1]);
	if (strcmp(argv[1], "comments") == 0) {
		if (argc != 4)
			cli_usage(cli, "comments needs a POST and open, closed "
			    "or a number of days");
		if (parse_comments(argv[3], &closed, &days) == -1)
			cli_usage(cli, "comments: expected open, closed or a "
			    "number of days from 1 to %d, not \"%s\"",
			    COMMENTS_DAYS_MAX, argv[3]);
	} else if (strcmp(argv[1], "list") != 0 && argc != 3)
		cli_usage(cli, "%s needs one POST (an id, slug or URL path)",
		    argv[1]);
	if (strcmp(argv[1], "list") == 0)
		want = list_status(cli, argc - 1, argv + 1);
	if (cli_load(cli) == -1 || (st = cli_store(cli, 0)) == NULL)
		return 1;
	a = arena_new();
	if (strcmp(argv[1], "list") == 0) {
		rc = post_list(cli, st, a, want);
		goto out;
	}
	if (strcmp(argv[1], "comments") == 0) {
		rc = post_comments(st, a, argv[2], closed, days);
		goto out;
	}
	if ((e = cli_find_post(st, a, argv[2], &p)) != STORE_OK) {
		rc = cli_fail("post %s: %s", argv[2], e == STORE_NOTFOUND ?
		    "no such post" : store_errmsg(st));
		goto out;
	}
	if (strcmp(argv[1], "show") == 0) {
		rc = post_show(cli, p);
		goto out;
	}
	if ((e = store_write_begin(st)) == STORE_OK) {
		e = store_post_delete(st, p->id);
		if (store_write_end(st, e == STORE_OK) != STORE_OK)
			e = STORE_ERR;
	}
	if (e != STORE_OK)
		rc = cli_fail("post %s: %s", argv[2], store_errmsg(st));
	else
		printf("deleted\t%lld\t%s\n", (long long)p->id, p->path);
out:
	arena_free(a);
	store_close(st);
	return rc;
}

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
 * gazette comment list|approve|spam|delete: moderation from the shell.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "store/store.h"

#define EXCERPT_CHARS	60	/* characters of a comment in a list */

static noreturn void
usage(int status)
{
	fputs("usage: gazette [-C DIR] comment list [--status "
	    "pending|approved|spam|all] [--json]\n"
	    "       gazette [-C DIR] comment approve|spam|delete ID...\n",
	    status == 0 ? stdout : stderr);
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

/* Parses list's options: the status wanted (__MAX for all). */
static enum comment_status
list_status(struct cli *cli, int argc, char *argv[])
{
	static const struct option opts[] = {
		{ "status", required_argument, NULL, 's' },
		{ NULL, 0, NULL, 0 },
	};
	enum comment_status	 want = COMMENT_STATUS__MAX;
	int			 c, s;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c != 's')
			cli_usage(cli, "unknown option \"%s\"",
			    argv[optind - 1]);
		if (strcmp(optarg, "all") == 0)
			want = COMMENT_STATUS__MAX;
		else if ((s = comment_status_parse(optarg)) != -1)
			want = (enum comment_status)s;
		else
			cli_usage(cli, "--status: expected pending, approved, "
			    "spam or all");
	}
	if (optind != argc)
		cli_usage(cli, "unexpected argument \"%s\"", argv[optind]);
	return want;
}

static int
comment_list(struct cli *cli, struct store *st, struct arena *a,
    enum comment_status want)
{
	const char		*keys[] = { "id", "status", "post_id", "name",
	    "excerpt" };
	const char		*vals[5];
	struct comment_list	 cl;
	char			 id[32], pid[32];
	size_t			 i;

	if (store_comment_list(st, a, want, &cl) != STORE_OK)
		return cli_fail("comment list: %s", store_errmsg(st));
	for (i = 0; i < cl.n; i++) {
		snprintf(id, sizeof(id), "%lld", (long long)cl.v[i].id);
		snprintf(pid, sizeof(pid), "%lld",
		    (long long)cl.v[i].post_id);
		vals[0] = id;
		vals[1] = comment_status_name(cl.v[i].status);
		vals[2] = pid;
		vals[3] = cl.v[i].name;
		vals[4] = excerpt(a, cl.v[i].body);
		if (cli->json)
			cli_json_line(keys, vals, 5);
		else
			printf("%s\t%s\t%s\t%s\t%s\n", vals[0], vals[1],
			    vals[2], vals[3], vals[4]);
	}
	return 0;
}

/* The comment ids of approve, spam and delete (arena array). */
static int64_t *
parse_ids(struct cli *cli, struct arena *a, const char *action, int argc,
    char *argv[])
{
	int64_t	*ids;
	int	 i;

	if (argc == 0)
		cli_usage(cli, "%s needs one or more comment ids", action);
	ids = arena_allocarray(a, (size_t)argc, sizeof(*ids));
	for (i = 0; i < argc; i++)
		if (str_to_i64(argv[i], 1, INT64_MAX, &ids[i]) == -1)
			cli_usage(cli, "\"%s\" is not a comment id", argv[i]);
	return ids;
}

/* approve, spam or delete each id; all in one transaction. */
static int
comment_act(struct store *st, const char *action, const int64_t *ids,
    int argc)
{
	enum store_err	 e = STORE_OK;
	int		 i, rc = 0;

	if ((e = store_write_begin(st)) != STORE_OK)
		return cli_fail("comment %s: %s", action, store_errmsg(st));
	for (i = 0; i < argc && e == STORE_OK; i++) {
		if (strcmp(action, "delete") == 0)
			e = store_comment_delete(st, ids[i]);
		else
			e = store_comment_set_status(st, ids[i],
			    strcmp(action, "spam") == 0 ? COMMENT_SPAM :
			    COMMENT_APPROVED);
		if (e == STORE_NOTFOUND)
			rc = cli_fail("comment %lld: no such comment",
			    (long long)ids[i]);
		else if (e != STORE_OK)
			rc = cli_fail("comment %lld: %s", (long long)ids[i],
			    store_errmsg(st));
	}
	if (store_write_end(st, e == STORE_OK) != STORE_OK && rc == 0)
		rc = cli_fail("comment %s: %s", action, store_errmsg(st));
	if (rc == 0)
		for (i = 0; i < argc; i++)
			printf("%s\t%lld\n", strcmp(action, "delete") == 0 ?
			    "deleted" : strcmp(action, "spam") == 0 ? "spam" :
			    "approved", (long long)ids[i]);
	return rc;
}

int
cmd_comment(struct cli *cli, int argc, char *argv[])
{
	struct store		*st;
	struct arena		*a;
	enum comment_status	 want = COMMENT_STATUS__MAX;
	int64_t			*ids = NULL;
	int			 rc;

	if (argc < 2)
		usage(EXIT_USAGE);
	if (strcmp(argv[1], "--help") == 0)
		usage(0);
	if (strcmp(argv[1], "list") != 0 && strcmp(argv[1], "approve") != 0 &&
	    strcmp(argv[1], "spam") != 0 && strcmp(argv[1], "delete") != 0)
		cli_usage(cli, "unknown action \"%s\" (list, approve, spam, "
		    "delete)", argv[1]);
	a = arena_new();
	if (strcmp(argv[1], "list") == 0)
		want = list_status(cli, argc - 1, argv + 1);
	else
		ids = parse_ids(cli, a, argv[1], argc - 2, argv + 2);
	if (cli_load(cli) == -1 || (st = cli_store(cli, 0)) == NULL) {
		arena_free(a);
		return 1;
	}
	if (strcmp(argv[1], "list") == 0)
		rc = comment_list(cli, st, a, want);
	else
		rc = comment_act(st, argv[1], ids, argc - 2);
	arena_free(a);
	store_close(st);
	return rc;
}

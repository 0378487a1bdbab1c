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
 * gazette labels list|rename|merge, and gazette reindex: the label set
 * and the search index from the shell.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "store/store.h"

static noreturn void
labels_usage(int status)
{
	fputs("usage: gazette [-C DIR] labels list [--json]\n"
	    "       gazette [-C DIR] labels rename LABEL NEWNAME\n"
	    "       gazette [-C DIR] labels merge FROM INTO\n",
	    status == 0 ? stdout : stderr);
	exit(status);
}

static int
labels_list(struct cli *cli, struct store *st, struct arena *a)
{
	const char	*keys[] = { "name", "posts", "key" };
	const char	*vals[3];
	struct label	*v;
	char		 n[32];
	size_t		 i, count;

	if (store_label_list(st, a, &v, &count) != STORE_OK)
		return cli_fail("labels list: %s", store_errmsg(st));
	for (i = 0; i < count; i++) {
		snprintf(n, sizeof(n), "%lld", (long long)v[i].nposts);
		vals[0] = v[i].name;
		vals[1] = n;
		vals[2] = v[i].key;
		if (cli->json)
			cli_json_line(keys, vals, 3);
		else
			printf("%s\t%s\t%s\n", vals[1], vals[0], vals[2]);
	}
	return 0;
}

int
cmd_labels(struct cli *cli, int argc, char *argv[])
{
	struct store	*st;
	struct arena	*a;
	enum store_err	 e;
	int		 rc = 0, is_list;

	if (argc < 2)
		labels_usage(EXIT_USAGE);
	if (strcmp(argv[1], "--help") == 0)
		labels_usage(0);
	is_list = strcmp(argv[1], "list") == 0;
	if (!is_list && strcmp(argv[1], "rename") != 0 &&
	    strcmp(argv[1], "merge") != 0)
		cli_usage(cli, "unknown action \"%s\" (list, rename, merge)",
		    argv[1]);
	if (argc != (is_list ? 2 : 4))
		cli_usage(cli, "%s takes %s", argv[1], is_list ? "no "
		    "arguments" : "two labels");
	if (!is_list && (*argv[3] == '\0' || strlen(argv[3]) > LIMIT_LABEL ||
	    !str_is_text(argv[3], strlen(argv[3]), NULL) ||
	    strchr(argv[3], '\n') != NULL))
		cli_usage(cli, "\"%s\" is not a label (one line of at most "
		    "%d bytes)", argv[3], LIMIT_LABEL);
	if (cli_load(cli) == -1 || (st = cli_store(cli, 0)) == NULL)
		return 1;
	a = arena_new();
	if (is_list) {
		rc = labels_list(cli, st, a);
		goto out;
	}
	if ((e = store_write_begin(st)) == STORE_OK) {
		e = strcmp(argv[1], "rename") == 0 ?
		    store_label_rename(st, argv[2], argv[3]) :
		    store_label_merge(st, argv[2], argv[3]);
		if (store_write_end(st, e == STORE_OK) != STORE_OK &&
		    e == STORE_OK)
			e = STORE_ERR;
	}
	if (e == STORE_NOTFOUND)
		rc = cli_fail("labels %s: no label \"%s\"%s", argv[1],
		    argv[2], strcmp(argv[1], "merge") == 0 ? " (or no "
		    "label to merge into)" : "");
	else if (e != STORE_OK)
		rc = cli_fail("labels %s: %s", argv[1], store_errmsg(st));
	else
		printf("%s\t%s\t%s\n", strcmp(argv[1], "rename") == 0 ?
		    "renamed" : "merged", argv[2], argv[3]);
out:
	arena_free(a);
	store_close(st);
	return rc;
}

/* Shows "reindex: N/M posts" on a terminal, nothing otherwise. */
static void
progress(void *arg, size_t done, size_t total)
{
	(void)arg;
	fprintf(stderr, "\rreindex: %zu/%zu posts", done, total);
	if (done == total)
		fputc('\n', stderr);
}

int
cmd_reindex(struct cli *cli, int argc, char *argv[])
{
	struct store	*st;
	enum store_err	 e;

	if (argc == 2 && strcmp(argv[1], "--help") == 0) {
		puts("usage: gazette [-C DIR] reindex");
		return 0;
	}
	if (argc != 1)
		cli_usage(cli, "takes no arguments");
	if (cli_load(cli) == -1 || (st = cli_store(cli, 0)) == NULL)
		return 1;
	if ((e = store_write_begin(st)) == STORE_OK) {
		e = store_reindex(st, isatty(STDERR_FILENO) ? progress : NULL,
		    NULL);
		if (store_write_end(st, e == STORE_OK) != STORE_OK)
			e = STORE_ERR;
	}
	if (e != STORE_OK)
		cli_fail("reindex: %s", store_errmsg(st));
	store_close(st);
	return e == STORE_OK ? 0 : 1;
}

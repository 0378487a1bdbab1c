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
 * gazette keywords suggest POST: which labels the post's text supports
 * and which new ones it could have, best first.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "store/store.h"
#include "text/text.h"

#define SUGGEST_LIMIT	10	/* suggestions shown unless --limit */

/* text_df_fn over the store's search index. */
static int64_t
store_df(void *arg, const char *const *terms, size_t nterms)
{
	struct store	*st = arg;
	int64_t		 n, total;

	if (store_phrase_docs(st, terms, nterms, &n, &total) != STORE_OK)
		return -1;
	return n;
}

int
cli_suggest(struct cli *cli, struct store *st, struct arena *a,
    const struct post *p, size_t limit, const char *prefix)
{
	const char		*keys[] = { "score", "keyword", "kind" };
	const char		*vals[3], **names;
	struct text_keyword	*kw;
	struct label		*labels;
	struct post_query	 q;
	struct post_list	 pl;
	char			 score[32];
	size_t			 i, nlabels, n;

	memset(&q, 0, sizeof(q));
	q.now = clock_now();
	q.limit = 1;
	if (store_label_list(st, a, &labels, &nlabels) != STORE_OK ||
	    store_post_list(st, a, &q, &pl) != STORE_OK)
		return cli_fail("keywords: %s", store_errmsg(st));
	names = arena_allocarray(a, nlabels + 1, sizeof(*names));
	for (i = 0; i < nlabels; i++)
		names[i] = labels[i].name;
	if (text_keywords(a, p->lang, p->title, p->source, names, nlabels,
	    store_df, st, (int64_t)pl.total, limit, &kw, &n) == -1)
		return cli_fail("keywords: post %lld: text is not valid UTF-8",
		    (long long)p->id);
	for (i = 0; i < n; i++) {
		snprintf(score, sizeof(score), "%.3f", kw[i].score);
		vals[0] = score;
		vals[1] = kw[i].phrase;
		vals[2] = kw[i].is_existing ? "existing" : "new";
		if (cli->json)
			cli_json_line(keys, vals, 3);
		else
			printf("%s%s%s\t%s\t%s\n", prefix != NULL ? prefix : "",
			    prefix != NULL ? "\t" : "", vals[0], vals[1],
			    vals[2]);
	}
	return 0;
}

int
cmd_keywords(struct cli *cli, int argc, char *argv[])
{
	static const struct option opts[] = {
		{ "limit", required_argument, NULL, 'n' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct store	*st;
	struct arena	*a;
	struct post	*p;
	enum store_err	 e;
	int64_t		 limit = SUGGEST_LIMIT;
	int		 c, rc;

	if (argc < 2 || strcmp(argv[1], "suggest") != 0) {
		if (argc >= 2 && strcmp(argv[1], "--help") == 0) {
			puts("usage: gazette [-C DIR] keywords suggest "
			    "[--limit N] [--json] POST");
			return 0;
		}
		cli_usage(cli, "expected: keywords suggest POST");
	}
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc - 1, argv + 1, "", opts, NULL)) != -1) {
		if (c == 'h') {
			puts("usage: gazette [-C DIR] keywords suggest "
			    "[--limit N] [--json] POST");
			return 0;
		}
		if (c != 'n' || str_to_i64(optarg, 1, 1000, &limit) == -1)
			cli_usage(cli, c == 'n' ? "--limit: expected a number "
			    "from 1 to 1000" : "unknown option \"%s\"",
			    argv[optind]);
	}
	if (optind + 1 != argc - 1)
		cli_usage(cli, "suggest needs one POST (an id, slug or URL "
		    "path)");
	if (cli_load(cli) == -1 || (st = cli_store(cli, 0)) == NULL)
		return 1;
	a = arena_new();
	if ((e = cli_find_post(st, a, argv[argc - 1], &p)) != STORE_OK)
		rc = cli_fail("post %s: %s", argv[argc - 1],
		    e == STORE_NOTFOUND ? "no such post" : store_errmsg(st));
	else
		rc = cli_suggest(cli, st, a, p, (size_t)limit, NULL);
	arena_free(a);
	store_close(st);
	return rc;
}

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
 * gazette import FILE...: each file in its own transaction; one line per
 * file on stdout saying what happened, errors on stderr.  A bad file
 * does not stop the others, but makes the exit status 1.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cli.h"
#include "import/import.h"
#include "store/store.h"

static int
has_suffix(const char *s, const char *suffix)
{
	size_t	 n = strlen(s), m = strlen(suffix);

	return n >= m && strcasecmp(s + n - m, suffix) == 0;
}

int
cmd_import(struct cli *cli, int argc, char *argv[])
{
	static const struct option opts[] = {
		{ "suggest-labels", no_argument, NULL, 's' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct arena		*a;
	struct post		*p;
	int			 suggest = 0;
	struct import_opts	 io;
	struct import_result	 res;
	struct import_counts	 counts;
	struct store		*store;
	const char		*keys[] = { "file", "action", "url",
	    "ui_lang" };
	const char		*vals[4];
	char			 err[1024], root[32];
	int			 c, i, rc = 0;

	opterr = 0;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == 's') {
			suggest = 1;
			continue;
		}
		if (c == 'h') {
			puts("usage: gazette [-C DIR] import [--json] "
			    "[--suggest-labels] FILE...");
			return 0;
		}
		cli_usage(cli, "unknown option \"%s\"", argv[optind - 1]);
	}
	if (optind == argc)
		cli_usage(cli, "expected one or more files");
	if (cli_load(cli) == -1 || (store = cli_store(cli, 0)) == NULL)
		return 1;
	io.locale = cli->conf.site_locale;
	io.timezone = cli->conf.site_timezone;
	for (i = optind; i < argc; i++) {
		/*
		 * An export, by its root: <rss> is WordPress's, Atom <feed>
		 * Blogger's; a file unreadable that far goes to Blogger's
		 * importer, which tells what is wrong and on which line.
		 */
		if ((has_suffix(argv[i], ".xml") ||
		    has_suffix(argv[i], ".atom")) &&
		    (import_xml_root(argv[i], root, sizeof(root)) == -1 ||
		    strcmp(root, "feed") == 0 || strcmp(root, "rss") == 0)) {
			if ((strcmp(root, "rss") == 0 ? import_wxr_file :
			    import_blogger_file)(store, &io, argv[i], &counts,
			    err, sizeof(err)) == -1) {
				rc = cli_fail("%s", err);
				continue;
			}
			printf("imported\t%s\tposts %zu\tpages %zu\t"
			    "drafts %zu\tcomments %zu\tskipped %zu\n",
			    argv[i], counts.posts, counts.pages, counts.drafts,
			    counts.comments, counts.skipped);
			continue;
		}
		if (!has_suffix(argv[i], ".txt")) {
			rc = cli_fail("%s: unknown format (this version "
			    "imports seed text files, *.txt, and Blogger "
			    "and WordPress exports, *.xml)", argv[i]);
			continue;
		}
		if (import_seed_file(store, &io, argv[i], &res, err,
		    sizeof(err)) == -1) {
			rc = cli_fail("%s", err);
			continue;
		}
		vals[0] = argv[i];
		vals[1] = res.created ? "created" : "updated";
		vals[2] = res.path;
		vals[3] = res.ui_lang;
		if (cli->json)
			cli_json_line(keys, vals, 4);
		else
			printf("%s\t%s\t%s\t%s\n", vals[1], vals[2],
			    *vals[3] != '\0' ? vals[3] : "-", vals[0]);
		if (!suggest)
			continue;
		/* Then what labels the text suggests: "suggest URL ...". */
		a = arena_new();
		if (store_post_get_path(store, a, res.path, &p) != STORE_OK ||
		    cli_suggest(cli, store, a, p, 10,
		    arena_printf(a, "suggest\t%s", res.path)) != 0)
			rc = cli_fail("%s: no suggestions: %s", argv[i],
			    store_errmsg(store));
		arena_free(a);
	}
	store_close(store);
	return rc;
}

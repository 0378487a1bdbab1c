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
 * gazette export --format wxr|atom|static OUT: the site as a WordPress
 * or Blogger export, or as static files.  One summary line on stdout
 * (stderr when the export itself goes to stdout); a progress bar on
 * stderr when it is a terminal.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "export/export.h"
#include "site/site.h"
#include "store/store.h"

#define BAR_WIDTH	30	/* characters of the progress bar */

/* "export [#######       ]  45% 4500/10000" on a terminal. */
static void
progress(void *arg, size_t done, size_t total)
{
	char	 bar[BAR_WIDTH + 1];
	size_t	 fill;

	(void)arg;
	fill = total > 0 ? done * BAR_WIDTH / total : BAR_WIDTH;
	memset(bar, '#', fill);
	memset(bar + fill, ' ', BAR_WIDTH - fill);
	bar[BAR_WIDTH] = '\0';
	fprintf(stderr, "\rexport [%s] %3zu%% %zu/%zu", bar,
	    total > 0 ? done * 100 / total : 100, done, total);
	if (done == total)
		fputc('\n', stderr);
}

static void
usage_text(void)
{
	puts("usage: gazette [-C DIR] export --format wxr|atom|static OUT\n"
	    "  wxr     a WordPress export file (OUT - for standard output)\n"
	    "  atom    a Blogger export file (OUT - for standard output)\n"
	    "  static  the public site as files in the folder OUT");
}

int
cmd_export(struct cli *cli, int argc, char *argv[])
{
	static const struct option opts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct export_counts	 c;
	struct store		*st = NULL;
	struct site		*site = NULL;
	export_progress_fn	 fn;
	const char		*format = NULL, *out;
	char			 err[1024];
	int			 ch, rc = 1;

	opterr = 0;
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (ch == 'f') {
			format = optarg;
			continue;
		}
		if (ch == 'h') {
			usage_text();
			return 0;
		}
		cli_usage(cli, "unknown option or missing value \"%s\"",
		    argv[optind - 1]);
	}
	if (format == NULL)
		cli_usage(cli, "expected --format wxr, atom or static");
	else if (strcmp(format, "wxr") != 0 && strcmp(format, "atom") != 0 &&
	    strcmp(format, "static") != 0)
		cli_usage(cli, "unknown format \"%s\" (wxr, atom or static)",
		    format);
	if (optind + 1 != argc)
		cli_usage(cli, "expected one output %s",
		    strcmp(format, "static") == 0 ? "folder" : "file");
	out = argv[optind];
	if (strcmp(format, "static") == 0 && strcmp(out, "-") == 0)
		cli_usage(cli, "a static export needs a folder, not -");
	if (cli_load(cli) == -1 || (st = cli_store(cli, 0)) == NULL)
		return 1;
	fn = isatty(STDERR_FILENO) ? progress : NULL;
	err[0] = '\0';
	if (strcmp(format, "static") == 0) {
		if ((site = site_new(&cli->conf, st, cli->dir, err,
		    sizeof(err))) == NULL) {
			cli_fail("%s", err);
			goto out;
		}
		if (export_static(site, st, &cli->conf, out, fn, NULL, &c,
		    err, sizeof(err)) == -1) {
			cli_fail("%s", err);
			goto out;
		}
		printf("exported\t%s\tposts %zu\tfiles %zu\tbytes %zu\t"
		    "skipped %zu\tremoved %zu\n", out, c.posts, c.files,
		    c.bytes, c.skipped, c.removed);
	} else {
		if ((strcmp(format, "wxr") == 0 ? export_wxr : export_atom)(
		    st, &cli->conf, out, fn, NULL, &c, err,
		    sizeof(err)) == -1) {
			cli_fail("%s", err);
			goto out;
		}
		fprintf(strcmp(out, "-") == 0 ? stderr : stdout,
		    "exported\t%s\tposts %zu\tcomments %zu\n", out, c.posts,
		    c.comments);
	}
	rc = 0;
out:
	site_free(site);
	store_close(st);
	return rc;
}

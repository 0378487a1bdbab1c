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
 * gazette migrate --from URL --to URL: moves a whole site between
 * stores, SQLite to PostgreSQL or back, into an empty target, and
 * prints each table's rows on both sides: TABLE TAB FROM TAB TO.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "store/store.h"

static const char	 usage_text[] =
    "usage: gazette migrate --from URL --to URL\n"
    "  URL: sqlite:PATH or postgres://...; the target must be empty\n";

int
cmd_migrate(struct cli *cli, int argc, char *argv[])
{
	struct store_copy_count	 counts[STORE_COPY_TABLES];
	const char		*from = NULL, *to = NULL;
	char			 err[512];
	size_t			 i, n;
	enum store_err		 e;

	for (i = 1; i < (size_t)argc; i++) {
		if (strcmp(argv[i], "--help") == 0) {
			fputs(usage_text, stdout);
			return 0;
		} else if (strcmp(argv[i], "--from") == 0 &&
		    i + 1 < (size_t)argc)
			from = argv[++i];
		else if (strncmp(argv[i], "--from=", 7) == 0)
			from = argv[i] + 7;
		else if (strcmp(argv[i], "--to") == 0 && i + 1 < (size_t)argc)
			to = argv[++i];
		else if (strncmp(argv[i], "--to=", 5) == 0)
			to = argv[i] + 5;
		else
			cli_usage(cli, "%s: unknown argument (expected "
			    "--from URL --to URL)", argv[i]);
	}
	if (from == NULL || to == NULL)
		cli_usage(cli, "both --from URL and --to URL are needed");
	if (from != NULL && to != NULL && strcmp(from, to) == 0)
		cli_usage(cli, "--from and --to name the same store");
	e = store_copy(from, to, counts, &n, err, sizeof(err));
	for (i = 0; i < n; i++)
		printf("%s\t%lld\t%lld\n", counts[i].table,
		    (long long)counts[i].from, (long long)counts[i].to);
	if (e != STORE_OK)
		return cli_fail("migrate: %s", err);
	printf("migrated\t%s\t%s\n", from, to);
	return 0;
}

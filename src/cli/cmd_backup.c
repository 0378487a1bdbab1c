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
 * gazette backup FILE: a consistent copy of the site's database while
 * the site goes on serving and writing.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "store/store.h"

int
cmd_backup(struct cli *cli, int argc, char *argv[])
{
	struct store	*st;
	enum store_err	 e;

	if (argc == 2 && strcmp(argv[1], "--help") == 0) {
		puts("usage: gazette [-C DIR] backup FILE");
		return 0;
	}
	if (argc != 2 || argv[1][0] == '-')
		cli_usage(cli, "expected one FILE, the new backup");
	if (cli_load(cli) == -1 || (st = cli_store(cli, 0)) == NULL)
		return 1;
	if ((e = store_backup(st, argv[1])) != STORE_OK)
		cli_fail("backup: %s", store_errmsg(st));
	else
		printf("backed up\t%s\n", argv[1]);
	store_close(st);
	return e == STORE_OK ? 0 : 1;
}

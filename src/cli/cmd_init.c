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
 * gazette init DIR: a new site folder with its configuration, key and
 * empty database.  Refuses to touch a folder that already holds a site.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "site/site.h"
#include "store/store.h"

/* Writes text to path durably, or not at all. */
static int
write_file(const char *path, const char *text)
{
	char	 tmp[4200];
	size_t	 len = strlen(text);
	int	 fd;

	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	if ((fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
	    0644)) == -1)
		return cli_fail("%s: %s", tmp, strerror(errno));
	if (write(fd, text, len) != (ssize_t)len || fsync(fd) == -1) {
		cli_fail("%s: %s", tmp, strerror(errno));
		close(fd);
		unlink(tmp);
		return 1;
	}
	close(fd);
	if (rename(tmp, path) == -1) {
		unlink(tmp);
		return cli_fail("%s: %s", path, strerror(errno));
	}
	return 0;
}

int
cli_init_site(struct cli *cli, const char *dir)
{
	struct stat	 st;
	struct store	*store;
	struct buf	 b = BUF_INIT;
	char		 err[512];
	int		 rc;

	cli->dir = dir;
	if (stat(cli_path(cli, "gazette.conf"), &st) == 0 ||
	    stat(cli_path(cli, "gazette.db"), &st) == 0)
		return cli_fail("%s: already holds a site; init will not "
		    "overwrite it", dir);
	if (mkdir(dir, 0755) == -1 && errno != EEXIST)
		return cli_fail("%s: %s", dir, strerror(errno));
	buf_addf(&b, "# gazette site configuration: see gazette.conf(5).\n"
	    "\n[site]\ntitle = %s\nurl = %s\nlocale = %s\ntimezone = %s\n"
	    "\n[server]\nlisten = %s\nthreads = %d\n"
	    "\n[store]\ndb = %s\n"
	    "\n[comments]\nmoderation = %s\nmin_seconds = %d\nrate = %d\n"
	    "depth = %d\nmax_links = %d\n"
	    "\n[spam]\nhold = %g\nreject = %g\nblocklist = %s\n",
	    cli->conf.site_title, cli->conf.site_url, cli->conf.site_locale,
	    cli->conf.site_timezone, cli->conf.server_listen,
	    cli->conf.server_threads, cli->conf.store_db,
	    conf_moderation_name(cli->conf.comments_moderation),
	    cli->conf.comments_min_seconds, cli->conf.comments_rate,
	    cli->conf.comments_depth, cli->conf.comments_max_links,
	    cli->conf.spam_hold, cli->conf.spam_reject,
	    cli->conf.spam_blocklist);
	if (stat(cli_path(cli, "secret.key"), &st) == -1 &&
	    site_secret_create(dir, err, sizeof(err)) == -1) {
		buf_clear(&b);
		return cli_fail("%s", err);
	}
	if ((store = cli_store(cli, 1)) == NULL) {
		buf_clear(&b);
		return 1;
	}
	store_close(store);
	/* The config last: a folder with one is a finished site. */
	rc = write_file(cli_path(cli, "gazette.conf"), b.p);
	buf_clear(&b);
	return rc;
}

static noreturn void
usage(int status)
{
	fputs("usage: gazette init [--title TITLE] [--locale en|es|ru|ko] "
	    "[--timezone ZONE]\n                    [--url URL] DIR\n",
	    status == 0 ? stdout : stderr);
	exit(status);
}

int
cmd_init(struct cli *cli, int argc, char *argv[])
{
	static const struct option opts[] = {
		{ "title", required_argument, NULL, 't' },
		{ "locale", required_argument, NULL, 'l' },
		{ "timezone", required_argument, NULL, 'z' },
		{ "url", required_argument, NULL, 'u' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char	*key;
	char		 err[512];
	int		 c;

	opterr = 0;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 't':
			key = "title";
			break;
		case 'l':
			key = "locale";
			break;
		case 'z':
			key = "timezone";
			break;
		case 'u':
			key = "url";
			break;
		case 'h':
			usage(0);
		default:
			cli_usage(cli, "unknown option \"%s\"",
			    argv[optind - 1]);
		}
		if (strchr(optarg, '\n') != NULL ||
		    conf_set(&cli->conf, "site", key, optarg, err,
		    sizeof(err)) == -1)
			cli_usage(cli, "--%s: %s", key, strchr(optarg, '\n') ?
			    "must be one line" : err);
	}
	if (optind + 1 != argc)
		cli_usage(cli, "expected one folder, the new site");
	if (cli->db != NULL && conf_set(&cli->conf, "store", "db", cli->db,
	    err, sizeof(err)) == -1)
		cli_usage(cli, "--db: %s", err);
	if (cli_init_site(cli, argv[optind]) != 0)
		return 1;
	printf("%s: site created; serve it with: gazette -C %s serve\n",
	    argv[optind], argv[optind]);
	return 0;
}

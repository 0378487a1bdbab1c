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
 * gazette serve: the site in the foreground until SIGTERM or SIGINT,
 * logging to stderr.  gazette demo: a throwaway site with sample posts,
 * served the same way.
 */
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "http/http.h"
#include "import/import.h"
#include "site/site.h"
#include "store/store.h"

/* [server] user and sandbox, for a server that is bound and open. */
static int
serve_shrink(struct cli *cli, char *err, size_t errlen)
{
	const char	*db = cli->conf.store_db;

	if (priv_drop(cli->conf.server_user, cli->dir, err, errlen) == -1)
		return -1;
	if (!cli->conf.server_sandbox) {
		log_info("sandbox: off ([server] sandbox = off)");
		return 0;
	}
	return sandbox_enter(!str_has_prefix(db, "sqlite:"), err, errlen);
}

int
serve_site(struct cli *cli, const char *listen, int threads)
{
	struct http_config	 hc;
	struct http_server	*srv = NULL;
	struct store		*store = NULL;
	struct site		*site = NULL;
	struct arena		*a;
	sigset_t		 sigs;
	char			 err[512];
	int			 sig, rc = 1;

	if ((store = cli_store(cli, 0)) == NULL)
		goto out;
	if ((site = site_new(&cli->conf, store, cli->dir, err,
	    sizeof(err))) == NULL) {
		cli_fail("%s", err);
		goto out;
	}
	/* Workers must not see these: the main thread waits for them. */
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGTERM);
	sigaddset(&sigs, SIGINT);
	pthread_sigmask(SIG_BLOCK, &sigs, NULL);
	signal(SIGPIPE, SIG_IGN);

	memset(&hc, 0, sizeof(hc));
	hc.listen = listen != NULL ? listen : cli->conf.server_listen;
	hc.threads = threads > 0 ? threads : cli->conf.server_threads;
	hc.max_body = cli->conf.server_max_body;
	hc.timeout = cli->conf.server_timeout;
	site_http_config(site, &hc);
	hc.connections = cli->conf.server_connections;
	hc.per_address = cli->conf.server_per_address;
	if ((srv = http_server_start(&hc, site_handle, site, err,
	    sizeof(err))) == NULL) {
		cli_fail("%s", err);
		goto out;
	}
	/* Bound and open: give up root, then every unneeded call. */
	if (serve_shrink(cli, err, sizeof(err)) == -1) {
		cli_fail("%s", err);
		goto out;
	}
	log_info("serving %s on %s (port %d), %d threads; stop with ^C",
	    cli->conf.site_title, hc.listen, http_server_port(srv),
	    hc.threads);
	a = arena_new();
	log_info("moderation queue feed: %s%s", cli->conf.site_url,
	    site_queue_feed(site, a));
	arena_free(a);
	if (sigwait(&sigs, &sig) == 0)
		log_info("%s: stopping", sig == SIGTERM ? "SIGTERM" :
		    "SIGINT");
	rc = 0;
out:
	http_server_stop(srv);
	site_free(site);
	store_close(store);
	return rc;
}

static int
parse_threads(struct cli *cli, const char *s)
{
	int64_t	 n;

	if (str_to_i64(s, 1, CONF_THREADS_MAX, &n) == -1)
		cli_usage(cli, "--threads: expected a number from 1 to %d",
		    CONF_THREADS_MAX);
	return (int)n;
}

static void
check_listen(struct cli *cli, const char *listen)
{
	char	 err[256];

	if (conf_set(&cli->conf, "server", "listen", listen, err,
	    sizeof(err)) == -1)
		cli_usage(cli, "--listen: %s", err);
}

int
cmd_serve(struct cli *cli, int argc, char *argv[])
{
	static const struct option opts[] = {
		{ "listen", required_argument, NULL, 'l' },
		{ "threads", required_argument, NULL, 't' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char	*listen = NULL;
	int		 c, threads = 0;

	opterr = 0;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'l':
			listen = optarg;
			break;
		case 't':
			threads = parse_threads(cli, optarg);
			break;
		case 'h':
			puts("usage: gazette [-C DIR] serve [--listen "
			    "ADDR:PORT] [--threads N]");
			return 0;
		default:
			cli_usage(cli, "unknown option \"%s\"",
			    argv[optind - 1]);
		}
	}
	if (optind != argc)
		cli_usage(cli, "unexpected argument \"%s\"", argv[optind]);
	if (cli_load(cli) == -1)
		return 1;
	if (listen != NULL)
		check_listen(cli, listen);
	return serve_site(cli, listen, threads);
}

/* Writes the built-in demo posts into dir and imports them. */
static int
demo_import(struct cli *cli, const char *dir)
{
	struct import_opts	 io;
	struct import_result	 res;
	struct store		*store;
	const struct embedded_file *ef;
	char			 path[4096], err[512];
	FILE			*f;
	size_t			 i;
	int			 rc = 0;

	if ((store = cli_store(cli, 0)) == NULL)
		return 1;
	io.locale = cli->conf.site_locale;
	io.timezone = cli->conf.site_timezone;
	for (i = 0; i < embedded_nfiles && rc == 0; i++) {
		ef = &embedded_files[i];
		if (!str_has_prefix(ef->name, "demo/"))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, ef->name + 5);
		if ((f = fopen(path, "w")) == NULL ||
		    fwrite(ef->data, 1, ef->len, f) != ef->len) {
			rc = cli_fail("%s: %s", path, strerror(errno));
			if (f != NULL)
				fclose(f);
			break;
		}
		fclose(f);
		if (import_seed_file(store, &io, path, &res, err,
		    sizeof(err)) == -1)
			rc = cli_fail("%s", err);
		unlink(path);
	}
	store_close(store);
	return rc;
}

/* Removes the demo folder and the files a site keeps in it. */
static void
demo_remove(const char *dir)
{
	DIR		*d;
	struct dirent	*e;
	char		 path[4096];

	if ((d = opendir(dir)) == NULL)
		return;
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		unlink(path);
	}
	closedir(d);
	rmdir(dir);
}

int
cmd_demo(struct cli *cli, int argc, char *argv[])
{
	static const struct option opts[] = {
		{ "listen", required_argument, NULL, 'l' },
		{ "dir", required_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char	*listen = NULL, *dir = NULL;
	char		 tmpl[] = "/tmp/gazette-demo.XXXXXX", url[300];
	int		 c, rc, is_temp = 0;

	opterr = 0;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'l':
			listen = optarg;
			check_listen(cli, listen);
			break;
		case 'd':
			dir = optarg;
			break;
		case 'h':
			puts("usage: gazette demo [--listen ADDR:PORT] "
			    "[--dir DIR]");
			return 0;
		default:
			cli_usage(cli, "unknown option \"%s\"",
			    argv[optind - 1]);
		}
	}
	if (optind != argc)
		cli_usage(cli, "unexpected argument \"%s\"", argv[optind]);
	if (dir == NULL) {
		if ((dir = mkdtemp(tmpl)) == NULL)
			return cli_fail("%s: %s", tmpl, strerror(errno));
		is_temp = 1;
	}
	conf_set(&cli->conf, "site", "title", "gazette demo", NULL, 0);
	if (listen != NULL) {
		snprintf(url, sizeof(url), "http://%s", listen);
		conf_set(&cli->conf, "site", "url", url, NULL, 0);
	}
	if ((rc = cli_init_site(cli, dir)) == 0 &&
	    (rc = demo_import(cli, dir)) == 0 &&
	    (rc = cli_demo_user(cli)) == 0) {
		log_info("demo site in %s%s", dir, is_temp ?
		    " (removed on exit)" : "");
		rc = serve_site(cli, listen, 0);
	}
	if (is_temp)
		demo_remove(dir);
	return rc;
}

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
 * gazette's entry point: global options (accepted before or after the
 * command name), then the subcommand.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "cli.h"
#include "store/store.h"

static const struct {
	const char	*name;
	cli_cmd_fn	 fn;
} cmds[] = {
	{ "backup", cmd_backup },
	{ "comment", cmd_comment },
	{ "demo", cmd_demo },
	{ "export", cmd_export },
	{ "import", cmd_import },
	{ "init", cmd_init },
	{ "keywords", cmd_keywords },
	{ "labels", cmd_labels },
	{ "migrate", cmd_migrate },
	{ "post", cmd_post },
	{ "reindex", cmd_reindex },
	{ "serve", cmd_serve },
	{ "spam", cmd_spam },
	{ "user", cmd_user },
};

void
cli_help(void)
{
	fputs("usage: gazette [-C DIR] [--db URL] [-v] COMMAND [ARGS]\n"
	    "\n"
	    "  init [--title T] [--locale L] [--timezone Z] [--url U] DIR\n"
	    "                         create a site in DIR\n"
	    "  import [--suggest-labels] FILE...\n"
	    "                         import seed text files, Blogger or "
	    "WordPress exports\n"
	    "  export --format wxr|atom|static OUT\n"
	    "                         a WordPress or Blogger export file, "
	    "or the site as files\n"
	    "  serve [--listen ADDR:PORT] [--threads N]\n"
	    "                         serve the site in the foreground\n"
	    "  demo [--listen ADDR:PORT] [--dir DIR]\n"
	    "                         create a demo site and serve it\n"
	    "  post list [--status draft|published|all] [--json]\n"
	    "  post show|delete POST  POST is an id, a slug or a URL path\n"
	    "  post comments POST open|closed|DAYS\n"
	    "                         open or close a post's comments\n"
	    "  comment list [--status pending|approved|spam|all] [--pending]\n"
	    "      [--spam] [--author NAME] [--post POST] [--json]\n"
	    "  comment approve|spam|delete [--author NAME] [--status S]\n"
	    "      [ID | FROM-TO]...  moderate; approve and spam teach the "
	    "filter\n"
	    "  comment log [--comment ID] [--limit N] [--json]\n"
	    "                         the moderation log, newest first\n"
	    "  spam train FILE        teach the filter from labelled "
	    "messages\n"
	    "  spam check [--json] TEXT|-\n"
	    "                         score a text as a new comment\n"
	    "  labels list [--json] | rename LABEL NEW | merge FROM INTO\n"
	    "  reindex                rebuild the search index\n"
	    "  backup FILE            a consistent copy of the database\n"
	    "  migrate --from URL --to URL\n"
	    "                         copy the site into another, empty store\n"
	    "  keywords suggest [--limit N] [--json] POST\n"
	    "                         ranked keyword suggestions for a post\n"
	    "  user add [--role owner|editor|author] NAME | passwd NAME\n"
	    "  user list [--json] | delete NAME | totp [--off] NAME\n"
	    "                         admin accounts; passwords from the "
	    "terminal or stdin\n"
	    "\n"
	    "  -C DIR      the site folder (default: the current one)\n"
	    "  --db URL    the store: sqlite:PATH (default sqlite:gazette.db)\n"
	    "              or postgres://...\n"
	    "  -v          log more\n"
	    "  --help      this text; COMMAND --help for one command\n"
	    "  --version   print the version\n"
	    "\n"
	    "See gazette(1) and gazette.conf(5).\n", stdout);
}

noreturn void
cli_usage(struct cli *cli, const char *fmt, ...)
{
	va_list	 ap;

	fprintf(stderr, "gazette: %s: ", cli->cmd != NULL ? cli->cmd :
	    "usage");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	if (cli->cmd != NULL)
		fprintf(stderr, "\nTry 'gazette %s --help'.\n", cli->cmd);
	else
		fprintf(stderr, "\nTry 'gazette --help'.\n");
	exit(EXIT_USAGE);
}

int
cli_fail(const char *fmt, ...)
{
	va_list	 ap;

	fputs("gazette: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return 1;
}

const char *
cli_path(struct cli *cli, const char *name)
{
	static char	 path[4096];

	if (name[0] == '/' || strcmp(cli->dir, ".") == 0)
		snprintf(path, sizeof(path), "%s", name);
	else
		snprintf(path, sizeof(path), "%s/%s", cli->dir, name);
	return path;
}

int
cli_load(struct cli *cli)
{
	char	 err[512];

	if (conf_load(&cli->conf, cli_path(cli, "gazette.conf"), err,
	    sizeof(err)) == -1) {
		cli_fail("%s", err);
		if (strstr(err, "cannot open") != NULL)
			fprintf(stderr, "gazette: (is %s a site? create one "
			    "with 'gazette init DIR')\n", cli->dir);
		return -1;
	}
	if (cli->db != NULL && conf_set(&cli->conf, "store", "db", cli->db,
	    err, sizeof(err)) == -1) {
		cli_fail("--db: %s", err);
		return -1;
	}
	return 0;
}

struct store *
cli_store(struct cli *cli, int create)
{
	struct store	*st;
	const char	*url = cli->conf.store_db;
	char		 err[512], buf[4200];

	if (str_has_prefix(url, "sqlite:") && url[7] != '/') {
		snprintf(buf, sizeof(buf), "sqlite:%s", cli_path(cli,
		    url + 7));
		url = buf;
	}
	if (store_open(url, create, &st, err, sizeof(err)) != STORE_OK) {
		cli_fail("%s", err);
		return NULL;
	}
	return st;
}

void
cli_json_line(const char *const *keys, const char *const *vals, size_t n)
{
	json_t	*o;
	char	*s;
	size_t	 i;

	o = json_object();
	for (i = 0; i < n; i++)
		json_object_set_new(o, keys[i], json_string(vals[i]));
	s = json_dumps(o, JSON_COMPACT);
	if (s != NULL) {
		puts(s);
		free(s);
	}
	json_decref(o);
}

/* Takes the value of an option: "--db URL" or "--db=URL". */
static const char *
opt_value(struct cli *cli, int argc, char *argv[], int *i, const char *name)
{
	size_t	 len = strlen(name);

	if (argv[*i][len] == '=')
		return argv[*i] + len + 1;
	if (*i + 1 >= argc)
		cli_usage(cli, "%s needs a value", name);
	return argv[++*i];
}

int
main(int argc, char *argv[])
{
	struct cli	 cli;
	char		**rest;
	int		 i, n = 0, rc, ended = 0;
	size_t		 c;

	memset(&cli, 0, sizeof(cli));
	cli.dir = ".";
	conf_defaults(&cli.conf);
	clock_now();	/* reads GAZETTE_NOW once, before any thread */

	/* Pull the global options out, wherever they stand. */
	rest = xcalloc((size_t)argc + 1, sizeof(*rest));
	for (i = 1; i < argc; i++) {
		if (ended) {
			rest[n++] = argv[i];
		} else if (strcmp(argv[i], "--") == 0) {
			rest[n++] = argv[i];
			ended = 1;
		} else if (strcmp(argv[i], "-C") == 0 ||
		    str_has_prefix(argv[i], "-C=")) {
			cli.dir = opt_value(&cli, argc, argv, &i, "-C");
		} else if (strncmp(argv[i], "-C", 2) == 0 &&
		    argv[i][2] != '\0') {
			cli.dir = argv[i] + 2;
		} else if (strcmp(argv[i], "--db") == 0 ||
		    str_has_prefix(argv[i], "--db=")) {
			cli.db = opt_value(&cli, argc, argv, &i, "--db");
		} else if (strcmp(argv[i], "--json") == 0) {
			cli.json = 1;
		} else if (strcmp(argv[i], "-v") == 0) {
			log_verbose = 1;
		} else if (strcmp(argv[i], "--version") == 0 && n == 0) {
			printf("gazette %s\n", GAZETTE_VERSION);
			free(rest);
			conf_clear(&cli.conf);
			return 0;
		} else
			rest[n++] = argv[i];
	}
	if (*cli.dir == '\0')
		cli_usage(&cli, "-C needs a folder");
	if (n == 0 || strcmp(rest[0], "--help") == 0 ||
	    strcmp(rest[0], "-h") == 0 || strcmp(rest[0], "help") == 0) {
		cli_help();
		free(rest);
		conf_clear(&cli.conf);
		return n == 0 ? EXIT_USAGE : 0;
	}
	for (c = 0; c < nitems(cmds); c++)
		if (strcmp(rest[0], cmds[c].name) == 0)
			break;
	if (c == nitems(cmds))
		cli_usage(&cli, "unknown command \"%s\"", rest[0]);
	cli.cmd = cmds[c].name;
	rc = cmds[c].fn(&cli, n, rest);
	free(rest);
	conf_clear(&cli.conf);
	return rc;
}

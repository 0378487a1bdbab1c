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
 * The command line: shared state and helpers of the subcommands, one
 * cmd_<name>.c each.  Only this directory calls exit().
 */
#ifndef GAZETTE_CLI_H
#define GAZETTE_CLI_H

#include <stdnoreturn.h>

#include "base.h"
#include "store/store.h"

#define EXIT_USAGE	2	/* bad command line */

/* What every subcommand gets: the global options, already parsed. */
struct cli {
	const char	*dir;	/* -C DIR: the site folder, default "." */
	const char	*db;	/* --db URL, or NULL for the config's */
	int		 json;	/* --json: JSON lines instead of tabs */
	const char	*cmd;	/* the subcommand's name, for messages */
	struct conf	 conf;	/* the site's configuration (cli_load) */
};

typedef int (*cli_cmd_fn)(struct cli *, int argc, char *argv[]);

/* Prints "gazette: CMD: msg" and the usage hint, and exits 2. */
noreturn void	 cli_usage(struct cli *, const char *fmt, ...)
		    __attribute__((format(printf, 2, 3)));
/* Prints "gazette: msg" to stderr; returns 1 (the runtime error status). */
int		 cli_fail(const char *fmt, ...)
		    __attribute__((format(printf, 1, 2)));
/* Reads DIR/gazette.conf into cli->conf and applies --db. 0 or -1. */
int		 cli_load(struct cli *);
/*
 * Opens the site's store (relative sqlite paths are taken from DIR).
 * create: also create it and migrate.  NULL after printing the error.
 */
struct store	*cli_store(struct cli *, int create);
/* DIR/name in a static buffer (for messages and files). */
const char	*cli_path(struct cli *, const char *name);
/* Writes one line of a JSON object built from key/value pairs. */
void		 cli_json_line(const char *const *keys, const char *const *vals,
		    size_t n);
/*
 * The post that spec names: an id, a URL path or full URL, or a slug
 * (cmd_post.c).
 */
enum store_err	 cli_find_post(struct store *, struct arena *, const char *spec,
		    struct post **out);
/*
 * Prints keyword suggestions for p, one a line: [prefix TAB] SCORE TAB
 * KEYWORD TAB existing|new (cmd_keywords.c).  0 or 1.
 */
int		 cli_suggest(struct cli *, struct store *, struct arena *,
		    const struct post *p, size_t limit, const char *prefix);
/* The help text of the whole program. */
void		 cli_help(void);

int	cmd_init(struct cli *, int, char *[]);
int	cmd_import(struct cli *, int, char *[]);
int	cmd_serve(struct cli *, int, char *[]);
int	cmd_demo(struct cli *, int, char *[]);
int	cmd_post(struct cli *, int, char *[]);
int	cmd_comment(struct cli *, int, char *[]);
int	cmd_labels(struct cli *, int, char *[]);
int	cmd_reindex(struct cli *, int, char *[]);
int	cmd_keywords(struct cli *, int, char *[]);
int	cmd_backup(struct cli *, int, char *[]);
int	cmd_spam(struct cli *, int, char *[]);
int	cmd_export(struct cli *, int, char *[]);
int	cmd_user(struct cli *, int, char *[]);
/*
 * Gives the demo site an owner "demo" with a random password, and logs
 * how to sign in (cmd_user.c).  0 or 1.
 */
int	cli_demo_user(struct cli *);
int	cmd_migrate(struct cli *, int, char *[]);

/* Creates a site in dir with cli->conf's settings (cmd_init.c). 0 or 1. */
int	cli_init_site(struct cli *, const char *dir);
/* Serves the site in cli->dir until SIGTERM or SIGINT (cmd_serve.c). */
int	serve_site(struct cli *, const char *listen, int threads);

#endif /* GAZETTE_CLI_H */

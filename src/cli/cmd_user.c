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
 * gazette user add|passwd|list|delete|totp: the admin's accounts.  A
 * password is read from the terminal without echo (twice), or as one
 * line from standard input when that is not a terminal (scripts,
 * tests); it never appears on the command line.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include <sodium.h>

#include "cli.h"
#include "site/site.h"
#include "store/store.h"

#define PASSWORD_MIN	8	/* characters */
#define PASSWORD_MAX	1024	/* bytes */
#define NAME_MAX_LEN	64	/* bytes of a user name */

static noreturn void
usage(int status)
{
	fputs("usage: gazette [-C DIR] user add [--role owner|editor|author] "
	    "NAME\n"
	    "       gazette [-C DIR] user passwd NAME\n"
	    "       gazette [-C DIR] user list [--json]\n"
	    "       gazette [-C DIR] user delete NAME\n"
	    "       gazette [-C DIR] user totp [--off] NAME\n"
	    "The password is read from the terminal (without echo) or, when "
	    "standard\ninput is not a terminal, as its first line.\n",
	    status == 0 ? stdout : stderr);
	exit(status);
}

/* Reads one line into buf (no newline); 0, or -1 at EOF or too long. */
static int
read_line(FILE *f, char *buf, size_t len)
{
	size_t	 n;

	if (fgets(buf, (int)len, f) == NULL)
		return -1;
	n = strlen(buf);
	if (n > 0 && buf[n - 1] == '\n')
		buf[--n] = '\0';
	else if (!feof(f))
		return -1;
	if (n > 0 && buf[n - 1] == '\r')
		buf[--n] = '\0';
	return 0;
}

/* Prompts on the terminal with echo off. */
static int
read_hidden(const char *prompt, char *buf, size_t len)
{
	struct termios	 old, quiet;
	int		 rc;

	fputs(prompt, stderr);
	fflush(stderr);
	if (tcgetattr(STDIN_FILENO, &old) == -1)
		return -1;
	quiet = old;
	quiet.c_lflag &= ~(tcflag_t)ECHO;
	tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
	rc = read_line(stdin, buf, len);
	tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
	fputc('\n', stderr);
	return rc;
}

/* The new password into pw[PASSWORD_MAX + 2]; 0, or 1 after saying why. */
static int
new_password(const char *name, char *pw)
{
	char	 again[PASSWORD_MAX + 2];
	int	 rc = 0;

	if (isatty(STDIN_FILENO)) {
		if (read_hidden("New password: ", pw, PASSWORD_MAX + 2) ==
		    -1 || read_hidden("Again: ", again, sizeof(again)) == -1)
			rc = cli_fail("user %s: no password read", name);
		else if (strcmp(pw, again) != 0)
			rc = cli_fail("user %s: the passwords differ", name);
	} else if (read_line(stdin, pw, PASSWORD_MAX + 2) == -1)
		rc = cli_fail("user %s: standard input: expected the "
		    "password on one line (at most %d bytes)", name,
		    PASSWORD_MAX);
	if (rc == 0 && str_utf8_count(pw, strlen(pw)) < PASSWORD_MIN)
		rc = cli_fail("user %s: password: at least %d characters, "
		    "please", name, PASSWORD_MIN);
	else if (rc == 0 && !str_is_utf8(pw, strlen(pw)))
		rc = cli_fail("user %s: password: not valid UTF-8", name);
	sodium_memzero(again, sizeof(again));
	return rc;
}

static int
name_ok(const char *name)
{
	size_t	 len = strlen(name);

	return len > 0 && len <= NAME_MAX_LEN && strspn(name,
	    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "0123456789._-") == len;
}

/* add and passwd: a user with a new password, in one transaction. */
static int
user_set(struct store *st, struct arena *a, const char *name,
    const char *role, int is_new)
{
	struct user	*u, nu;
	char		 pw[PASSWORD_MAX + 2], hash[SITE_PWHASH_LEN];
	enum store_err	 e;
	int		 rc;

	if (!is_new) {
		if ((e = store_user_get(st, a, name, &u)) != STORE_OK)
			return cli_fail("user %s: %s", name,
			    e == STORE_NOTFOUND ? "no such user" :
			    store_errmsg(st));
	} else if (store_user_get(st, a, name, &u) == STORE_OK)
		return cli_fail("user %s: already exists", name);
	if ((rc = new_password(name, pw)) != 0)
		return rc;
	rc = site_password_hash(pw, hash);
	sodium_memzero(pw, sizeof(pw));
	if (rc == -1)
		return cli_fail("user %s: cannot hash the password (out of "
		    "memory)", name);
	if (is_new) {
		memset(&nu, 0, sizeof(nu));
		nu.name = arena_strdup(a, name);
		nu.role = arena_strdup(a, role);
		nu.totp_secret = "";
		nu.created = clock_now();
		u = &nu;
	}
	u->pwhash = hash;
	if (store_write_begin(st) != STORE_OK)
		return cli_fail("user %s: %s", name, store_errmsg(st));
	e = store_user_put(st, u);
	if (store_write_end(st, e == STORE_OK) != STORE_OK && e == STORE_OK)
		e = STORE_ERR;
	if (e != STORE_OK)
		return cli_fail("user %s: %s", name, e == STORE_CONFLICT ?
		    "already exists" : store_errmsg(st));
	printf("%s\t%s\t%s\n", is_new ? "added" : "password", u->name,
	    u->role);
	return 0;
}

static int
user_list(struct cli *cli, struct store *st, struct arena *a)
{
	const char	*keys[] = { "id", "name", "role", "totp", "created" };
	const char	*vals[5];
	struct user	*v;
	char		 id[32], created[64];
	size_t		 i, n;

	if (store_user_list(st, a, &v, &n) != STORE_OK)
		return cli_fail("user list: %s", store_errmsg(st));
	for (i = 0; i < n; i++) {
		snprintf(id, sizeof(id), "%lld", (long long)v[i].id);
		text_date_iso("UTC", v[i].created, created, sizeof(created));
		vals[0] = id;
		vals[1] = v[i].name;
		vals[2] = v[i].role;
		vals[3] = *v[i].totp_secret != '\0' ? "totp" : "-";
		vals[4] = created;
		if (cli->json)
			cli_json_line(keys, vals, 5);
		else
			printf("%s\t%s\t%s\t%s\t%s\n", vals[0], vals[1],
			    vals[2], vals[3], vals[4]);
	}
	return 0;
}

/* delete and totp: one change to one user, in one transaction. */
static int
user_change(struct cli *cli, struct store *st, struct arena *a,
    const char *name, int del, int off)
{
	struct user	*u;
	char		 secret[64];
	enum store_err	 e;

	if (store_write_begin(st) != STORE_OK)
		return cli_fail("user %s: %s", name, store_errmsg(st));
	if ((e = store_user_get(st, a, name, &u)) == STORE_OK) {
		if (del)
			e = store_user_delete(st, u->id);
		else {
			if (off)
				secret[0] = '\0';
			else if (site_totp_secret_new(secret,
			    sizeof(secret)) == -1)
				e = STORE_ERR;
			u->totp_secret = secret;
			if (e == STORE_OK)
				e = store_user_put(st, u);
		}
	}
	if (store_write_end(st, e == STORE_OK) != STORE_OK && e == STORE_OK)
		e = STORE_ERR;
	if (e != STORE_OK)
		return cli_fail("user %s: %s", name, e == STORE_NOTFOUND ?
		    "no such user" : store_errmsg(st));
	if (del)
		printf("deleted\t%s\n", u->name);
	else if (off)
		printf("totp\t%s\toff\n", u->name);
	else
		printf("%s\nsecret\t%s\n", site_totp_uri(a,
		    cli->conf.site_title, u->name, secret), secret);
	return 0;
}

int
cli_demo_user(struct cli *cli)
{
	struct store	*st;
	struct user	 u;
	unsigned char	 r[6];
	char		 pw[2 * sizeof(r) + 1], hash[SITE_PWHASH_LEN];
	enum store_err	 e;

	if (sodium_init() == -1 || (st = cli_store(cli, 0)) == NULL)
		return 1;
	randombytes_buf(r, sizeof(r));
	sodium_bin2hex(pw, sizeof(pw), r, sizeof(r));
	if (site_password_hash(pw, hash) == -1) {
		store_close(st);
		return cli_fail("demo: cannot hash a password");
	}
	memset(&u, 0, sizeof(u));
	u.name = "demo";
	u.role = "owner";
	u.pwhash = hash;
	u.totp_secret = "";
	u.created = clock_now();
	if ((e = store_write_begin(st)) == STORE_OK) {
		e = store_user_put(st, &u);
		if (store_write_end(st, e == STORE_OK) != STORE_OK)
			e = STORE_ERR;
	}
	if (e != STORE_OK) {
		cli_fail("demo: user: %s", store_errmsg(st));
		store_close(st);
		return 1;
	}
	store_close(st);
	log_info("admin: sign in at /admin/ as demo, password %s", pw);
	return 0;
}

int
cmd_user(struct cli *cli, int argc, char *argv[])
{
	static const struct option opts[] = {
		{ "role", required_argument, NULL, 'r' },
		{ "off", no_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct store	*st;
	struct arena	*a;
	const char	*act, *role = "author", *name = NULL;
	int		 c, rc, off = 0;

	if (argc < 2)
		usage(EXIT_USAGE);
	act = argv[1];
	if (strcmp(act, "--help") == 0)
		usage(0);
	if (strcmp(act, "add") != 0 && strcmp(act, "passwd") != 0 &&
	    strcmp(act, "list") != 0 && strcmp(act, "delete") != 0 &&
	    strcmp(act, "totp") != 0)
		cli_usage(cli, "unknown action \"%s\" (add, passwd, list, "
		    "delete, totp)", act);
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc - 1, argv + 1, "", opts, NULL)) != -1) {
		if (c == 'h')
			usage(0);
		if (c == 'r' && strcmp(act, "add") == 0)
			role = optarg;
		else if (c == 'o' && strcmp(act, "totp") == 0)
			off = 1;
		else
			cli_usage(cli, "%s: unknown option \"%s\"", act,
			    argv[optind]);
	}
	if (strcmp(role, "owner") != 0 && strcmp(role, "editor") != 0 &&
	    strcmp(role, "author") != 0)
		cli_usage(cli, "--role: expected owner, editor or author, not "
		    "\"%s\"", role);
	if (strcmp(act, "list") == 0) {
		if (optind + 1 != argc)
			cli_usage(cli, "list takes no NAME");
	} else {
		if (optind + 2 != argc)
			cli_usage(cli, "%s needs one NAME", act);
		name = argv[argc - 1];
		if (!name_ok(name))
			cli_usage(cli, "NAME: letters, digits, '.', '_' and "
			    "'-', at most %d, not \"%s\"", NAME_MAX_LEN, name);
	}
	if (sodium_init() == -1)
		return cli_fail("user: libsodium: cannot initialize");
	if (cli_load(cli) == -1 || (st = cli_store(cli, 0)) == NULL)
		return 1;
	a = arena_new();
	if (strcmp(act, "add") == 0)
		rc = user_set(st, a, name, role, 1);
	else if (strcmp(act, "passwd") == 0)
		rc = user_set(st, a, name, NULL, 0);
	else if (strcmp(act, "list") == 0)
		rc = user_list(cli, st, a);
	else
		rc = user_change(cli, st, a, name, strcmp(act, "delete") == 0,
		    off);
	arena_free(a);
	store_close(st);
	return rc;
}

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
 * gazette spam train|check: teach the site's spam filter from a labelled
 * file, and ask it about a text.  The scoring and the terms are text/'s,
 * the counts store/'s; this file only reads files and the command line.
 */
#include <sys/stat.h>

#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cli.h"
#include "store/store.h"
#include "text/text.h"

#define SAME_BODY_WINDOW	86400	/* seconds back the server looks for
					   the same text (site/comment.c) */
#define LANG_MAX		35	/* bytes of a BCP 47 tag */

/* One message of a training file, its fields unescaped. */
struct message {
	int		 is_spam;
	const char	*lang;	/* NULL: let the pipeline detect it */
	const char	*name;
	const char	*url;
	const char	*body;
};

static noreturn void
usage(int status)
{
	fputs("usage: gazette [-C DIR] spam train FILE\n"
	    "       gazette [-C DIR] spam check [--json] [--lang LANG] "
	    "[--name NAME] [--url URL]\n"
	    "           TEXT | -\n"
	    "FILE has one message a line: ham|spam TAB TEXT, or\n"
	    "ham|spam TAB LANG TAB NAME TAB URL TAB BODY; \\n in TEXT is a "
	    "newline.\n", status == 0 ? stdout : stderr);
	exit(status);
}

/*
 * Reads one line (without its LF) into b.  Returns 0, or -1 at the end
 * of the file.  A line longer than max is read to its end but not kept
 * (*is_long = 1), so one huge line cannot take the memory; *has_nul says
 * whether it held a NUL byte, which C strings would hide.
 */
static int
read_line(FILE *f, struct buf *b, size_t max, int *is_long, int *has_nul)
{
	int	 c, any = 0;

	buf_reset(b);
	buf_grow(b, 1);
	b->p[0] = '\0';
	*is_long = *has_nul = 0;
	while ((c = getc_unlocked(f)) != EOF) {
		any = 1;
		if (c == '\n')
			break;
		if (c == '\0')
			*has_nul = 1;
		if (b->len < max)
			buf_addc(b, (char)c);
		else
			*is_long = 1;
	}
	return any ? 0 : -1;
}

/*
 * Undoes the file's escapes in place: \n newline, \t tab, \r carriage
 * return, \\ backslash.  Any other backslash stays as written.
 */
static void
unescape(char *s)
{
	char	*w = s;

	for (; *s != '\0'; s++) {
		if (*s != '\\' || s[1] == '\0') {
			*w++ = *s;
			continue;
		}
		switch (s[1]) {
		case 'n':
			*w++ = '\n';
			break;
		case 't':
			*w++ = '\t';
			break;
		case 'r':
			*w++ = '\r';
			break;
		case '\\':
			*w++ = '\\';
			break;
		default:
			*w++ = *s;
			continue;
		}
		s++;
	}
	*w = '\0';
}

/* 1 when s looks like a language tag ("en", "pt-BR"), else 0. */
static int
is_lang(const char *s)
{
	size_t	 len = strlen(s);

	if (len < 2 || len > LANG_MAX || !isalpha((unsigned char)s[0]))
		return 0;
	return strspn(s, "abcdefghijklmnopqrstuvwxyz"
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-") == len;
}

/*
 * Splits and checks one line of a training file (LF gone, tabs intact)
 * into m; the strings point into line.  Returns NULL, or why the line is
 * refused (static or in the arena).
 */
static const char *
parse_message(struct arena *a, char *line, struct message *m)
{
	char		*f[6], *p;
	size_t		 n = 0, i;

	memset(m, 0, sizeof(*m));
	if (!str_is_utf8(line, strlen(line)))
		return "not valid UTF-8";
	for (p = line; n < nitems(f); n++) {
		f[n] = p;
		if ((p = strchr(p, '\t')) == NULL) {
			n++;
			break;
		}
		*p++ = '\0';
	}
	if (p != NULL || (n != 2 && n != 5))
		return arena_printf(a, "%s%zu field%s: expected "
		    "LABEL<TAB>TEXT or "
		    "LABEL<TAB>LANG<TAB>NAME<TAB>URL<TAB>BODY",
		    p != NULL ? "more than " : "", n, n == 1 ? "" : "s");
	if (strcasecmp(f[0], "spam") == 0)
		m->is_spam = 1;
	else if (strcasecmp(f[0], "ham") != 0)
		return arena_printf(a, "label \"%.40s\" is not ham or spam",
		    f[0]);
	for (i = 1; i < n; i++) {
		unescape(f[i]);
		if (!str_is_text(f[i], strlen(f[i]), NULL))
			return "control character in the text";
	}
	m->name = m->url = "";
	m->body = f[n - 1];
	if (n == 5) {
		if (*f[1] != '\0' && strcmp(f[1], "-") != 0) {
			if (!is_lang(f[1]))
				return "the language is not a tag such as en "
				    "or pt-BR";
			m->lang = f[1];
		}
		m->name = f[2];
		m->url = f[3];
	}
	if (*str_trim(f[n - 1]) == '\0')
		return "no text";
	return NULL;
}

/*
 * One pass over a training file.  Without st it checks every line,
 * printing "FILE:LINE: why" for each bad one, and returns how many were
 * bad; with st it learns every message and returns 0, or -1 after
 * printing a store error.  *nham and *nspam count the messages.
 */
static int
train_pass(FILE *f, const char *name, struct store *st, int64_t *nham,
    int64_t *nspam)
{
	struct buf	 line = BUF_INIT;
	struct message	 m;
	struct arena	*a;
	const char	**terms, *why;
	size_t		 lineno = 0, nterms;
	int		 is_long, has_nul, nbad = 0;

	*nham = *nspam = 0;
	a = arena_new();
	while (read_line(f, &line, LIMIT_IMPORT_LINE, &is_long,
	    &has_nul) == 0) {
		lineno++;
		arena_reset(a);
		if (line.len > 0 && line.p[line.len - 1] == '\r')
			line.p[--line.len] = '\0';
		if (line.p[strspn(line.p, " \t")] == '\0' &&
		    !has_nul && !is_long)
			continue;
		if (line.p[0] == '#')
			continue;
		/* A header line ("label<TAB>...") names the columns. */
		if (lineno == 1 && strncasecmp(line.p, "label\t", 6) == 0)
			continue;
		if (is_long)
			why = "line longer than 256 KiB";
		else if (has_nul)
			why = "contains a NUL byte";
		else
			why = parse_message(a, line.p, &m);
		if (why == NULL && text_spam_terms(a, m.lang, m.name, m.url,
		    m.body, &terms, &nterms) == -1)
			why = "not valid UTF-8";
		if (why != NULL) {
			cli_fail("%s:%zu: %s", name, lineno, why);
			nbad++;
			continue;
		}
		if (st != NULL && store_spam_learn(st, terms, nterms,
		    m.is_spam, 1) != STORE_OK) {
			cli_fail("%s:%zu: %s", name, lineno,
			    store_errmsg(st));
			nbad = -1;
			break;
		}
		if (m.is_spam)
			(*nspam)++;
		else
			(*nham)++;
	}
	arena_free(a);
	buf_clear(&line);
	return nbad;
}

/*
 * Opens a training file to be read twice: a regular file as it is,
 * standard input ("-") or a pipe copied to a temporary file first, at
 * most a byte more than the limit of it.  NULL after printing why.
 */
static FILE *
train_open(const char *path, const char *name)
{
	struct stat	 sb;
	FILE		*src, *f = NULL;
	char		 chunk[8192];
	size_t		 n, total = 0;

	if (strcmp(path, "-") == 0)
		src = stdin;
	else if ((src = fopen(path, "r")) == NULL) {
		cli_fail("%s: %s", name, strerror(errno));
		return NULL;
	}
	if (fstat(fileno(src), &sb) == -1) {
		cli_fail("%s: %s", name, strerror(errno));
		goto out;
	}
	if (S_ISDIR(sb.st_mode)) {
		cli_fail("%s: is a directory", name);
		goto out;
	}
	if (S_ISREG(sb.st_mode) && src != stdin)
		return src;
	if ((f = tmpfile()) == NULL) {
		cli_fail("spam train: temporary file: %s", strerror(errno));
		goto out;
	}
	while (total <= LIMIT_IMPORT_FILE &&
	    (n = fread(chunk, 1, sizeof(chunk), src)) > 0) {
		total += n;
		if (fwrite(chunk, 1, n, f) != n) {
			cli_fail("spam train: temporary file: %s",
			    strerror(errno));
			fclose(f);
			f = NULL;
			goto out;
		}
	}
	if (ferror(src) || fflush(f) == EOF) {
		cli_fail("%s: cannot read", name);
		fclose(f);
		f = NULL;
	}
out:
	if (src != stdin)
		fclose(src);
	return f;
}

/*
 * spam train FILE: every line checked first, without holding the
 * store's writer (a live server keeps taking comments meanwhile); then,
 * only if no line was bad, all of them learned in one transaction.
 */
static int
spam_train(struct store *st, const char *path)
{
	struct stat	 sb;
	const char	*name;
	FILE		*f;
	int64_t		 nham, nspam;
	int		 nbad, rc = 0;

	name = strcmp(path, "-") == 0 ? "(stdin)" : path;
	if ((f = train_open(path, name)) == NULL)
		return 1;
	if (fstat(fileno(f), &sb) == -1) {
		rc = cli_fail("%s: %s", name, strerror(errno));
		goto out;
	}
	if (sb.st_size > LIMIT_IMPORT_FILE) {
		rc = cli_fail("%s: larger than 64 MiB", name);
		goto out;
	}
	rewind(f);
	if ((nbad = train_pass(f, name, NULL, &nham, &nspam)) != 0 ||
	    ferror(f)) {
		rc = ferror(f) ? cli_fail("%s: cannot read", name) :
		    cli_fail("%s: nothing learned: %d bad line%s", name, nbad,
		    nbad == 1 ? "" : "s");
		goto out;
	}
	rewind(f);
	if (store_write_begin(st) != STORE_OK) {
		rc = cli_fail("spam train: %s", store_errmsg(st));
		goto out;
	}
	rc = train_pass(f, name, st, &nham, &nspam) != 0 || ferror(f);
	if (ferror(f))
		cli_fail("%s: cannot read", name);
	if (store_write_end(st, rc == 0) != STORE_OK && rc == 0)
		rc = cli_fail("spam train: %s", store_errmsg(st));
	if (rc == 0)
		printf("learned %lld ham, %lld spam\n", (long long)nham,
		    (long long)nspam);
out:
	fclose(f);
	return rc;
}

/* The scorer's settings from the site's [spam] and [comments] keys. */
static void
spam_conf(struct arena *a, const struct conf *conf, struct text_spam_conf *sc)
{
	const char	**v = NULL;
	char		*list, *word, *save = NULL;
	size_t		 n = 0, cap = 0;

	memset(sc, 0, sizeof(*sc));
	sc->hold = conf->spam_hold;
	sc->reject = conf->spam_reject;
	sc->max_links = conf->comments_max_links;
	list = arena_strdup(a, conf->spam_blocklist);
	for (word = strtok_r(list, ",", &save); word != NULL;
	    word = strtok_r(NULL, ",", &save)) {
		if (*str_trim(word) == '\0')
			continue;
		v = arena_grow(a, v, n, &cap, sizeof(*v));
		v[n++] = word;
	}
	sc->blocklist = v;
	sc->nblocklist = n;
}

/* Standard input, whole, as a string; NULL after printing why. */
static char *
read_stdin(struct arena *a)
{
	struct buf	 b = BUF_INIT;
	char		 chunk[4096], *s;
	size_t		 n;

	while ((n = fread(chunk, 1, sizeof(chunk), stdin)) > 0 &&
	    b.len <= LIMIT_IMPORT_LINE)
		buf_add(&b, chunk, n);
	if (ferror(stdin) || b.len > LIMIT_IMPORT_LINE) {
		cli_fail("spam check: standard input: %s", ferror(stdin) ?
		    "cannot read" : "longer than 256 KiB");
		buf_clear(&b);
		return NULL;
	}
	s = arena_strndup(a, b.p != NULL ? b.p : "", b.len);
	if (strlen(s) != b.len) {
		cli_fail("spam check: standard input: contains a NUL byte");
		s = NULL;
	}
	buf_clear(&b);
	return s;
}

static const char *
verdict_name(enum text_spam_verdict v)
{
	return v == TEXT_SPAM_REJECT ? "reject" : v == TEXT_SPAM_HOLD ?
	    "hold" : "pass";
}

/* spam check: scores in as the server would score a new comment. */
static int
spam_check(struct cli *cli, struct store *st, struct arena *a,
    struct text_spam_input *in)
{
	const char		*keys[] = { "score", "verdict", "reasons",
	    "bayes" };
	const char		*vals[4];
	struct text_spam_conf	 sc;
	struct text_spam_result	 r;
	char			 score[32], bayes[32];

	spam_conf(a, &cli->conf, &sc);
	if (store_comment_same_body(st, in->body, clock_now() -
	    SAME_BODY_WINDOW, &in->same_body) != STORE_OK)
		return cli_fail("spam check: %s", store_errmsg(st));
	if (text_spam_check(a, &sc, in, store_spam_counter, st, &r) == -1)
		return cli_fail("spam check: the text is not valid UTF-8");
	snprintf(score, sizeof(score), "%.3f", r.score);
	snprintf(bayes, sizeof(bayes), "%.3f", r.bayes);
	vals[0] = score;
	vals[1] = verdict_name(r.verdict);
	vals[2] = r.reasons != NULL ? r.reasons : "";
	vals[3] = bayes;
	if (cli->json)
		cli_json_line(keys, vals, 4);
	else
		printf("%s\t%s\t%s\n", vals[0], vals[1], vals[2]);
	return 0;
}

/* Parses check's options into in; returns the TEXT argument. */
static const char *
check_options(struct cli *cli, int argc, char *argv[],
    struct text_spam_input *in)
{
	static const struct option opts[] = {
		{ "lang", required_argument, NULL, 'l' },
		{ "name", required_argument, NULL, 'n' },
		{ "url", required_argument, NULL, 'u' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int	 c;

	memset(in, 0, sizeof(*in));
	in->name = in->email = in->url = "";
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'l':
			if (!is_lang(optarg))
				cli_usage(cli, "--lang: \"%s\" is not a "
				    "language tag such as en or pt-BR",
				    optarg);
			in->lang = optarg;
			break;
		case 'n':
			in->name = optarg;
			break;
		case 'u':
			in->url = optarg;
			break;
		case 'h':
			usage(0);
		default:
			cli_usage(cli, "unknown option \"%s\"",
			    argv[optind - 1]);
		}
	}
	if (optind + 1 != argc)
		cli_usage(cli, "check needs one TEXT, or - to read it from "
		    "standard input");
	return argv[optind];
}

int
cmd_spam(struct cli *cli, int argc, char *argv[])
{
	struct text_spam_input	 in;
	struct store		*st;
	struct arena		*a;
	const char		*text = NULL;
	int			 rc;

	if (argc < 2)
		usage(EXIT_USAGE);
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)
		usage(0);
	if (strcmp(argv[1], "train") == 0) {
		if (argc == 3 && strcmp(argv[2], "--help") == 0)
			usage(0);
		if (argc != 3)
			cli_usage(cli, "train needs one FILE");
	} else if (strcmp(argv[1], "check") == 0)
		text = check_options(cli, argc - 1, argv + 1, &in);
	else
		cli_usage(cli, "unknown action \"%s\" (train, check)",
		    argv[1]);
	if (cli_load(cli) == -1 || (st = cli_store(cli, 0)) == NULL)
		return 1;
	if (text == NULL) {
		rc = spam_train(st, argv[2]);
		store_close(st);
		return rc;
	}
	a = arena_new();
	in.body = strcmp(text, "-") == 0 ? read_stdin(a) : text;
	rc = in.body == NULL ? 1 : spam_check(cli, st, a, &in);
	arena_free(a);
	store_close(st);
	return rc;
}

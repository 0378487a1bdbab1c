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
 * The site configuration file, gazette.conf, read with inih.  Owns the
 * defaults and the validation of every key; knows nothing of what the
 * values are used for.
 */
#include <sys/stat.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ini.h>

#include "base.h"

#define CONF_FILE_MAX	(64 * 1024)	/* bytes in gazette.conf */
#define CONF_CACHE_DEFAULT ((size_t)32 << 20)	/* [cache] size */
#define CONF_CACHE_MAX	((uint64_t)64 << 30)	/* 64 GiB */

/* Locales that have a message catalog (render/i18n.c). */
static const char *const locales[] = { "en", "es", "ru", "ko" };

struct conf_parse {
	struct conf	*c;
	char		 why[256];	/* set by a failing handler */
};

void
conf_defaults(struct conf *c)
{
	memset(c, 0, sizeof(*c));
	c->site_title = xstrdup("My gazette");
	c->site_url = xstrdup("http://127.0.0.1:8080");
	c->site_locale = xstrdup("en");
	c->site_timezone = xstrdup("UTC");
	c->server_listen = xstrdup("127.0.0.1:8080");
	c->server_threads = 2;
	c->store_db = xstrdup("sqlite:gazette.db");
	c->comments_moderation = CONF_MOD_FIRST_TIME;
	c->comments_min_seconds = 3;
	c->comments_rate = 5;
	c->comments_depth = 4;
	c->comments_max_links = 2;
	c->spam_hold = 0.5;
	c->spam_reject = 0.9;
	c->spam_blocklist = xstrdup("");
	c->server_max_body = LIMIT_BODY;
	c->server_timeout = LIMIT_TIMEOUT;
	c->cache_size = CONF_CACHE_DEFAULT;
	c->server_access_log = xstrdup("off");
	c->server_connections = LIMIT_CONNECTIONS;
	c->server_per_address = LIMIT_PER_ADDRESS;
	c->server_user = NULL;
	c->server_sandbox = 1;
}

void
conf_clear(struct conf *c)
{
	free(c->site_title);
	free(c->site_url);
	free(c->site_locale);
	free(c->site_timezone);
	free(c->server_listen);
	free(c->store_db);
	free(c->spam_blocklist);
	free(c->server_access_log);
	free(c->server_user);
	memset(c, 0, sizeof(*c));
}

const char *
conf_moderation_name(enum conf_moderation m)
{
	switch (m) {
	case CONF_MOD_NONE:
		return "none";
	case CONF_MOD_ALL:
		return "all";
	case CONF_MOD_LINKS:
		return "links";
	default:
		return "first-time";
	}
}

static void
set_str(char **dst, const char *v)
{
	free(*dst);
	*dst = xstrdup(v);
}

static int
check_listen(const char *v)
{
	const char	*colon;
	int64_t		 port;

	if ((colon = strrchr(v, ':')) == NULL || colon == v)
		return -1;
	if (str_to_i64(colon + 1, 1, 65535, &port) == -1)
		return -1;
	return 0;
}

static int
check_timezone(const char *v)
{
	struct stat	 st;
	char		 path[512];
	const char	*p;

	if (strcmp(v, "UTC") == 0)
		return 0;
	if (*v == '\0' || *v == '/' || strstr(v, "..") != NULL)
		return -1;
	for (p = v; *p != '\0'; p++)
		if (!((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
		    (*p >= '0' && *p <= '9') || strchr("/_+-", *p) != NULL))
			return -1;
	/* Without a zoneinfo tree we cannot check further; ICU will. */
	if (stat("/usr/share/zoneinfo", &st) == -1)
		return 0;
	snprintf(path, sizeof(path), "/usr/share/zoneinfo/%s", v);
	return stat(path, &st) == 0 && S_ISREG(st.st_mode) ? 0 : -1;
}

/* An http(s) URL with a host: "https://news.example" (path allowed). */
static int
check_url(const char *v)
{
	const char	*host;

	if (str_has_prefix(v, "http://"))
		host = v + 7;
	else if (str_has_prefix(v, "https://"))
		host = v + 8;
	else
		return -1;
	if (*host == '\0' || *host == '/' || *host == ':')
		return -1;
	return strpbrk(v, " \t\"<>") == NULL ? 0 : -1;
}

/* A number from 0 to 1 ("0.5", "1", "0"), or -1. */
static int
parse_fraction(const char *v, double *out)
{
	char	*end;

	*out = 0;
	if (*v == '\0' || strspn(v, "0123456789.") != strlen(v))
		return -1;
	*out = strtod(v, &end);
	if (*end != '\0' || *out < 0 || *out > 1)
		return -1;
	return 0;
}

/* Returns 0 or -1 with the reason in why. */
static int
conf_apply(struct conf *c, const char *section, const char *key,
    const char *v, char *why, size_t whylen)
{
	int64_t	 n;
	uint64_t u;
	double	 d;
	size_t	 i, len;

	if (!str_is_utf8(v, strlen(v))) {
		snprintf(why, whylen, "%s.%s: not valid UTF-8", section, key);
		return -1;
	}
	if (strcmp(section, "site") == 0 && strcmp(key, "title") == 0) {
		if (*v == '\0' || strlen(v) > LIMIT_TITLE)
			goto bad;
		set_str(&c->site_title, v);
	} else if (strcmp(section, "site") == 0 && strcmp(key, "url") == 0) {
		if (check_url(v) == -1)
			goto bad;
		set_str(&c->site_url, v);
		len = strlen(c->site_url);
		while (len > 0 && c->site_url[len - 1] == '/')
			c->site_url[--len] = '\0';
	} else if (strcmp(section, "site") == 0 &&
	    strcmp(key, "locale") == 0) {
		for (i = 0; i < nitems(locales); i++)
			if (strcmp(v, locales[i]) == 0)
				break;
		if (i == nitems(locales)) {
			snprintf(why, whylen, "site.locale: unknown locale "
			    "\"%s\" (known: en, es, ru, ko)", v);
			return -1;
		}
		set_str(&c->site_locale, v);
	} else if (strcmp(section, "site") == 0 &&
	    strcmp(key, "timezone") == 0) {
		if (check_timezone(v) == -1) {
			snprintf(why, whylen, "site.timezone: unknown time "
			    "zone \"%s\"", v);
			return -1;
		}
		set_str(&c->site_timezone, v);
	} else if (strcmp(section, "server") == 0 &&
	    strcmp(key, "listen") == 0) {
		if (check_listen(v) == -1) {
			snprintf(why, whylen, "server.listen: \"%s\" is not "
			    "ADDR:PORT", v);
			return -1;
		}
		set_str(&c->server_listen, v);
	} else if (strcmp(section, "server") == 0 &&
	    strcmp(key, "threads") == 0) {
		if (str_to_i64(v, 1, CONF_THREADS_MAX, &n) == -1)
			goto bad;
		c->server_threads = (int)n;
	} else if (strcmp(section, "server") == 0 &&
	    strcmp(key, "max_body") == 0) {
		if (str_to_i64(v, 1024, LIMIT_BODY, &n) == -1)
			goto bad;
		c->server_max_body = (size_t)n;
	} else if (strcmp(section, "server") == 0 &&
	    strcmp(key, "timeout") == 0) {
		if (str_to_i64(v, 1, LIMIT_TIMEOUT, &n) == -1)
			goto bad;
		c->server_timeout = (int)n;
	} else if (strcmp(section, "server") == 0 &&
	    strcmp(key, "connections") == 0) {
		if (str_to_i64(v, 1, LIMIT_CONNECTIONS, &n) == -1)
			goto bad;
		c->server_connections = (int)n;
	} else if (strcmp(section, "server") == 0 &&
	    strcmp(key, "per_address") == 0) {
		if (str_to_i64(v, 0, LIMIT_CONNECTIONS, &n) == -1)
			goto bad;
		c->server_per_address = (int)n;
	} else if (strcmp(section, "server") == 0 &&
	    strcmp(key, "user") == 0) {
		if (*v == '\0' || strlen(v) > 32 ||
		    strspn(v, "abcdefghijklmnopqrstuvwxyz"
		    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-") != strlen(v))
			goto bad;
		set_str(&c->server_user, v);
	} else if (strcmp(section, "server") == 0 &&
	    strcmp(key, "sandbox") == 0) {
		if (strcmp(v, "on") == 0)
			c->server_sandbox = 1;
		else if (strcmp(v, "off") == 0)
			c->server_sandbox = 0;
		else
			goto bad;
	} else if (strcmp(section, "store") == 0 && strcmp(key, "db") == 0) {
		if (!str_has_prefix(v, "sqlite:") &&
		    !str_has_prefix(v, "postgres://") &&
		    !str_has_prefix(v, "postgresql://"))
			goto bad;
		set_str(&c->store_db, v);
	} else if (strcmp(section, "comments") == 0 &&
	    strcmp(key, "moderation") == 0) {
		if (strcmp(v, "none") == 0)
			c->comments_moderation = CONF_MOD_NONE;
		else if (strcmp(v, "first-time") == 0)
			c->comments_moderation = CONF_MOD_FIRST_TIME;
		else if (strcmp(v, "all") == 0)
			c->comments_moderation = CONF_MOD_ALL;
		else if (strcmp(v, "links") == 0)
			c->comments_moderation = CONF_MOD_LINKS;
		else
			goto bad;
	} else if (strcmp(section, "comments") == 0 &&
	    strcmp(key, "min_seconds") == 0) {
		if (str_to_i64(v, 0, 3600, &n) == -1)
			goto bad;
		c->comments_min_seconds = (int)n;
	} else if (strcmp(section, "comments") == 0 &&
	    strcmp(key, "rate") == 0) {
		if (str_to_i64(v, 0, 10000, &n) == -1)
			goto bad;
		c->comments_rate = (int)n;
	} else if (strcmp(section, "comments") == 0 &&
	    strcmp(key, "depth") == 0) {
		if (str_to_i64(v, 1, 16, &n) == -1)
			goto bad;
		c->comments_depth = (int)n;
	} else if (strcmp(section, "comments") == 0 &&
	    strcmp(key, "max_links") == 0) {
		if (str_to_i64(v, 0, 100, &n) == -1)
			goto bad;
		c->comments_max_links = (int)n;
	} else if (strcmp(section, "spam") == 0 &&
	    (strcmp(key, "hold") == 0 || strcmp(key, "reject") == 0)) {
		if (parse_fraction(v, &d) == -1)
			goto bad;
		*(strcmp(key, "hold") == 0 ? &c->spam_hold :
		    &c->spam_reject) = d;
	} else if (strcmp(section, "spam") == 0 &&
	    strcmp(key, "blocklist") == 0) {
		if (strlen(v) > 16 * 1024)
			goto bad;
		set_str(&c->spam_blocklist, v);
	} else if (strcmp(section, "cache") == 0 &&
	    strcmp(key, "size") == 0) {
		if (conf_size_parse(v, CONF_CACHE_MAX, &u) == -1) {
			snprintf(why, whylen, "cache.size: bad value \"%s\" "
			    "(bytes, or a number with K, M or G; 0 turns "
			    "the cache off)", v);
			return -1;
		}
		c->cache_size = (size_t)u;
	} else if (strcmp(section, "server") == 0 &&
	    strcmp(key, "access_log") == 0) {
		if (*v == '\0')
			goto bad;
		set_str(&c->server_access_log, v);
	} else {
		snprintf(why, whylen, "unknown key \"%s\" in [%s]", key,
		    section);
		return -1;
	}
	return 0;
bad:
	snprintf(why, whylen, "%s.%s: bad value \"%s\"", section, key, v);
	return -1;
}

/* inih handler: returns 0 to stop at this line. */
static int
conf_handler(void *arg, const char *section, const char *key,
    const char *value)
{
	struct conf_parse	*cp = arg;
	char			 why[sizeof(cp->why)];

	/* inih goes on after an error: keep the reason of the first. */
	if (conf_apply(cp->c, section, key, value, why, sizeof(why)) == 0)
		return 1;
	if (cp->why[0] == '\0')
		memcpy(cp->why, why, sizeof(why));
	return 0;
}

/*
 * inih reads an indented line as the continuation of the value above it,
 * which would silently turn "  url = x" into part of a title.  Returns
 * the first such line, or 0.
 */
static int
indented_line(const char *text)
{
	const char	*p = text;
	int		 line = 1;

	for (; *p != '\0'; line++) {
		if (*p == ' ' || *p == '\t') {
			p += strspn(p, " \t");
			if (*p != '\n' && *p != '\r' && *p != '\0' &&
			    *p != ';' && *p != '#')
				return line;
		}
		p += strcspn(p, "\n");
		if (*p == '\n')
			p++;
	}
	return 0;
}

int
conf_load(struct conf *c, const char *path, char *err, size_t errlen)
{
	struct conf_parse	 cp;
	struct buf		 text = BUF_INIT;
	char			 chunk[4096];
	FILE			*f;
	size_t			 n;
	int			 line;

	memset(&cp, 0, sizeof(cp));
	cp.c = c;
	if ((f = fopen(path, "r")) == NULL) {
		snprintf(err, errlen, "%s: cannot open: %m", path);
		return -1;
	}
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0 &&
	    text.len <= CONF_FILE_MAX)
		buf_add(&text, chunk, n);
	if (ferror(f) || text.len > CONF_FILE_MAX) {
		snprintf(err, errlen, "%s: %s", path, ferror(f) ?
		    "cannot read" : "larger than 64 KiB");
		fclose(f);
		buf_clear(&text);
		return -1;
	}
	fclose(f);
	if (text.len > 0 && strlen(text.p) != text.len) {
		snprintf(err, errlen, "%s: contains a NUL byte", path);
		buf_clear(&text);
		return -1;
	}
	if ((line = indented_line(text.p == NULL ? "" : text.p)) != 0) {
		snprintf(err, errlen, "%s:%d: indented line (keys and "
		    "sections start at the beginning of a line)", path, line);
		buf_clear(&text);
		return -1;
	}
	line = ini_parse_string(text.p == NULL ? "" : text.p, conf_handler,
	    &cp);
	buf_clear(&text);
	if (line == 0 && c->spam_hold > c->spam_reject) {
		snprintf(err, errlen, "%s: spam.hold (%g) is above spam.reject "
		    "(%g)", path, c->spam_hold, c->spam_reject);
		return -1;
	}
	if (line == 0)
		return 0;
	if (line < 0)
		snprintf(err, errlen, "%s: cannot read", path);
	else if (cp.why[0] != '\0')
		snprintf(err, errlen, "%s:%d: %s", path, line, cp.why);
	else
		snprintf(err, errlen, "%s:%d: syntax error (expected "
		    "[section] or key = value)", path, line);
	return -1;
}

int
conf_size_parse(const char *v, uint64_t max, uint64_t *out)
{
	uint64_t	 n = 0, mul = 1;
	const char	*p;

	*out = 0;
	for (p = v; *p >= '0' && *p <= '9'; p++) {
		if (n > (UINT64_MAX - 9) / 10)
			return -1;
		n = n * 10 + (uint64_t)(*p - '0');
	}
	if (p == v)
		return -1;
	if (*p == 'K' || *p == 'k')
		mul = 1024;
	else if (*p == 'M' || *p == 'm')
		mul = 1024 * 1024;
	else if (*p == 'G' || *p == 'g')
		mul = 1024 * 1024 * 1024;
	else if (*p != '\0')
		return -1;
	if (*p != '\0' && p[1] != '\0')
		return -1;
	if (n > max / mul)
		return -1;
	*out = n * mul;
	return 0;
}

int
conf_set(struct conf *c, const char *section, const char *key,
    const char *value, char *err, size_t errlen)
{
	return conf_apply(c, section, key, value, err, errlen);
}

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
 * Calendar dates through ICU: localized long forms for pages, ISO 8601
 * for feeds and markup, calendar parts for URLs, and strict parsing of
 * the date lines importers meet.  Times are seconds since the epoch;
 * zones are IANA names, checked against ICU's list (custom "GMT+3" style
 * zones are refused).
 *
 * Every call runs on some page render, so the ICU objects (a formatter
 * costs tens of microseconds to open, more than a page) live in a cache
 * private to each thread: no locks, and ICU's rule that a UDateFormat or
 * UCalendar is used by one thread at a time holds by construction.  A
 * pthread key destructor closes them when the thread exits, and
 * text_thread_cleanup() closes them on demand.
 *
 * Not here: relative times ("3 hours ago") and calendars other than the
 * locale's own for display and the proleptic Gregorian one for parts.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unicode/stringoptions.h>
#include <unicode/ucal.h>
#include <unicode/udat.h>
#include <unicode/udatpg.h>
#include <unicode/ustring.h>

#include "base.h"
#include "text.h"
#include "text_int.h"

#define DATE_LOCALE_MAX 48	/* bytes of a locale name, with its NUL */
#define DATE_TZ_MAX	64	/* bytes of a zone name, with its NUL */
#define DATE_NFMT	16	/* formatters cached per thread */
#define DATE_NCAL	4	/* calendars cached per thread */
#define DATE_UMAX	160	/* UTF-16 units of a date we print or parse */
#define DATE_IN_MAX	256	/* bytes of a date line we try to parse */

/*
 * 1583-01-01T00:00:00Z and 9999-12-31T23:59:59Z.  Years start at 1583,
 * the first whole Gregorian year: before it ICU's formatters count in
 * the Julian calendar and would name another day than our calendar.
 */
#define DATE_YEAR_MIN	1583
#define DATE_T_MIN	(-12212553600LL)
#define DATE_T_MAX	253402300799LL

/* What a cached formatter prints. */
enum fmt_kind {
	FMT_LONG = 0,	/* long date: "September 12, 2023" */
	FMT_MONTH_YEAR, /* "September 2023" */
	FMT_YEAR,	/* "2023" */
	FMT_LONG_TIME,	/* long date, short time */
	FMT_FULL,	/* full date, with the weekday (parsing only) */
	FMT_FULL_TIME,	/* full date, short time (parsing only) */
};

struct fmt_slot {
	char		 locale[DATE_LOCALE_MAX];
	char		 tz[DATE_TZ_MAX];	/* a zone ICU knows */
	enum fmt_kind	 kind;
	UDateFormat	*fmt;	/* owned; NULL: slot free */
	uint64_t	 used;	/* cache tick of the last use, for eviction */
};

struct cal_slot {
	char		 tz[DATE_TZ_MAX];	/* a zone ICU knows */
	UCalendar	*cal;	/* owned, proleptic Gregorian; NULL: free */
	uint64_t	 used;	/* cache tick of the last use */
};

/* One per thread, behind date_key. */
struct date_cache {
	struct fmt_slot	 fmt[DATE_NFMT];
	struct cal_slot	 cal[DATE_NCAL];
	uint64_t	 tick;	/* counts lookups */
};

static pthread_key_t	 date_key;
static pthread_once_t	 date_once = PTHREAD_ONCE_INIT;
static int		 date_key_ok;	/* set once by date_key_init */

/* Closes everything a thread cached; the pthread key's destructor. */
static void
date_cache_free(void *p)
{
	struct date_cache	*c = p;
	size_t			 i;

	if (c == NULL)
		return;
	for (i = 0; i < DATE_NFMT; i++)
		if (c->fmt[i].fmt != NULL)
			udat_close(c->fmt[i].fmt);
	for (i = 0; i < DATE_NCAL; i++)
		if (c->cal[i].cal != NULL)
			ucal_close(c->cal[i].cal);
	free(c);
}

static void
date_key_init(void)
{
	date_key_ok = pthread_key_create(&date_key, date_cache_free) == 0;
}

/* This thread's cache, made on first use; NULL if no key could be had. */
static struct date_cache *
date_cache(void)
{
	struct date_cache	*c;

	pthread_once(&date_once, date_key_init);
	if (!date_key_ok)
		return NULL;
	if ((c = pthread_getspecific(date_key)) != NULL)
		return c;
	c = xcalloc(1, sizeof(*c));
	if (pthread_setspecific(date_key, c) != 0) {
		free(c);
		return NULL;
	}
	return c;
}

void
text_thread_cleanup(void)
{
	pthread_once(&date_once, date_key_init);
	if (date_key_ok) {
		date_cache_free(pthread_getspecific(date_key));
		pthread_setspecific(date_key, NULL);
	}
	slug_thread_cleanup();
	stem_thread_cleanup();
	token_thread_cleanup();
}

/* 1 if locale is a plausible ICU locale name that fits a slot. */
static int
locale_ok(const char *locale)
{
	const char	*p;

	if (strlen(locale) >= DATE_LOCALE_MAX || *locale == '\0')
		return 0;
	for (p = locale; *p != '\0'; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || strchr("_-@=;.", *p) != NULL))
			return 0;
	return 1;
}

/*
 * Converts tz to UTF-16 into u (DATE_TZ_MAX units) when it names a zone
 * ICU knows, and returns its length; -1 otherwise.  ICU would silently
 * use GMT for a name it does not know, so every new name is checked.
 */
static int32_t
tz_check(const char *tz, UChar *u)
{
	UChar		 canon[DATE_TZ_MAX];
	UBool		 is_system = 0;
	UErrorCode	 e = U_ZERO_ERROR;
	size_t		 len, i;

	if (tz == NULL || (len = strlen(tz)) == 0 || len >= DATE_TZ_MAX)
		return -1;
	for (i = 0; i < len; i++)
		if ((unsigned char)tz[i] >= 0x80 || tz[i] <= ' ')
			return -1;
	u_charsToUChars(tz, u, (int32_t)len);
	ucal_getCanonicalTimeZoneID(u, (int32_t)len, canon, DATE_TZ_MAX,
	    &is_system, &e);
	if (U_FAILURE(e) || !is_system)
		return -1;
	return (int32_t)len;
}

/*
 * Replaces the narrow and no-break spaces CLDR puts in patterns ("10:15
 * AM", "2023 г.") with plain ones, so output can be typed back and
 * parsed from what people type.
 */
static void
plain_spaces(UChar *u, int32_t n)
{
	int32_t	 i;

	for (i = 0; i < n; i++)
		if (u[i] == 0x202f || u[i] == 0x00a0 || u[i] == 0x2009)
			u[i] = ' ';
}

/* Opens a strict formatter of kind for locale in zone u, or NULL. */
static UDateFormat *
fmt_open(const char *locale, const UChar *tz, int32_t tzlen,
    enum fmt_kind kind)
{
	UDateTimePatternGenerator	*pg;
	UDateFormat			*f = NULL;
	UChar				 pat[DATE_UMAX], skel[8];
	int32_t				 n;
	UErrorCode			 e = U_ZERO_ERROR;

	switch (kind) {
	case FMT_LONG:
		f = udat_open(UDAT_NONE, UDAT_LONG, locale, tz, tzlen, NULL, 0,
		    &e);
		break;
	case FMT_FULL:
		f = udat_open(UDAT_NONE, UDAT_FULL, locale, tz, tzlen, NULL, 0,
		    &e);
		break;
	case FMT_LONG_TIME:
		f = udat_open(UDAT_SHORT, UDAT_LONG, locale, tz, tzlen, NULL,
		    0, &e);
		break;
	case FMT_FULL_TIME:
		f = udat_open(UDAT_SHORT, UDAT_FULL, locale, tz, tzlen, NULL,
		    0, &e);
		break;
	case FMT_MONTH_YEAR:
	case FMT_YEAR:
		/*
		 * No style gives these; the generator picks the locale's own
		 * pattern ("MMMM 'de' y", "LLLL y 'г'.", "y년 MMMM").
		 */
		u_uastrcpy(skel, kind == FMT_YEAR ? "y" : "yMMMM");
		if ((pg = udatpg_open(locale, &e)) == NULL || U_FAILURE(e))
			break;
		n = udatpg_getBestPattern(pg, skel, -1, pat, DATE_UMAX, &e);
		udatpg_close(pg);
		if (U_FAILURE(e) || n >= DATE_UMAX)
			break;
		f = udat_open(UDAT_PATTERN, UDAT_PATTERN, locale, tz, tzlen,
		    pat, n, &e);
		break;
	}
	if (f == NULL || U_FAILURE(e))
		goto fail;
	n = udat_toPattern(f, 0, pat, DATE_UMAX, &e);
	if (U_FAILURE(e) || n >= DATE_UMAX)
		goto fail;
	plain_spaces(pat, n);
	udat_applyPattern(f, 0, pat, n);
	udat_setLenient(f, 0);
	return f;
fail:
	if (f != NULL)
		udat_close(f);
	log_warnx("date: cannot open a formatter for %s: %s", locale,
	    u_errorName(e));
	return NULL;
}

/*
 * The cached formatter of kind for locale in tz, opened on a miss (the
 * least recently used slot makes room).  NULL for a bad locale name, an
 * unknown zone, or when ICU fails.  Valid until the next call.
 */
static UDateFormat *
fmt_get(const char *locale, const char *tz, enum fmt_kind kind)
{
	struct date_cache	*c;
	struct fmt_slot		*s, *victim;
	UChar			 utz[DATE_TZ_MAX];
	int32_t			 tzlen;
	size_t			 i;

	if (tz == NULL || (c = date_cache()) == NULL || !locale_ok(locale))
		return NULL;
	c->tick++;
	victim = &c->fmt[0];
	for (i = 0; i < DATE_NFMT; i++) {
		s = &c->fmt[i];
		if (s->fmt != NULL && s->kind == kind &&
		    strcmp(s->tz, tz) == 0 && strcmp(s->locale, locale) == 0) {
			s->used = c->tick;
			return s->fmt;
		}
		if (victim->fmt != NULL &&
		    (s->fmt == NULL || s->used < victim->used))
			victim = s;
	}
	if ((tzlen = tz_check(tz, utz)) < 0)
		return NULL;
	if (victim->fmt != NULL) {
		udat_close(victim->fmt);
		victim->fmt = NULL;
	}
	if ((victim->fmt = fmt_open(locale, utz, tzlen, kind)) == NULL)
		return NULL;
	strcpy(victim->locale, locale);	/* lengths checked above */
	strcpy(victim->tz, tz);
	victim->kind = kind;
	victim->used = c->tick;
	return victim->fmt;
}

/*
 * The cached proleptic Gregorian calendar for tz, or NULL for an unknown
 * zone.  Gregorian from the year 1 on, as ISO 8601 counts, whatever the
 * locale; a wall time a DST change skips means the first instant after
 * it, and a repeated one its first occurrence.
 */
static UCalendar *
cal_get(const char *tz)
{
	struct date_cache	*c;
	struct cal_slot		*s, *victim;
	UCalendar		*cal;
	UChar			 utz[DATE_TZ_MAX];
	int32_t			 tzlen;
	size_t			 i;
	UErrorCode		 e = U_ZERO_ERROR;

	if (tz == NULL || (c = date_cache()) == NULL)
		return NULL;
	c->tick++;
	victim = &c->cal[0];
	for (i = 0; i < DATE_NCAL; i++) {
		s = &c->cal[i];
		if (s->cal != NULL && strcmp(s->tz, tz) == 0) {
			s->used = c->tick;
			return s->cal;
		}
		if (victim->cal != NULL &&
		    (s->cal == NULL || s->used < victim->used))
			victim = s;
	}
	if ((tzlen = tz_check(tz, utz)) < 0)
		return NULL;
	cal = ucal_open(utz, tzlen, "en_US_POSIX", UCAL_GREGORIAN, &e);
	if (U_SUCCESS(e))
		ucal_setGregorianChange(cal, U_DATE_MIN, &e);
	if (U_FAILURE(e)) {
		log_warnx("date: cannot open a calendar for %s: %s", tz,
		    u_errorName(e));
		if (cal != NULL)
			ucal_close(cal);
		return NULL;
	}
	ucal_setAttribute(cal, UCAL_SKIPPED_WALL_TIME,
	    UCAL_WALLTIME_NEXT_VALID);
	ucal_setAttribute(cal, UCAL_REPEATED_WALL_TIME, UCAL_WALLTIME_FIRST);
	if (victim->cal != NULL)
		ucal_close(victim->cal);
	victim->cal = cal;
	strcpy(victim->tz, tz);	/* length checked by tz_check */
	victim->used = c->tick;
	return cal;
}

/* Seconds to ICU's milliseconds, for t already checked to be in range. */
static UDate
to_udate(int64_t t)
{
	return (UDate)t * 1000.0;
}

/* ICU's milliseconds to seconds, rounding down; -1 when out of range. */
static int
from_udate(UDate d, int64_t *out)
{
	int64_t	 ms;

	if (!(d >= (UDate)DATE_T_MIN * 1000.0 &&
	    d <= (UDate)DATE_T_MAX * 1000.0 + 999.0))
		return -1;
	ms = (int64_t)d;
	*out = ms >= 0 ? ms / 1000 : -((-ms + 999) / 1000);
	return 0;
}

static int
days_in_month(int y, int m)
{
	static const int	 days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30,
	    31, 30, 31};

	if (m == 2 && y % 4 == 0 && (y % 100 != 0 || y % 400 == 0))
		return 29;
	return days[m - 1];
}

/* The instant of the wall time y-m-d h:mi:s in tz, fields checked here. */
static int
local_time(const char *tz, int y, int m, int d, int h, int mi, int s,
    int64_t *out)
{
	UCalendar	*cal;
	UDate		 ms;
	UErrorCode	 e = U_ZERO_ERROR;

	*out = 0;
	if (y < DATE_YEAR_MIN || y > 9999 || m < 1 || m > 12 || d < 1 ||
	    d > days_in_month(y, m) || h < 0 || h > 23 || mi < 0 || mi > 59 ||
	    s < 0 || s > 59)
		return -1;
	if ((cal = cal_get(tz)) == NULL)
		return -1;
	ucal_clear(cal);
	ucal_setDateTime(cal, y, m - 1, d, h, mi, s, &e);
	ms = ucal_getMillis(cal, &e);
	if (U_FAILURE(e) || from_udate(ms, out) == -1) {
		*out = 0;
		return -1;
	}
	return 0;
}

/* Fields of t in tz: year, month 1-12, day, hour, minute, second, offset. */
struct date_fields {
	int	 year, month, day;
	int	 hour, min, sec;
	int	 offset;	/* seconds east of UTC, DST included */
};

static int
fields_get(const char *tz, int64_t t, struct date_fields *f)
{
	UCalendar	*cal;
	UErrorCode	 e = U_ZERO_ERROR;

	memset(f, 0, sizeof(*f));
	if (t < DATE_T_MIN || t > DATE_T_MAX || (cal = cal_get(tz)) == NULL)
		return -1;
	ucal_setMillis(cal, to_udate(t), &e);
	f->year = ucal_get(cal, UCAL_EXTENDED_YEAR, &e);
	f->month = ucal_get(cal, UCAL_MONTH, &e) + 1;
	f->day = ucal_get(cal, UCAL_DATE, &e);
	f->hour = ucal_get(cal, UCAL_HOUR_OF_DAY, &e);
	f->min = ucal_get(cal, UCAL_MINUTE, &e);
	f->sec = ucal_get(cal, UCAL_SECOND, &e);
	f->offset = (ucal_get(cal, UCAL_ZONE_OFFSET, &e) +
	    ucal_get(cal, UCAL_DST_OFFSET, &e)) / 1000;
	if (U_FAILURE(e) || f->year < DATE_YEAR_MIN || f->year > 9999) {
		memset(f, 0, sizeof(*f));
		return -1;
	}
	return 0;
}

int
text_date_parts(const char *tz, int64_t t, int *year, int *month, int *day)
{
	struct date_fields	 f;
	int			 rc;

	rc = fields_get(tz, t, &f);
	*year = f.year;
	*month = f.month;
	*day = f.day;
	return rc;
}

int
text_date_from_parts(const char *tz, int year, int month, int day,
    int64_t *out)
{
	return local_time(tz, year, month, day, 0, 0, 0, out);
}

int
text_date_iso(const char *tz, int64_t t, char *out, size_t outlen)
{
	struct date_fields	 f;
	int			 off, n;
	char			 sign;

	if (outlen > 0)
		out[0] = '\0';
	if (fields_get(tz, t, &f) == -1)
		return -1;
	sign = f.offset < 0 ? '-' : '+';
	off = f.offset < 0 ? -f.offset : f.offset;
	/* Local mean time before 1900 has offsets in seconds; keep them. */
	if (off % 60 != 0)
		n = snprintf(out, outlen,
		    "%04d-%02d-%02dT%02d:%02d:%02d%c%02d:%02d:%02d", f.year,
		    f.month, f.day, f.hour, f.min, f.sec, sign, off / 3600,
		    off / 60 % 60, off % 60);
	else
		n = snprintf(out, outlen,
		    "%04d-%02d-%02dT%02d:%02d:%02d%c%02d:%02d", f.year, f.month,
		    f.day, f.hour, f.min, f.sec, sign, off / 3600,
		    off / 60 % 60);
	if (n < 0 || (size_t)n >= outlen) {
		if (outlen > 0)
			out[0] = '\0';
		return -1;
	}
	return 0;
}

int
text_date_format(const char *locale, const char *tz, int64_t t,
    enum text_date_style style, char *out, size_t outlen)
{
	UDateFormat	*f;
	UChar		 u[DATE_UMAX];
	int32_t		 n, len;
	enum fmt_kind	 kind;
	UErrorCode	 e = U_ZERO_ERROR;

	if (outlen > 0)
		out[0] = '\0';
	switch (style) {
	case TEXT_DATE_LONG:
		kind = FMT_LONG;
		break;
	case TEXT_DATE_MONTH_YEAR:
		kind = FMT_MONTH_YEAR;
		break;
	case TEXT_DATE_YEAR:
		kind = FMT_YEAR;
		break;
	case TEXT_DATE_LONG_TIME:
		kind = FMT_LONG_TIME;
		break;
	default:
		return -1;
	}
	if (locale == NULL || *locale == '\0')
		locale = "en";
	if (t < DATE_T_MIN || t > DATE_T_MAX || outlen == 0 ||
	    (f = fmt_get(locale, tz, kind)) == NULL)
		return -1;
	n = udat_format(f, to_udate(t), u, DATE_UMAX, NULL, &e);
	if (U_FAILURE(e) || n >= DATE_UMAX)
		return -1;
	u_strToUTF8(out, (int32_t)(outlen > INT32_MAX ? INT32_MAX : outlen),
	    &len, u, n, &e);
	if (U_FAILURE(e) || (size_t)len >= outlen) {
		out[0] = '\0';
		return -1;
	}
	return 0;
}

/*
 * s as UTF-16 in u (DATE_UMAX units) with outer spaces gone and inner
 * runs of spaces (narrow and no-break ones too) made one plain space.
 * Returns the length, or -1 for text that is not UTF-8 or too long.
 */
static int32_t
normalize(const char *s, UChar *u)
{
	UChar		 tmp[DATE_UMAX];
	int32_t		 n, i, j = 0;
	UErrorCode	 e = U_ZERO_ERROR;
	size_t		 len;

	if (s == NULL || (len = strlen(s)) > DATE_IN_MAX ||
	    !str_is_utf8(s, len))
		return -1;
	u_strFromUTF8(tmp, DATE_UMAX, &n, s, (int32_t)len, &e);
	if (U_FAILURE(e) || n >= DATE_UMAX)
		return -1;
	plain_spaces(tmp, n);
	for (i = 0; i < n; i++) {
		if (tmp[i] == '\t' || tmp[i] == '\r' || tmp[i] == '\n')
			tmp[i] = ' ';
		if (tmp[i] == ' ' && (j == 0 || u[j - 1] == ' '))
			continue;
		u[j++] = tmp[i];
	}
	if (j > 0 && u[j - 1] == ' ')
		j--;
	return j;
}

/*
 * Parses u[0..n) with the formatter of kind for locale in tz.  ICU's own
 * parser, even when not lenient, takes "Sep 12, 23" and "September 012,
 * 2023" and stops at trailing words, so the date is also printed back
 * and must equal the input but for letter case.
 */
static int
parse_with(const char *locale, const char *tz, enum fmt_kind kind,
    const UChar *u, int32_t n, UDate *out)
{
	UDateFormat	*f;
	UChar		 back[DATE_UMAX];
	UDate		 d;
	int32_t		 pos = 0, m;
	UErrorCode	 e = U_ZERO_ERROR;

	if ((f = fmt_get(locale, tz, kind)) == NULL)
		return -1;
	d = udat_parse(f, u, n, &pos, &e);
	if (U_FAILURE(e) || pos != n)
		return -1;
	m = udat_format(f, d, back, DATE_UMAX, NULL, &e);
	if (U_FAILURE(e) || m >= DATE_UMAX)
		return -1;
	if (u_strCaseCompare(u, n, back, m, U_FOLD_CASE_DEFAULT, &e) != 0 ||
	    U_FAILURE(e))
		return -1;
	*out = d;
	return 0;
}

/* Reads exactly n ASCII digits at s. */
static int
digits(const UChar *s, int n)
{
	int	 v = 0, i;

	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

/*
 * "YYYY-MM-DD", then with has_time also " HH:MM" or "THH:MM", optionally
 * ":SS".  Returns 0 and the fields, or -1 if u is not all that.
 */
static int
parse_iso(const UChar *u, int32_t n, int has_time, struct date_fields *f)
{
	memset(f, 0, sizeof(*f));
	if (n < 10 || u[4] != '-' || u[7] != '-' ||
	    (f->year = digits(u, 4)) < 0 || (f->month = digits(u + 5, 2)) < 0 ||
	    (f->day = digits(u + 8, 2)) < 0)
		return -1;
	if (n == 10)
		return has_time ? -1 : 0;
	if (!has_time || (n != 16 && n != 19) ||
	    (u[10] != ' ' && u[10] != 'T') || u[13] != ':' ||
	    (f->hour = digits(u + 11, 2)) < 0 ||
	    (f->min = digits(u + 14, 2)) < 0)
		return -1;
	if (n == 19 && (u[16] != ':' || (f->sec = digits(u + 17, 2)) < 0))
		return -1;
	return 0;
}

/* The day u names, in English or locale, long or full form; -1 if none. */
static int
parse_day(const char *locale, const UChar *u, int32_t n, int64_t *out)
{
	static const enum fmt_kind	 kinds[] = {FMT_LONG, FMT_FULL};
	const char			*locs[2];
	UDate				 d;
	size_t				 i, j;

	locs[0] = "en";
	locs[1] = locale;
	for (i = 0; i < nitems(locs); i++) {
		if (i > 0 && strcmp(locs[i], "en") == 0)
			break;
		/* Parsed at UTC midnight, then moved to the caller's zone. */
		for (j = 0; j < nitems(kinds); j++)
			if (parse_with(locs[i], "UTC", kinds[j], u, n, &d) == 0)
				return from_udate(d, out);
	}
	return -1;
}

int
text_date_parse(const char *locale, const char *tz, const char *s,
    int64_t *out)
{
	struct date_fields	 f;
	UChar			 u[DATE_UMAX];
	int64_t			 day;
	int32_t			 n;

	*out = 0;
	if (locale == NULL || *locale == '\0')
		locale = "en";
	if ((n = normalize(s, u)) <= 0)
		return -1;
	if (parse_iso(u, n, 0, &f) == 0)
		return text_date_from_parts(tz, f.year, f.month, f.day, out);
	if (parse_day(locale, u, n, &day) == -1 ||
	    fields_get("UTC", day, &f) == -1)
		return -1;
	return text_date_from_parts(tz, f.year, f.month, f.day, out);
}

int
text_date_parse_time(const char *locale, const char *tz, const char *s,
    int64_t *out)
{
	static const enum fmt_kind	 kinds[] = {FMT_LONG_TIME,
	    FMT_FULL_TIME};
	struct date_fields		 f;
	const char			*locs[2];
	UChar				 u[DATE_UMAX];
	UDate				 d;
	int32_t				 n;
	size_t				 i, j;

	*out = 0;
	if (locale == NULL || *locale == '\0')
		locale = "en";
	if (text_date_parse(locale, tz, s, out) == 0)
		return 0;
	if ((n = normalize(s, u)) <= 0)
		return -1;
	if (parse_iso(u, n, 1, &f) == 0)
		return local_time(tz, f.year, f.month, f.day, f.hour, f.min,
		    f.sec, out);
	locs[0] = "en";
	locs[1] = locale;
	for (i = 0; i < nitems(locs); i++) {
		if (i > 0 && strcmp(locs[i], "en") == 0)
			break;
		for (j = 0; j < nitems(kinds); j++)
			if (parse_with(locs[i], tz, kinds[j], u, n, &d) == 0)
				return from_udate(d, out);
	}
	return -1;
}

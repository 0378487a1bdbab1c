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
 * Slugs and dates (src/text): tables of input and expected output.
 * Expected instants were worked out apart from ICU, with the IANA zone
 * data through Python's zoneinfo and zdump(8).
 */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "base.h"
#include "text/text.h"

/* 2023-09-12T00:00:00Z, the seed article's day. */
#define T0	1694476800LL

struct slug_row {
	const char	*title;
	const char	*slug;
};

static const struct slug_row slug_rows[] = {
	/* The seed title: 41 characters in full, cut at a word. */
	{"Pin and Kim: Friends in need (of ammunition)",
	    "pin-and-kim-friends-in-need-of"},
	/* Examples published by Blogger users (see slug.c). */
	{"Here Come The Birds", "here-come-birds"},
	{"Blogging - The Directory and URL Structure",
	    "blogging-directory-and-url-structure"},
	{"Windows 8: A Closer Look at Metro", "windows-8-closer-look-at-metro"},
	{"A Test Of A Test", "a-test-of-test"},
	{"The Birds", "the-birds"},
	{"An apple a day", "an-apple-day"},
	/* Exactly 39 fits; 40 drops the last word. */
	{"abcdefghij abcdefghij abcdefghij abcdef",
	    "abcdefghij-abcdefghij-abcdefghij-abcdef"},
	{"abcdefghij abcdefghij abcdefghij abcdefg",
	    "abcdefghij-abcdefghij-abcdefghij"},
	/* One word past the limit is cut. */
	{"Pneumonoultramicroscopicsilicovolcanoconiosis",
	    "pneumonoultramicroscopicsilicovolcanoco"},
	/* Punctuation, apostrophes, digits, case. */
	{"Don't stop: 10 things we've learned!!",
	    "dont-stop-10-things-weve-learned"},
	{"  Hello,   World  ", "hello-world"},
	{"C++ & Rust -- 2024", "c-rust-2024"},
	/* Accents and other Latin letters. */
	{"A\xc3\xb1o nuevo: \xc2\xbfqu\xc3\xa9 pasar\xc3\xa1 en "
	    "Espa\xc3\xb1" "a?",
	    "ano-nuevo-que-pasara-en-espana"},
	{"\xc3\x86r\xc3\xb8sk\xc3\xb8" "bing Stra\xc3\x9f" "e",
	    "aeroskobing-strasse"},
	/* Cyrillic, by the BGN/PCGN Russian table. */
	{"\xd0\x92\xd1\x81\xd1\x82\xd1\x80\xd0\xb5\xd1\x87\xd0\xb0 "
	    "\xd0\xb2 \xd0\xa5\xd0\xb0\xd0\xb1\xd0\xb0\xd1\x80\xd0\xbe"
	    "\xd0\xb2\xd1\x81\xd0\xba\xd0\xb5",
	    "vstrecha-v-khabarovske"},	/* Встреча в Хабаровске */
	{"\xd0\x9e\xd0\xb1\xd1\x8a\xd1\x91\xd0\xbc \xd1\x89\xd0\xb5\xd0\xb9",
	    "obyem-shchey"},	/* Объём щей: the hard sign joins */
	/* Hangul: 동네 도서관 소식 */
	{"\xeb\x8f\x99\xeb\x84\xa4 \xeb\x8f\x84\xec\x84\x9c\xea\xb4\x80 "
	    "\xec\x86\x8c\xec\x8b\x9d",
	    "dongne-doseogwan-sosig"},
	/* A look-alike Cyrillic а reads as "a" (and is then dropped). */
	{"has \xd0\xb0 lot", "has-lot"},
	/* Fullwidth letters and a ligature. */
	{"\xef\xbc\xa6\xef\xbd\x95\xef\xbd\x8c\xef\xbd\x8c \xef\xac\x81ne",
	    "full-fine"},
	/* Nothing to keep. */
	{"", ""},
	{"   ", ""},
	{"!!! ??? ...", ""},
	/* Bad UTF-8 reads as U+FFFD, which separates. */
	{"abc\xff" "def", "abc-def"},
};

static void
test_slug(void **state)
{
	struct arena	*a = arena_new();
	const char	*s;
	size_t		 i;

	(void)state;
	for (i = 0; i < nitems(slug_rows); i++) {
		s = text_slug(a, slug_rows[i].title,
		    strlen(slug_rows[i].title));
		if (strcmp(s, slug_rows[i].slug) != 0)
			fail_msg("row %zu: \"%s\": got \"%s\", want \"%s\"", i,
			    slug_rows[i].title, s, slug_rows[i].slug);
	}
	/* NULL is "". */
	assert_string_equal(text_slug(a, NULL, 0), "");
	arena_free(a);
}

/* A title is read up to LIMIT_TITLE bytes, never cut inside a letter. */
static void
test_slug_bounds(void **state)
{
	struct arena	*a = arena_new();
	char		 big[LIMIT_TITLE * 4];
	const char	*s;
	size_t		 i;

	(void)state;
	/* "é" is two bytes: 2048 of them would be 4096 bytes. */
	for (i = 0; i + 1 < sizeof(big); i += 2)
		memcpy(big + i, "\xc3\xa9", 2);
	s = text_slug(a, big, sizeof(big));
	assert_int_equal(strlen(s), TEXT_SLUG_MAX);
	for (i = 0; i < TEXT_SLUG_MAX; i++)
		assert_int_equal(s[i], 'e');
	/* Odd offset: the cut lands in the middle of a letter. */
	s = text_slug(a, big + 1, sizeof(big) - 1);
	assert_int_equal(strlen(s), TEXT_SLUG_MAX);
	/* Many short words: only whole words, at most the limit. */
	for (i = 0; i + 2 <= sizeof(big); i += 2)
		memcpy(big + i, "x ", 2);
	s = text_slug(a, big, sizeof(big));
	assert_string_equal(s, "x-x-x-x-x-x-x-x-x-x-x-x-x-x-x-x-x-x-x-x");
	arena_free(a);
}

struct fmt_row {
	const char		*locale;
	const char		*tz;
	int64_t			 t;
	enum text_date_style	 style;
	int			 rc;
	const char		*out;
};

static const struct fmt_row fmt_rows[] = {
	{"en", "UTC", T0, TEXT_DATE_LONG, 0, "September 12, 2023"},
	{"es", "Europe/Madrid", T0, TEXT_DATE_LONG, 0,
	    "12 de septiembre de 2023"},
	{"ru", "Europe/Moscow", T0, TEXT_DATE_LONG, 0,
	    "12 \xd1\x81\xd0\xb5\xd0\xbd\xd1\x82\xd1\x8f\xd0\xb1\xd1\x80"
	    "\xd1\x8f 2023 \xd0\xb3."},	/* 12 сентября 2023 г. */
	{"ko", "Asia/Seoul", T0, TEXT_DATE_LONG, 0,
	    "2023\xeb\x85\x84 9\xec\x9b\x94 12\xec\x9d\xbc"},
	    /* 2023년 9월 12일 */
	/* The zone moves the day. */
	{"en", "America/New_York", T0, TEXT_DATE_LONG, 0, "September 11, 2023"},
	{"en", "Asia/Seoul", T0 - 9 * 3600, TEXT_DATE_LONG, 0,
	    "September 12, 2023"},
	{"en", "UTC", T0 - 9 * 3600, TEXT_DATE_LONG, 0, "September 11, 2023"},
	{"en", "UTC", T0, TEXT_DATE_MONTH_YEAR, 0, "September 2023"},
	{"es", "UTC", T0, TEXT_DATE_MONTH_YEAR, 0, "septiembre de 2023"},
	{"ru", "UTC", T0, TEXT_DATE_MONTH_YEAR, 0,
	    "\xd1\x81\xd0\xb5\xd0\xbd\xd1\x82\xd1\x8f\xd0\xb1\xd1\x80\xd1\x8c"
	    " 2023 \xd0\xb3."},	/* сентябрь 2023 г. */
	{"ko", "UTC", T0, TEXT_DATE_MONTH_YEAR, 0,
	    "2023\xeb\x85\x84 9\xec\x9b\x94"},	/* 2023년 9월 */
	{"en", "UTC", T0, TEXT_DATE_YEAR, 0, "2023"},
	{"ko", "UTC", T0, TEXT_DATE_YEAR, 0, "2023\xeb\x85\x84"},
	/* Plain spaces, not CLDR's narrow no-break space before "AM". */
	{"en", "UTC", T0 + 36900, TEXT_DATE_LONG_TIME, 0,
	    "September 12, 2023 at 10:15 AM"},
	{"es", "Europe/Madrid", T0 + 36900, TEXT_DATE_LONG_TIME, 0,
	    "12 de septiembre de 2023, 12:15"},
	{"ko", "Asia/Seoul", T0 + 36900, TEXT_DATE_LONG_TIME, 0,
	    "2023\xeb\x85\x84 9\xec\x9b\x94 12\xec\x9d\xbc \xec\x98\xa4\xed\x9b"
	    "\x84 7:15"},	/* 2023년 9월 12일 오후 7:15 */
	/* NULL and "" mean English. */
	{NULL, "UTC", T0, TEXT_DATE_LONG, 0, "September 12, 2023"},
	{"", "UTC", T0, TEXT_DATE_LONG, 0, "September 12, 2023"},
	/* Failures. */
	{"en", "Mars/Olympus", T0, TEXT_DATE_LONG, -1, ""},
	{"en", "", T0, TEXT_DATE_LONG, -1, ""},
	{"en", NULL, T0, TEXT_DATE_LONG, -1, ""},
	{"en", "GMT+03:00", T0, TEXT_DATE_LONG, -1, ""},
	{"en US", "UTC", T0, TEXT_DATE_LONG, -1, ""},
	{"en", "UTC", 253402300800LL, TEXT_DATE_LONG, -1, ""},
	{"en", "UTC", -62135596801LL, TEXT_DATE_LONG, -1, ""},
	{"en", "UTC", T0, TEXT_DATE__MAX, -1, ""},
};

static void
test_date_format(void **state)
{
	const struct fmt_row	*r;
	char			 out[128];
	size_t			 i;
	int			 rc;

	(void)state;
	for (i = 0; i < nitems(fmt_rows); i++) {
		r = &fmt_rows[i];
		memset(out, 'x', sizeof(out));
		rc = text_date_format(r->locale, r->tz, r->t, r->style, out,
		    sizeof(out));
		if (rc != r->rc || strcmp(out, r->out) != 0)
			fail_msg("row %zu: got %d \"%s\", want %d \"%s\"", i,
			    rc, out, r->rc, r->out);
	}
	/* Too small: -1 and "". */
	assert_int_equal(text_date_format("en", "UTC", T0, TEXT_DATE_LONG, out,
	    18), -1);
	assert_string_equal(out, "");
	assert_int_equal(text_date_format("en", "UTC", T0, TEXT_DATE_LONG, out,
	    19), 0);
	assert_string_equal(out, "September 12, 2023");
}

struct iso_row {
	const char	*tz;
	int64_t		 t;
	int		 rc;
	const char	*out;
};

static const struct iso_row iso_rows[] = {
	{"UTC", T0, 0, "2023-09-12T00:00:00+00:00"},
	{"Europe/Madrid", T0, 0, "2023-09-12T02:00:00+02:00"},
	{"Asia/Seoul", T0, 0, "2023-09-12T09:00:00+09:00"},
	{"America/New_York", T0, 0, "2023-09-11T20:00:00-04:00"},
	/* Madrid, spring forward and fall back. */
	{"Europe/Madrid", 1679792399, 0, "2023-03-26T01:59:59+01:00"},
	{"Europe/Madrid", 1679792400, 0, "2023-03-26T03:00:00+02:00"},
	{"Europe/Madrid", 1698541199, 0, "2023-10-29T02:59:59+02:00"},
	{"Europe/Madrid", 1698541200, 0, "2023-10-29T02:00:00+01:00"},
	/* Seoul kept DST in 1987 and 1988. */
	{"Asia/Seoul", 579027599, 0, "1988-05-08T01:59:59+09:00"},
	{"Asia/Seoul", 579027600, 0, "1988-05-08T03:00:00+10:00"},
	{"Asia/Seoul", 592333199, 0, "1988-10-09T02:59:59+10:00"},
	{"Asia/Seoul", 592333200, 0, "1988-10-09T02:00:00+09:00"},
	/* Local mean time has seconds in its offset. */
	{"Europe/Madrid", -2500000000LL, 0, "1890-10-11T19:18:36-00:14:44"},
	/* The ends of the range. */
	{"UTC", -12212553600LL, 0, "1583-01-01T00:00:00+00:00"},
	{"UTC", -12212553601LL, -1, ""},	/* before Gregorian years */
	{"UTC", -62135596800LL, -1, ""},
	{"UTC", 253402300799LL, 0, "9999-12-31T23:59:59+00:00"},
	{"UTC", 253402300800LL, -1, ""},
	{"Asia/Seoul", 253402300799LL, -1, ""},	/* year 10000 there */
	{"Nowhere/Town", T0, -1, ""},
};

static void
test_date_iso(void **state)
{
	const struct iso_row	*r;
	char			 out[64];
	size_t			 i;
	int			 rc;

	(void)state;
	for (i = 0; i < nitems(iso_rows); i++) {
		r = &iso_rows[i];
		rc = text_date_iso(r->tz, r->t, out, sizeof(out));
		if (rc != r->rc || strcmp(out, r->out) != 0)
			fail_msg("row %zu: got %d \"%s\", want %d \"%s\"", i,
			    rc, out, r->rc, r->out);
	}
	assert_int_equal(text_date_iso("UTC", T0, out, 25), -1);
	assert_string_equal(out, "");
	assert_int_equal(text_date_iso("UTC", T0, out, 26), 0);
}

struct parts_row {
	const char	*tz;
	int64_t		 t;
	int		 rc, year, month, day;
};

static const struct parts_row parts_rows[] = {
	{"UTC", T0, 0, 2023, 9, 12},
	{"UTC", T0 - 1, 0, 2023, 9, 11},
	{"Asia/Seoul", T0 - 9 * 3600, 0, 2023, 9, 12},
	{"Asia/Seoul", T0 - 9 * 3600 - 1, 0, 2023, 9, 11},
	{"Europe/Madrid", 1679785200, 0, 2023, 3, 26},
	{"Europe/Madrid", 1679785199, 0, 2023, 3, 25},
	{"Europe/Madrid", 1698530400, 0, 2023, 10, 29},
	{"Europe/Madrid", 1698530399, 0, 2023, 10, 28},
	{"UTC", 1709164800, 0, 2024, 2, 29},
	{"UTC", -12212553600LL, 0, 1583, 1, 1},
	{"Bogus/Zone", T0, -1, 0, 0, 0},
	{"UTC", -12212553601LL, -1, 0, 0, 0},
	{"UTC", -62135596800LL, -1, 0, 0, 0},	/* Julian times */
};

static void
test_date_parts(void **state)
{
	const struct parts_row	*r;
	size_t			 i;
	int			 rc, y, m, d;

	(void)state;
	for (i = 0; i < nitems(parts_rows); i++) {
		r = &parts_rows[i];
		rc = text_date_parts(r->tz, r->t, &y, &m, &d);
		if (rc != r->rc || y != r->year || m != r->month ||
		    d != r->day)
			fail_msg("row %zu: got %d %d-%d-%d", i, rc, y, m, d);
	}
}

struct from_row {
	const char	*tz;
	int		 year, month, day;
	int		 rc;
	int64_t		 t;
};

static const struct from_row from_rows[] = {
	{"UTC", 2023, 9, 12, 0, T0},
	{"Europe/Madrid", 2023, 9, 12, 0, 1694469600},
	{"Europe/Moscow", 2023, 9, 12, 0, 1694466000},
	{"Asia/Seoul", 2023, 9, 12, 0, 1694444400},
	/* Madrid: the days DST starts and ends, and the days after. */
	{"Europe/Madrid", 2023, 3, 26, 0, 1679785200},
	{"Europe/Madrid", 2023, 3, 27, 0, 1679868000},
	{"Europe/Madrid", 2023, 10, 29, 0, 1698530400},
	{"Europe/Madrid", 2023, 10, 30, 0, 1698620400},
	/* Seoul in 1988: the day after DST began. */
	{"Asia/Seoul", 1988, 5, 8, 0, 579020400},
	{"Asia/Seoul", 1988, 5, 9, 0, 579103200},
	{"Asia/Seoul", 1988, 10, 10, 0, 592412400},
	/* Santiago skips midnight: the day starts at 01:00. */
	{"America/Santiago", 2023, 9, 3, 0, 1693713600},
	{"UTC", 2024, 2, 29, 0, 1709164800},
	{"UTC", 1583, 1, 1, 0, -12212553600LL},
	{"UTC", 1582, 12, 31, -1, 0},
	{"UTC", 23, 9, 12, -1, 0},
	/* Days that do not exist. */
	{"UTC", 2023, 2, 29, -1, 0},
	{"UTC", 2023, 4, 31, -1, 0},
	{"UTC", 2023, 13, 1, -1, 0},
	{"UTC", 2023, 0, 1, -1, 0},
	{"UTC", 2023, 1, 0, -1, 0},
	{"UTC", 0, 1, 1, -1, 0},
	{"UTC", 10000, 1, 1, -1, 0},
	{"Bogus/Zone", 2023, 9, 12, -1, 0},
};

static void
test_date_from_parts(void **state)
{
	const struct from_row	*r;
	int64_t			 t;
	size_t			 i;
	int			 rc;

	(void)state;
	for (i = 0; i < nitems(from_rows); i++) {
		r = &from_rows[i];
		t = 42;
		rc = text_date_from_parts(r->tz, r->year, r->month, r->day, &t);
		if (rc != r->rc || t != r->t)
			fail_msg("row %zu: got %d %lld, want %d %lld", i, rc,
			    (long long)t, r->rc, (long long)r->t);
	}
}

struct parse_row {
	int		 with_time;	/* text_date_parse_time */
	const char	*locale;
	const char	*tz;
	const char	*s;
	int		 rc;
	int64_t		 t;
};

static const struct parse_row parse_rows[] = {
	{0, "en", "UTC", "September 12, 2023", 0, T0},
	{0, "en", "UTC", "2023-09-12", 0, T0},
	{0, "en", "UTC", "  September   12,  2023\t", 0, T0},
	{0, "en", "UTC", "september 12, 2023", 0, T0},
	{0, "en", "UTC", "Tuesday, September 12, 2023", 0, T0},
	/* English always, whatever the locale. */
	{0, "es", "Europe/Madrid", "September 12, 2023", 0, 1694469600},
	{0, "ko", "Asia/Seoul", "2023-09-12", 0, 1694444400},
	/* The locale's long form. */
	{0, "es", "Europe/Madrid", "12 de septiembre de 2023", 0, 1694469600},
	{0, "es", "Europe/Madrid", "12 de Septiembre de 2023", 0, 1694469600},
	{0, "es", "Europe/Madrid", "martes, 12 de septiembre de 2023", 0,
	    1694469600},
	{0, "ru", "Europe/Moscow",
	    "12 \xd1\x81\xd0\xb5\xd0\xbd\xd1\x82\xd1\x8f\xd0\xb1\xd1\x80"
	    "\xd1\x8f 2023 \xd0\xb3.", 0, 1694466000},
	/* The same with CLDR's narrow no-break space before "г." */
	{0, "ru", "Europe/Moscow",
	    "12 \xd1\x81\xd0\xb5\xd0\xbd\xd1\x82\xd1\x8f\xd0\xb1\xd1\x80"
	    "\xd1\x8f 2023\xe2\x80\xaf\xd0\xb3.", 0, 1694466000},
	{0, "ko", "Asia/Seoul", "2023\xeb\x85\x84 9\xec\x9b\x94 12\xec\x9d\xbc",
	    0, 1694444400},
	/* A day that starts at 01:00. */
	{0, "en", "America/Santiago", "September 3, 2023", 0, 1693713600},
	/* Refused. */
	{0, "en", "UTC", "Sep 12, 2023", -1, 0},
	{0, "en", "UTC", "September 12, 23", -1, 0},
	{0, "en", "UTC", "September 012, 2023", -1, 0},
	{0, "en", "UTC", "September 31, 2023", -1, 0},
	{0, "en", "UTC", "September 12, 2023 and more", -1, 0},
	{0, "en", "UTC", "September 12, 20233", -1, 0},
	{0, "en", "UTC", "Monday, September 12, 2023", -1, 0},
	{0, "en", "UTC", "September 12 2023", -1, 0},
	{0, "en", "UTC", "12/09/2023", -1, 0},
	{0, "en", "UTC", "2023-9-12", -1, 0},
	{0, "en", "UTC", "2023-09-31", -1, 0},
	{0, "en", "UTC", "2023-09-12 10:15", -1, 0},
	{0, "en", "UTC", "12 de septiembre de 2023", -1, 0},
	{0, "es", "UTC", "12 septiembre 2023", -1, 0},
	{0, "en", "UTC", "", -1, 0},
	{0, "en", "UTC", "   ", -1, 0},
	{0, "en", "UTC", "garbage", -1, 0},
	{0, "en", "UTC", "September", -1, 0},
	{0, "en", "UTC", "Septembre 32, 2023", -1, 0},
	{0, "en", "Bogus/Zone", "September 12, 2023", -1, 0},
	{0, "en", "UTC", "September\xff 12, 2023", -1, 0},
	/* With a time of day. */
	{1, "en", "UTC", "September 13, 2023 at 10:15 AM", 0, 1694600100},
	{1, "en", "UTC", "September 13, 2023 at 10:15 PM", 0, 1694643300},
	{1, "es", "Europe/Madrid", "13 de septiembre de 2023, 10:15", 0,
	    1694592900},
	{1, "es", "Europe/Madrid", "September 13, 2023 at 10:15 AM", 0,
	    1694592900},
	{1, "ko", "Asia/Seoul",
	    "2023\xeb\x85\x84 9\xec\x9b\x94 13\xec\x9d\xbc \xec\x98\xa4\xec\xa0"
	    "\x84 10:15", 0, 1694567700},	/* 2023년 9월 13일 오전 10:15 */
	{1, "en", "UTC", "2023-09-13 10:15", 0, 1694600100},
	{1, "en", "UTC", "2023-09-13T10:15:30", 0, 1694600130},
	{1, "en", "UTC", "September 12, 2023", 0, T0},
	/* Madrid skips 02:30 that night: the next valid instant. */
	{1, "en", "Europe/Madrid", "2023-03-26 02:30", 0, 1679792400},
	{1, "en", "UTC", "September 13, 2023 at 13:15 PM", -1, 0},
	{1, "en", "UTC", "September 13, 2023 at 10:15", -1, 0},
	{1, "en", "UTC", "September 13, 2023 at 10:15 AM sharp", -1, 0},
	{1, "en", "UTC", "2023-09-13 24:00", -1, 0},
	{1, "en", "UTC", "2023-09-13 10:60", -1, 0},
	{1, "en", "UTC", "2023-09-13 10:15:", -1, 0},
	{1, "es", "UTC", "13 de septiembre de 2023 10:15", -1, 0},
};

static void
test_date_parse(void **state)
{
	const struct parse_row	*r;
	int64_t			 t;
	size_t			 i;
	int			 rc;

	(void)state;
	for (i = 0; i < nitems(parse_rows); i++) {
		r = &parse_rows[i];
		t = 42;
		if (r->with_time)
			rc = text_date_parse_time(r->locale, r->tz, r->s, &t);
		else
			rc = text_date_parse(r->locale, r->tz, r->s, &t);
		if (rc != r->rc || t != r->t)
			fail_msg("row %zu: \"%s\": got %d %lld, want %d %lld",
			    i, r->s, rc, (long long)t, r->rc,
			    (long long)r->t);
	}
}

/* What each thread formats, and what it must read back. */
static void *
worker(void *arg)
{
	static const char *const locales[] = {"en", "es", "ru", "ko"};
	struct arena	*a = arena_new();
	char		 out[128];
	int64_t		 t;
	int		 i, bad = 0;

	(void)arg;
	for (i = 0; i < 200; i++) {
		if (text_date_format(locales[i % 4], "Europe/Madrid",
		    T0 + i * 86400, TEXT_DATE_LONG, out, sizeof(out)) == -1 ||
		    text_date_parse(locales[i % 4], "Europe/Madrid", out,
		    &t) == -1 || t > T0 + i * 86400 ||
		    T0 + i * 86400 - t >= 86400)
			bad++;
		if (strcmp(text_slug(a, "Pin and Kim: Friends in need",
		    strlen("Pin and Kim: Friends in need")),
		    "pin-and-kim-friends-in-need") != 0)
			bad++;
	}
	arena_free(a);
	/* No cleanup call: the thread's exit must release its cache. */
	return (void *)(intptr_t)bad;
}

static void
test_threads(void **state)
{
	pthread_t	 th[4];
	void		*bad;
	size_t		 i;

	(void)state;
	for (i = 0; i < nitems(th); i++)
		assert_int_equal(pthread_create(&th[i], NULL, worker, NULL), 0);
	for (i = 0; i < nitems(th); i++) {
		assert_int_equal(pthread_join(th[i], &bad), 0);
		assert_int_equal((intptr_t)bad, 0);
	}
}

/* More zones and locales than the cache holds: old entries make room. */
static void
test_cache_eviction(void **state)
{
	static const char *const zones[] = {"UTC", "Europe/Madrid",
	    "Asia/Seoul", "America/New_York", "Europe/Moscow",
	    "Australia/Sydney"};
	static const char *const locales[] = {"en", "es", "ru", "ko"};
	char		 out[128], again[128];
	size_t		 round, i, j;

	(void)state;
	for (round = 0; round < 3; round++)
		for (i = 0; i < nitems(zones); i++)
			for (j = 0; j < nitems(locales); j++) {
				assert_int_equal(text_date_format(locales[j],
				    zones[i], T0, TEXT_DATE_LONG, out,
				    sizeof(out)), 0);
				assert_int_equal(text_date_iso(zones[i], T0,
				    again, sizeof(again)), 0);
			}
	text_thread_cleanup();
	/* Usable again after a cleanup, and a second cleanup is harmless. */
	assert_int_equal(text_date_format("en", "UTC", T0, TEXT_DATE_LONG, out,
	    sizeof(out)), 0);
	assert_string_equal(out, "September 12, 2023");
	text_thread_cleanup();
	text_thread_cleanup();
}

static int
teardown(void **state)
{
	(void)state;
	text_thread_cleanup();
	return 0;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_slug),
		cmocka_unit_test(test_slug_bounds),
		cmocka_unit_test(test_date_format),
		cmocka_unit_test(test_date_iso),
		cmocka_unit_test(test_date_parts),
		cmocka_unit_test(test_date_from_parts),
		cmocka_unit_test(test_date_parse),
		cmocka_unit_test(test_threads),
		cmocka_unit_test(test_cache_eviction),
	};

	return cmocka_run_group_tests(tests, NULL, teardown);
}

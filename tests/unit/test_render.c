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
 * The small pieces of render: HTML and URL escaping, the message
 * catalogs, and the value tree constructors.  Templates and markdown
 * have their own test binaries.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "base.h"
#include "render/render.h"

struct esc_case {
	int		 is_url;	/* 0: HTML, 1: URL */
	const char	*in;
	size_t		 len;	/* 0 for strlen(in) */
	const char	*want;
	size_t		 wantlen;	/* 0 for strlen(want) */
};

static const struct esc_case esc_cases[] = {
	{ 0, "", 0, "", 0 },
	{ 0, "plain text", 0, "plain text", 0 },
	{ 0, "&<>\"'", 0, "&amp;&lt;&gt;&quot;&#39;", 0 },
	{ 0, "a & b < c", 0, "a &amp; b &lt; c", 0 },
	{ 0, "<script>alert('x')</script>", 0,
	  "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;", 0 },
	{ 0, "&amp;", 0, "&amp;amp;", 0 },
	{ 0, "Рaypal 댓글 ¡sí!", 0, "Рaypal 댓글 ¡sí!", 0 },
	{ 0, "a<\0>b", 5, "a&lt;\0&gt;b", 11 },
	{ 1, "", 0, "", 0 },
	{ 1, "AZaz09-._~", 0, "AZaz09-._~", 0 },
	{ 1, "a b", 0, "a%20b", 0 },
	{ 1, "a/b?c=d&e#f", 0, "a%2Fb%3Fc%3Dd%26e%23f", 0 },
	{ 1, "100%+", 0, "100%25%2B", 0 },
	{ 1, "комментарии", 0,
	  "%D0%BA%D0%BE%D0%BC%D0%BC%D0%B5%D0%BD%D1%82"
	  "%D0%B0%D1%80%D0%B8%D0%B8", 0 },
	{ 1, "라벨", 0, "%EB%9D%BC%EB%B2%A8", 0 },
	{ 1, "\xff\x01", 0, "%FF%01", 0 },
	{ 1, "a\0b", 3, "a%00b", 0 },
};

/* Both escapers over esc_cases, appending after existing bytes. */
static void
test_escape(void **state)
{
	const struct esc_case	*c;
	struct buf		 out = BUF_INIT;
	size_t			 i, len, wantlen, nfail = 0;

	(void)state;
	for (i = 0; i < nitems(esc_cases); i++) {
		c = &esc_cases[i];
		len = c->len != 0 ? c->len : strlen(c->in);
		wantlen = c->wantlen != 0 ? c->wantlen : strlen(c->want);
		buf_reset(&out);
		buf_adds(&out, "^");
		if (c->is_url)
			render_escape_url(&out, c->in, len);
		else
			render_escape_html(&out, c->in, len);
		if (out.len != wantlen + 1 ||
		    memcmp(out.p + 1, c->want, wantlen) != 0) {
			print_message("FAIL %s row %zu: got \"%s\", want "
			    "\"%s\"\n", c->is_url ? "url" : "html", i,
			    out.p + 1, c->want);
			nfail++;
		}
	}
	buf_clear(&out);
	assert_int_equal(nfail, 0);
}

struct msg_case {
	const char	*locale;
	const char	*key;
	const char	*want;
};

static const struct msg_case msg_cases[] = {
	{ "en", "comments", "Comments" },
	{ "es", "comments", "Comentarios" },
	{ "ru", "comments", "Комментарии" },
	{ "ko", "comments", "댓글" },
	{ "en", "post_comment", "Post a Comment" },
	{ "es", "post_comment", "Publicar un comentario" },
	{ "ru", "post_comment", "Отправить комментарий" },
	{ "ko", "post_comment", "댓글 쓰기" },
	{ "es", "labels", "Etiquetas" },
	{ "ru", "labels", "Ярлыки" },
	{ "ko", "labels", "라벨" },
	{ "es", "reply", "Responder" },
	{ "es", "publish", "Publicar" },
	{ "es", "archive", "Archivo" },
	{ "es", "posts_labeled", "Entradas con la etiqueta" },
	{ "es", "posts_from", "Entradas de" },
	{ "en", "says", "says" },
	{ "es", "says", "dijo" },
	{ "ru", "says", "пишет" },
	{ "ko", "says", "님의 말" },
	{ "en", "held_text",
	  "Thank you. Your comment will appear once the owner approves it." },
	{ "en", "not_found_title", "Page not found" },
	{ "en", "powered_by", "Powered by gazette" },
	/* The first and last keys, where a binary search goes wrong. */
	{ "es", "archive", "Archivo" },
	{ "es", "url_optional", "Sitio web (opcional)" },
	/* Region and encoding suffixes and case do not matter. */
	{ "es-MX", "comments", "Comentarios" },
	{ "ES_es.UTF-8", "comments", "Comentarios" },
	{ "ru_RU", "home", "Главная" },
	/* Unknown locales fall back to English. */
	{ "fr", "comments", "Comments" },
	{ "esperanto", "comments", "Comments" },
	{ "e", "comments", "Comments" },
	{ "", "comments", "Comments" },
	{ NULL, "comments", "Comments" },
	/* Unknown keys come back as themselves. */
	{ "es", "no_such_key", "no_such_key" },
	{ "en", "", "" },
	{ "en", "Comments", "Comments" },
	{ "en", NULL, "" },
};

/* Lookups, fallbacks and locale matching over msg_cases. */
static void
test_msg(void **state)
{
	const struct msg_case	*c;
	const char		*got;
	size_t			 i, nfail = 0;

	(void)state;
	for (i = 0; i < nitems(msg_cases); i++) {
		c = &msg_cases[i];
		got = render_msg(c->locale, c->key);
		if (strcmp(got, c->want) != 0) {
			print_message("FAIL %s/%s: got \"%s\", want \"%s\"\n",
			    c->locale != NULL ? c->locale : "(null)",
			    c->key != NULL ? c->key : "(null)", got, c->want);
			nfail++;
		}
	}
	assert_int_equal(nfail, 0);
}

/*
 * Every key the templates and pages use resolves in every locale, and
 * every non-English catalog really translates it: a key missing from a
 * table, or a table out of order, shows up as English here.
 */
static void
test_msg_complete(void **state)
{
	static const char *const keys[] = {
		"archive", "back_to_post", "bad_request_title",
		"cancel_reply", "comment_text", "comments", "email_optional",
		"error_title", "held_text", "held_title", "home", "honeypot",
		"labels", "menu", "method_not_allowed_title", "name",
		"newer_posts", "no_comments", "no_posts", "no_results",
		"not_found_text", "not_found_title", "older_posts", "page",
		"post_comment", "posted_by", "posts_from", "posts_labeled",
		"powered_by", "publish", "reply", "reply_to", "says",
		"search", "search_results", "skip_to_content", "subscribe",
		"url_optional",
	};
	static const char *const locales[] = { "es", "ru", "ko" };
	const char	*en, *got;
	char		 key[64];
	size_t		 i, j, nfail = 0;

	(void)state;
	for (i = 0; i < nitems(keys); i++) {
		/*
		 * A copy of the key: render_msg returns the key itself for
		 * an unknown key, and the linker may merge the literal "says"
		 * with the English text "says".
		 */
		snprintf(key, sizeof(key), "%s", keys[i]);
		en = render_msg("en", key);
		if (en == key) {
			print_message("FAIL en lacks %s\n", keys[i]);
			nfail++;
		}
		for (j = 0; j < nitems(locales); j++) {
			got = render_msg(locales[j], keys[i]);
			if (strcmp(got, en) == 0) {
				print_message("FAIL %s lacks %s\n",
				    locales[j], keys[i]);
				nfail++;
			}
		}
	}
	assert_int_equal(nfail, 0);
}

/* Which locales have a catalog. */
static void
test_locale_known(void **state)
{
	(void)state;
	assert_int_equal(render_locale_known("en"), 1);
	assert_int_equal(render_locale_known("es"), 1);
	assert_int_equal(render_locale_known("ru"), 1);
	assert_int_equal(render_locale_known("ko"), 1);
	assert_int_equal(render_locale_known("ko-KR"), 1);
	assert_int_equal(render_locale_known("fr"), 0);
	assert_int_equal(render_locale_known("enx"), 0);
	assert_int_equal(render_locale_known(""), 0);
	assert_int_equal(render_locale_known(NULL), 0);
}

/* The constructors, shadowing by a later set, and type checks. */
static void
test_mval(void **state)
{
	struct arena		*a;
	struct mval		*m, *l, *s;
	const struct mval	*v;

	(void)state;
	a = arena_new();
	m = mval_map(a);
	mval_set_str(a, m, "k", "one");
	mval_set_str(a, m, "k", "two");
	mval_set_int(a, m, "big", INT64_MIN);
	mval_set_bool(a, m, "yes", 7);
	mval_set_str(a, m, "none", NULL);
	v = mval_get(m, "k");
	assert_non_null(v);
	assert_int_equal(v->type, MVAL_STR);
	assert_int_equal(v->len, 3);
	assert_memory_equal(v->s, "two", 3);
	v = mval_get(m, "big");
	assert_string_equal(v->s, "-9223372036854775808");
	v = mval_get(m, "yes");
	assert_int_equal(v->type, MVAL_BOOL);
	assert_int_equal(v->b, 1);
	assert_int_equal(mval_get(m, "none")->type, MVAL_NULL);
	assert_null(mval_get(m, "missing"));
	assert_null(mval_get(NULL, "k"));

	l = mval_list(a);
	assert_int_equal(l->n, 0);
	mval_push(a, l, mval_str(a, "a"));
	mval_push(a, l, mval_strn(a, "bc", 1));
	assert_int_equal(l->n, 2);
	assert_memory_equal(l->items->v->s, "a", 1);
	s = l->items->next->v;
	assert_int_equal(s->len, 1);
	assert_ptr_equal(l->last->v, s);
	/* Not a map: a get finds nothing, a set does nothing. */
	assert_null(mval_get(l, "k"));
	mval_set_str(a, l, "k", "v");
	assert_null(l->pairs);
	arena_free(a);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_escape),
		cmocka_unit_test(test_msg),
		cmocka_unit_test(test_msg_complete),
		cmocka_unit_test(test_locale_known),
		cmocka_unit_test(test_mval),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

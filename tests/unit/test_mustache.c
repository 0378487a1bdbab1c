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
 * The Mustache engine against two tables.  Our own rows always run:
 * escaping, sections over page-shaped data, partials and their
 * indentation, the nesting limit, and parse errors with line numbers.
 * When MUSTACHE_SPEC_DIR names a directory, every *.json there (but the
 * optional "~" modules) is one more test: each of its cases is run and
 * every failing case is named before the test fails.
 *
 * Data is written as JSON in both tables and converted to struct mval
 * the way a page handler would build it: numbers become strings.
 */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "base.h"
#include "render/render.h"
#include "json_mval.h"

#define NEST_OK		LIMIT_TEMPLATE_DEPTH
#define NEST_DEEP	(LIMIT_TEMPLATE_DEPTH + 1)

/* The partials of one case: parsed once, found by name. */
struct partials {
	size_t		 n;
	char		*names[64];	/* owned */
	struct tmpl	*t[64];	/* owned */
};

/* render_partial_fn over a struct partials. */
static const struct tmpl *
partial_find(void *arg, const char *name, size_t namelen)
{
	const struct partials	*ps = arg;
	size_t			 i;

	for (i = 0; i < ps->n; i++)
		if (strlen(ps->names[i]) == namelen &&
		    memcmp(ps->names[i], name, namelen) == 0)
			return ps->t[i];
	return NULL;
}

/* Frees every partial and name; leaves ps empty. */
static void
partials_clear(struct partials *ps)
{
	size_t	 i;

	for (i = 0; i < ps->n; i++) {
		free(ps->names[i]);
		render_tmpl_free(ps->t[i]);
	}
	ps->n = 0;
}

/*
 * Parses every partial in obj (a JSON object of name: source).  Returns
 * 0, or -1 with the reason appended to msg.
 */
static int
partials_load(struct partials *ps, json_t *obj, struct buf *msg)
{
	const char	*name;
	json_t		*src;
	struct tmpl	*t;
	char		 err[256];

	ps->n = 0;
	json_object_foreach(obj, name, src) {
		if (ps->n == nitems(ps->t)) {
			buf_adds(msg, "too many partials");
			return -1;
		}
		t = render_tmpl_parse(json_string_value(src),
		    json_string_length(src), err, sizeof(err));
		if (t == NULL) {
			buf_addf(msg, "partial %s: %s", name, err);
			return -1;
		}
		ps->names[ps->n] = xstrdup(name);
		ps->t[ps->n++] = t;
	}
	return 0;
}

/*
 * Parses from an exact-size heap copy with no NUL after it, so that
 * AddressSanitizer catches any read past len.
 */
static struct tmpl *
parse_exact(const char *src, size_t len, char *err, size_t errlen)
{
	struct tmpl	*t;
	char		*copy;

	copy = xmalloc(len);
	if (len > 0)
		memcpy(copy, src, len);
	t = render_tmpl_parse(copy, len, err, errlen);
	free(copy);
	return t;
}

/* Appends s with control bytes made visible, for failure messages. */
static void
buf_add_visible(struct buf *b, const char *s, size_t len)
{
	size_t	 i;

	for (i = 0; i < len; i++) {
		if (s[i] == '\n')
			buf_adds(b, "\\n");
		else if (s[i] == '\r')
			buf_adds(b, "\\r");
		else if (s[i] == '\t')
			buf_adds(b, "\\t");
		else
			buf_addc(b, s[i]);
	}
}

/* ---- our own table ---- */

struct mcase {
	const char	*name;
	const char	*tmpl;	/* source; see nest */
	size_t		 len;	/* bytes of tmpl, 0 for strlen() */
	int		 nest;	/* > 0: tmpl is nest sections around "x" */
	const char	*data;	/* JSON */
	const char	*partials;	/* JSON object; NULL: no partial fn */
	int		 rc;	/* 0, -1 (render fails), -2 (parse fails) */
	const char	*want;	/* output, or the parse error */
};

static const struct mcase mcases[] = {
	{ "escape all five", "{{x}}", 0, 0,
	  "{\"x\": \"<a href=\\\"u\\\">&'</a>\"}", NULL, 0,
	  "&lt;a href=&quot;u&quot;&gt;&amp;&#39;&lt;/a&gt;" },
	{ "raw forms", "{{{x}}}|{{& x }}", 0, 0, "{\"x\": \"<b>\"}", NULL, 0,
	  "<b>|<b>" },
	{ "utf-8 kept", "{{x}}", 0, 0, "{\"x\": \"Рaypal 댓글\"}", NULL, 0,
	  "Рaypal 댓글" },
	{ "bool prints", "{{t}} {{f}}", 0, 0, "{\"t\": true, \"f\": false}",
	  NULL, 0, "true false" },
	{ "list and map print nothing", "[{{l}}{{m}}]", 0, 0,
	  "{\"l\": [1], \"m\": {\"a\": 1}}", NULL, 0, "[]" },
	{ "list of maps",
	  "<ul>\n{{#posts}}\n<li><a href=\"{{path}}\">{{title}}</a> "
	  "{{site}}</li>\n{{/posts}}\n</ul>\n", 0, 0,
	  "{\"site\": \"S\", \"posts\": [{\"path\": \"/a?x=1&y=2\", "
	  "\"title\": \"A & B\"}, {\"path\": \"/b\", \"title\": \"B\"}]}",
	  NULL, 0,
	  "<ul>\n<li><a href=\"/a?x=1&amp;y=2\">A &amp; B</a> S</li>\n"
	  "<li><a href=\"/b\">B</a> S</li>\n</ul>\n" },
	{ "nested lists", "{{#c}}({{n}}{{#r}}[{{n}}]{{/r}}){{/c}}", 0, 0,
	  "{\"c\": [{\"n\": 1, \"r\": [{\"n\": 2}, {\"n\": 3}]}, "
	  "{\"n\": 4, \"r\": []}]}", NULL, 0, "(1[2][3])(4)" },
	{ "inner key shadows outer", "{{#a}}{{k}}{{/a}}{{k}}", 0, 0,
	  "{\"k\": \"out\", \"a\": {\"k\": \"in\"}}", NULL, 0, "inout" },
	{ "inverted empty list", "{{^posts}}none{{/posts}}", 0, 0,
	  "{\"posts\": []}", NULL, 0, "none" },
	{ "inverted missing", "{{^nope}}none{{/nope}}", 0, 0, "{}", NULL, 0,
	  "none" },
	{ "inverted null", "{{^n}}none{{/n}}", 0, 0, "{\"n\": null}", NULL,
	  0, "none" },
	{ "empty string is truthy", "{{#s}}yes{{/s}}{{^s}}no{{/s}}", 0, 0,
	  "{\"s\": \"\"}", NULL, 0, "yes" },
	{ "string section pushes it", "{{#s}}<{{.}}>{{/s}}", 0, 0,
	  "{\"s\": \"<v>\"}", NULL, 0, "<&lt;v&gt;>" },
	{ "dotted section then plain", "{{#a.b}}{{c}}{{/a.b}}", 0, 0,
	  "{\"a\": {\"b\": {\"c\": \"C\"}}}", NULL, 0, "C" },
	{ "partial", "[{{>p}}]", 0, 0, "{\"v\": 1}", "{\"p\": \"<{{v}}>\"}",
	  0, "[<1>]" },
	{ "partial unknown", "[{{>nope}}]", 0, 0, "{}", "{}", 0, "[]" },
	{ "partial without a finder", "[{{>p}}]", 0, 0, "{}", NULL, 0, "[]" },
	{ "partial sees the section context",
	  "{{#l}}{{>item}}{{/l}}", 0, 0, "{\"l\": [{\"v\": 1}, {\"v\": 2}]}",
	  "{\"item\": \"<{{v}}>\"}", 0, "<1><2>" },
	{ "nested partial indentation", "<ul>\n  {{>a}}\n</ul>\n", 0, 0,
	  "{}", "{\"a\": \"<li>\\n  {{>b}}\\n</li>\\n\", "
	  "\"b\": \"x\\ny\\n\"}", 0,
	  "<ul>\n  <li>\n    x\n    y\n  </li>\n</ul>\n" },
	{ "indented partial, section lines", "  {{>p}}\n", 0, 0,
	  "{\"l\": [1, 2]}", "{\"p\": \"<\\n{{#l}}\\n{{.}}\\n{{/l}}\\n>\"}",
	  0, "  <\n  1\n  2\n  >" },
	{ "indented partial, comment opens a line", "  {{>p}}\n", 0, 0,
	  "{}", "{\"p\": \"a\\n{{! c }}b\\n\"}", 0, "  a\n  b\n" },
	{ "indented partial, close opens a line", "  {{>p}}\n", 0, 0,
	  "{\"l\": [1, 2]}", "{\"p\": \"{{#l}}a\\n{{/l}}b\"}", 0,
	  "  a\n  a\n  b" },
	{ "indented partial, inline partial not indented", "  {{>p}}\n",
	  0, 0, "{}", "{\"p\": \"x{{>q}}\\n\", \"q\": \"1\\n2\"}", 0,
	  "  x1\n2\n" },
	{ "data is not indented", "  {{>p}}\n", 0, 0, "{\"v\": \"1\\n2\"}",
	  "{\"p\": \"{{v}}\\n\"}", 0, "  1\n2\n" },
	{ "delimiters reset in partial", "{{=<% %>=}}<%>p%>|<%v%>", 0, 0,
	  "{\"v\": \"V\"}", "{\"p\": \"{{v}}<%v%>\"}", 0, "V<%v%>|V" },
	{ "crlf standalone", "a\r\n{{#t}}\r\nb\r\n{{/t}}\r\nc", 0, 0,
	  "{\"t\": true}", NULL, 0, "a\r\nb\r\nc" },
	{ "lone cr is not a line end", "{{#t}}\rx{{/t}}", 0, 0,
	  "{\"t\": true}", NULL, 0, "\rx" },
	{ "root is a string", "{{.}}", 0, 0, "\"s\"", NULL, 0, "s" },
	{ "root is null", "a{{x}}{{#x}}b{{/x}}{{^x}}c{{/x}}", 0, 0, "null",
	  NULL, 0, "ac" },
	{ "nesting at the limit", NULL, 0, NEST_OK, "{\"a\": true}", NULL, 0,
	  "x" },
	{ "nesting past the limit", NULL, 0, NEST_DEEP, "{\"a\": true}", NULL,
	  -1, "" },
	{ "deep nesting not entered", NULL, 0, NEST_DEEP, "{\"a\": false}",
	  NULL, 0, "" },
	{ "deep list nesting", NULL, 0, NEST_DEEP, "{\"a\": [1]}", NULL, -1,
	  "" },
	{ "recursive partial", "{{>p}}", 0, 0, "{}", "{\"p\": \"x{{>p}}\"}",
	  -1, "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx" },
	{ "mutually recursive partials", "{{>a}}", 0, 0, "{}",
	  "{\"a\": \"{{>b}}\", \"b\": \"{{#t}}{{>a}}{{/t}}\"}", 0, "" },
	{ "bounded recursion", "{{>n}}", 0, 0,
	  "{\"v\": 1, \"k\": [{\"v\": 2, \"k\": [{\"v\": 3, \"k\": []}]}]}",
	  "{\"n\": \"{{v}}{{#k}}({{>n}}){{/k}}\"}", 0, "1(2(3))" },
	{ "unclosed tag", "a\nb {{x", 0, 0, "{}", NULL, -2,
	  "line 2: unclosed tag" },
	{ "unclosed triple", "{{{x}}", 0, 0, "{}", NULL, -2,
	  "line 1: unclosed tag" },
	{ "unclosed comment", "\n\n{{! x }", 0, 0, "{}", NULL, -2,
	  "line 3: unclosed tag" },
	{ "open delimiter at the end", "x{{", 0, 0, "{}", NULL, -2,
	  "line 1: unclosed tag" },
	{ "unclosed section", "{{#a}}\n{{#b}}{{/b}}\nx\n", 0, 0, "{}", NULL,
	  -2, "line 1: section \"a\" not closed" },
	{ "mismatched close", "{{#a}}\n\n{{/b}}", 0, 0, "{}", NULL, -2,
	  "line 3: \"b\" closes section \"a\" opened on line 1" },
	{ "stray close", "x\n{{/a}}", 0, 0, "{}", NULL, -2,
	  "line 2: \"a\" closes no open section" },
	{ "empty tag", "{{ }}", 0, 0, "{}", NULL, -2, "line 1: empty tag" },
	{ "empty section name", "{{#}}{{/}}", 0, 0, "{}", NULL, -2,
	  "line 1: empty tag" },
	{ "empty name piece", "\n{{a..b}}", 0, 0, "{}", NULL, -2,
	  "line 2: bad name \"a..b\"" },
	{ "trailing dot", "{{a.}}", 0, 0, "{}", NULL, -2,
	  "line 1: bad name \"a.\"" },
	{ "one delimiter", "{{=<%=}}", 0, 0, "{}", NULL, -2,
	  "line 1: bad delimiters" },
	{ "three delimiters", "{{=< % >=}}", 0, 0, "{}", NULL, -2,
	  "line 1: bad delimiters" },
	{ "equals in delimiter", "{{=<= =>=}}", 0, 0, "{}", NULL, -2,
	  "line 1: bad delimiters" },
	{ "invalid utf-8", "ok\n\xff", 0, 0, "{}", NULL, -2,
	  "line 2: not valid UTF-8" },
	{ "NUL byte", "a\0b", 3, 0, "{}", NULL, -2,
	  "line 1: not valid UTF-8" },
	{ "truncated utf-8", "\xd0", 0, 0, "{}", NULL, -2,
	  "line 1: not valid UTF-8" },
	{ "empty template", "", 0, 0, "{}", NULL, 0, "" },
};

/* The template of c: its source, or nest sections around "x". */
static char *
mcase_src(const struct mcase *c, size_t *len)
{
	struct buf	 b = BUF_INIT;
	int		 i;

	if (c->nest == 0) {
		*len = c->len != 0 ? c->len : strlen(c->tmpl);
		return xstrndup(c->tmpl, *len);
	}
	for (i = 0; i < c->nest; i++)
		buf_adds(&b, "{{#a}}");
	buf_addc(&b, 'x');
	for (i = 0; i < c->nest; i++)
		buf_adds(&b, "{{/a}}");
	*len = b.len;
	return buf_release(&b);
}

/* Runs one row; returns 0 or -1 with what went wrong in msg. */
static int
mcase_run(const struct mcase *c, struct buf *msg)
{
	struct partials	 ps;
	struct arena	*a;
	struct tmpl	*t;
	struct buf	 out = BUF_INIT, again = BUF_INIT;
	json_t		*data, *pj = NULL;
	json_error_t	 jerr;
	char		 err[256], *src;
	size_t		 len;
	int		 rc, ret = -1;

	ps.n = 0;
	a = arena_new();
	src = mcase_src(c, &len);
	t = parse_exact(src, len, err, sizeof(err));
	free(src);
	if (c->rc == -2) {
		if (t != NULL)
			buf_adds(msg, "parsed, want a parse error");
		else if (strcmp(err, c->want) != 0)
			buf_addf(msg, "error \"%s\", want \"%s\"", err,
			    c->want);
		else
			ret = 0;
		goto out;
	}
	if (t == NULL) {
		buf_addf(msg, "parse: %s", err);
		goto out;
	}
	if ((data = json_loads(c->data, JSON_DECODE_ANY, &jerr)) == NULL) {
		buf_addf(msg, "bad row data: %s", jerr.text);
		goto out;
	}
	if (c->partials != NULL &&
	    (pj = json_loads(c->partials, 0, &jerr)) == NULL) {
		buf_addf(msg, "bad row partials: %s", jerr.text);
		json_decref(data);
		goto out;
	}
	if (pj != NULL && partials_load(&ps, pj, msg) == -1) {
		json_decref(data);
		json_decref(pj);
		goto out;
	}
	rc = render_tmpl_run(t, from_json(a, data),
	    c->partials != NULL ? partial_find : NULL, &ps, &out);
	/* A parsed template is reusable: a second run must agree. */
	render_tmpl_run(t, from_json(a, data),
	    c->partials != NULL ? partial_find : NULL, &ps, &again);
	json_decref(data);
	json_decref(pj);
	if (rc != c->rc)
		buf_addf(msg, "rc %d, want %d", rc, c->rc);
	else if (strcmp(out.p != NULL ? out.p : "", c->want) != 0) {
		buf_adds(msg, "got \"");
		buf_add_visible(msg, out.p, out.len);
		buf_adds(msg, "\", want \"");
		buf_add_visible(msg, c->want, strlen(c->want));
		buf_adds(msg, "\"");
	} else if (out.len != again.len ||
	    (out.len > 0 && memcmp(out.p, again.p, out.len) != 0))
		buf_adds(msg, "second render differs");
	else
		ret = 0;
out:
	partials_clear(&ps);
	render_tmpl_free(t);
	buf_clear(&out);
	buf_clear(&again);
	arena_free(a);
	return ret;
}

/* Every row of mcases; names each failing row. */
static void
test_table(void **state)
{
	struct buf	 msg = BUF_INIT;
	size_t		 i, nfail = 0;

	(void)state;
	for (i = 0; i < nitems(mcases); i++) {
		buf_reset(&msg);
		if (mcase_run(&mcases[i], &msg) == -1) {
			print_message("FAIL %s: %s\n", mcases[i].name, msg.p);
			nfail++;
		}
	}
	buf_clear(&msg);
	assert_int_equal(nfail, 0);
}

/* Contract corners the JSON rows cannot express. */
static void
test_api(void **state)
{
	struct arena	*a;
	struct mval	*m;
	struct tmpl	*t;
	struct buf	 out = BUF_INIT;
	const char	*src;
	char		 err[8];

	(void)state;
	a = arena_new();
	m = mval_map(a);
	mval_set_str(a, m, "k", "old");
	mval_set_str(a, m, "k", "new");
	mval_set_int(a, m, "i", -42);
	mval_set_str(a, m, "n", NULL);
	src = "{{k}} {{i}} [{{n}}]";
	t = render_tmpl_parse(src, strlen(src), err, sizeof(err));
	assert_non_null(t);
	assert_int_equal(render_tmpl_run(t, m, NULL, NULL, &out), 0);
	assert_string_equal(out.p, "new -42 []");
	buf_reset(&out);
	/* A NULL context is an empty one. */
	assert_int_equal(render_tmpl_run(t, NULL, NULL, NULL, &out), 0);
	assert_string_equal(out.p, "  []");
	render_tmpl_free(t);

	/* A short error buffer truncates, never overflows. */
	assert_null(render_tmpl_parse("\n\n{{x", 5, err, sizeof(err)));
	assert_string_equal(err, "line 3:");
	assert_null(render_tmpl_parse("{{x", 3, NULL, 0));
	render_tmpl_free(NULL);
	buf_clear(&out);
	arena_free(a);
}

/* ---- the official spec ---- */

/* Runs one spec case; returns 0 or -1 with the reason in msg. */
static int
spec_case(json_t *tc, struct buf *msg)
{
	struct partials	 ps;
	struct arena	*a;
	struct tmpl	*t = NULL;
	struct buf	 out = BUF_INIT;
	json_t		*tmpl, *want, *pj;
	char		 err[256];
	int		 ret = -1;

	ps.n = 0;
	a = arena_new();
	tmpl = json_object_get(tc, "template");
	want = json_object_get(tc, "expected");
	if (!json_is_string(tmpl) || !json_is_string(want)) {
		buf_adds(msg, "malformed case");
		goto out;
	}
	t = parse_exact(json_string_value(tmpl), json_string_length(tmpl),
	    err, sizeof(err));
	if (t == NULL) {
		buf_addf(msg, "parse: %s", err);
		goto out;
	}
	if ((pj = json_object_get(tc, "partials")) != NULL &&
	    partials_load(&ps, pj, msg) == -1)
		goto out;
	if (render_tmpl_run(t, from_json(a, json_object_get(tc, "data")),
	    partial_find, &ps, &out) == -1) {
		buf_adds(msg, "render failed");
		goto out;
	}
	if (out.len != json_string_length(want) ||
	    (out.len > 0 && memcmp(out.p, json_string_value(want),
	    out.len) != 0)) {
		buf_adds(msg, "got \"");
		buf_add_visible(msg, out.p, out.len);
		buf_adds(msg, "\", want \"");
		buf_add_visible(msg, json_string_value(want),
		    json_string_length(want));
		buf_adds(msg, "\"");
		goto out;
	}
	ret = 0;
out:
	partials_clear(&ps);
	render_tmpl_free(t);
	buf_clear(&out);
	arena_free(a);
	return ret;
}

/* One spec file; *state is its path. */
static void
test_spec_file(void **state)
{
	const char	*path = *state;
	struct buf	 msg = BUF_INIT;
	json_error_t	 jerr;
	json_t		*root, *cases, *tc;
	size_t		 i, nfail = 0;

	root = json_load_file(path, 0, &jerr);
	if (root == NULL)
		fail_msg("%s: %s", path, jerr.text);
	cases = json_object_get(root, "tests");
	assert_true(json_is_array(cases));
	json_array_foreach(cases, i, tc) {
		buf_reset(&msg);
		if (spec_case(tc, &msg) == -1) {
			print_message("FAIL %s: %s: %s\n", path,
			    json_string_value(json_object_get(tc, "name")),
			    msg.p);
			nfail++;
		}
	}
	print_message("%s: %zu of %zu cases pass\n", path,
	    json_array_size(cases) - nfail, json_array_size(cases));
	buf_clear(&msg);
	json_decref(root);
	assert_int_equal(nfail, 0);
}

/* qsort() comparison of two C strings. */
static int
str_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Paths of the spec files in dir, sorted; caller frees each and list. */
static char **
spec_files(const char *dir, size_t *n)
{
	DIR		*d;
	struct dirent	*de;
	char		**list = NULL;
	size_t		 len;

	*n = 0;
	if ((d = opendir(dir)) == NULL)
		return NULL;
	while ((de = readdir(d)) != NULL) {
		len = strlen(de->d_name);
		if (de->d_name[0] == '~' || de->d_name[0] == '.' ||
		    len < 6 || strcmp(de->d_name + len - 5, ".json") != 0)
			continue;
		list = xreallocarray(list, *n + 1, sizeof(*list));
		list[(*n)++] = xasprintf("%s/%s", dir, de->d_name);
	}
	closedir(d);
	if (*n > 0)
		qsort(list, *n, sizeof(*list), str_cmp);
	return list;
}

int
main(void)
{
	struct CMUnitTest	*tests;
	const char		*dir;
	char			**files = NULL;
	size_t			 i, nfiles = 0, n = 0;
	int			 rc;

	if ((dir = getenv("MUSTACHE_SPEC_DIR")) != NULL && *dir != '\0') {
		files = spec_files(dir, &nfiles);
		if (nfiles == 0)
			fprintf(stderr, "test_mustache: no spec files in %s\n",
			    dir);
	}
	tests = xcalloc(nfiles + 2, sizeof(*tests));
	tests[n].name = "table";
	tests[n++].test_func = test_table;
	tests[n].name = "api";
	tests[n++].test_func = test_api;
	for (i = 0; i < nfiles; i++) {
		tests[n].name = strrchr(files[i], '/') + 1;
		tests[n].test_func = test_spec_file;
		tests[n++].initial_state = files[i];
	}
	rc = _cmocka_run_group_tests("mustache", tests, n, NULL, NULL);
	for (i = 0; i < nfiles; i++)
		free(files[i]);
	free(files);
	free(tests);
	return rc;
}

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
 * /search?q=QUERY&page=N: ranked results with highlighted snippets, as a
 * page or as JSON (/api/v1/search, or Accept: application/json).  Any
 * query, however odd, gets a normal answer with a message: only a store
 * that does not answer makes an error.
 */
#include <string.h>

#include <jansson.h>

#include "site_int.h"

#define SEARCH_PAGE_SIZE	10	/* results on one page */

/* The snippet as HTML: escaped text, matches in <mark>. */
static char *
snippet_html(struct arena *a, const char *snippet)
{
	struct buf	 b = BUF_INIT;
	const char	*p = snippet;
	size_t		 n;
	char		*out;

	while (*p != '\0') {
		n = strcspn(p, "\002\003");
		render_escape_html(&b, p, n);
		p += n;
		if (*p == '\002')
			buf_adds(&b, "<mark>");
		else if (*p == '\003')
			buf_adds(&b, "</mark>");
		if (*p != '\0')
			p++;
	}
	out = arena_strndup(a, b.p == NULL ? "" : b.p, b.len);
	buf_clear(&b);
	return out;
}

/* "/search?q=...&page=N" for another page or query. */
static const char *
search_href(struct arena *a, const char *q, int64_t page)
{
	struct buf	 b = BUF_INIT;
	const char	*href;

	buf_adds(&b, "/search?q=");
	render_escape_url(&b, q, strlen(q));
	if (page > 1)
		buf_addf(&b, "&page=%lld", (long long)page);
	href = arena_strndup(a, b.p, b.len);
	buf_clear(&b);
	return href;
}

static int
wants_json(struct http_request *req)
{
	const char	*accept = http_header(req, "Accept");

	return accept != NULL && strstr(accept, "application/json") != NULL &&
	    strstr(accept, "text/html") == NULL;
}

static void
send_json(struct http_response *res, const char *q, int64_t page,
    const struct search_result *sr, const char *suggestion,
    const char *const *messages, size_t nmessages, const char *site_url)
{
	json_t	*o, *list, *hit, *labels;
	char	*s;
	size_t	 i, j;

	o = json_object();
	json_object_set_new(o, "query", json_string(q));
	json_object_set_new(o, "page", json_integer(page));
	json_object_set_new(o, "total", json_integer((json_int_t)sr->total));
	json_object_set_new(o, "total_is_lower_bound",
	    json_boolean(sr->is_capped));
	list = json_array();
	for (i = 0; i < sr->n; i++) {
		hit = json_object();
		json_object_set_new(hit, "title",
		    json_string(sr->v[i].post.title));
		json_object_set_new(hit, "url", json_sprintf("%s%s", site_url,
		    sr->v[i].post.path));
		json_object_set_new(hit, "path",
		    json_string(sr->v[i].post.path));
		json_object_set_new(hit, "published",
		    json_integer(sr->v[i].post.published));
		json_object_set_new(hit, "score", json_real(sr->v[i].score));
		labels = json_array();
		for (j = 0; j < sr->v[i].post.nlabels; j++)
			json_array_append_new(labels,
			    json_string(sr->v[i].post.labels[j]));
		json_object_set_new(hit, "labels", labels);
		json_object_set_new(hit, "snippet",
		    json_string(sr->v[i].snippet));
		json_array_append_new(list, hit);
	}
	json_object_set_new(o, "results", list);
	json_object_set_new(o, "did_you_mean", suggestion != NULL ?
	    json_string(suggestion) : json_null());
	list = json_array();
	for (i = 0; i < nmessages; i++)
		json_array_append_new(list, json_string(messages[i]));
	json_object_set_new(o, "messages", list);
	s = json_dumps(o, JSON_COMPACT);
	buf_adds(&res->body, s != NULL ? s : "{}");
	buf_addc(&res->body, '\n');
	free(s);
	json_decref(o);
	res->content_type = "application/json; charset=utf-8";
}

void
page_search(struct site *s, struct http_request *req,
    struct http_response *res, int as_json)
{
	struct arena		*a = req->arena;
	struct search_parsed	 sp;
	struct search_result	 sr;
	struct mval		*ctx, *results, *msgs, *v;
	const char		*q, *ps, *locale = s->conf->site_locale;
	const char		*messages[4];
	char			*suggestion = NULL;
	int64_t			 page = 1;
	size_t			 nmessages = 0, i;
	int			 searched = 0;

	memset(&sr, 0, sizeof(sr));
	memset(&sp, 0, sizeof(sp));
	q = http_param(req, "q");
	if (req->query_error != NULL)
		messages[nmessages++] = req->query_error;
	if ((ps = http_param(req, "page")) != NULL &&
	    str_to_i64(ps, 1, LIMIT_PAGE, &page) == -1)
		page = 1;
	if (q != NULL && search_parse(a, q, locale, &sp) == 0 &&
	    sp.is_empty && sp.label != NULL && !as_json) {
		/* "label:NAME" alone is that label's page. */
		res->status = 302;
		http_response_header(res, "Location",
		    site_label_href(a, sp.label));
		return;
	}
	if (q == NULL || sp.is_empty) {
		if (req->query_error == NULL)
			messages[nmessages++] = render_msg(locale,
			    "search_empty");
	} else {
		if (sp.is_cut)
			messages[nmessages++] = render_msg(locale,
			    "search_cut");
		sp.q.now = clock_now();
		sp.q.offset = (size_t)(page - 1) * SEARCH_PAGE_SIZE;
		sp.q.limit = SEARCH_PAGE_SIZE;
		if (store_search(s->store, a, &sp.q, &sr) != STORE_OK) {
			log_warnx("search: %s", store_errmsg(s->store));
			site_error(s, req, res, 503, "Search is not answering; "
			    "try again in a moment.");
			return;
		}
		searched = 1;
		if (sr.total == 0) {
			messages[nmessages++] = render_msg(locale,
			    "no_results");
			suggestion = search_suggest(s->store, a, &sp);
		}
	}
	if (q == NULL)
		q = "";
	http_response_header(res, "Cache-Control", "no-cache");
	if (as_json || wants_json(req)) {
		send_json(res, q, page, &sr, suggestion, messages, nmessages,
		    s->conf->site_url);
		return;
	}

	ctx = site_context(s, req, render_msg(locale, "search"));
	mval_set_bool(a, ctx, "robots_noindex", 1);
	mval_set_str(a, ctx, "search_q", q);
	mval_set_str(a, ctx, "query", q);
	mval_set_bool(a, ctx, "has_query", *q != '\0');
	msgs = mval_list(a);
	for (i = 0; i < nmessages; i++)
		mval_push(a, msgs, mval_str(a, messages[i]));
	mval_set(a, ctx, "messages", msgs);
	mval_set_bool(a, ctx, "has_suggestion", suggestion != NULL);
	mval_set_str(a, ctx, "suggestion", suggestion != NULL ? suggestion :
	    "");
	mval_set_str(a, ctx, "suggestion_href", suggestion != NULL ?
	    search_href(a, suggestion, 1) : "");
	mval_set_bool(a, ctx, "has_searched", searched);
	mval_set_str(a, ctx, "total", arena_printf(a, "%zu%s", sr.total,
	    sr.is_capped ? "+" : ""));
	results = mval_list(a);
	for (i = 0; i < sr.n; i++) {
		v = site_post_value(s, a, &sr.v[i].post);
		mval_set_str(a, v, "snippet_html",
		    snippet_html(a, sr.v[i].snippet));
		mval_push(a, results, v);
	}
	mval_set(a, ctx, "results", results);
	mval_set_bool(a, ctx, "has_results", sr.n > 0);
	mval_set_bool(a, ctx, "has_pager", page > 1 ||
	    sp.q.offset + sr.n < sr.total);
	mval_set_bool(a, ctx, "has_newer", page > 1);
	mval_set_str(a, ctx, "newer", search_href(a, q, page - 1));
	mval_set_bool(a, ctx, "has_older", sp.q.offset + sr.n < sr.total);
	mval_set_str(a, ctx, "older", search_href(a, q, page + 1));
	site_render(s, req, res, THEME_SEARCH, ctx);
}

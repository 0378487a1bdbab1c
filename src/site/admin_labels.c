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
 * The admin's labels: each with its post count and a link to its
 * archive, and forms to rename one or merge one into another (labels
 * meet by key, so a rename onto an existing spelling is a merge).
 */
#include <string.h>

#include "site_int.h"

void
admin_labels(struct admin_req *ar)
{
	struct http_request	*req = ar->req;
	struct arena		*a = req->arena;
	struct store		*st = ar->s->store;
	struct label		*v;
	struct mval		*rows, *row;
	const char		*op, *from, *to, *why = NULL;
	enum store_err		 e;
	size_t			 i, n;

	if (req->method == HTTP_POST) {
		op = http_form_field(req, "op");
		from = http_form_field(req, "from");
		to = http_form_field(req, "to");
		if (op == NULL || (strcmp(op, "rename") != 0 &&
		    strcmp(op, "merge") != 0))
			why = "op: expected rename or merge.";
		else if (from == NULL || to == NULL || *from == '\0' ||
		    *to == '\0' || strlen(to) > LIMIT_LABEL)
			why = "from, to: name a label and its new name.";
		if (why != NULL) {
			admin_fail(ar, 400, why);
			return;
		}
		if ((e = store_write_begin(st)) == STORE_OK) {
			e = strcmp(op, "rename") == 0 ?
			    store_label_rename(st, from, to) :
			    store_label_merge(st, from, to);
			if (store_write_end(st, e == STORE_OK) != STORE_OK &&
			    e == STORE_OK)
				e = STORE_ERR;
		}
		if (e == STORE_NOTFOUND) {
			admin_fail(ar, 404, arena_printf(a, "There is no "
			    "label \"%s\".", from));
			return;
		}
		if (e != STORE_OK) {
			admin_fail(ar, 503, "The labels could not be changed.");
			return;
		}
		admin_redirect(ar, "/admin/labels?done=1");
		return;
	}
	if (store_label_list(st, a, &v, &n) != STORE_OK) {
		admin_fail(ar, 503, store_errmsg(st));
		return;
	}
	rows = mval_list(a);
	for (i = 0; i < n; i++) {
		row = mval_map(a);
		mval_set_str(a, row, "name", v[i].name);
		mval_set_str(a, row, "href", site_label_href(a, v[i].name));
		mval_set_int(a, row, "nposts", v[i].nposts);
		mval_set_int(a, row, "i", (int64_t)i);
		mval_push(a, rows, row);
	}
	mval_set(a, ar->ctx, "labels", rows);
	mval_set_bool(a, ar->ctx, "has_labels", n > 0);
	mval_set_bool(a, ar->ctx, "done", http_param(req, "done") != NULL);
	admin_render(ar, ADMIN_LABELS, "Labels");
}

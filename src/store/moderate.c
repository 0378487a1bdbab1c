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
 * One moderation decision, as the command line and the admin both make
 * it: teach the spam filter, log, then change the comment.  Built only
 * on the public store functions, so every engine gets it for free.
 */
#include <string.h>

#include "base.h"
#include "store_int.h"

/*
 * Teaches the filter that c is spam (is_spam 1) or ham.  The comment's
 * log tells how it was learned before: the same way, and nothing is
 * learned again; the other way, and that is unlearned first, so that a
 * changed mind counts once.
 */
static enum store_err
train(struct store *st, struct arena *a, const struct comment *c,
    int is_spam)
{
	struct moderation_log	 log;
	struct post		*p;
	const char		**terms, *lang = NULL;
	enum store_err		 e;
	size_t			 i, n;
	int			 before = -1;

	if ((e = store_moderation_list(st, a, c->id, 0, &log)) != STORE_OK)
		return e;
	for (i = 0; i < log.n && before == -1; i++)
		if (strcmp(log.v[i].action, "spam") == 0)
			before = 1;
		else if (strcmp(log.v[i].action, "approve") == 0)
			before = 0;
	if (before == is_spam)
		return STORE_OK;
	e = store_post_get_id(st, a, c->post_id, &p);
	if (e == STORE_OK)
		lang = p->lang;
	else if (e != STORE_NOTFOUND)
		return e;
	if (text_spam_terms(a, lang, c->name, c->url, c->body, &terms,
	    &n) == -1) {
		/* Moderating it matters more than learning from it. */
		log_warnx("comment %lld: not learned: text is not valid "
		    "UTF-8", (long long)c->id);
		return STORE_OK;
	}
	if (before != -1 && (e = store_spam_learn(st, terms, n, before,
	    -1)) != STORE_OK)
		return e;
	return store_spam_learn(st, terms, n, is_spam, 1);
}

enum store_err
store_comment_moderate(struct store *st, struct arena *a,
    const struct comment *c, enum moderation_action act, const char *who)
{
	static const char *const names[] = { "approve", "spam", "delete" };
	enum store_err		 e;

	if ((unsigned)act > MODERATE_DELETE) {
		store_errmsg_set("comment %lld: unknown action",
		    (long long)c->id);
		return STORE_ERR;
	}
	if (act != MODERATE_DELETE && (e = train(st, a, c,
	    act == MODERATE_SPAM)) != STORE_OK)
		return e;
	/* Logged before a delete, while the comment is still there. */
	if ((e = store_moderation_add(st, c->id, names[act], who,
	    "")) != STORE_OK)
		return e;
	if (act == MODERATE_DELETE)
		return store_comment_delete(st, c->id);
	return store_comment_set_status(st, c->id, act == MODERATE_SPAM ?
	    COMMENT_SPAM : COMMENT_APPROVED);
}

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
 * Hard limits on everything that comes from outside.  Config may lower
 * these, never raise them.  Sizes are bytes unless named otherwise.
 */
#ifndef GAZETTE_LIMITS_H
#define GAZETTE_LIMITS_H

#define LIMIT_HEADER		(16 * 1024)	/* request line + headers */
#define LIMIT_BODY		(64 * 1024)	/* request body (a form) */
#define LIMIT_TIMEOUT		30	/* seconds a connection may idle */
#define LIMIT_CONNECTIONS	1024	/* open connections */
#define LIMIT_PER_ADDRESS	64	/* open connections per address */
#define LIMIT_URL		4096	/* request path + query */
#define LIMIT_FORM_FIELDS	16	/* fields in one form */
#define LIMIT_COMMENT_BODY	8192	/* comment text */
#define LIMIT_COMMENT_NAME	80	/* commenter name */
#define LIMIT_COMMENT_EMAIL	254	/* commenter email */
#define LIMIT_COMMENT_URL	512	/* commenter web site */
#define LIMIT_IMPORT_FILE	(64 * 1024 * 1024)	/* one seed text file */
#define LIMIT_IMPORT_LINE	(256 * 1024)	/* one line of a seed file */
#define LIMIT_TITLE		512	/* post title */
#define LIMIT_LABEL		200	/* one label */
#define LIMIT_LABELS		64	/* labels on one post */
#define LIMIT_SLUG		100	/* slug bytes, before ".html" */
#define LIMIT_TEMPLATE_DEPTH	32	/* nested sections and partials */
#define LIMIT_PAGE		100000	/* highest ?page= */
#define CONF_THREADS_MAX	64	/* [server] threads */

#endif /* GAZETTE_LIMITS_H */

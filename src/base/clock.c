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
 * The program's clock.  Tests fix it so dates and tokens are
 * deterministic; everything else reads the real time.
 */
#include <stdatomic.h>
#include <stdlib.h>

#include "base.h"

static _Atomic int64_t	 fixed_now;	/* 0: use the real clock */
static atomic_int	 env_read;

int64_t
clock_now(void)
{
	const char	*s;
	int64_t		 v;

	if (!atomic_exchange(&env_read, 1) &&
	    (s = getenv("GAZETTE_NOW")) != NULL &&
	    str_to_i64(s, 1, INT64_MAX / 2, &v) == 0)
		fixed_now = v;
	if (fixed_now != 0)
		return fixed_now;
	return (int64_t)time(NULL);
}

void
clock_set_fixed(int64_t t)
{
	atomic_store(&env_read, 1);
	fixed_now = t;
}

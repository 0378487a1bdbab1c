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
 * For tests only: JSON (jansson) to the template value tree, so template
 * data can be written as JSON files.  Static functions: include it in
 * one test file each.
 */
#ifndef GAZETTE_TEST_JSON_MVAL_H
#define GAZETTE_TEST_JSON_MVAL_H

#include <stdio.h>
#include <stdlib.h>

#include <jansson.h>

#include "base.h"
#include "render/render.h"

/* A number as a template sees it: integers plain, reals shortest. */
static char *
num_str(struct arena *a, const json_t *j)
{
	double	 d;
	char	 tmp[64];
	int	 prec;

	if (json_is_integer(j))
		return arena_printf(a, "%lld",
		    (long long)json_integer_value(j));
	d = json_real_value(j);
	for (prec = 1; prec <= 17; prec++) {
		snprintf(tmp, sizeof(tmp), "%.*g", prec, d);
		if (strtod(tmp, NULL) == d)
			break;
	}
	return arena_strdup(a, tmp);
}

/* Converts JSON to the value tree, everything copied into a. */
static struct mval *
from_json(struct arena *a, json_t *j)
{
	struct mval	*v;
	json_t		*val;
	const char	*key;
	size_t		 i;

	switch (json_typeof(j)) {
	case JSON_OBJECT:
		v = mval_map(a);
		json_object_foreach(j, key, val)
			mval_set(a, v, arena_strdup(a, key), from_json(a, val));
		return v;
	case JSON_ARRAY:
		v = mval_list(a);
		json_array_foreach(j, i, val)
			mval_push(a, v, from_json(a, val));
		return v;
	case JSON_STRING:
		return mval_strn(a, arena_strndup(a, json_string_value(j),
		    json_string_length(j)), json_string_length(j));
	case JSON_INTEGER:
	case JSON_REAL:
		return mval_str(a, num_str(a, j));
	case JSON_TRUE:
		return mval_bool(a, 1);
	case JSON_FALSE:
		return mval_bool(a, 0);
	default:
		/* JSON null: a zeroed value is MVAL_NULL. */
		return arena_alloc(a, sizeof(struct mval));
	}
}
#endif /* GAZETTE_TEST_JSON_MVAL_H */

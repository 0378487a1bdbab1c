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
 * The part of a search snippet that both engines share: where its window
 * goes among the matches, and merging overlapping matches.  Each engine
 * finds the matches and writes the text its own way.
 */
#include <stdint.h>

#include "store_int.h"

int
store_snip_place(const struct snip_inst *v, int n, int ntok)
{
	uint64_t	 seen;
	int		 i, j, s, score, nph, best = 0, bestscore = -1;

	for (i = 0; i < n; i++) {
		s = v[i].first - SNIP_LEAD;
		if (s + SNIP_TOKENS > ntok)
			s = ntok - SNIP_TOKENS;
		if (s < 0)
			s = 0;
		seen = 0;
		score = nph = 0;
		for (j = 0; j < n; j++)
			if (v[j].first >= s && v[j].last < s + SNIP_TOKENS) {
				if (!(seen & (1ULL << (v[j].ph % 64))))
					nph++;
				seen |= 1ULL << (v[j].ph % 64);
				score++;
			}
		score += nph * 1000;
		if (score > bestscore) {
			bestscore = score;
			best = s;
		}
	}
	return best;
}

int
store_snip_merge(struct snip_inst *v, int n)
{
	int	 i, m = 0;

	for (i = 0; i < n; i++) {
		if (m > 0 && v[i].first <= v[m - 1].last) {
			if (v[i].last > v[m - 1].last)
				v[m - 1].last = v[i].last;
		} else
			v[m++] = v[i];
	}
	return m;
}

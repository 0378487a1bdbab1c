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
 * Search benchmark: a synthetic site of N posts (several languages,
 * about 600 words each, the same every run), imported through the store
 * with the shared text pipeline, then queried: single words, phrases,
 * label filters.  The same texts go into a plain SQLite FTS5 table with
 * its own unicode61 tokenizer in the same run, so the ratio shows what
 * our pipeline costs.  Prints figures; asserts nothing.
 *
 * Usage: search_bench DIR [N]
 */
#include <sys/stat.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sqlite3.h>

#include "base.h"
#include "search/search.h"
#include "store/store.h"

#define WORDS_PER_POST	600
#define QUERIES		400	/* of each kind */

static const char *const en[] = {
	"ferry", "harbour", "council", "vote", "river", "bridge", "school",
	"library", "market", "festival", "weather", "storm", "train", "road",
	"budget", "election", "minister", "hospital", "doctor", "nurse",
	"farmer", "harvest", "price", "bread", "museum", "painting", "music",
	"concert", "football", "match", "team", "coach", "winter", "summer",
	"island", "village", "city", "street", "house", "garden", "forest",
	"mountain", "snow", "rain", "sun", "night", "morning", "people",
	"children", "parents", "teacher", "students", "workers", "union",
	"strike", "factory", "energy", "water", "electricity", "tax",
	"report", "agreement", "talks", "weapons", "ammunition", "defense",
	"border", "trade", "sanctions", "aid", "food", "shortage", "science",
	"satellite", "technology", "research", "the", "a", "of", "and", "to",
	"in", "is", "was", "for", "on", "with", "as", "by", "that", "it",
};
static const char *const es[] = {
	"mercado", "barrio", "vecinos", "domingo", "ayuntamiento", "calle",
	"plaza", "fiesta", "pan", "fruta", "precio", "tienda", "escuela",
	"niños", "padres", "tren", "autobús", "lluvia", "verano", "invierno",
	"puerto", "barco", "pescadores", "río", "puente", "hospital",
	"médico", "trabajadores", "huelga", "acuerdo", "gobierno", "ministro",
	"elecciones", "votos", "museo", "música", "concierto", "el", "la",
	"de", "que", "y", "en", "los", "las", "del", "por", "con", "para",
};
static const char *const ru[] = {
	"город", "улица", "трамвай", "вокзал", "университет", "фестиваль",
	"музыка", "концерт", "набережная", "зима", "лето", "снег", "дождь",
	"школа", "дети", "родители", "учитель", "больница", "врач", "цены",
	"рынок", "хлеб", "река", "мост", "правительство", "министр",
	"выборы", "соглашение", "переговоры", "в", "и", "на", "с", "по",
	"для", "не", "что", "это", "как",
};
static const char *const labels[] = {
	"local politics", "transport", "culture", "weather", "sport",
	"health", "economy", "science", "North Korea", "Russia",
	"mercados", "barrio", "транспорт", "город", "education",
};

#define VOCAB		20000	/* generated words per language */

/*
 * A language's vocabulary: its common words first (they stand at the
 * head of the Zipf curve, as "the" and "de" do), then generated words
 * of syllables, so that a rare word is in few posts, as in real text.
 */
struct vocab {
	const char	**w;
	size_t		 n;
};

static const char *const syl_latin[] = { "ba", "ce", "di", "fo", "gu",
    "ha", "je", "ki", "lo", "mu", "na", "pe", "ri", "so", "tu", "va",
    "we", "xi", "yo", "za", "bri", "cla", "dro", "fle", "gra", "pla",
    "tre", "str", "ent", "ion", "ar", "el", "or", "an", "in", "us" };
static const char *const syl_cyr[] = { "ба", "ве", "ги", "до", "жу", "за",
    "ки", "ло", "му", "на", "по", "ре", "си", "то", "ух", "фа", "хо",
    "це", "чи", "ша", "ще", "юр", "ям", "ств", "ное", "ать", "ный" };

static uint64_t	 rng = 0x9e3779b97f4a7c15ULL;

static uint32_t
next_rand(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (uint32_t)(rng >> 11);
}

/* A Zipf-like pick: small indexes far more often. */
static size_t
pick(size_t n)
{
	double	 u = (next_rand() % 1000000) / 1000000.0;

	return (size_t)(pow(u, 2.5) * (double)n) % n;
}

/* A Zipf pick over n ranks (exponent 1): rank r has weight 1/(r+1). */
static size_t
zipf(size_t n)
{
	double	 u = (next_rand() % 1000000 + 1) / 1000001.0;

	/* Inverse of the continuous approximation of the harmonic sum. */
	return (size_t)(exp(u * log((double)n + 1)) - 1) % n;
}

static void
vocab_make(struct vocab *v, const char *const *common, size_t ncommon,
    const char *const *syl, size_t nsyl)
{
	struct buf	 b = BUF_INIT;
	size_t		 i, k, parts;

	v->n = VOCAB;
	v->w = xcalloc(v->n, sizeof(*v->w));
	for (i = 0; i < v->n; i++) {
		if (i < ncommon) {
			v->w[i] = xstrdup(common[i]);
			continue;
		}
		buf_reset(&b);
		parts = 2 + i % 3;
		for (k = 0; k < parts; k++)
			buf_adds(&b, syl[(i * 7 + k * 13 + i / nsyl) % nsyl]);
		buf_addf(&b, "%s", syl[i % nsyl]);
		v->w[i] = xstrdup(b.p);
	}
	buf_clear(&b);
}

static void
vocab_free(struct vocab *v)
{
	size_t	 i;

	for (i = 0; i < v->n; i++)
		free((void *)(uintptr_t)v->w[i]);
	free(v->w);
}

static void
make_text(struct buf *b, const struct vocab *v, size_t words)
{
	size_t	 i;

	buf_reset(b);
	for (i = 0; i < words; i++) {
		buf_adds(b, v->w[zipf(v->n)]);
		buf_adds(b, i % 15 == 14 ? ".\n\n" : " ");
	}
}

static double
now_ms(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int
cmp_double(const void *a, const void *b)
{
	double	 x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static off_t
file_size(const char *path)
{
	struct stat	 st;
	char		 wal[4200];
	off_t		 n = 0;

	if (stat(path, &st) == 0)
		n += st.st_size;
	snprintf(wal, sizeof(wal), "%s-wal", path);
	if (stat(wal, &st) == 0)
		n += st.st_size;
	return n;
}

struct timing {
	double	 p50, p99, mean;
	size_t	 hits;
};

static void
summarize(double *ms, size_t n, struct timing *t)
{
	size_t	 i;

	qsort(ms, n, sizeof(*ms), cmp_double);
	t->p50 = ms[n / 2];
	t->p99 = ms[(n * 99) / 100];
	for (t->mean = 0, i = 0; i < n; i++)
		t->mean += ms[i] / n;
}

/* Runs q through our parser and store, QUERIES times with variations. */
static void
ours(struct store *st, const char *const *qs, size_t nq, const char *label,
    struct timing *t)
{
	struct arena		*a = arena_new();
	struct search_parsed	 sp;
	struct search_result	 sr;
	double			 ms[QUERIES], t0;
	size_t			 i;

	t->hits = 0;
	for (i = 0; i < QUERIES; i++) {
		arena_reset(a);
		t0 = now_ms();
		if (search_parse(a, qs[i % nq], "en", &sp) == 0) {
			sp.q.label = label;
			sp.q.now = INT64_MAX / 2;
			sp.q.limit = 10;
			if (store_search(st, a, &sp.q, &sr) == STORE_OK)
				t->hits += sr.total;
		}
		ms[i] = now_ms() - t0;
	}
	summarize(ms, QUERIES, t);
	arena_free(a);
}

/* The same queries against plain FTS5 with unicode61. */
static void
plain(sqlite3 *db, const char *const *qs, size_t nq, int phrase,
    struct timing *t)
{
	sqlite3_stmt	*s;
	double		 ms[QUERIES], t0;
	size_t		 i;
	char		 q[256];

	sqlite3_prepare_v2(db, "SELECT rowid, snippet(plain, 1, '[', ']', "
	    "'…', 24) FROM plain WHERE plain MATCH ?1 ORDER BY "
	    "bm25(plain, 10.0, 1.0, 5.0) LIMIT 10", -1, &s, NULL);
	t->hits = 0;
	for (i = 0; i < QUERIES; i++) {
		snprintf(q, sizeof(q), phrase ? "\"%s\"" : "%s", qs[i % nq]);
		t0 = now_ms();
		sqlite3_bind_text(s, 1, q, -1, SQLITE_STATIC);
		while (sqlite3_step(s) == SQLITE_ROW)
			t->hits++;
		sqlite3_reset(s);
		ms[i] = now_ms() - t0;
	}
	sqlite3_finalize(s);
	summarize(ms, QUERIES, t);
}

static void
row(const char *what, const struct timing *o, const struct timing *p)
{
	printf("%-22s ours p50 %7.3f ms p99 %7.3f ms | unicode61 p50 %7.3f "
	    "ms p99 %7.3f ms | ratio p50 %.2f\n", what, o->p50, o->p99,
	    p->p50, p->p99, p->p50 > 0 ? o->p50 / p->p50 : 0);
}

int
main(int argc, char *argv[])
{
	static const char *const common[] = { "the", "and", "of", "ferry",
	    "de", "la", "в", "и" };
	struct vocab	 voc[3];
	const char	*words[64], *phrases[64];
	char		 qbuf[64][128];
	size_t		 nw = 0, nph = 0;
	struct store	*st;
	struct post	 p;
	struct buf	 body = BUF_INIT, title = BUF_INIT;
	struct timing	 o, pl;
	sqlite3		*db;
	sqlite3_stmt	*ins;
	char		 path[4096], err[512], slug[64];
	char		*lab[2], labbuf[2][64], langbuf[4];
	double		 t0, ours_ms, plain_ms;
	size_t		 n = 100000, i, lang;
	int64_t		 v;

	if (argc < 2) {
		fprintf(stderr, "usage: search_bench DIR [N]\n");
		return 2;
	}
	if (argc > 2 && str_to_i64(argv[2], 1, 10000000, &v) == 0)
		n = (size_t)v;
	snprintf(path, sizeof(path), "sqlite:%s/bench.db", argv[1]);
	if (store_open(path, 1, &st, err, sizeof(err)) != STORE_OK) {
		fprintf(stderr, "search_bench: %s\n", err);
		return 1;
	}
	snprintf(path, sizeof(path), "%s/plain.db", argv[1]);
	if (sqlite3_open(path, &db) != SQLITE_OK)
		return 1;
	sqlite3_exec(db, "PRAGMA journal_mode=WAL; CREATE VIRTUAL TABLE "
	    "plain USING fts5(title, body, labels, tokenize='unicode61 "
	    "remove_diacritics 2')", NULL, NULL, NULL);
	sqlite3_prepare_v2(db, "INSERT INTO plain(rowid, title, body, labels) "
	    "VALUES (?1, ?2, ?3, ?4)", -1, &ins, NULL);

	vocab_make(&voc[0], en, nitems(en), syl_latin, nitems(syl_latin));
	vocab_make(&voc[1], es, nitems(es), syl_latin, nitems(syl_latin));
	vocab_make(&voc[2], ru, nitems(ru), syl_cyr, nitems(syl_cyr));
	printf("search benchmark: %zu posts of %d words (en, es, ru; "
	    "Zipf over %d words a language)\n", n, WORDS_PER_POST, VOCAB);
	ours_ms = plain_ms = 0;
	for (i = 0; i < n; i++) {
		lang = i % 5 < 3 ? 0 : i % 5 == 3 ? 1 : 2;
		make_text(&title, &voc[lang], 8);
		make_text(&body, &voc[lang], WORDS_PER_POST);
		snprintf(labbuf[0], sizeof(labbuf[0]), "%s",
		    labels[pick(nitems(labels))]);
		snprintf(labbuf[1], sizeof(labbuf[1]), "%s",
		    labels[pick(nitems(labels))]);
		lab[0] = labbuf[0];
		lab[1] = labbuf[1];
		snprintf(langbuf, sizeof(langbuf), "%s", lang == 0 ? "en" :
		    lang == 1 ? "es" : "ru");
		memset(&p, 0, sizeof(p));
		snprintf(slug, sizeof(slug), "post-%zu", i);
		p.path = path;
		snprintf(path, sizeof(path), "/%04zu/%02zu/%s.html",
		    2000 + i % 25, 1 + i % 12, slug);
		p.slug = slug;
		p.title = title.p;
		p.source = body.p;
		p.html = body.p;
		p.lang = langbuf;
		p.status = POST_PUBLISHED;
		p.published = p.updated = 946684800 + (int64_t)i * 600;
		p.labels = lab;
		p.nlabels = strcmp(lab[0], lab[1]) == 0 ? 1 : 2;

		/* Batches of 1000 posts a transaction, as an import does. */
		t0 = now_ms();
		if (i % 1000 == 0)
			store_write_begin(st);
		store_post_save(st, &p, NULL);
		if (i % 1000 == 999 || i + 1 == n)
			store_write_end(st, 1);
		ours_ms += now_ms() - t0;

		t0 = now_ms();
		if (i % 1000 == 0)
			sqlite3_exec(db, "BEGIN", NULL, NULL, NULL);
		sqlite3_bind_int64(ins, 1, (sqlite3_int64)i + 1);
		sqlite3_bind_text(ins, 2, title.p, -1, SQLITE_STATIC);
		sqlite3_bind_text(ins, 3, body.p, -1, SQLITE_STATIC);
		sqlite3_bind_text(ins, 4, lab[0], -1, SQLITE_STATIC);
		sqlite3_step(ins);
		sqlite3_reset(ins);
		if (i % 1000 == 999 || i + 1 == n)
			sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
		plain_ms += now_ms() - t0;
		if (i % 10000 == 9999) {
			fprintf(stderr, "\r%zu/%zu posts", i + 1, n);
			fflush(stderr);
		}
	}
	fprintf(stderr, "\n");
	sqlite3_finalize(ins);
	snprintf(path, sizeof(path), "%s/bench.db", argv[1]);
	printf("import: ours %.1f s (%.0f posts/s, store + index) | "
	    "unicode61 %.1f s (FTS5 table alone) | ratio %.2f\n",
	    ours_ms / 1e3, n / (ours_ms / 1e3), plain_ms / 1e3,
	    ours_ms / plain_ms);
	printf("size: ours %.1f MiB (whole site database) | ",
	    file_size(path) / 1048576.0);
	snprintf(path, sizeof(path), "%s/plain.db", argv[1]);
	printf("unicode61 %.1f MiB (FTS5 table alone)\n",
	    file_size(path) / 1048576.0);

	/*
	 * What readers type: content words (ranks 100 to 20,000 of the
	 * curve, in all three languages), and two-word phrases.
	 */
	for (i = 0; i < 48; i++) {
		lang = i % 3;
		words[nw++] = voc[lang].w[100 + (i * 397) % (VOCAB - 100)];
	}
	for (i = 0; i < 32; i++) {
		lang = i % 3;
		snprintf(qbuf[nph], sizeof(qbuf[nph]), "\"%s %s\"",
		    voc[lang].w[30 + (i * 53) % 400],
		    voc[lang].w[30 + (i * 31) % 400]);
		phrases[nph] = qbuf[nph];
		nph++;
	}
	ours(st, words, nw, NULL, &o);
	plain(db, words, nw, 0, &pl);
	row("content words", &o, &pl);
	ours(st, phrases, nph, NULL, &o);
	plain(db, phrases, nph, 0, &pl);
	row("two-word phrases", &o, &pl);
	ours(st, words, nw, "transport", &o);
	plain(db, words, nw, 0, &pl);
	row("words + label filter", &o, &pl);
	ours(st, common, nitems(common), NULL, &o);
	plain(db, common, nitems(common), 0, &pl);
	row("very common words", &o, &pl);
	printf("goal: p50 under 1 ms, p99 under 10 ms\n");

	sqlite3_close(db);
	store_close(st);
	for (i = 0; i < 3; i++)
		vocab_free(&voc[i]);
	buf_clear(&body);
	buf_clear(&title);
	return 0;
}

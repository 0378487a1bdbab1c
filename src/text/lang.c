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
 * Language detection for the text pipeline: cheap, with no model, good
 * enough to pick a stemmer and a lang attribute.  The script with the
 * most letters names the language where a script has one (Hangul is
 * Korean, kana Japanese, Han alone Chinese, Greek, Arabic, Hebrew and
 * the Indic scripts each theirs); Cyrillic is Russian unless letters that
 * Russian lacks say Ukrainian, Serbian or Bulgarian; Latin text is told
 * apart by its most common words (and a few letters: ñ, ß, ã).  A
 * look-alike letter or two cannot change the answer, since only counts
 * decide.
 *
 * Not here: languages that share a script and lack a word list below
 * (Dutch, Swedish, Polish, ... give the fallback or a near neighbour),
 * and mixed-language text, which gets the language of its majority.
 */
#include <pthread.h>
#include <stdint.h>
#include <string.h>

#include <unicode/uchar.h>
#include <unicode/uscript.h>
#include <unicode/utf8.h>

#include "base.h"
#include "text.h"
#include "text_int.h"

/*
 * Only the start of a long text is read: a few thousand words tell the
 * language as well as the whole, and detection then costs the same for
 * a post of any length.
 */
#define LANG_SAMPLE	(16 * 1024)
#define LANG_WORD_MAX	16	/* bytes of a word looked up, with its NUL */
#define LANG_MIN_HINT	2	/* letters needed to pick a Cyrillic language */
#define LANG_HASH_N	512	/* slots for lang_words; a power of two */

/* Latin-script languages we tell apart; the order also breaks ties. */
enum latin_lang {
	I_EN = 0,
	I_ES,
	I_DE,
	I_FR,
	I_PT,
	I_IT,
	LANG_NLATIN
};

/* The same as bits of a word's entry. */
#define L_EN	(1u << I_EN)
#define L_ES	(1u << I_ES)
#define L_DE	(1u << I_DE)
#define L_FR	(1u << I_FR)
#define L_PT	(1u << I_PT)
#define L_IT	(1u << I_IT)

static const char *const latin_codes[LANG_NLATIN] = {
	"en", "es", "de", "fr", "pt", "it"
};

/*
 * Each language's most frequent short words, lower case, sorted by
 * bytes; a word common to several languages counts for each.
 * Apostrophes split words, so French "l'" and "qu'" are "l" and "qu".
 */
static const struct lang_word {
	const char	*w;	/* UTF-8, NUL-terminated */
	unsigned	 langs;	/* L_* bits */
} lang_words[] = {
	{"a", L_EN | L_ES | L_FR | L_PT | L_IT},
	{"about", L_EN},
	{"al", L_ES | L_IT},
	{"alla", L_IT},
	{"an", L_EN},
	{"anche", L_IT},
	{"and", L_EN},
	{"ao", L_PT},
	{"aos", L_PT},
	{"are", L_EN},
	{"as", L_EN | L_PT},
	{"at", L_EN},
	{"au", L_FR},
	{"auch", L_DE},
	{"auf", L_DE},
	{"aus", L_DE},
	{"aux", L_FR},
	{"avec", L_FR},
	{"be", L_EN},
	{"been", L_EN},
	{"bei", L_DE},
	{"but", L_EN},
	{"by", L_EN},
	{"ce", L_FR},
	{"cette", L_FR},
	{"che", L_IT},
	{"com", L_PT},
	{"come", L_IT},
	{"como", L_ES | L_PT},
	{"con", L_ES | L_IT},
	{"d", L_FR},
	{"da", L_PT | L_IT},
	{"dal", L_IT},
	{"dans", L_FR},
	{"das", L_DE | L_PT},
	{"dass", L_DE},
	{"de", L_ES | L_FR | L_PT},
	{"degli", L_IT},
	{"dei", L_IT},
	{"del", L_ES | L_IT},
	{"della", L_IT},
	{"delle", L_IT},
	{"dem", L_DE},
	{"den", L_DE},
	{"der", L_DE},
	{"des", L_DE | L_FR},
	{"di", L_IT},
	{"die", L_DE},
	{"do", L_PT},
	{"dos", L_PT},
	{"du", L_FR},
	{"e", L_PT | L_IT},
	{"ein", L_DE},
	{"eine", L_DE},
	{"einen", L_DE},
	{"el", L_ES},
	{"ela", L_PT},
	{"ele", L_PT},
	{"elle", L_FR},
	{"em", L_PT},
	{"en", L_ES | L_FR},
	{"er", L_DE},
	{"es", L_ES | L_DE},
	{"est", L_FR},
	{"esta", L_ES},
	{"este", L_ES},
	{"est\xc3\xa1", L_ES},
	{"et", L_FR},
	{"foi", L_PT},
	{"for", L_EN},
	{"from", L_EN},
	{"fue", L_ES},
	{"f\xc3\xbcr", L_DE},
	{"gli", L_IT},
	{"ha", L_ES | L_IT},
	{"had", L_EN},
	{"has", L_EN},
	{"hat", L_DE},
	{"have", L_EN},
	{"hay", L_ES},
	{"he", L_EN},
	{"her", L_EN},
	{"his", L_EN},
	{"i", L_EN},
	{"ich", L_DE},
	{"il", L_FR | L_IT},
	{"ils", L_FR},
	{"im", L_DE},
	{"in", L_EN | L_DE | L_IT},
	{"is", L_EN},
	{"ist", L_DE},
	{"it", L_EN},
	{"its", L_EN},
	{"l", L_FR | L_IT},
	{"la", L_ES | L_FR | L_IT},
	{"las", L_ES},
	{"le", L_ES | L_FR | L_IT},
	{"les", L_FR},
	{"leur", L_FR},
	{"lo", L_ES | L_IT},
	{"los", L_ES},
	{"ma", L_IT},
	{"mais", L_FR | L_PT},
	{"mas", L_PT},
	{"mit", L_DE},
	{"muito", L_PT},
	{"muy", L_ES},
	{"m\xc3\xa1s", L_ES},
	{"na", L_PT},
	{"nach", L_DE},
	{"nas", L_PT},
	{"ne", L_FR},
	{"nel", L_IT},
	{"nella", L_IT},
	{"nicht", L_DE},
	{"no", L_ES | L_PT},
	{"noch", L_DE},
	{"non", L_IT},
	{"nos", L_PT},
	{"not", L_EN},
	{"nous", L_FR},
	{"nur", L_DE},
	{"n\xc3\xa3o", L_PT},
	{"o", L_ES | L_PT},
	{"oder", L_DE},
	{"of", L_EN},
	{"on", L_EN | L_FR},
	{"or", L_EN},
	{"os", L_PT},
	{"ou", L_FR},
	{"par", L_FR},
	{"para", L_ES | L_PT},
	{"pas", L_FR},
	{"pela", L_PT},
	{"pelo", L_PT},
	{"per", L_IT},
	{"pero", L_ES},
	{"pi\xc3\xb9", L_IT},
	{"plus", L_FR},
	{"por", L_ES | L_PT},
	{"pour", L_FR},
	{"qu", L_FR},
	{"que", L_ES | L_FR | L_PT},
	{"questa", L_IT},
	{"questo", L_IT},
	{"qui", L_FR},
	{"se", L_ES | L_FR | L_PT},
	{"seu", L_PT},
	{"si", L_IT},
	{"sich", L_DE},
	{"sie", L_DE},
	{"sin", L_ES},
	{"sind", L_DE},
	{"sobre", L_ES},
	{"son", L_FR},
	{"sono", L_IT},
	{"sont", L_FR},
	{"su", L_ES | L_IT},
	{"sua", L_PT},
	{"sur", L_FR},
	{"sus", L_ES},
	{"s\xc3\xa3o", L_PT},
	{"tambi\xc3\xa9n", L_ES},
	{"tamb\xc3\xa9m", L_PT},
	{"that", L_EN},
	{"the", L_EN},
	{"their", L_EN},
	{"they", L_EN},
	{"this", L_EN},
	{"to", L_EN},
	{"um", L_PT},
	{"uma", L_PT},
	{"un", L_ES | L_FR | L_IT},
	{"una", L_ES | L_IT},
	{"und", L_DE},
	{"une", L_FR},
	{"von", L_DE},
	{"vous", L_FR},
	{"war", L_DE},
	{"was", L_EN},
	{"werden", L_DE},
	{"were", L_EN},
	{"which", L_EN},
	{"wie", L_DE},
	{"will", L_EN},
	{"wir", L_DE},
	{"wird", L_DE},
	{"with", L_EN},
	{"would", L_EN},
	{"y", L_ES},
	{"ya", L_ES},
	{"you", L_EN},
	{"zu", L_DE},
	{"zum", L_DE},
	{"zur", L_DE},
	{"\xc3\xa0", L_FR | L_PT},
	{"\xc3\xa8", L_IT},
	{"\xc3\xa9", L_PT},
	{"\xc3\xa9t\xc3\xa9", L_FR},
	{"\xc3\xaatre", L_FR},
	{"\xc3\xbc" "ber", L_DE},
};

/*
 * lang_words by hash, for a lookup per word of a long text: index + 1
 * (0: empty), linear probing.  Filled once under lang_hash_once,
 * read-only after.
 */
static pthread_once_t	 lang_hash_once = PTHREAD_ONCE_INIT;
static uint16_t		 lang_hash[LANG_HASH_N];

/* Scripts that name a language, as counting slots. */
enum lang_slot {
	S_LATIN = 0,
	S_CYRILLIC,
	S_GREEK,
	S_HAN,
	S_KANA,
	S_HANGUL,
	S_ARABIC,
	S_HEBREW,
	S_THAI,
	S_DEVANAGARI,
	S_BENGALI,
	S_TAMIL,
	S_TELUGU,
	S_KANNADA,
	S_MALAYALAM,
	S_GUJARATI,
	S_GURMUKHI,
	S_SINHALA,
	S_ARMENIAN,
	S_GEORGIAN,
	S_ETHIOPIC,
	S_KHMER,
	S_LAO,
	S_MYANMAR,
	S__MAX
};

/* The language of each slot's script, by slot. */
static const char *const slot_codes[S__MAX] = {
	NULL, "ru", "el", "zh", "ja", "ko", "ar", "he", "th", "hi", "bn",
	"ta", "te", "kn", "ml", "gu", "pa", "si", "hy", "ka", "am", "km",
	"lo", "my"
};

/* What the counting pass saw. */
struct lang_count {
	size_t	 script[S__MAX];	/* letters per script */
	size_t	 latin[LANG_NLATIN];	/* common words and letters */
	size_t	 ru;	/* ы э ё: Russian, not Ukrainian or Bulgarian */
	size_t	 uk;	/* і ї є ґ: Ukrainian */
	size_t	 sr;	/* ђ ћ џ љ њ ј: Serbian (or Macedonian) */
	size_t	 hard;	/* ъ: Russian (rare) or Bulgarian (frequent) */
};

/* The counting slot of a letter's script, or -1. */
static int
lang_slot(UChar32 c)
{
	UErrorCode	 e = U_ZERO_ERROR;

	switch (uscript_getScript(c, &e)) {
	case USCRIPT_LATIN:
		return S_LATIN;
	case USCRIPT_CYRILLIC:
		return S_CYRILLIC;
	case USCRIPT_GREEK:
		return S_GREEK;
	case USCRIPT_HAN:
		return S_HAN;
	case USCRIPT_HIRAGANA:
	case USCRIPT_KATAKANA:
		return S_KANA;
	case USCRIPT_HANGUL:
		return S_HANGUL;
	case USCRIPT_ARABIC:
		return S_ARABIC;
	case USCRIPT_HEBREW:
		return S_HEBREW;
	case USCRIPT_THAI:
		return S_THAI;
	case USCRIPT_DEVANAGARI:
		return S_DEVANAGARI;
	case USCRIPT_BENGALI:
		return S_BENGALI;
	case USCRIPT_TAMIL:
		return S_TAMIL;
	case USCRIPT_TELUGU:
		return S_TELUGU;
	case USCRIPT_KANNADA:
		return S_KANNADA;
	case USCRIPT_MALAYALAM:
		return S_MALAYALAM;
	case USCRIPT_GUJARATI:
		return S_GUJARATI;
	case USCRIPT_GURMUKHI:
		return S_GURMUKHI;
	case USCRIPT_SINHALA:
		return S_SINHALA;
	case USCRIPT_ARMENIAN:
		return S_ARMENIAN;
	case USCRIPT_GEORGIAN:
		return S_GEORGIAN;
	case USCRIPT_ETHIOPIC:
		return S_ETHIOPIC;
	case USCRIPT_KHMER:
		return S_KHMER;
	case USCRIPT_LAO:
		return S_LAO;
	case USCRIPT_MYANMAR:
		return S_MYANMAR;
	default:
		return -1;
	}
}

/*
 * The code point at *p (before end), advancing *p; a byte that does not
 * start a valid sequence reads as -1 and is skipped alone, so text that
 * is not UTF-8 still gets an answer.
 */
static UChar32
lang_next(const unsigned char **p, const unsigned char *end)
{
	const unsigned char	*s = *p;
	UChar32			 c;
	size_t			 n, i;

	if (s[0] < 0x80) {
		*p = s + 1;
		return s[0];
	}
	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		n = 2;
		c = s[0] & 0x1f;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		n = 3;
		c = s[0] & 0x0f;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		n = 4;
		c = s[0] & 0x07;
	} else
		goto bad;
	if ((size_t)(end - s) < n)
		goto bad;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			goto bad;
		c = c << 6 | (s[i] & 0x3f);
	}
	if ((n == 3 && (c < 0x800 || (c >= 0xd800 && c <= 0xdfff))) ||
	    (n == 4 && (c < 0x10000 || c > 0x10ffff)))
		goto bad;
	*p = s + n;
	return c;
bad:
	*p = s + 1;
	return -1;
}

/* FNV-1a of w[0..len). */
static uint32_t
lang_word_hash(const char *w, size_t len)
{
	uint32_t	 h = 2166136261u;
	size_t		 i;

	for (i = 0; i < len; i++)
		h = (h ^ (unsigned char)w[i]) * 16777619u;
	return h;
}

/* Fills lang_hash from lang_words. */
static void
lang_hash_init(void)
{
	uint32_t	 h;
	size_t		 i;

	for (i = 0; i < nitems(lang_words); i++) {
		h = lang_word_hash(lang_words[i].w, strlen(lang_words[i].w));
		while (lang_hash[h & (LANG_HASH_N - 1)] != 0)
			h++;
		lang_hash[h & (LANG_HASH_N - 1)] = (uint16_t)(i + 1);
	}
}

/* Adds the common-word counts of the lower-case word w[0..len). */
static void
lang_word_count(struct lang_count *n, const char *w, size_t len)
{
	const struct lang_word	*lw;
	uint32_t		 h;
	size_t			 i;

	h = lang_word_hash(w, len);
	for (; lang_hash[h & (LANG_HASH_N - 1)] != 0; h++) {
		lw = &lang_words[lang_hash[h & (LANG_HASH_N - 1)] - 1];
		if (strncmp(lw->w, w, len) != 0 || lw->w[len] != '\0')
			continue;
		for (i = 0; i < LANG_NLATIN; i++)
			if (lw->langs & (1u << i))
				n->latin[i]++;
		return;
	}
}

/* Counts the letters that tell one Latin or Cyrillic language. */
static void
lang_letter_count(struct lang_count *n, UChar32 c)
{
	switch (c) {
	case 0xf1:	/* ñ */
		n->latin[I_ES]++;
		break;
	case 0xdf:	/* ß */
	case 0xe4:	/* ä */
	case 0xf6:	/* ö */
	case 0xfc:	/* ü */
		n->latin[I_DE]++;
		break;
	case 0x153:	/* œ */
	case 0xea:	/* ê */
		n->latin[I_FR]++;
		break;
	case 0xe3:	/* ã */
	case 0xf5:	/* õ */
		n->latin[I_PT]++;
		break;
	case 0x44b:	/* ы */
	case 0x44d:	/* э */
	case 0x451:	/* ё */
		n->ru++;
		break;
	case 0x456:	/* і */
	case 0x457:	/* ї */
	case 0x454:	/* є */
	case 0x491:	/* ґ */
		n->uk++;
		break;
	case 0x452:	/* ђ */
	case 0x45b:	/* ћ */
	case 0x45f:	/* џ */
	case 0x459:	/* љ */
	case 0x45a:	/* њ */
	case 0x458:	/* ј */
		n->sr++;
		break;
	case 0x44a:	/* ъ */
		n->hard++;
		break;
	}
}

/* Counts letters per script, and the hints, in s[0..len). */
static void
lang_count(const char *s, size_t len, struct lang_count *n)
{
	const unsigned char	*p = (const unsigned char *)s, *end = p + len;
	char			 word[LANG_WORD_MAX];
	size_t			 wlen = 0;
	UChar32			 c;
	int			 slot, in_word = 0;

	while (p < end) {
		c = lang_next(&p, end);
		if (c >= 'A' && c <= 'Z')
			c += 'a' - 'A';
		slot = -1;
		if (c >= 'a' && c <= 'z')
			slot = S_LATIN;
		else if (c >= 0x400 && c <= 0x45f) {
			/* Russian's letters, without three property lookups. */
			if (c < 0x410)
				c += 0x50;
			else if (c < 0x430)
				c += 0x20;
			slot = S_CYRILLIC;
		} else if (c >= 0x80 && u_isalpha(c)) {
			c = u_tolower(c);
			slot = lang_slot(c);
		}
		if (slot == S_LATIN) {
			/*
			 * A run of Latin letters is a word; a long one is
			 * no function word and is not looked up.
			 */
			if (wlen + U8_LENGTH(c) < sizeof(word))
				U8_APPEND_UNSAFE(word, wlen, c);
			else
				wlen = sizeof(word);
			in_word = 1;
		} else if (in_word) {
			if (wlen < sizeof(word))
				lang_word_count(n, word, wlen);
			wlen = 0;
			in_word = 0;
		}
		if (slot >= 0) {
			n->script[slot]++;
			if (c >= 0x80)
				lang_letter_count(n, c);
		} else if (c == 0xbf || c == 0xa1)	/* ¿ ¡ */
			n->latin[I_ES]++;
	}
	if (in_word && wlen < sizeof(word))
		lang_word_count(n, word, wlen);
}

/* The Latin-script language the words point to, or NULL. */
static const char *
lang_latin(const struct lang_count *n, const char *fallback)
{
	size_t	 best = 0, i;
	int	 fb = -1;

	for (i = 0; i < LANG_NLATIN; i++) {
		if (n->latin[i] > best)
			best = n->latin[i];
		if (strcmp(fallback, latin_codes[i]) == 0)
			fb = (int)i;
	}
	if (best == 0)
		return NULL;
	/* A tie goes to the fallback when it is one of the best. */
	if (fb >= 0 && n->latin[fb] == best)
		return latin_codes[fb];
	for (i = 0; i < LANG_NLATIN; i++)
		if (n->latin[i] == best)
			return latin_codes[i];
	return NULL;	/* not reached: best is one of them */
}

/* The Cyrillic-script language the letters point to. */
static const char *
lang_cyrillic(const struct lang_count *n)
{
	if (n->sr >= LANG_MIN_HINT && n->sr > n->ru && n->sr > n->uk)
		return "sr";
	if (n->uk >= LANG_MIN_HINT && n->uk > n->ru)
		return "uk";
	/* Bulgarian writes ъ often and never ы, э or ё. */
	if (n->hard >= LANG_MIN_HINT && n->ru == 0 && n->uk == 0)
		return "bg";
	return "ru";
}

const char *
text_lang_detect(const char *s, size_t len, const char *fallback)
{
	struct lang_count	 n;
	const char		*code;
	size_t			 best = 0, i, cjk;
	int			 slot = -1;

	if (fallback == NULL)
		fallback = "en";
	if (s == NULL || len == 0)
		return fallback;
	if (len > LANG_SAMPLE)
		len = LANG_SAMPLE;	/* a cut sequence reads as bad bytes */
	memset(&n, 0, sizeof(n));
	pthread_once(&lang_hash_once, lang_hash_init);
	lang_count(s, len, &n);

	/*
	 * Japanese mixes kanji with kana, Chinese has no kana: a text is
	 * Japanese when kana make up a tenth of its Han and kana, and a
	 * few stray kana leave Chinese alone.
	 */
	cjk = n.script[S_HAN] + n.script[S_KANA];
	if (n.script[S_KANA] >= LANG_MIN_HINT && n.script[S_KANA] * 10 >= cjk) {
		n.script[S_KANA] = cjk;
		n.script[S_HAN] = 0;
	} else
		n.script[S_KANA] = 0;

	for (i = 0; i < S__MAX; i++)
		if (n.script[i] > best) {
			best = n.script[i];
			slot = (int)i;
		}
	if (slot == -1)
		return fallback;
	if (slot == S_CYRILLIC)
		return lang_cyrillic(&n);
	if (slot != S_LATIN)
		return slot_codes[slot];
	if ((code = lang_latin(&n, fallback)) == NULL)
		return fallback;
	return code;
}

/* Languages written in a script other than Latin, and that script. */
static const struct lang_script {
	char		 code[4];	/* as lang_code */
	UScriptCode	 script;
} lang_scripts[] = {
	{"am", USCRIPT_ETHIOPIC},
	{"ar", USCRIPT_ARABIC},
	{"be", USCRIPT_CYRILLIC},
	{"bg", USCRIPT_CYRILLIC},
	{"bn", USCRIPT_BENGALI},
	{"el", USCRIPT_GREEK},
	{"fa", USCRIPT_ARABIC},
	{"gu", USCRIPT_GUJARATI},
	{"he", USCRIPT_HEBREW},
	{"hi", USCRIPT_DEVANAGARI},
	{"hy", USCRIPT_ARMENIAN},
	{"ja", USCRIPT_HAN},
	{"ka", USCRIPT_GEORGIAN},
	{"kk", USCRIPT_CYRILLIC},
	{"km", USCRIPT_KHMER},
	{"kn", USCRIPT_KANNADA},
	{"ko", USCRIPT_HAN},
	{"ky", USCRIPT_CYRILLIC},
	{"lo", USCRIPT_LAO},
	{"mk", USCRIPT_CYRILLIC},
	{"ml", USCRIPT_MALAYALAM},
	{"mn", USCRIPT_CYRILLIC},
	{"mr", USCRIPT_DEVANAGARI},
	{"my", USCRIPT_MYANMAR},
	{"ne", USCRIPT_DEVANAGARI},
	{"pa", USCRIPT_GURMUKHI},
	{"ru", USCRIPT_CYRILLIC},
	{"si", USCRIPT_SINHALA},
	{"sr", USCRIPT_CYRILLIC},
	{"ta", USCRIPT_TAMIL},
	{"te", USCRIPT_TELUGU},
	{"tg", USCRIPT_CYRILLIC},
	{"th", USCRIPT_THAI},
	{"uk", USCRIPT_CYRILLIC},
	{"ur", USCRIPT_ARABIC},
	{"yi", USCRIPT_HEBREW},
	{"zh", USCRIPT_HAN},
};

int
lang_code(const char *lang, char code[4])
{
	size_t	 n;

	memset(code, 0, 4);
	if (lang == NULL)
		return -1;
	for (n = 0; lang[n] != '\0' && lang[n] != '-' && lang[n] != '_';
	    n++) {
		if (n == 3)
			return -1;
		code[n] = lang[n];
		if (code[n] >= 'A' && code[n] <= 'Z')
			code[n] = (char)(code[n] - 'A' + 'a');
	}
	return n > 0 ? 0 : -1;
}

UScriptCode
lang_script(const char *lang)
{
	char	 code[4];
	size_t	 i;

	if (lang_code(lang, code) == -1)
		return USCRIPT_LATIN;
	for (i = 0; i < nitems(lang_scripts); i++)
		if (memcmp(lang_scripts[i].code, code, sizeof(code)) == 0)
			return lang_scripts[i].script;
	return USCRIPT_LATIN;
}

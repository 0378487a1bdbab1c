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
 * TOTP (RFC 6238) as authenticator apps expect it: HMAC-SHA-1, 6
 * digits, 30-second steps, the secret in base32 (RFC 4648, no padding)
 * inside an otpauth:// URI.  The login accepts the step before and
 * after the current one for clocks that drift.
 */
#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "site_int.h"

#define TOTP_STEP	30	/* seconds */
#define TOTP_DIGITS	6
#define TOTP_KEY_LEN	20	/* bytes of a new secret: 160 bits */
#define TOTP_KEY_MAX	64	/* bytes of a secret we decode */

static const char b32[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/* Decodes base32 s (case and spaces free) into out; bytes or -1. */
static int
b32_decode(const char *s, unsigned char *out, size_t outlen)
{
	const char	*c;
	uint32_t	 acc = 0;
	size_t		 n = 0;
	int		 bits = 0;
	char		 ch;

	for (; *s != '\0'; s++) {
		if (*s == ' ' || *s == '=')
			continue;
		ch = *s >= 'a' && *s <= 'z' ? (char)(*s - 'a' + 'A') : *s;
		if ((c = strchr(b32, ch)) == NULL || ch == '\0')
			return -1;
		acc = (acc << 5) | (uint32_t)(c - b32);
		if ((bits += 5) >= 8) {
			if (n == outlen)
				return -1;
			out[n++] = (unsigned char)(acc >> (bits - 8));
			bits -= 8;
		}
	}
	return n == 0 ? -1 : (int)n;
}

int
site_totp_secret_new(char *out, size_t outlen)
{
	unsigned char	 key[TOTP_KEY_LEN];
	uint32_t	 acc = 0;
	size_t		 i, n = 0;
	int		 bits = 0;

	if (outlen < TOTP_KEY_LEN * 8 / 5 + 1)
		return -1;
	randombytes_buf(key, sizeof(key));
	for (i = 0; i < sizeof(key); i++) {
		acc = (acc << 8) | key[i];
		bits += 8;
		while (bits >= 5) {
			out[n++] = b32[(acc >> (bits - 5)) & 31];
			bits -= 5;
		}
	}
	out[n] = '\0';
	sodium_memzero(key, sizeof(key));
	return 0;
}

int
site_totp_code(const char *secret, int64_t t, char out[SITE_TOTP_CODE])
{
	unsigned char	 key[TOTP_KEY_MAX], msg[8], mac[SITE_SHA1_LEN];
	uint64_t	 step;
	uint32_t	 v;
	int		 keylen, i, off;

	out[0] = '\0';
	if ((keylen = b32_decode(secret, key, sizeof(key))) == -1 || t < 0)
		return -1;
	step = (uint64_t)t / TOTP_STEP;
	for (i = 0; i < 8; i++)
		msg[i] = (unsigned char)(step >> (56 - 8 * i));
	site_hmac_sha1(key, (size_t)keylen, msg, sizeof(msg), mac);
	off = mac[SITE_SHA1_LEN - 1] & 0xf;
	v = ((uint32_t)(mac[off] & 0x7f) << 24) |
	    ((uint32_t)mac[off + 1] << 16) | ((uint32_t)mac[off + 2] << 8) |
	    mac[off + 3];
	snprintf(out, SITE_TOTP_CODE, "%06u", (unsigned)(v % 1000000));
	sodium_memzero(key, sizeof(key));
	return 0;
}

int
site_totp_check(const char *secret, const char *code, int64_t now)
{
	char	 want[SITE_TOTP_CODE];
	int	 d, ok = 0;

	if (code == NULL || strlen(code) != TOTP_DIGITS)
		return 0;
	for (d = -1; d <= 1; d++)
		if (site_totp_code(secret, now + d * TOTP_STEP, want) == 0 &&
		    sodium_memcmp(want, code, TOTP_DIGITS) == 0)
			ok = 1;
	return ok;
}

char *
site_totp_uri(struct arena *a, const char *issuer, const char *user,
    const char *secret)
{
	struct buf	 b = BUF_INIT;
	char		*s;

	buf_adds(&b, "otpauth://totp/");
	render_escape_url(&b, issuer, strlen(issuer));
	buf_adds(&b, ":");
	render_escape_url(&b, user, strlen(user));
	buf_addf(&b, "?secret=%s&issuer=", secret);
	render_escape_url(&b, issuer, strlen(issuer));
	buf_addf(&b, "&algorithm=SHA1&digits=%d&period=%d", TOTP_DIGITS,
	    TOTP_STEP);
	s = arena_strndup(a, b.p, b.len);
	buf_clear(&b);
	return s;
}

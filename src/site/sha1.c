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
 * SHA-1 (FIPS 180-4) and HMAC-SHA-1 (RFC 2104), for TOTP alone:
 * authenticator apps compute RFC 6238 codes with HMAC-SHA-1, and
 * libsodium, our crypto library, has no SHA-1.  Nothing else may use
 * this; SHA-1 is broken for collisions, which HMAC does not rely on.
 */
#include <stdint.h>
#include <string.h>

#include "site_int.h"

struct sha1 {
	uint32_t	 h[5];
	uint64_t	 len;	/* bytes hashed so far */
	unsigned char	 block[64];
	size_t		 nblock;	/* bytes waiting in block */
};

static uint32_t
rol(uint32_t x, int n)
{
	return (x << n) | (x >> (32 - n));
}

static void
sha1_block(struct sha1 *c, const unsigned char *p)
{
	uint32_t	 w[80], a, b, d, e, f, k, t, cc;
	int		 i;

	for (i = 0; i < 16; i++)
		w[i] = (uint32_t)p[4 * i] << 24 | (uint32_t)p[4 * i + 1] << 16 |
		    (uint32_t)p[4 * i + 2] << 8 | (uint32_t)p[4 * i + 3];
	for (i = 16; i < 80; i++)
		w[i] = rol(w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16], 1);
	a = c->h[0];
	b = c->h[1];
	cc = c->h[2];
	d = c->h[3];
	e = c->h[4];
	for (i = 0; i < 80; i++) {
		if (i < 20) {
			f = (b & cc) | (~b & d);
			k = 0x5a827999;
		} else if (i < 40) {
			f = b ^ cc ^ d;
			k = 0x6ed9eba1;
		} else if (i < 60) {
			f = (b & cc) | (b & d) | (cc & d);
			k = 0x8f1bbcdc;
		} else {
			f = b ^ cc ^ d;
			k = 0xca62c1d6;
		}
		t = rol(a, 5) + f + e + k + w[i];
		e = d;
		d = cc;
		cc = rol(b, 30);
		b = a;
		a = t;
	}
	c->h[0] += a;
	c->h[1] += b;
	c->h[2] += cc;
	c->h[3] += d;
	c->h[4] += e;
}

static void
sha1_init(struct sha1 *c)
{
	static const uint32_t	 h0[5] = { 0x67452301, 0xefcdab89,
	    0x98badcfe, 0x10325476, 0xc3d2e1f0 };

	memset(c, 0, sizeof(*c));
	memcpy(c->h, h0, sizeof(h0));
}

static void
sha1_update(struct sha1 *c, const unsigned char *p, size_t len)
{
	size_t	 n;

	c->len += len;
	while (len > 0) {
		n = sizeof(c->block) - c->nblock;
		if (n > len)
			n = len;
		memcpy(c->block + c->nblock, p, n);
		c->nblock += n;
		p += n;
		len -= n;
		if (c->nblock == sizeof(c->block)) {
			sha1_block(c, c->block);
			c->nblock = 0;
		}
	}
}

static void
sha1_final(struct sha1 *c, unsigned char out[SITE_SHA1_LEN])
{
	unsigned char	 pad[72];
	uint64_t	 bits = c->len * 8;
	size_t		 npad, i;

	npad = c->nblock < 56 ? 56 - c->nblock : 120 - c->nblock;
	memset(pad, 0, sizeof(pad));
	pad[0] = 0x80;
	for (i = 0; i < 8; i++)
		pad[npad + i] = (unsigned char)(bits >> (56 - 8 * i));
	sha1_update(c, pad, npad + 8);
	for (i = 0; i < 5; i++) {
		out[4 * i] = (unsigned char)(c->h[i] >> 24);
		out[4 * i + 1] = (unsigned char)(c->h[i] >> 16);
		out[4 * i + 2] = (unsigned char)(c->h[i] >> 8);
		out[4 * i + 3] = (unsigned char)c->h[i];
	}
}

void
site_sha1(const void *p, size_t len, unsigned char out[SITE_SHA1_LEN])
{
	struct sha1	 c;

	sha1_init(&c);
	sha1_update(&c, p, len);
	sha1_final(&c, out);
}

void
site_hmac_sha1(const void *key, size_t keylen, const void *msg,
    size_t msglen, unsigned char out[SITE_SHA1_LEN])
{
	struct sha1	 c;
	unsigned char	 k[64], pad[64], inner[SITE_SHA1_LEN];
	size_t		 i;

	memset(k, 0, sizeof(k));
	if (keylen > sizeof(k))
		site_sha1(key, keylen, k);
	else
		memcpy(k, key, keylen);
	for (i = 0; i < sizeof(pad); i++)
		pad[i] = k[i] ^ 0x36;
	sha1_init(&c);
	sha1_update(&c, pad, sizeof(pad));
	sha1_update(&c, msg, msglen);
	sha1_final(&c, inner);
	for (i = 0; i < sizeof(pad); i++)
		pad[i] = k[i] ^ 0x5c;
	sha1_init(&c);
	sha1_update(&c, pad, sizeof(pad));
	sha1_update(&c, inner, sizeof(inner));
	sha1_final(&c, out);
}

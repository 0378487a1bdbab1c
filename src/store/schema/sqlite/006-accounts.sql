-- Copyright (c) 2026 The gazette authors
--
-- Permission to use, copy, modify, and distribute this software for any
-- purpose with or without fee is hereby granted, provided that the above
-- copyright notice and this permission notice appear in all copies.
--
-- THE SOFTWARE IS PROVIDED "AS IS" AND THE AUTHOR DISCLAIMS ALL WARRANTIES.

-- Migration 6: the admin's accounts, sessions and API tokens, who wrote
-- which post, and the daily page view and search counts.
--
-- Secrets are never stored as given: passwords as argon2id strings
-- (libsodium's crypto_pwhash_str), session ids and API tokens as the
-- hex SHA-256 of the random value the browser or client holds, so a copy
-- of the database opens no session.  Times are seconds since the epoch.

CREATE TABLE users (
	id		INTEGER PRIMARY KEY AUTOINCREMENT,
	name		TEXT NOT NULL UNIQUE COLLATE NOCASE,
	role		TEXT NOT NULL
			    CHECK (role IN ('owner', 'editor', 'author')),
	pwhash		TEXT NOT NULL,
	totp_secret	TEXT NOT NULL DEFAULT '',	-- base32, '' = none
	created		INTEGER NOT NULL
);

-- A session dies with its user, and at expires whatever the cookie says.
CREATE TABLE sessions (
	id_hash		TEXT PRIMARY KEY,
	user_id		INTEGER NOT NULL
			    REFERENCES users (id) ON DELETE CASCADE,
	csrf		TEXT NOT NULL,
	created		INTEGER NOT NULL,
	expires		INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX sessions_expires ON sessions (expires);

CREATE TABLE api_tokens (
	id		INTEGER PRIMARY KEY AUTOINCREMENT,
	user_id		INTEGER NOT NULL
			    REFERENCES users (id) ON DELETE CASCADE,
	name		TEXT NOT NULL,
	token_hash	TEXT NOT NULL UNIQUE,
	created		INTEGER NOT NULL,
	last_used	INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX api_tokens_user ON api_tokens (user_id);

-- A post's author; posts made before accounts existed have none, and
-- only editors and owners may change those.
CREATE TABLE post_authors (
	post_id		INTEGER PRIMARY KEY
			    REFERENCES posts (id) ON DELETE CASCADE,
	user_id		INTEGER NOT NULL
			    REFERENCES users (id) ON DELETE CASCADE
);
CREATE INDEX post_authors_user ON post_authors (user_id);

-- Counts per UTC day (day = seconds / 86400): kind 'view' keyed by the
-- page's path, kind 'search' by the query as typed.  The server adds
-- them up in memory and writes a batch now and then.
CREATE TABLE stats_daily (
	day		INTEGER NOT NULL,
	kind		TEXT NOT NULL CHECK (kind IN ('view', 'search')),
	key		TEXT NOT NULL,
	n		INTEGER NOT NULL,
	PRIMARY KEY (day, kind, key)
) WITHOUT ROWID;

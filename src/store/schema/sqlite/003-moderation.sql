-- Copyright (c) 2026 The gazette authors
--
-- Permission to use, copy, modify, and distribute this software for any
-- purpose with or without fee is hereby granted, provided that the above
-- copyright notice and this permission notice appear in all copies.
--
-- THE SOFTWARE IS PROVIDED "AS IS" AND THE AUTHOR DISCLAIMS ALL WARRANTIES.

-- Migration 3: moderation and the spam filter's memory.
--
-- Like 002 this needs gazette_label_key() on the connection, and after
-- this SQL, in the same transaction, migrate.c runs the C step for
-- version 3 (store_sqlite_migrate_step), which fills comments.body_hash:
-- SQLite has no hash function of its own.  Columns are added, not
-- rebuilt, so existing rows keep their ids and take the defaults.

-- Closing a post's comments: now (comments_closed), or automatically
-- comments_days days after it was published (0: never).  The site
-- decides what "closed" means; the store only keeps the two numbers.
ALTER TABLE posts ADD COLUMN comments_closed INTEGER NOT NULL DEFAULT 0
    CHECK (comments_closed IN (0, 1));
ALTER TABLE posts ADD COLUMN comments_days INTEGER NOT NULL DEFAULT 0
    CHECK (comments_days >= 0);

-- What the scorer made of a comment when it came in: 0 (ham) .. 1
-- (spam), and its reasons, "; "-separated.  Imported and older comments
-- were never scored: 0 and ''.
ALTER TABLE comments ADD COLUMN spam_score REAL NOT NULL DEFAULT 0;
ALTER TABLE comments ADD COLUMN spam_reasons TEXT NOT NULL DEFAULT '';

-- "The same text again and again": how many comments since a time have
-- exactly this body.  An index on the body itself would copy every
-- body into it, and one on created alone would compare every body of
-- the window, which a flood makes large; so the engine stores a 64-bit
-- FNV-1a of the body's bytes (top bit cleared, so it is a plain
-- positive integer), computed in C at insert, and compares bodies only
-- among the rows with the same hash.  Rows written by other programs
-- (the sqlite3 shell) have 0 and are not counted.
ALTER TABLE comments ADD COLUMN body_hash INTEGER NOT NULL DEFAULT 0;
CREATE INDEX comments_body ON comments (body_hash, created);

-- The author filter of the moderation queue matches names in any case,
-- non-ASCII letters included, which lower() (ASCII only) cannot do: the
-- name's key as labels have it (case, look-alike letters and spacing
-- around punctuation do not count), written by the engine at insert.
ALTER TABLE comments ADD COLUMN name_key TEXT NOT NULL DEFAULT '';
UPDATE comments SET name_key = gazette_label_key(name);
CREATE INDEX comments_name ON comments (name_key, created);

-- Every moderation action, by whom and when.  comment_id has no foreign
-- key on purpose: the record of why a comment went must outlive it.
CREATE TABLE moderation_log (
	id		INTEGER PRIMARY KEY,
	comment_id	INTEGER NOT NULL,
	action		TEXT NOT NULL,	-- "approve", "spam", "delete"...
	actor		TEXT NOT NULL,	-- "cli:USER", "scorer", "admin:NAME"
	at		INTEGER NOT NULL,
	detail		TEXT NOT NULL DEFAULT ''
);

-- One comment's history, newest first.
CREATE INDEX moderation_log_comment ON moderation_log (comment_id, at);
-- The whole log, newest first, without sorting all of it.
CREATE INDEX moderation_log_at ON moderation_log (at);

-- The learned filter: for each term (text_spam_terms), how many ham and
-- how many spam messages had it.  Looked up by term only, so the term
-- is the key and there is no rowid.
CREATE TABLE spam_terms (
	term		TEXT PRIMARY KEY,
	ham		INTEGER NOT NULL DEFAULT 0 CHECK (ham >= 0),
	spam		INTEGER NOT NULL DEFAULT 0 CHECK (spam >= 0)
) WITHOUT ROWID;

-- How many ham and spam messages were learned in all: one row, id 1.
CREATE TABLE spam_totals (
	id		INTEGER PRIMARY KEY CHECK (id = 1),
	nham		INTEGER NOT NULL DEFAULT 0 CHECK (nham >= 0),
	nspam		INTEGER NOT NULL DEFAULT 0 CHECK (nspam >= 0)
);
INSERT INTO spam_totals (id, nham, nspam) VALUES (1, 0, 0);

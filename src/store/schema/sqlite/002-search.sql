-- Copyright (c) 2026 The gazette authors
--
-- Permission to use, copy, modify, and distribute this software for any
-- purpose with or without fee is hereby granted, provided that the above
-- copyright notice and this permission notice appear in all copies.
--
-- THE SOFTWARE IS PROVIDED "AS IS" AND THE AUTHOR DISCLAIMS ALL WARRANTIES.

-- Migration 2: labels meet by key, and the full-text search index.
--
-- This file needs what store_fts5_register() (fts5_tokenizer.c) puts on
-- the connection: the function gazette_label_key(name) and the FTS5
-- tokenizer "gazette".  migrate.c registers both before any migration,
-- and after this SQL, in the same transaction, runs the C step for
-- version 2 (store_sqlite_migrate_step), which fills post_search: SQL
-- cannot turn html into text or pick a post's language.
--
-- Labels.  A label is found by its key (text_label_key: case, spacing
-- around hyphens and look-alike letters do not count), so "Russia-
-- Ukraine war" and "russia-ukraine war" are one label.  Version 1 kept
-- them apart (its names were unique only up to ASCII case), so they are
-- merged here: the spelling first used (the lowest id) stays the display
-- name, and a post that had several spellings keeps one, where the first
-- of them stood.  Tables are rebuilt rather than altered because SQLite
-- cannot add a UNIQUE NOT NULL column; foreign keys are off while
-- migrating, so dropping the old tables leaves the references to be
-- picked up by the renamed new ones.

CREATE TABLE labels_new (
	id		INTEGER PRIMARY KEY,
	name		TEXT NOT NULL,		-- display name
	key		TEXT NOT NULL UNIQUE	-- gazette_label_key(name)
);

-- With a single min() SQLite takes the bare name from the same row.
INSERT INTO labels_new (id, name, key)
    SELECT min(id), name, gazette_label_key(name)
    FROM labels GROUP BY gazette_label_key(name);

CREATE TABLE post_labels_new (
	post_id		INTEGER NOT NULL
			    REFERENCES posts (id) ON DELETE CASCADE,
	label_id	INTEGER NOT NULL
			    REFERENCES labels (id) ON DELETE CASCADE,
	position	INTEGER NOT NULL,
	PRIMARY KEY (post_id, label_id)
) WITHOUT ROWID;

INSERT INTO post_labels_new (post_id, label_id, position)
    SELECT pl.post_id, n.id, min(pl.position)
    FROM post_labels pl
    JOIN labels l ON l.id = pl.label_id
    JOIN labels_new n ON n.key = gazette_label_key(l.name)
    GROUP BY pl.post_id, n.id;

DROP TABLE post_labels;
DROP TABLE labels;
ALTER TABLE labels_new RENAME TO labels;
ALTER TABLE post_labels_new RENAME TO post_labels;
CREATE INDEX post_labels_label ON post_labels (label_id, post_id);

-- Search.  One row per post, rowid = posts.id, kept in step by the
-- engine inside every write that changes what it holds (post save and
-- delete, comment changes, label renames and merges); store_search
-- filters out drafts, pages and posts not yet due, so those may be here.
-- Each value starts with a language marker ("\x1f" "en" "\x1f") that
-- the tokenizer reads and skips.  The content is stored here, not
-- referenced, so snippet() has the exact text that was tokenized.
--   title      the post's title
--   body       its text, from the html, without markup
--   labels     its label names, one a line
--   comments   its approved comments, one a paragraph
CREATE VIRTUAL TABLE post_search USING fts5 (
	title, body, labels, comments,
	tokenize = 'gazette'
);

-- Terms with the number of rows that have them: store_terms_prefix.
CREATE VIRTUAL TABLE post_search_vocab USING fts5vocab (post_search, 'row');

-- Search filters every match by these, looked up by id.  In a posts row
-- they come after source and html, so reading them from the row means
-- reading those columns' overflow pages first; this index answers
-- without touching the row.
CREATE INDEX posts_state ON posts (id, status, is_page, published);

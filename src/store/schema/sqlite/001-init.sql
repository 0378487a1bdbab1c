-- Copyright (c) 2026 The gazette authors
--
-- Permission to use, copy, modify, and distribute this software for any
-- purpose with or without fee is hereby granted, provided that the above
-- copyright notice and this permission notice appear in all copies.
--
-- THE SOFTWARE IS PROVIDED "AS IS" AND THE AUTHOR DISCLAIMS ALL WARRANTIES.

-- Migration 1: posts, labels and comments.  migrate.c runs this inside
-- one transaction and then sets user_version to 1; the file must not
-- manage transactions or pragmas itself.
--
-- Statuses are stored by name, not number, so that the file reads the
-- same in the sqlite3 shell, in an export and in the PostgreSQL schema.
-- Ids use AUTOINCREMENT because they are public (comment anchors #cID,
-- /feeds/POSTID/...): a deleted post's id must never come back as another.
--
-- Full-text search comes in a later migration: posts.id is the rowid, so
-- an FTS5 table (content_rowid = id, tokenized by the text pipeline
-- according to posts.lang) can be kept in step by the engine's post save
-- and delete, without triggers that would need the tokenizer here.

CREATE TABLE posts (
	id		INTEGER PRIMARY KEY AUTOINCREMENT,
	path		TEXT NOT NULL UNIQUE,
	slug		TEXT NOT NULL,
	title		TEXT NOT NULL,
	source		TEXT NOT NULL DEFAULT '',
	html		TEXT NOT NULL DEFAULT '',
	lang		TEXT NOT NULL DEFAULT '',
	status		TEXT NOT NULL CHECK (status IN ('draft', 'published')),
	is_page		INTEGER NOT NULL DEFAULT 0 CHECK (is_page IN (0, 1)),
	published	INTEGER NOT NULL,
	updated		INTEGER NOT NULL
);

-- The public listing (front page, date archives): equality on status and
-- is_page, then a range on published scanned backwards, so the newest
-- due posts come straight off the index with no sort.
CREATE INDEX posts_due ON posts (status, is_page, published);
-- The admin listing (every status, pages too), newest first.
CREATE INDEX posts_published ON posts (published);
-- Lookup by slug; the newest wins a clash.
CREATE INDEX posts_slug ON posts (slug, published);

-- NOCASE folds ASCII only; folding look-alike and non-ASCII spellings is
-- the text pipeline's job before a name reaches the store.
CREATE TABLE labels (
	id		INTEGER PRIMARY KEY,
	name		TEXT NOT NULL UNIQUE COLLATE NOCASE
);

-- A post's labels in the author's order.  The key is (post, label) so a
-- label given twice in different case is kept once.
CREATE TABLE post_labels (
	post_id		INTEGER NOT NULL
			    REFERENCES posts (id) ON DELETE CASCADE,
	label_id	INTEGER NOT NULL
			    REFERENCES labels (id) ON DELETE CASCADE,
	position	INTEGER NOT NULL,
	PRIMARY KEY (post_id, label_id)
) WITHOUT ROWID;

-- Label archives and feeds; also what the labels foreign key needs.
CREATE INDEX post_labels_label ON post_labels (label_id, post_id);

-- parent_id has no ON DELETE action: the engine moves replies up to the
-- deleted comment's parent first, and anything else that deletes a
-- comment with replies should fail loudly rather than orphan them.
CREATE TABLE comments (
	id		INTEGER PRIMARY KEY AUTOINCREMENT,
	post_id		INTEGER NOT NULL
			    REFERENCES posts (id) ON DELETE CASCADE,
	parent_id	INTEGER REFERENCES comments (id),
	name		TEXT NOT NULL,
	email		TEXT NOT NULL DEFAULT '',
	url		TEXT NOT NULL DEFAULT '',
	body		TEXT NOT NULL,
	status		TEXT NOT NULL
			    CHECK (status IN ('pending', 'approved', 'spam')),
	created		INTEGER NOT NULL,
	addr_hash	TEXT NOT NULL DEFAULT ''
);

-- A post's comments by status, oldest first; also the approved count.
CREATE INDEX comments_post ON comments (post_id, status, created);
-- Replies of a comment; the parent_id foreign key needs it too.
CREATE INDEX comments_parent ON comments (parent_id);
-- The moderation queue, newest first.
CREATE INDEX comments_status ON comments (status, created);
-- "Has this name and email been approved before?" for first-time
-- moderation; the query must use these exact expressions.
CREATE INDEX comments_commenter
    ON comments (lower(name), lower(email), status);

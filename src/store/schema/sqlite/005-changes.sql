-- Copyright (c) 2026 The gazette authors
--
-- Permission to use, copy, modify, and distribute this software for any
-- purpose with or without fee is hereby granted, provided that the above
-- copyright notice and this permission notice appear in all copies.
--
-- THE SOFTWARE IS PROVIDED "AS IS" AND THE AUTHOR DISCLAIMS ALL WARRANTIES.

-- Migration 5: the change log that page caches read (store.h, "changes").
--
-- Triggers write the tags, so every write records what it touched in
-- its own transaction whichever C function (or sqlite3 shell session)
-- made it, and nothing can commit a change without its tags.  seq is
-- the rowid: one writer at a time, so rowid order is commit order, and
-- the newest row is never pruned, so a number is never handed out twice.
--
-- Pruning: every 1024th row drops the rows older than the newest 8192.
-- A cache that falls further behind than that is told "all".

CREATE TABLE changes (
	seq	INTEGER PRIMARY KEY,
	tag	TEXT NOT NULL
);

CREATE TRIGGER changes_prune AFTER INSERT ON changes
WHEN NEW.seq % 1024 = 0
BEGIN
	DELETE FROM changes WHERE seq <= NEW.seq - 8192;
END;

-- A post: its own page; the dated lists when it is (or was) public; the
-- navigation when it is a page.  Its labels' lists are tagged by the
-- post_labels triggers below as labels are replaced on every save; an
-- update without label changes still changes what those lists show.
CREATE TRIGGER changes_post_insert AFTER INSERT ON posts
BEGIN
	INSERT INTO changes (tag) VALUES ('post:' || NEW.id);
	INSERT INTO changes (tag) SELECT 'list:' || NEW.published
	    WHERE NEW.status = 'published' AND NEW.is_page = 0;
	INSERT INTO changes (tag) SELECT 'nav' WHERE NEW.is_page = 1;
END;

CREATE TRIGGER changes_post_update AFTER UPDATE ON posts
BEGIN
	INSERT INTO changes (tag) VALUES ('post:' || NEW.id);
	INSERT INTO changes (tag) SELECT 'list:' || OLD.published
	    WHERE OLD.status = 'published' AND OLD.is_page = 0;
	INSERT INTO changes (tag) SELECT 'list:' || NEW.published
	    WHERE NEW.status = 'published' AND NEW.is_page = 0
	    AND NOT (OLD.published = NEW.published AND
	    OLD.status = 'published' AND OLD.is_page = 0);
	INSERT INTO changes (tag) SELECT 'nav'
	    WHERE OLD.is_page = 1 OR NEW.is_page = 1;
	INSERT INTO changes (tag) SELECT 'label:' || l.key
	    FROM post_labels pl JOIN labels l ON l.id = pl.label_id
	    WHERE pl.post_id = NEW.id;
END;

CREATE TRIGGER changes_post_delete AFTER DELETE ON posts
BEGIN
	INSERT INTO changes (tag) VALUES ('post:' || OLD.id);
	INSERT INTO changes (tag) SELECT 'list:' || OLD.published
	    WHERE OLD.status = 'published' AND OLD.is_page = 0;
	INSERT INTO changes (tag) SELECT 'nav' WHERE OLD.is_page = 1;
END;

-- A post joins or leaves a label (also through a foreign key cascade,
-- which fires these triggers too).
CREATE TRIGGER changes_post_label_insert AFTER INSERT ON post_labels
BEGIN
	INSERT INTO changes (tag) VALUES ('post:' || NEW.post_id);
	INSERT INTO changes (tag)
	    SELECT 'label:' || key FROM labels WHERE id = NEW.label_id;
END;

CREATE TRIGGER changes_post_label_delete AFTER DELETE ON post_labels
BEGIN
	INSERT INTO changes (tag) VALUES ('post:' || OLD.post_id);
	INSERT INTO changes (tag)
	    SELECT 'label:' || key FROM labels WHERE id = OLD.label_id;
END;

CREATE TRIGGER changes_post_label_update AFTER UPDATE ON post_labels
BEGIN
	INSERT INTO changes (tag) VALUES ('post:' || OLD.post_id);
	INSERT INTO changes (tag) VALUES ('post:' || NEW.post_id);
	INSERT INTO changes (tag)
	    SELECT 'label:' || key FROM labels WHERE id = OLD.label_id;
	INSERT INTO changes (tag)
	    SELECT 'label:' || key FROM labels WHERE id = NEW.label_id;
END;

-- A renamed label: both keys' lists, and every post that shows it.
CREATE TRIGGER changes_label_update AFTER UPDATE ON labels
BEGIN
	INSERT INTO changes (tag) VALUES ('label:' || OLD.key);
	INSERT INTO changes (tag) VALUES ('label:' || NEW.key);
	INSERT INTO changes (tag) SELECT 'post:' || post_id
	    FROM post_labels WHERE label_id = NEW.id;
END;

CREATE TRIGGER changes_label_delete AFTER DELETE ON labels
BEGIN
	INSERT INTO changes (tag) VALUES ('label:' || OLD.key);
END;

-- Comments change only their post's page, feeds and comment count.
CREATE TRIGGER changes_comment_insert AFTER INSERT ON comments
BEGIN
	INSERT INTO changes (tag) VALUES ('post:' || NEW.post_id);
END;

CREATE TRIGGER changes_comment_update AFTER UPDATE ON comments
BEGIN
	INSERT INTO changes (tag) VALUES ('post:' || NEW.post_id);
END;

CREATE TRIGGER changes_comment_delete AFTER DELETE ON comments
BEGIN
	INSERT INTO changes (tag) VALUES ('post:' || OLD.post_id);
END;

CREATE TRIGGER changes_redirect_insert AFTER INSERT ON redirects
BEGIN
	INSERT INTO changes (tag) VALUES ('redirect');
END;

CREATE TRIGGER changes_redirect_update AFTER UPDATE ON redirects
BEGIN
	INSERT INTO changes (tag) VALUES ('redirect');
END;

-- The schema changed: whatever a cache holds was made by older code.
INSERT INTO changes (tag) VALUES ('all');

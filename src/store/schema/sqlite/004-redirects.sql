-- Old addresses that answer 301 to a post's new one: a WordPress
-- site's /?p=ID and its permalinks, kept by the importer so that links
-- to the old blog keep working.
CREATE TABLE redirects (
	path	TEXT PRIMARY KEY,	-- old path, with "?p=ID" where one was
	target	TEXT NOT NULL		-- the path it moved to
) WITHOUT ROWID;

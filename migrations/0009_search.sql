-- Full-text search over articles (hand-written: drizzle-kit does not generate virtual tables).
-- The index keeps its own copy of each article's title, summary and plain-text body under the
-- article's id, so that snippets can quote it and a row can be deleted by id alone: an index
-- that has drifted from `articles` is mended by deleting and re-inserting rows (npm run
-- search:rebuild), which an external-content index would not allow. Every status is indexed
-- (editors search drafts); readers' queries join `articles` for visibility.
-- porter: "magnets" finds "magnet"; unicode61 with remove_diacritics 2: "Québec" finds "quebec".
-- Keep this file LF-only and free of CASE ... END inside trigger bodies: wrangler splits a
-- migration into statements and would cut a trigger at such an END.
CREATE VIRTUAL TABLE `articles_fts` USING fts5(
	title,
	summary,
	body,
	tokenize = 'porter unicode61 remove_diacritics 2'
);
--> statement-breakpoint
CREATE TRIGGER `articles_fts_insert` AFTER INSERT ON `articles` BEGIN
	INSERT INTO articles_fts (rowid, title, summary, body) VALUES (new.id, new.title, new.summary, new.body_text);
END;
--> statement-breakpoint
CREATE TRIGGER `articles_fts_update` AFTER UPDATE OF title, summary, body_text ON `articles`
WHEN old.title IS NOT new.title OR old.summary IS NOT new.summary OR old.body_text IS NOT new.body_text BEGIN
	DELETE FROM articles_fts WHERE rowid = old.id;
	INSERT INTO articles_fts (rowid, title, summary, body) VALUES (new.id, new.title, new.summary, new.body_text);
END;
--> statement-breakpoint
CREATE TRIGGER `articles_fts_delete` AFTER DELETE ON `articles` BEGIN
	DELETE FROM articles_fts WHERE rowid = old.id;
END;
--> statement-breakpoint
-- Titles and summaries of the articles already there; their bodies are indexed once
-- `npm run search:rebuild` has written body_text (0008 added it empty).
INSERT INTO articles_fts (rowid, title, summary, body) SELECT id, title, summary, body_text FROM articles;

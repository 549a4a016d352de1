import { MARK_CLOSE, MARK_OPEN } from "../../lib/search";
import type { Db } from "../client";
import type { ArticleSummaryRow } from "./articles";
import { bylineSql, parseByline } from "./authors";
import type { Taxon } from "./taxonomies";

// Full-text search over the articles_fts index (migrations/0009_search.sql), in plain SQL:
// Drizzle has no notion of a virtual table, a MATCH or FTS5's auxiliary functions.

/**
 * How many of the newest matching articles a search ranks. FTS5 has no way to find the best
 * matches without scoring every match, and a word that most articles contain would then cost a
 * read of most of the index on every search; walking the matches newest first and stopping here
 * keeps every search's work the same at any size. What it gives up: among articles that all
 * contain a common word, one older than the newest few thousand of them is not found (adding a
 * rarer word finds it again).
 */
export const SEARCH_CANDIDATES = 2_000;

/** bm25 weights of the index's columns: a match in the title counts most, then the summary, then the body. */
export const SEARCH_WEIGHTS = { title: 10, summary: 4, body: 1 } as const;

/** Words of context in a snippet. */
const SNIPPET_TOKENS = 24;

export type SearchHitRow = ArticleSummaryRow & {
	/** snippet() of the summary and of the body: FTS5's text with MARK_OPEN/MARK_CLOSE around matches. */
	summarySnippet: string;
	bodySnippet: string;
};

export type SearchArgs = {
	/** An FTS5 MATCH expression built by parseSearch (src/lib/search.ts), never user text. */
	match: string;
	now: number;
	topicSlug?: string;
	regionSlug?: string;
	offset: number;
	limit: number;
};

export type SearchResult = {
	hits: SearchHitRow[];
	/** Whether ranked results follow this page. */
	more: boolean;
	topic?: Taxon | null;
	region?: Taxon | null;
};

// ?1 the MATCH expression, ?2 now, ?3 topic slug or NULL, ?4 region slug or NULL, ?5 rows wanted,
// ?6 offset, ?7 and ?8 the snippet marks. The candidates are a walk of the index in rowid order
// (ids grow with creation), so the walk stops after SEARCH_CANDIDATES matches however many there
// are; only they are scored. Then visibility and the filters, ranking (best bm25 first: FTS5's
// scores are negative, lower is better; the newest first among equals), and the page. Snippets are
// made last, for the page's rows alone, the index probed by rowid for each. Both CROSS JOINs fix
// the join order: left to itself, SQLite would walk every visible article on articles_public_idx
// and look each one up among the candidates. INDEXED BY reads each candidate's visibility from
// articles_search_idx rather than its row (a third of the statement's time at 100,000 articles:
// the row's bodies come before status and published_at).
const { title, summary, body } = SEARCH_WEIGHTS;
export const SEARCH_SQL = `WITH candidates AS (
	SELECT rowid AS id, bm25(articles_fts, ${title}, ${summary}, ${body}) AS score
	FROM articles_fts WHERE articles_fts MATCH ?1 ORDER BY rowid DESC LIMIT ${SEARCH_CANDIDATES}
), ranked AS (
	SELECT c.id, c.score, a.published_at FROM candidates c CROSS JOIN articles a INDEXED BY articles_search_idx ON a.id = c.id
	WHERE a.status = 'published' AND a.deleted_at IS NULL AND a.published_at <= ?2
		AND (?3 IS NULL OR a.topic_id = (SELECT id FROM topics WHERE slug = ?3))
		AND (?4 IS NULL OR a.region_id = (SELECT id FROM regions WHERE slug = ?4))
	ORDER BY c.score, a.published_at DESC, a.id DESC LIMIT ?5 OFFSET ?6
)
SELECT a.id AS id, a.slug AS slug, a.title AS title, a.summary AS summary, a.published_at AS publishedAt,
	a.updated_at AS updatedAt, r.slug AS regionSlug, r.name AS regionName, t.slug AS topicSlug, t.name AS topicName,
	${bylineSql("a.id")} AS authors,
	snippet(articles_fts, 1, ?7, ?8, '…', ${SNIPPET_TOKENS}) AS summarySnippet,
	snippet(articles_fts, 2, ?7, ?8, '…', ${SNIPPET_TOKENS}) AS bodySnippet
FROM ranked k CROSS JOIN articles_fts ON articles_fts.rowid = k.id
	JOIN articles a ON a.id = k.id
	LEFT JOIN regions r ON r.id = a.region_id
	LEFT JOIN topics t ON t.id = a.topic_id
WHERE articles_fts MATCH ?1
ORDER BY k.score, k.published_at DESC, k.id DESC`;

/** The search statement with its parameters bound, for the app and for measuring it (bench, EXPLAIN). */
export function searchStatement(db: Db, args: SearchArgs): D1PreparedStatement {
	return db.$client
		.prepare(SEARCH_SQL)
		.bind(
			args.match,
			args.now,
			args.topicSlug ?? null,
			args.regionSlug ?? null,
			args.limit + 1,
			args.offset,
			MARK_OPEN,
			MARK_CLOSE,
		);
}

const TAXON_SQL = {
	topic: "SELECT slug, name FROM topics WHERE slug = ?1",
	region: "SELECT slug, name FROM regions WHERE slug = ?1",
} as const;

const ALL_TAXA_SQL = {
	topic: "SELECT slug, name FROM topics ORDER BY name",
	region: "SELECT slug, name FROM regions ORDER BY name",
} as const;

export type SearchPageArgs = Omit<SearchArgs, "match"> & {
	/** null when the query has no words: only the filters are looked up. */
	match: string | null;
	/** Also every topic and region (the search form offers them): one round trip all the same. */
	listTaxa?: boolean;
};

export type SearchPageResult = SearchResult & { topics?: Taxon[]; regions?: Taxon[] };

/**
 * One page of visible articles matching `match`, best first, in one round trip with what the
 * caller needs besides: the filters' topic and region, so that it can tell "no such topic" from
 * "no results", or every topic and region for the search form.
 */
export async function searchArticles(db: Db, args: SearchPageArgs): Promise<SearchPageResult> {
	const kinds = ["topic", "region"] as const;
	const slugs = { topic: args.topicSlug, region: args.regionSlug };
	const statements: D1PreparedStatement[] = [];
	if (args.match !== null) statements.push(searchStatement(db, { ...args, match: args.match }));
	for (const kind of kinds) {
		const slug = slugs[kind];
		if (args.listTaxa) statements.push(db.$client.prepare(ALL_TAXA_SQL[kind]));
		else if (slug !== undefined) statements.push(db.$client.prepare(TAXON_SQL[kind]).bind(slug));
	}
	const results = statements.length > 0 ? await db.$client.batch<unknown>(statements) : [];
	// The byline comes as bylineSql's JSON text.
	const raw =
		args.match !== null
			? ((results.shift()?.results ?? []) as (Omit<SearchHitRow, "authors"> & { authors: unknown })[])
			: [];
	const rows: SearchHitRow[] = raw.map((row) => ({ ...row, authors: parseByline(row.authors) }));
	const result: SearchPageResult = { hits: rows.slice(0, args.limit), more: rows.length > args.limit };
	for (const kind of kinds) {
		const slug = slugs[kind];
		if (!args.listTaxa && slug === undefined) continue;
		const taxa = (results.shift()?.results ?? []) as Taxon[];
		if (args.listTaxa) result[kind === "topic" ? "topics" : "regions"] = taxa;
		if (slug !== undefined) result[kind] = taxa.find((taxon) => taxon.slug === slug) ?? null;
	}
	return result;
}

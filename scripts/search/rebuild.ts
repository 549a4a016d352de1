// `npm run search:rebuild`: brings articles.body_text and the articles_fts index in step with the
// articles, through `wrangler d1 execute --command` in batches D1 accepts (scripts/search/plan.ts).
// Only body_text and articles_fts are written. Each batch is one transaction and guarded, so the
// site can keep serving and editing meanwhile, and a run cut short is finished by the next run.
import { renderBody } from "../../src/lib/markdown.ts";
import { D1Error, type D1Location, queryD1, type Row } from "../lib/wrangler.ts";
import {
	type BodyTextWrite,
	bodyTextPieces,
	bodyTextUpdate,
	bytes,
	CHUNK_BYTES,
	CHUNK_IDS,
	COMMAND_BYTES,
	groupStatements,
	type IdRange,
	PAGE_BYTES,
	planRanges,
	WINDOW_IDS,
	windows,
} from "./plan.ts";

export type RebuildResult = {
	articles: number;
	/** Articles whose body_text this run wrote. */
	bodyTextWritten: number;
	/** Articles saved (or deleted) by an editor between this run's read and write: the save wrote body_text itself. */
	bodyTextSkipped: number;
	/** Index rows found missing, stray or stale (each mended). */
	indexRowsMended: number;
	/** Id ranges of the index deleted and re-inserted. */
	indexRangesRebuilt: number;
	indexed: number;
	ms: number;
};

/** The database is not one this script can work on; the message says what to do. */
export class NotReady extends Error {}

const TRIGGERS = ["articles_fts_insert", "articles_fts_update", "articles_fts_delete"];

const int = (value: unknown): number => {
	if (typeof value !== "number" || !Number.isSafeInteger(value))
		throw new Error(`expected an integer from D1, got ${JSON.stringify(value)}`);
	return value;
};

export function where(location: D1Location): string {
	if (location.remote) return "the remote D1";
	return location.persistTo ? `the local D1 in ${location.persistTo}` : "the local D1";
}

/** Ids to cover: every article's and every index row's (a stray row can lie beyond the last article). */
function preflight(location: D1Location): IdRange & { articles: number } {
	const notReady = (what: string) =>
		new NotReady(
			`${where(location)} has no ${what}: apply the migrations first (${location.remote ? "npm run db:migrate:remote" : "npm run db:migrate:local"}; search needs 0008 and 0009).`,
		);
	let rows: Row[][];
	try {
		rows = queryD1(
			location,
			[
				"SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'articles_fts_%'",
				"SELECT (SELECT count(*) FROM articles) AS articles, (SELECT min(id) FROM articles) AS a_min, (SELECT max(id) FROM articles) AS a_max, " +
					"(SELECT rowid FROM articles_fts ORDER BY rowid LIMIT 1) AS f_min, (SELECT rowid FROM articles_fts ORDER BY rowid DESC LIMIT 1) AS f_max",
			].join(";\n"),
		);
	} catch (error) {
		const table = error instanceof D1Error ? /no such table: (\w+)/.exec(error.message)?.[1] : undefined;
		if (table) throw notReady(`${table} table`);
		throw error;
	}
	const [triggers = [], [bounds] = []] = rows;
	// Without them every save made during or after the rebuild would drift the index again.
	const names = new Set(triggers.map((row) => String(row.name)));
	const missing = TRIGGERS.filter((name) => !names.has(name));
	if (missing.length > 0) throw notReady(`trigger ${missing.join(", ")}`);
	const ends = (a: unknown, b: unknown, pick: (x: number, y: number) => number) =>
		a === null && b === null ? null : a === null ? int(b) : b === null ? int(a) : pick(int(a), int(b));
	const from = ends(bounds?.a_min ?? null, bounds?.f_min ?? null, Math.min);
	const to = ends(bounds?.a_max ?? null, bounds?.f_max ?? null, Math.max);
	return { from: from ?? 1, to: to ?? 0, articles: int(bounds?.articles) };
}

const SIZE = "length(CAST(body_markdown AS BLOB)) + length(CAST(body_text AS BLOB))";

/**
 * The articles from id `from` on, with the Markdown and text to compare: as many as fit
 * PAGE_BYTES (at least one), looking at most WINDOW_IDS ids ahead. The sizes are summed in SQL
 * over the ids alone, so no call brings back more than a page, however long the bodies.
 */
function pageQuery(from: number): string {
	const ahead = from + WINDOW_IDS - 1;
	return (
		"SELECT id, version, body_markdown, body_text FROM articles WHERE id BETWEEN " +
		`${from} AND (SELECT max(id) FROM (SELECT id, sum(size) OVER (ORDER BY id ROWS UNBOUNDED PRECEDING) - size AS before ` +
		`FROM (SELECT id, ${SIZE} AS size FROM articles WHERE id BETWEEN ${from} AND ${ahead})) WHERE before < ${PAGE_BYTES}) ORDER BY id`
	);
}

/** Writes the body_text of each article whose stored text is not renderBody(body_markdown).text. */
function rebuildBodyText(location: D1Location, span: IdRange, log: (line: string) => void) {
	let read = 0;
	let written = 0;
	let skipped = 0;
	const write = (pending: BodyTextWrite[]) => {
		const oneCall: string[] = [];
		for (const item of pending) {
			const statement = bodyTextUpdate(item);
			if (bytes(statement) + 2 <= COMMAND_BYTES) {
				oneCall.push(statement);
				continue;
			}
			// Too long for one call: piece by piece, each call a transaction of its own. Until the
			// last piece lands, search sees the first part of this article's text.
			let applied = true;
			for (const piece of bodyTextPieces(item)) {
				const [returned = []] = queryD1(location, piece);
				if (returned.length === 0) {
					applied = false;
					break;
				}
			}
			if (applied) written++;
			else skipped++;
		}
		for (const group of groupStatements(oneCall)) {
			for (const returned of queryD1(location, group.join(";\n"))) {
				if (returned.length > 0) written++;
				else skipped++;
			}
		}
	};

	let from = span.from;
	while (from <= span.to) {
		const [rows = []] = queryD1(location, pageQuery(from));
		const last = rows.at(-1);
		const pending: BodyTextWrite[] = [];
		for (const row of rows) {
			const text = renderBody(String(row.body_markdown)).text;
			if (text !== row.body_text) pending.push({ id: int(row.id), version: int(row.version), text });
		}
		write(pending);
		read += rows.length;
		const to = last ? int(last.id) : Math.min(span.to, from + WINDOW_IDS - 1);
		if (rows.length > 0) log(`body_text: ids ${from}–${to}: ${read} articles read, ${written} written so far`);
		from = to + 1;
	}
	return { read, written, skipped };
}

/** The ids in [from, to] whose index row is missing, left over from a deleted article, or not the article's text. */
function driftQuery(range: IdRange): string {
	return (
		"SELECT a.id AS id FROM articles a LEFT JOIN articles_fts f ON f.rowid = a.id " +
		`WHERE a.id BETWEEN ${range.from} AND ${range.to} ` +
		"AND (f.rowid IS NULL OR f.title IS NOT a.title OR f.summary IS NOT a.summary OR f.body IS NOT a.body_text) " +
		"UNION " +
		`SELECT f.rowid AS id FROM articles_fts f WHERE f.rowid BETWEEN ${range.from} AND ${range.to} ` +
		"AND NOT EXISTS (SELECT 1 FROM articles a WHERE a.id = f.rowid) ORDER BY id"
	);
}

/**
 * Deletes and re-inserts the index rows of every range holding a drifted id, one range per batch:
 * the batch is one transaction, so searches never see the range missing.
 */
function rebuildIndex(location: D1Location, span: IdRange, log: (line: string) => void) {
	let mended = 0;
	let ranges = 0;
	for (const window of windows(span.from, span.to)) {
		const [drift = [], sizes = []] = queryD1(
			location,
			[
				driftQuery(window),
				"SELECT id, length(CAST(title AS BLOB)) + length(CAST(summary AS BLOB)) + length(CAST(body_text AS BLOB)) AS bytes " +
					`FROM articles WHERE id BETWEEN ${window.from} AND ${window.to} ORDER BY id`,
			].join(";\n"),
		);
		const drifted = drift.map((row) => int(row.id));
		if (drifted.length === 0) continue;
		const sized = sizes.map((row) => ({ id: int(row.id), bytes: int(row.bytes) }));
		const stale = planRanges(window, sized, CHUNK_IDS, CHUNK_BYTES).filter((range) =>
			drifted.some((id) => id >= range.from && id <= range.to),
		);
		for (const range of stale) {
			const [, , left = []] = queryD1(
				location,
				[
					`DELETE FROM articles_fts WHERE rowid BETWEEN ${range.from} AND ${range.to}`,
					"INSERT INTO articles_fts (rowid, title, summary, body) SELECT id, title, summary, body_text FROM articles " +
						`WHERE id BETWEEN ${range.from} AND ${range.to}`,
					driftQuery(range),
				].join(";\n"),
			);
			if (left.length > 0) {
				const ids = left.map((row) => row.id);
				throw new Error(
					`the index still differs from the articles for ids ${ids.slice(0, 10).join(", ")}${ids.length > 10 ? ", …" : ""} right after rebuilding them`,
				);
			}
		}
		mended += drifted.length;
		ranges += stale.length;
		log(
			`index: ids ${window.from}–${window.to}: ${drifted.length} missing, stale or stray, ${stale.length === 1 ? "1 range" : `${stale.length} ranges`} rebuilt`,
		);
	}
	return { mended, ranges };
}

export function rebuildSearch(location: D1Location, log: (line: string) => void = () => {}): RebuildResult {
	const started = performance.now();
	const span = preflight(location);
	log(`${where(location)}: ${span.articles} articles${span.to >= span.from ? `, ids ${span.from}–${span.to}` : ""}`);
	const text = rebuildBodyText(location, span, log);
	const index = rebuildIndex(location, span, log);
	// One statement, so that both counts are of the same moment.
	const [[counts] = []] = queryD1(
		location,
		"SELECT (SELECT count(*) FROM articles) AS articles, (SELECT count(*) FROM articles_fts) AS indexed",
	);
	const articles = int(counts?.articles);
	const indexed = int(counts?.indexed);
	if (articles !== indexed) {
		throw new Error(`articles_fts holds ${indexed} rows for ${articles} articles after the rebuild; run it again`);
	}
	return {
		articles,
		bodyTextWritten: text.written,
		bodyTextSkipped: text.skipped,
		indexRowsMended: index.mended,
		indexRangesRebuilt: index.ranges,
		indexed,
		ms: Math.round(performance.now() - started),
	};
}

// `npm run test:cli`: `npm run search:rebuild` end to end, as a person runs it (real wrangler, a
// local D1 in a temp state folder), on a database like one that has just been given migrations
// 0008 and 0009: body_text empty, and an index that has drifted. Plus the batching rules, pure.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { renderBody, renderMarkdown } from "../src/lib/markdown.ts";
import { runScript, type ScriptRun } from "./lib/run-script.ts";
import { sqlValue } from "./lib/sql.ts";
import { applyMigrations, queryD1, type Row } from "./lib/wrangler.ts";
import {
	bodyTextPieces,
	bodyTextUpdate,
	bytes,
	COMMAND_BYTES,
	groupStatements,
	planRanges,
	windows,
} from "./search/plan.ts";
import { applySeed, executeSql } from "./seed/apply.ts";

function rebuild(args: string[]): Promise<ScriptRun> {
	return runScript("search-rebuild.ts", args);
}

const tempState = () => mkdtempSync(join(tmpdir(), "samarium-search-rebuild-test-"));

// A word no sample article has, in a body only.
const BODY_WORD = "quillwort";
// Cyrillic (two bytes a character) with quotes (doubled in SQL), under the editor's 100,000
// characters: its text is too long for one call (D1, and the local D1, refuse a statement over 100 KB).
const LONG_BODY = Array.from({ length: 3_000 }, (_, i) => `Слово'${i} редкоземельный`).join(" ");

/** A new article, body_text left to its default ('') as migration 0008 left every existing one. */
function articleInsert(slug: string, title: string, markdown: string): string[] {
	const now = Date.now();
	// The Markdown goes in 20,000 characters at a time, each statement under the 100 KB limit.
	const parts = markdown.match(/[\s\S]{1,20000}/g) ?? [""];
	return [
		"INSERT INTO articles (slug, title, summary, body_markdown, body_html, status, updated_at, created_at) VALUES " +
			`(${sqlValue(slug)}, ${sqlValue(title)}, 'A summary.', '', '', 'draft', ${now}, ${now});`,
		...parts.map(
			(part) =>
				`UPDATE articles SET body_markdown = body_markdown || ${sqlValue(part)} WHERE slug = ${sqlValue(slug)};`,
		),
		...(markdown.length < 20_000
			? [`UPDATE articles SET body_html = ${sqlValue(renderMarkdown(markdown))} WHERE slug = ${sqlValue(slug)};`]
			: []),
	];
}

describe("search:rebuild", { concurrency: true }, () => {
	describe("against a local D1 with empty body_text and a drifted index", { concurrency: false }, () => {
		const state = tempState();
		const local = { persistTo: state };
		const persist = ["--persist-to", state];
		const read = (...statements: string[]) => queryD1(local, statements.join(";\n"));
		const ARTICLES = "SELECT * FROM articles ORDER BY id";
		const INDEX = "SELECT rowid, title, summary, body FROM articles_fts ORDER BY rowid";
		const OTHERS = [
			"SELECT * FROM regions ORDER BY id",
			"SELECT * FROM topics ORDER BY id",
			"SELECT * FROM pages ORDER BY id",
			"SELECT * FROM slug_redirects ORDER BY slug",
			"SELECT * FROM article_revisions ORDER BY id",
			"SELECT * FROM audit_log ORDER BY id",
		];
		const withoutBodyText = (rows: Row[]) => rows.map(({ body_text: _, ...rest }) => rest);
		let before: { articles: Row[]; others: Row[][] };
		let afterFirst: { articles: Row[]; index: Row[] };

		after(() => rmSync(state, { recursive: true, force: true }));

		it("sets up: the sample articles, two more with body_text empty, and drift", () => {
			applyMigrations(local);
			applySeed(local);
			executeSql(local, [
				...articleInsert("bog-plants", "Plants of the bog", `Among the sedges grows **${BODY_WORD}**, a fern ally.`),
				...articleInsert("long-read", "A long read", LONG_BODY),
			]);
			const [articles = []] = read(
				// Every other article loses its text, as 0008 left them; the rest keep theirs, so that
				// the index rows drifted below are mended by the index pass, not by a body_text write.
				"UPDATE articles SET body_text = '' WHERE id % 2 = 0",
				"DELETE FROM articles_fts WHERE rowid = 1",
				"UPDATE articles_fts SET body = 'an old body' WHERE rowid = 3",
				"UPDATE articles_fts SET title = 'An old title' WHERE rowid = 5",
				"INSERT INTO articles_fts (rowid, title, summary, body) VALUES (1000, 'stray', 'left over', 'from a deleted article')",
				"INSERT INTO articles_fts (rowid, title, summary, body) VALUES (20000, 'stray', 'past the last', 'article')",
				ARTICLES,
			).slice(-1);
			assert.ok(articles.length >= 26);
			assert.ok(articles.filter((row) => row.body_text === "").length >= 13);
			assert.ok(bytes(bodyTextUpdate({ id: 1, version: 1, text: renderBody(LONG_BODY).text })) > COMMAND_BYTES);
			const [, ...others] = read(ARTICLES, ...OTHERS);
			before = { articles, others };
		});

		it("finds no body-only word before the rebuild", () => {
			const [found = []] = read(`SELECT rowid FROM articles_fts WHERE articles_fts MATCH '${BODY_WORD}'`);
			assert.deepEqual(found, []);
		});

		it("writes every body_text and mends the index, changing nothing else", async () => {
			const run = await rebuild(persist);
			assert.equal(run.code, 0, run.stderr);
			const mended = 5; // one missing, two stale, two stray
			assert.match(
				run.stdout,
				new RegExp(
					`done: body_text written for ${before.articles.filter((row) => row.body_text === "").length} articles, ${mended} index rows mended in \\d+ ranges?; articles_fts holds ${before.articles.length} rows for ${before.articles.length} articles`,
				),
			);

			const [articles = [], index = [], ...others] = read(ARTICLES, INDEX, ...OTHERS);
			for (const row of articles) {
				assert.equal(row.body_text, renderBody(String(row.body_markdown)).text, `body_text of ${row.slug}`);
			}
			assert.ok(articles.every((row) => row.body_text !== ""));
			assert.deepEqual(
				index,
				articles.map((row) => ({ rowid: row.id, title: row.title, summary: row.summary, body: row.body_text })),
			);
			assert.deepEqual(withoutBodyText(articles), withoutBodyText(before.articles), "only body_text changed");
			assert.deepEqual(others, before.others, "no other table changed");
			afterFirst = { articles, index };
		});

		it("finds a word that only a body holds, after the rebuild", () => {
			const [found = [], [expected] = []] = read(
				`SELECT rowid FROM articles_fts WHERE articles_fts MATCH '${BODY_WORD}'`,
				"SELECT id FROM articles WHERE slug = 'bog-plants'",
			);
			assert.deepEqual(found, [{ rowid: expected?.id }]);
		});

		it("changes nothing on a second run, and says so", async () => {
			const run = await rebuild(persist);
			assert.equal(run.code, 0, run.stderr);
			assert.match(run.stdout, /nothing to change: every body_text and index row already matched/);
			assert.doesNotMatch(run.stdout, /mended|written for/);
			const [articles = [], index = []] = read(ARTICLES, INDEX);
			assert.deepEqual(articles, afterFirst.articles);
			assert.deepEqual(index, afterFirst.index);
		});

		it("never writes a body_text over a save made since the Markdown was read", () => {
			const [[row] = []] = read("SELECT id, version, body_text FROM articles WHERE slug = 'bog-plants'");
			assert.ok(row);
			const stale = { id: Number(row.id), version: Number(row.version) - 1, text: "text from an older body" };
			const [written = [], [after] = []] = read(
				bodyTextUpdate(stale),
				"SELECT body_text FROM articles WHERE slug = 'bog-plants'",
			);
			assert.deepEqual(written, []);
			assert.equal(after?.body_text, row.body_text);
		});
	});

	it("refuses a database without the search migrations, with what to do", async () => {
		const state = tempState();
		try {
			const run = await rebuild(["--persist-to", state]);
			assert.equal(run.code, 1);
			assert.match(run.stderr, /has no articles table: apply the migrations first \(npm run db:migrate:local/);
		} finally {
			rmSync(state, { recursive: true, force: true });
		}
	});

	it("answers wrong arguments with exit code 2 and the usage", async () => {
		for (const args of [["--remote", "--persist-to", "x"], ["--bogus"], ["extra"]]) {
			const run = await rebuild(args);
			assert.equal(run.code, 2, args.join(" "));
			assert.match(run.stderr, /Usage: npm run search:rebuild/);
		}
		const help = await rebuild(["--help"]);
		assert.equal(help.code, 0);
		assert.match(help.stdout, /--remote[\s\S]*--persist-to/);
	});

	describe("batches", () => {
		it("splits a text too long for one call into pieces that each fit and add up to it", () => {
			const text = renderBody(LONG_BODY).text;
			const pieces = bodyTextPieces({ id: 7, version: 3, text });
			assert.ok(pieces.length >= 2);
			for (const piece of pieces) assert.ok(bytes(piece) <= COMMAND_BYTES, `${bytes(piece)} bytes`);
			assert.match(
				pieces[0] ?? "",
				/^UPDATE articles SET body_text = '.*' WHERE id = 7 AND version = 3 RETURNING id$/s,
			);
			let done = 0;
			let joined = "";
			for (const [i, piece] of pieces.entries()) {
				const match =
					/body_text = (?:body_text \|\| )?'(.*)' WHERE id = 7 AND version = 3(?: AND length\(body_text\) = (\d+))? RETURNING id$/s.exec(
						piece,
					);
				assert.ok(match, piece.slice(0, 100));
				assert.equal(match[2] === undefined ? 0 : Number(match[2]), i === 0 ? 0 : done);
				const value = (match[1] ?? "").replace(/''/g, "'");
				joined += value;
				done += [...value].length;
			}
			assert.equal(joined, text);
		});

		it("groups statements into calls within the budget, in order, and refuses one too long", () => {
			const statements = Array.from({ length: 50 }, (_, i) => `SELECT '${String(i).padStart(5_000, "x")}'`);
			const groups = groupStatements(statements);
			assert.ok(groups.length > 1);
			assert.deepEqual(groups.flat(), statements);
			for (const group of groups) assert.ok(bytes(group.join(";\n")) <= COMMAND_BYTES);
			assert.throws(() => groupStatements([`SELECT '${"x".repeat(COMMAND_BYTES)}'`]), /over the/);
		});

		it("cuts a window into contiguous ranges within the id and byte limits", () => {
			const sized = [2, 3, 4, 9, 10, 11, 12].map((id) => ({ id, bytes: id === 9 ? 50 : 10 }));
			const ranges = planRanges({ from: 1, to: 20 }, sized, 3, 30);
			// Three ids fill the first; 9 alone is over the bytes; the last runs to the window's end.
			assert.deepEqual(ranges, [
				{ from: 1, to: 8 },
				{ from: 9, to: 9 },
				{ from: 10, to: 20 },
			]);
			assert.deepEqual(planRanges({ from: 1, to: 20 }, [], 3, 30), [{ from: 1, to: 20 }]);
			assert.deepEqual(windows(1, 12, 5), [
				{ from: 1, to: 5 },
				{ from: 6, to: 10 },
				{ from: 11, to: 12 },
			]);
		});
	});
});

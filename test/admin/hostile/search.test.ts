import { beforeAll, describe, expect, it } from "vitest";
import { escapeHtml, snapshotTables } from "../../hostile-helpers";
import { expectAdminAnswer, expectNothingChanged, jsonOf, send, useFixture } from "./helpers";

// The admin's article search (`q`) fed FTS5 syntax, SQL, control characters, emoji and sheer
// length, through the whole Worker, as the HTML list and as the JSON API. None of it reaches FTS5
// as syntax: the words in it are searched for (in drafts too), a query with no words finds
// nothing and says so, one over the limits is a 400 with the search's message, and nothing is a
// 500 or changes anything.

useFixture();

// A draft whose text alone holds every word the queries below search for, in this order (the
// phrases among them are in the text as phrases), and a published article with none of them.
const TARGET_TEXT =
	"Neodymium magnets and motors leave the port of Baotou near the river by sea or rail, not by air. " +
	"Notes: title body script alert 1 drop table articles select from where.";
let target = 0;
let decoy = 0;

beforeAll(async () => {
	const made = [];
	for (const json of [
		{ title: "Plant update", summary: "A note.", bodyMarkdown: TARGET_TEXT, status: "draft", slug: "search-target" },
		{ title: "Zinc decoy", summary: "Nothing to see.", bodyMarkdown: "Zinc only.", status: "published", slug: "decoy" },
	]) {
		const answer = await send({ path: "/api/admin/articles", as: "bearer", body: { json } });
		expect(answer.res.status, answer.text).toBe(201);
		made.push(jsonOf<{ id: number }>(answer).id);
	}
	[target, decoy] = made as [number, number];
});

type Outcome = "finds" | "no words" | "too long" | "too many words";

const CASES: [string, Outcome][] = [
	// FTS5 operators and syntax: separators between words, never operators.
	["neodymium", "finds"],
	['"neodymium magnets"', "finds"],
	["neodymium*", "finds"],
	["neodymium AND baotou", "finds"],
	["neodymium OR baotou", "finds"],
	["neodymium NOT baotou", "finds"],
	["NEAR(neodymium baotou)", "finds"],
	["-neodymium -baotou", "finds"],
	["title:neodymium", "finds"],
	["body : neodymium", "finds"],
	["{title body}: neodymium", "finds"],
	["^neodymium", "finds"],
	['neodymium"', "finds"],
	['"neodymium', "finds"],
	['"neodymium" "magnets', "finds"],
	["neodymium + baotou", "finds"],
	["(neodymium)", "finds"],
	["%neodymium%", "finds"],
	["neodymium_magnets", "finds"],
	["NEAR", "finds"],
	["- ^ : ( ) { } + * NEAR(", "finds"],
	["AND", "finds"],
	["neodymium ".repeat(13), "finds"],
	// Control characters, bidirectional marks, emoji, accents, white space.
	["neodymium\u0000baotou", "finds"],
	["\u0007neodymium\u007f\u009f", "finds"],
	["neodymium\u202E\u200F", "finds"],
	["🧲 neodymium 🧲", "finds"],
	["NÉODYMIUM", "finds"],
	["neodymium\n\tbaotou\r\n", "finds"],
	// SQL and markup.
	["' OR 1=1--", "finds"],
	['"; DROP TABLE articles;--', "finds"],
	["1'; SELECT * FROM articles WHERE '1'='1", "finds"],
	["<script>alert(1)</script>", "finds"],
	// Nothing to search for.
	['"*"', "no words"],
	["*", "no words"],
	["🧲", "no words"],
	["%", "no words"],
	["_", "no words"],
	["'", "no words"],
	['""', "no words"],
	["- ^ : ( ) { } + *", "no words"],
	["\u200F\u202E", "no words"],
	// Over the limits.
	["x".repeat(1_000), "too long"],
	['"'.repeat(201), "too long"],
	["a b c d e f g h i j k l m", "too many words"],
];

const MESSAGES = {
	"too long": "Search for at most 200 characters.",
	"too many words": "Search for at most 12 words.",
} as const;

describe("hostile searches of the admin's article list", () => {
	it.each(CASES.map(([q, outcome]) => [JSON.stringify(q).slice(0, 60), q, outcome] as const))(
		"%s: as JSON and as the HTML list",
		async (_name, q, outcome) => {
			const refused = outcome === "too long" || outcome === "too many words";
			const before = await snapshotTables();
			const json = await send({ path: `/api/admin/articles?q=${encodeURIComponent(q)}&limit=100`, as: "bearer" });
			const html = await send({ path: `/admin?q=${encodeURIComponent(q)}`, as: "editor" });
			expectAdminAnswer(json, refused ? 400 : 200, refused ? ["q"] : undefined);
			expectAdminAnswer(html, refused ? 400 : 200);
			await expectNothingChanged(before, html);

			const link = (id: number) => `href="/admin/articles/${id}"`;
			if (refused) {
				const message = MESSAGES[outcome];
				expect(jsonOf<{ error: { fields: Record<string, string> } }>(json).error.fields.q).toBe(message);
				expect(html.text).toContain(`<p class="field-error" id="filter-q-error">${message}</p>`);
				return;
			}
			const ids = jsonOf<{ articles: { id: number }[] }>(json).articles.map((a) => a.id);
			expect(html.text).toContain(`name="q" value="${escapeHtml(q.trim())}"`);
			if (outcome === "no words") {
				expect(ids).toEqual([]);
				expect(html.text).toContain("a search needs a word (letters or digits). No articles are shown.");
				expect(html.text).not.toContain("<table");
				return;
			}
			expect(ids).toContain(target);
			expect(html.text).toContain(link(target));
			expect(ids).not.toContain(decoy);
			expect(html.text).not.toContain(link(decoy));
		},
	);
});

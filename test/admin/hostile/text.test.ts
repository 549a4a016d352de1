import { desc, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { normalizeEmail } from "../../../src/db/queries/editors";
import * as schema from "../../../src/db/schema";
import { fetchWorker, testDb } from "../../helpers";
import { escapeHtml, snapshotTables } from "../../hostile-helpers";
import { TEST_ORIGIN } from "../helpers";
import {
	ARTICLE_WRITE,
	adminPageText,
	articleBySlug,
	expectAdminAnswer,
	expectNothingChanged,
	expectOnlyChanged,
	FINE_ARTICLE,
	FINE_ARTICLE_FORM,
	f,
	type HostileCase,
	jsonOf,
	MARKUP,
	pick,
	publicPageShows,
	send,
	useFixture,
} from "./helpers";

// Hostile text in every admin form and /api/admin body that takes text, through the whole Worker.
// Where it is valid input (a title with a script in it) it is stored as sent and shown escaped, to
// readers and editors; where it is not (a slug, a status, a filter) it is a 400 that changes
// nothing. Every answer is private, free of stack and SQL text, and of markup of the sender's making.

useFixture();

// Script (in content, breaking out of an attribute, out of a textarea), SQL and LIKE
// metacharacters, and bidirectional controls: each is valid text for a title or a name.
const HOSTILE_TEXTS = [
	"<script>alert(1)</script>",
	'"><img src=x onerror=alert(1)>',
	"' OR 1=1--",
	'"; DROP TABLE articles;--',
	"100% _pure_ \\ gold",
	"\u202Etxt.exe \u200F",
	"</textarea><svg onload=alert(1)>",
];

type AcceptedCase = { name: string; test: () => Promise<void> };

/**
 * What each hostile text must do where it is valid input. The first cases (the article's own
 * fields, the search that must find them literally, and sign-in) are run for every text; the
 * rest are shared out (see EVERY_FIELD).
 */
function acceptedTextCases(text: string, i: number): { core: AcceptedCase[]; more: AcceptedCase[] } {
	const value = text.trim();
	const q = encodeURIComponent(text);
	const cases: AcceptedCase[] = [
		{
			name: "article created as JSON: stored verbatim, escaped on the reader's page, the feed and the admin",
			test: async () => {
				const before = await snapshotTables();
				const answer = await send({
					path: "/api/admin/articles",
					as: "bearer",
					body: {
						json: {
							title: text,
							summary: text,
							bodyMarkdown: text,
							slug: `hostile-json-${i}`,
							topic: "energy",
							region: "china",
							status: "published",
						},
					},
				});
				expectAdminAnswer(answer, 201);
				await expectOnlyChanged(before, ARTICLE_WRITE, answer);
				const saved = jsonOf<{ id: number; title: string; bodyHtml: string }>(answer);
				expect(saved.title).toBe(value);
				const row = await articleBySlug(`hostile-json-${i}`);
				expect(row).toMatchObject({ title: value, summary: value, bodyMarkdown: text });
				expect(row?.bodyHtml).not.toMatch(MARKUP);
				await publicPageShows(`/articles/hostile-json-${i}`, value);
				const json = (await (await fetchWorker(`/api/articles/hostile-json-${i}`, undefined, f.site)).json()) as {
					title: string;
				};
				expect(json.title).toBe(value);
				const feed = await (await fetchWorker("/feed.xml", undefined, f.site)).text();
				expect(feed).not.toMatch(MARKUP);
				expect(await adminPageText(`/admin/articles/${saved.id}`)).toContain(escapeHtml(value));
			},
		},
		{
			name: "article created through the form: stored verbatim, escaped on its edit page",
			test: async () => {
				const before = await snapshotTables();
				const answer = await send({
					path: "/admin/articles",
					as: "admin",
					body: {
						form: {
							title: text,
							summary: text,
							bodyMarkdown: text,
							slug: `hostile-form-${i}`,
							topic: "energy",
							region: "",
							publishedAt: "",
							intent: "publish",
						},
					},
				});
				expectAdminAnswer(answer, 303);
				await expectOnlyChanged(before, ARTICLE_WRITE, answer);
				const row = await articleBySlug(`hostile-form-${i}`);
				expect(row).toMatchObject({ title: value, summary: value, status: "published" });
				const page = await adminPageText(answer.res.headers.get("location") ?? "");
				expect(page).toContain(escapeHtml(value));
				await publicPageShows(`/articles/hostile-form-${i}`, value);
			},
		},
		{
			name: "topic created as JSON: name and description stored verbatim, escaped on its page and the index",
			test: async () => {
				const before = await snapshotTables();
				const answer = await send({
					path: "/api/admin/topics",
					as: "bearer",
					body: { json: { slug: `hostile-topic-${i}`, name: text, description: `About ${text}` } },
				});
				expectAdminAnswer(answer, 201);
				await expectOnlyChanged(before, ["topics", "audit_log"], answer);
				const list = (await (await fetchWorker("/api/topics", undefined, f.site)).json()) as {
					slug: string;
					name: string;
					description: string;
				}[];
				const topic = list.find((t) => t.slug === `hostile-topic-${i}`);
				expect([topic?.name, topic?.description]).toEqual([value, `About ${text}`.trim()]);
				await publicPageShows(`/topics/hostile-topic-${i}`, value);
				await publicPageShows(`/topics/hostile-topic-${i}`, `About ${text}`.trim());
				await publicPageShows("/topics", `About ${text}`.trim());
				expect(await adminPageText("/admin/topics")).toContain(escapeHtml(value));
			},
		},
		{
			name: "region created through the form: name and description stored verbatim, escaped in the admin",
			test: async () => {
				const before = await snapshotTables();
				const answer = await send({
					path: "/admin/regions",
					as: "admin",
					body: { form: { slug: `hostile-region-${i}`, name: text, description: text } },
				});
				expectAdminAnswer(answer, 303);
				await expectOnlyChanged(before, ["regions", "audit_log"], answer);
				const [row] = await testDb()
					.select()
					.from(schema.regions)
					.where(eq(schema.regions.slug, `hostile-region-${i}`));
				expect([row?.name, row?.description]).toEqual([value, value]);
				await publicPageShows("/regions", value);
				expect(await adminPageText(`/admin/regions/hostile-region-${i}`)).toContain(escapeHtml(value));
				await publicPageShows(`/regions/hostile-region-${i}`, value);
			},
		},
		{
			name: "About page saved as JSON: escaped on the reader's page",
			test: async () => {
				const before = await snapshotTables();
				const answer = await send({
					method: "PUT",
					path: "/api/admin/pages/about",
					as: "bearer",
					body: { json: { title: text, bodyMarkdown: text } },
				});
				expectAdminAnswer(answer, 200);
				await expectOnlyChanged(before, ["pages", "audit_log"], answer);
				await publicPageShows("/about", value);
				const json = (await (await fetchWorker("/api/pages/about", undefined, f.site)).json()) as { title: string };
				expect(json.title).toBe(value);
			},
		},
		{
			name: "Services page saved through the form: escaped on the reader's page and in the editor",
			test: async () => {
				const before = await snapshotTables();
				const answer = await send({
					path: "/admin/pages/services",
					as: "editor",
					body: { form: { title: text, bodyMarkdown: text, updatedAt: "" } },
				});
				expectAdminAnswer(answer, 303);
				await expectOnlyChanged(before, ["pages", "audit_log"], answer);
				await publicPageShows("/services", value);
				expect(await adminPageText("/admin/pages/services")).toContain(escapeHtml(value));
			},
		},
		{
			name: "API token named with it: escaped in the token list",
			test: async () => {
				const before = await snapshotTables();
				const answer = await send({
					path: "/api/admin/tokens",
					as: "bearer",
					body: { json: { name: text, editorId: f.other } },
				});
				expectAdminAnswer(answer, 201);
				await expectOnlyChanged(before, ["api_tokens", "audit_log"], answer);
				expect(jsonOf<{ name: string }>(answer).name).toBe(value);
				expect(await adminPageText("/admin/tokens")).toContain(escapeHtml(value));
			},
		},
		{
			name: "editor renamed as JSON: escaped in the editor list",
			test: async () => {
				const before = await snapshotTables();
				const answer = await send({
					method: "PATCH",
					path: `/api/admin/editors/${f.other}`,
					as: "bearer",
					body: { json: { name: text } },
				});
				expectAdminAnswer(answer, 200);
				await expectOnlyChanged(before, ["editors", "audit_log"], answer);
				expect(await adminPageText("/admin/editors")).toContain(escapeHtml(value));
			},
		},
		{
			name: "editor renamed through the form: escaped on the editor's page",
			test: async () => {
				const before = await snapshotTables();
				const answer = await send({
					path: `/admin/editors/${f.other}`,
					as: "admin",
					body: { form: { name: `${text} 2`, role: "editor" } },
				});
				expectAdminAnswer(answer, 303);
				await expectOnlyChanged(before, ["editors", "audit_log"], answer);
				expect(await adminPageText(`/admin/editors/${f.other}`)).toContain(escapeHtml(`${value} 2`));
			},
		},
		{
			name: "article search in the admin: the query is shown back escaped",
			test: async () => {
				const before = await snapshotTables();
				const answer = await send({ path: `/admin?q=${q}`, as: "editor" });
				expectAdminAnswer(answer, 200);
				await expectNothingChanged(before, answer);
				expect(answer.text).toContain(`value="${escapeHtml(value)}"`);
			},
		},
		{
			name: "article search as JSON finds the articles that hold its words, drafts included, and only those",
			test: async () => {
				// Titles to find, made here so that the case needs no other to have run first.
				for (const [slug, status] of [
					[`hostile-search-${i}`, "published"],
					[`hostile-search-draft-${i}`, "draft"],
				]) {
					const made = await send({
						path: "/api/admin/articles",
						as: "bearer",
						body: { json: { ...FINE_ARTICLE, title: text, slug, status } },
					});
					expect(made.res.status, made.text).toBe(201);
				}
				const before = await snapshotTables();
				const answer = await send({ path: `/api/admin/articles?q=${q}&limit=100`, as: "editor" });
				expectAdminAnswer(answer, 200);
				await expectNothingChanged(before, answer);
				const found = jsonOf<{ articles: { slug: string }[] }>(answer)
					.articles.map((a) => a.slug)
					.sort();
				// Its words, searched for in title, summary and text alike; its punctuation is not searched for.
				const wordsOf = (t: string) => new Set(t.toLowerCase().match(/[\p{L}\p{N}\p{Co}]+/gu) ?? []);
				const rows = await testDb().select().from(schema.articles);
				for (const slug of found) {
					const row = rows.find((r) => r.slug === slug);
					expect(row?.deletedAt, slug).toBeNull();
					const words = wordsOf(`${row?.title} ${row?.summary} ${row?.bodyText}`);
					for (const word of wordsOf(text)) expect(words.has(word), `${slug} has "${word}"`).toBe(true);
				}
				expect(found).toEqual(expect.arrayContaining([`hostile-search-${i}`, `hostile-search-draft-${i}`]));
			},
		},
		{
			// A failed sign-in is counted (throttle) and logged (audit) by design; nothing else changes.
			name: "sign-in with it as the email: refused, the email shown back escaped",
			test: async () => {
				const before = await snapshotTables();
				const answer = await send({
					path: "/admin/login",
					as: "none",
					body: { form: { email: text, password: "not the password" } },
					headers: { origin: TEST_ORIGIN, "cf-connecting-ip": `198.51.100.${i + 1}` },
				});
				expectAdminAnswer(answer, 401);
				await expectOnlyChanged(before, ["audit_log", "login_throttle"], answer);
				expect(answer.text).toContain(`value="${escapeHtml(text)}"`);
				const [last] = await testDb().select().from(schema.auditLog).orderBy(desc(schema.auditLog.id)).limit(1);
				expect(last).toMatchObject({ action: "login.fail", subject: `email:${normalizeEmail(text)}` });
			},
		},
		{
			name: "audit log filtered by it as the subject: shown back escaped",
			test: async () => {
				const before = await snapshotTables();
				const answer = await send({ path: `/admin/audit?subject=${q}`, as: "admin" });
				expectAdminAnswer(answer, 200);
				await expectNothingChanged(before, answer);
				expect(answer.text).toContain(`value="${escapeHtml(value)}"`);
			},
		},
		{
			name: "audit log as JSON filtered by it as the subject: exact matches only",
			test: async () => {
				const before = await snapshotTables();
				const answer = await send({ path: `/api/admin/audit?subject=${q}`, as: "bearer" });
				expectAdminAnswer(answer, 200);
				await expectNothingChanged(before, answer);
				for (const entry of jsonOf<{ entries: { subject: string }[] }>(answer).entries) {
					expect(entry.subject).toBe(value);
				}
			},
		},
		{
			name: "preview of a new article: escaped, nothing stored",
			test: async () => {
				const before = await snapshotTables();
				const answer = await send({
					path: "/admin/articles",
					as: "editor",
					body: { form: { title: text, summary: text, bodyMarkdown: text, slug: "", intent: "preview" } },
				});
				expectAdminAnswer(answer, 200);
				await expectNothingChanged(before, answer);
				expect(answer.text).toContain(escapeHtml(value));
			},
		},
	];
	const core = [
		"article created as JSON",
		"article created through the form",
		"article search as JSON",
		"sign-in with",
	];
	const isCore = (c: AcceptedCase) => core.some((name) => c.name.startsWith(name));
	return { core: cases.filter(isCore), more: cases.filter((c) => !isCore(c)) };
}

function refusedTextCases(text: string): HostileCase[] {
	const q = encodeURIComponent(text);
	return [
		{
			name: "as an article's slug (JSON)",
			req: () => ({ path: "/api/admin/articles", as: "bearer", body: { json: { ...FINE_ARTICLE, slug: text } } }),
			status: 400,
			fields: ["slug"],
		},
		{
			name: "as an article's slug (form)",
			req: () => ({
				path: "/admin/articles",
				as: "admin",
				body: { form: { ...FINE_ARTICLE_FORM, slug: text, intent: "draft" } },
			}),
			status: 400,
		},
		{
			name: "as an article's topic",
			req: () => ({ path: "/api/admin/articles", as: "admin", body: { json: { ...FINE_ARTICLE, topic: text } } }),
			status: 400,
			fields: ["topic"],
		},
		{
			name: "as an article's region (form)",
			req: () => ({
				path: `/admin/articles/${f.article}`,
				as: "admin",
				body: { form: { ...FINE_ARTICLE_FORM, region: text, version: "2", intent: "save" } },
			}),
			status: 400,
		},
		{
			name: "as an article's status",
			req: () => ({ path: "/api/admin/articles", as: "bearer", body: { json: { ...FINE_ARTICLE, status: text } } }),
			status: 400,
			fields: ["status"],
		},
		{
			name: "as a topic's slug (JSON)",
			req: () => ({ path: "/api/admin/topics", as: "bearer", body: { json: { slug: text, name: "Fine" } } }),
			status: 400,
			fields: ["slug"],
		},
		{
			name: "as a region's new slug (form)",
			req: () => ({ path: "/admin/regions/china", as: "admin", body: { form: { slug: text, name: "China" } } }),
			status: 400,
		},
		{
			name: "as an editor's role",
			req: () => ({
				method: "PATCH",
				path: `/api/admin/editors/${f.other}`,
				as: "admin",
				body: { json: { role: text } },
			}),
			status: 400,
			fields: ["role"],
		},
		{
			name: "as a token's editor id",
			req: () => ({ path: "/api/admin/tokens", as: "bearer", body: { json: { name: "Fine", editorId: text } } }),
			status: 400,
			fields: ["editorId"],
		},
		{
			name: "as a slug to purge",
			req: () => ({ path: "/api/admin/purge", as: "bearer", body: { json: { slugs: ["known", text] } } }),
			status: 400,
			fields: ["slugs"],
		},
		{
			name: "as slugs to purge (form)",
			req: () => ({ path: "/admin/purge", as: "editor", body: { form: { slugs: text, intent: "slugs" } } }),
			status: 400,
		},
		{
			name: "as the article list's status filter",
			req: () => ({ path: `/api/admin/articles?status=${q}`, as: "bearer" }),
			status: 400,
			fields: ["status"],
		},
		{
			name: "as the admin list's topic filter",
			req: () => ({ path: `/admin?topic=${q}`, as: "editor" }),
			status: 400,
		},
		{
			name: "as the audit log's action filter",
			req: () => ({ path: `/admin/audit?action=${q}`, as: "admin" }),
			status: 400,
		},
		{
			name: "as a list cursor",
			req: () => ({ path: `/api/admin/articles?cursor=${q}`, as: "bearer" }),
			status: 400,
			fields: ["cursor"],
		},
	];
}

/**
 * The texts every field gets (a script, and SQL); the others share the remaining fields out among
 * them, three each, so that every field meets several kinds of hostile text.
 */
const EVERY_FIELD = [0, 2];
const SHARED = [1, 3, 4, 5, 6];

describe.each(HOSTILE_TEXTS.map((text, i) => ({ text, i })))("hostile text $text", ({ text, i }) => {
	describe("accepted where it is valid", () => {
		const { core, more } = acceptedTextCases(text, i);
		it.each([...core, ...(EVERY_FIELD.includes(i) ? more : pick(more, SHARED.indexOf(i) * 3, 3))])(
			"$name",
			({ test }) => test(),
		);
	});
	describe("refused where it is not, with nothing changed", () => {
		const refused = refusedTextCases(text);
		it.each(EVERY_FIELD.includes(i) ? refused : pick(refused, SHARED.indexOf(i) * 3, 3))(
			"$name",
			async ({ req, status, fields }) => {
				const before = await snapshotTables();
				const answer = await send(req());
				expectAdminAnswer(answer, status, fields);
				await expectNothingChanged(before, answer);
			},
		);
	});
});

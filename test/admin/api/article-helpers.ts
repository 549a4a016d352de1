import { count, eq } from "drizzle-orm";
import { beforeEach, expect } from "vitest";
import * as schema from "../../../src/db/schema";
import { freshTaxa, type TestTaxa, testDb } from "../../helpers";
import { type AdminAuthHeaders, adminFetch, bearerToken, createEditor, expectPrivate, sessionCookie } from "../helpers";

// Shared by the admin's JSON API tests for articles (articles, article-edits, article-purges): who
// calls, how a call is made and checked, and what a change leaves in the revisions and the audit
// log. The fixture's bindings are live (ES module `let` exports): each file's `beforeEach` sets them
// anew, and the tests read them as they are at the time.

export const db = testDb();
export let taxa: TestTaxa;
export let editor: schema.Editor;
export let admin: schema.Editor;
export let asEditor: AdminAuthHeaders;
export let asAdmin: AdminAuthHeaders;
export let withCookie: AdminAuthHeaders;

/** Registers the file's `beforeEach`: the test taxa, an editor and an admin, a token for each, and a session for the editor. */
export function useArticleApiFixture(): void {
	beforeEach(async () => {
		taxa = await freshTaxa();
		editor = await createEditor({ role: "editor", name: "Eda Editor" });
		admin = await createEditor({ role: "admin", name: "Ada Admin" });
		asEditor = { authorization: await bearerToken(editor) };
		asAdmin = { authorization: await bearerToken(admin) };
		withCookie = { cookie: await sessionCookie(editor) };
	});
}

export type Json = Record<string, unknown> & {
	id: number;
	slug: string;
	title: string;
	version: number;
	status: string;
	publishedAt: string | null;
	deletedAt: string | null;
	retiredSlugs: string[];
	scheduled: boolean;
	live: boolean;
	purge: { keys: string[]; tags: string[]; local: { ok: boolean; deleted: number }; everything?: boolean };
};
export type ErrorBody = { error: { code: string; message: string; fields?: Record<string, string> }; current?: Json };

export async function call(
	method: string,
	path: string,
	json?: unknown,
	auth: AdminAuthHeaders = asEditor,
): Promise<{ res: Response; body: Json & ErrorBody }> {
	const res = await adminFetch(`/api/admin${path}`, auth, { method, json });
	expectPrivate(res);
	expect(res.headers.get("content-type")).toMatch(/^application\/json/);
	return { res, body: (await res.json()) as Json & ErrorBody };
}

export const NEW = { title: "Magnet prices rise", summary: "Neodymium is up.", bodyMarkdown: "First.\n\nSecond." };

export async function create(fields: Record<string, unknown> = {}, auth: AdminAuthHeaders = asEditor): Promise<Json> {
	const { res, body } = await call("POST", "/articles", { ...NEW, ...fields }, auth);
	expect(res.status, JSON.stringify(body)).toBe(201);
	return body;
}

export async function counts(id: number) {
	const [revisions] = await db
		.select({ n: count() })
		.from(schema.articleRevisions)
		.where(eq(schema.articleRevisions.articleId, id));
	const [audit] = await db.select({ n: count() }).from(schema.auditLog);
	const [redirects] = await db.select({ n: count() }).from(schema.slugRedirects);
	return { revisions: revisions?.n, audit: audit?.n, redirects: redirects?.n };
}

export async function auditActions(id: number) {
	const rows = await db
		.select()
		.from(schema.auditLog)
		.where(eq(schema.auditLog.subject, `article:${id}`))
		.orderBy(schema.auditLog.id);
	return rows.map((r) => ({ action: r.action, editorEmail: r.editorEmail, detail: JSON.parse(r.detail) }));
}

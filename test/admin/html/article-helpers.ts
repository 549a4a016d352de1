import { eq } from "drizzle-orm";
import { beforeEach, expect } from "vitest";
import * as schema from "../../../src/db/schema";
import { freshTaxa, testDb } from "../../helpers";
import { type AdminAuthHeaders, adminFetch, expectPrivate, signedInAdminAndEditor } from "../helpers";

// Shared by the tests of the admin's article screens (articles, article-edits,
// article-trash-and-revisions): who is signed in, pages and form posts checked as every admin
// page must be, and the forms a browser would send back. The fixture's bindings are live (ES
// module `let` exports): each file's `beforeEach` sets them anew.

export let admin: AdminAuthHeaders;
export let editor: AdminAuthHeaders;
export let taxa: Awaited<ReturnType<typeof freshTaxa>>;

/** Registers the file's `beforeEach`: the test taxa, and a session for an admin and for an editor. */
export function useArticleScreensFixture(): void {
	beforeEach(async () => {
		taxa = await freshTaxa();
		({ admin, editor } = await signedInAdminAndEditor("Eddie Editor"));
	});
}

/** An admin HTML page: status, the never-cache headers and the shape every admin page has. */
export async function page(path: string, auth: AdminAuthHeaders = admin, status = 200): Promise<string> {
	const res = await adminFetch(path, auth);
	expect(res.status, path).toBe(status);
	expectPrivate(res);
	expect(res.headers.get("content-type")).toMatch(/^text\/html/);
	const html = await res.text();
	expect(html.startsWith("<!DOCTYPE html>")).toBe(true);
	expect(html).toContain('<html lang="en">');
	expect(html).toMatch(/<meta name="robots" content="noindex"\/?>/);
	expect(html).toContain('<main id="main"');
	expect(html.match(/<h1[\s>]/g)?.length).toBe(1);
	return html;
}

/** A form POST; returns the response after checking the never-cache headers. */
export async function post(
	path: string,
	form: Record<string, string>,
	auth: AdminAuthHeaders = admin,
): Promise<Response> {
	const res = await adminFetch(path, auth, { form });
	expectPrivate(res);
	return res;
}

export function articleForm(overrides: Record<string, string> = {}): Record<string, string> {
	return {
		title: "Rare earth magnet plant opens",
		slug: "",
		summary: "A new plant in Baotou.",
		region: "china",
		topic: "energy",
		bodyMarkdown: "First paragraph.\n\nSecond paragraph.",
		publishedAt: "",
		intent: "draft",
		...overrides,
	};
}

export async function stored(id: number) {
	const [row] = await testDb().select().from(schema.articles).where(eq(schema.articles.id, id));
	return row;
}

export async function articleCount(): Promise<number> {
	return (await testDb().select().from(schema.articles)).length;
}

/** Creates an article through the form and returns its id and the redirect target. */
export async function createViaForm(overrides: Record<string, string> = {}): Promise<{ id: number; location: string }> {
	const res = await post("/admin/articles", articleForm(overrides));
	expect(res.status).toBe(303);
	const location = res.headers.get("location") ?? "";
	const match = /^\/admin\/articles\/(\d+)\?/.exec(location);
	expect(match, location).not.toBeNull();
	return { id: Number(match?.[1]), location };
}

/** The edit form's fields for an article as stored, ready to POST back with changes. */
export async function editForm(id: number, overrides: Record<string, string>): Promise<Record<string, string>> {
	const row = await stored(id);
	if (!row) throw new Error("no such article");
	return {
		title: row.title,
		slug: row.slug,
		summary: row.summary,
		region: "china",
		topic: "energy",
		bodyMarkdown: row.bodyMarkdown,
		publishedAt: row.publishedAt === null ? "" : new Date(row.publishedAt).toISOString().slice(0, 16),
		version: String(row.version),
		intent: "save",
		...overrides,
	};
}

/** Text as the page has it, unescaped (hono/jsx escapes & < > " '). */
export function unescapeHtml(text: string): string {
	return text
		.replace(/&lt;/g, "<")
		.replace(/&gt;/g, ">")
		.replace(/&quot;/g, '"')
		.replace(/&#39;/g, "'")
		.replace(/&amp;/g, "&");
}

/** What a browser would submit from the page's form that posts to `action` (its button aside). */
export function formOn(html: string, action: string): Record<string, string> {
	const start = html.indexOf(`method="post" action="${action}"`);
	expect(start, `a form posting to ${action}`).toBeGreaterThan(-1);
	const form = html.slice(start, html.indexOf("</form>", start));
	const fields: Record<string, string> = {};
	for (const [input] of form.matchAll(/<input\b[^>]*>/g)) {
		const name = /\bname="([^"]*)"/.exec(input)?.[1];
		if (name) fields[name] = unescapeHtml(/\bvalue="([^"]*)"/.exec(input)?.[1] ?? "");
	}
	for (const [, name, text] of form.matchAll(/<textarea\b[^>]*\bname="([^"]*)"[^>]*>([\s\S]*?)<\/textarea>/g)) {
		// A browser drops the newline right after the start tag.
		fields[name as string] = unescapeHtml((text ?? "").replace(/^\n/, ""));
	}
	for (const [, name, options] of form.matchAll(/<select\b[^>]*\bname="([^"]*)"[^>]*>([\s\S]*?)<\/select>/g)) {
		fields[name as string] = unescapeHtml(/<option value="([^"]*)" selected/.exec(options ?? "")?.[1] ?? "");
	}
	return fields;
}

/** The line under the editor's heading: version, times, where the article stands. */
export function metaLine(html: string): string {
	return /<p class="muted">Version \d+ · updated [\s\S]*?<\/p>/.exec(html)?.[0] ?? "";
}

export async function countsOf(id: number) {
	const revisions = await testDb()
		.select()
		.from(schema.articleRevisions)
		.where(eq(schema.articleRevisions.articleId, id));
	const audit = await testDb().select().from(schema.auditLog);
	return { revisions: revisions.length, audit: audit.length };
}

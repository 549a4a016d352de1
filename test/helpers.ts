import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import app from "../src/app";
import type { Db } from "../src/db/client";
import { createDb } from "../src/db/client";
import { type D1Statement, instrumentD1 } from "../src/db/instrument";
import * as schema from "../src/db/schema";
import worker from "../src/index";
import { renderBody, renderMarkdown } from "../src/lib/markdown";

export const SITE = "https://samarium.test";
export const DAY = 86_400_000;

export function testDb(d1: D1Database = env.DB): Db {
	return createDb(d1);
}

/** Empties every content table; tests in one file share a database, files do not. */
export async function resetDb(): Promise<void> {
	await env.DB.batch(
		[
			"article_corrections",
			"article_authors",
			"article_media",
			"article_revisions",
			"slug_redirects",
			"articles",
			"media",
			"authors",
			"pages",
			"regions",
			"topics",
			"audit_log",
			"api_tokens",
			"sessions",
			"login_throttle",
			"editors",
		].map((t) => env.DB.prepare(`DELETE FROM ${t}`)),
	);
}

const TEST_TAXA = {
	regions: [
		["china", "China"],
		["united-states", "United States"],
		["global", "Global"],
	],
	topics: [
		["energy", "Energy"],
		["automotive", "Automotive"],
		["recycling", "Recycling"],
	],
} as const;

export type TestTaxa = { region: Record<string, number>; topic: Record<string, number> };

/** Three regions and three topics; returns their ids by slug. */
export async function insertTaxa(): Promise<TestTaxa> {
	const db = testDb();
	const insert = async (
		table: typeof schema.regions | typeof schema.topics,
		rows: readonly (readonly [string, string])[],
	) => {
		const inserted = await db
			.insert(table)
			.values(rows.map(([slug, name]) => ({ slug, name })))
			.returning();
		return Object.fromEntries(inserted.map((r) => [r.slug, r.id]));
	};
	return {
		region: await insert(schema.regions, TEST_TAXA.regions),
		topic: await insert(schema.topics, TEST_TAXA.topics),
	};
}

/** An empty database with the test regions and topics: the usual `beforeEach`. */
export async function freshTaxa(): Promise<TestTaxa> {
	await resetDb();
	return insertTaxa();
}

/** Retires `slug`: it now answers with a redirect to the article's current slug. */
export async function insertRedirect(slug: string, articleId: number): Promise<void> {
	await testDb().insert(schema.slugRedirects).values({ slug, articleId });
}

/** Records a public correction on an article, as a save with a correction note does. */
export async function insertCorrection(articleId: number, note: string, at: number, version = 2): Promise<void> {
	await testDb().insert(schema.articleCorrections).values({ articleId, version, note, at });
}

/** An author, as the admin creates one; returns their id. */
export async function insertAuthor(
	slug: string,
	name: string,
	extra: Partial<Omit<schema.Author, "id" | "slug" | "name">> = {},
): Promise<number> {
	const now = Date.now();
	const [row] = await testDb()
		.insert(schema.authors)
		.values({ slug, name, createdAt: now, updatedAt: now, ...extra })
		.returning({ id: schema.authors.id });
	if (!row) throw new Error("insert failed");
	return row.id;
}

/** Sets an article's byline to these author ids, in order (the triggers fill in its visibility). */
export async function setByline(articleId: number, authorIds: number[]): Promise<void> {
	await testDb().delete(schema.articleAuthors).where(eq(schema.articleAuthors.articleId, articleId));
	if (authorIds.length === 0) return;
	await testDb()
		.insert(schema.articleAuthors)
		.values(authorIds.map((authorId, position) => ({ articleId, authorId, position })));
}

let counter = 0;

export type ArticleInput = Partial<Omit<schema.NewArticle, "bodyHtml" | "bodyText">> & { publishedAt?: number | null };

/** Inserts one article (published an hour ago unless told otherwise) and returns the row. */
export async function insertArticle(input: ArticleInput = {}): Promise<schema.Article> {
	counter += 1;
	const now = Date.now();
	const bodyMarkdown = input.bodyMarkdown ?? `First paragraph of article ${counter}.\n\nSecond paragraph.`;
	const publishedAt = input.publishedAt === undefined ? now - 3_600_000 : input.publishedAt;
	const body = renderBody(bodyMarkdown);
	const [row] = await testDb()
		.insert(schema.articles)
		.values({
			slug: `article-${counter}`,
			title: `Article ${counter}`,
			summary: `Summary of article ${counter}.`,
			status: "published",
			createdAt: publishedAt ?? now,
			updatedAt: publishedAt ?? now,
			...input,
			publishedAt,
			bodyMarkdown,
			bodyHtml: body.html,
			bodyText: body.text,
		})
		.returning();
	if (!row) throw new Error("insert failed");
	return row;
}

export async function insertPage(slug: string, title: string, bodyMarkdown: string) {
	await testDb()
		.insert(schema.pages)
		.values({ slug, title, bodyMarkdown, bodyHtml: renderMarkdown(bodyMarkdown), updatedAt: Date.UTC(2026, 0, 2) });
}

/**
 * Sends a request through the app. The Host is deliberately not the configured SITE_URL so that
 * tests notice any absolute URL built from the request; the scheme is https, as SITE_URL's is (the
 * admin refuses plain http then). `path` may also be a whole URL.
 */
export async function fetchApp(path: string, init?: RequestInit, bindings: Env = env): Promise<Response> {
	const ctx = createExecutionContext();
	const url = /^https?:/.test(path) ? path : `https://localhost${path}`;
	const res = await app.fetch(new Request(url, init), bindings, ctx);
	await waitOnExecutionContext(ctx);
	return res;
}

/** A D1 binding that fails every call with `message`, as an unreachable database does. */
export function failingD1(message: string): D1Database {
	const fail = () => {
		throw new Error(message);
	};
	// Opening a session touches no database (as in D1); its first query fails.
	const withSession = () => ({ prepare: fail, batch: fail, getBookmark: () => null });
	return { prepare: fail, batch: fail, exec: fail, withSession } as unknown as D1Database;
}

export type D1Counts = { roundTrips: number; statements: number };

/**
 * Wraps a D1 binding (with the app's own instrumentation) to count what reaches the database:
 * each first/all/run/raw call or batch is one round trip; a batch carries as many statements as
 * it holds. Every statement's SQL and parameters are recorded too, so tests can EXPLAIN exactly
 * what the app sent.
 */
export function countingD1(inner: D1Database): { db: D1Database; counts: D1Counts; queries: D1Statement[] } {
	const counts: D1Counts = { roundTrips: 0, statements: 0 };
	const queries: D1Statement[] = [];
	const db = instrumentD1(inner, (call) => {
		counts.roundTrips += 1;
		counts.statements += call.statements.length;
		queries.push(...call.statements);
	});
	return { db, counts, queries };
}

/**
 * D1's own rows_read over exactly these statements, run again against `db` (the unwrapped
 * binding): what the app's queries cost, whatever the table size.
 */
export async function rowsReadOf(db: D1Database, queries: D1Statement[]): Promise<number> {
	let total = 0;
	for (const q of queries) {
		const { meta } = await db
			.prepare(q.sql)
			.bind(...q.params)
			.all();
		total += meta.rows_read;
	}
	return total;
}

let siteCounter = 0;

/**
 * Bindings with a site origin of their own: cache keys are built from SITE_URL, so a test that
 * uses them shares no cached copy with any other test, even though the Cache API is shared.
 */
export function isolatedSite(overrides: Partial<Env> = {}): Env & { SITE_URL: string } {
	siteCounter += 1;
	return { ...env, SITE_URL: `https://site-${siteCounter}-${Date.now()}.samarium.test`, ...overrides };
}

/** Sends a request through the whole Worker (edge cache included) and waits for its background work. */
export async function fetchWorker(
	path: string,
	init?: RequestInit,
	bindings: Env = env,
	ctx: ExecutionContext = createExecutionContext(),
): Promise<Response> {
	const url = /^https?:/.test(path) ? path : `https://localhost${path}`;
	const res = await worker.fetch(new Request(url, init), bindings, ctx);
	await waitOnExecutionContext(ctx);
	return res;
}

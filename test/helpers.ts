import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { drizzle } from "drizzle-orm/d1";
import app from "../src/app";
import * as schema from "../src/db/schema";
import worker from "../src/index";
import { renderMarkdown } from "../src/lib/markdown";
import type { Db } from "../src/types";

export const SITE = "https://samarium.test";
export const DAY = 86_400_000;

export function testDb(d1: D1Database = env.DB): Db {
	return drizzle(d1, { schema });
}

/** Empties every content table; tests in one file share a database, files do not. */
export async function resetDb(): Promise<void> {
	await env.DB.batch(
		["slug_redirects", "articles", "pages", "regions", "topics"].map((t) => env.DB.prepare(`DELETE FROM ${t}`)),
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

let counter = 0;

export type ArticleInput = Partial<Omit<schema.NewArticle, "bodyHtml">> & { publishedAt?: number | null };

/** Inserts one article (published an hour ago unless told otherwise) and returns the row. */
export async function insertArticle(input: ArticleInput = {}): Promise<schema.Article> {
	counter += 1;
	const now = Date.now();
	const bodyMarkdown = input.bodyMarkdown ?? `First paragraph of article ${counter}.\n\nSecond paragraph.`;
	const publishedAt = input.publishedAt === undefined ? now - 3_600_000 : input.publishedAt;
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
			bodyHtml: renderMarkdown(bodyMarkdown),
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
 * tests notice any absolute URL built from the request. `path` may also be a whole URL.
 */
export async function fetchApp(path: string, init?: RequestInit, bindings: Env = env): Promise<Response> {
	const ctx = createExecutionContext();
	const url = /^https?:/.test(path) ? path : `http://localhost${path}`;
	const res = await app.fetch(new Request(url, init), bindings, ctx);
	await waitOnExecutionContext(ctx);
	return res;
}

const UNWRAP = Symbol("unwrap");

export type D1Counts = { roundTrips: number; statements: number };
export type RecordedQuery = { sql: string; params: unknown[] };

/**
 * Wraps a D1 binding to count what reaches the database: each first/all/run/raw call or batch
 * is one round trip; a batch carries as many statements as it holds. Every statement's SQL and
 * parameters are recorded too, so tests can EXPLAIN exactly what the app sent.
 */
export function countingD1(inner: D1Database): { db: D1Database; counts: D1Counts; queries: RecordedQuery[] } {
	const counts: D1Counts = { roundTrips: 0, statements: 0 };
	const queries: RecordedQuery[] = [];
	const wrap = (stmt: D1PreparedStatement, query: RecordedQuery): D1PreparedStatement =>
		new Proxy(stmt, {
			get(target, prop, receiver) {
				if (prop === UNWRAP) return target;
				if (prop === RECORD) return query;
				const value = Reflect.get(target, prop, receiver);
				if (typeof value !== "function") return value;
				if (prop === "bind") {
					return (...args: unknown[]) => wrap(value.apply(target, args), { sql: query.sql, params: args });
				}
				if (prop === "first" || prop === "all" || prop === "run" || prop === "raw") {
					return (...args: unknown[]) => {
						counts.roundTrips += 1;
						counts.statements += 1;
						queries.push(query);
						return value.apply(target, args);
					};
				}
				return value.bind(target);
			},
		});
	const db = new Proxy(inner, {
		get(target, prop, receiver) {
			const value = Reflect.get(target, prop, receiver);
			if (typeof value !== "function") return value;
			if (prop === "prepare") return (sql: string) => wrap(value.call(target, sql), { sql, params: [] });
			if (prop === "batch") {
				return (stmts: D1PreparedStatement[]) => {
					counts.roundTrips += 1;
					counts.statements += stmts.length;
					for (const stmt of stmts) queries.push(field<RecordedQuery>(stmt, RECORD) ?? { sql: "?", params: [] });
					// Statements are proxies; D1 wants its own objects back.
					return value.call(
						target,
						stmts.map((stmt) => field<D1PreparedStatement>(stmt, UNWRAP) ?? stmt),
					);
				};
			}
			if (prop === "exec") {
				return (sql: string) => {
					counts.roundTrips += 1;
					counts.statements += 1;
					queries.push({ sql, params: [] });
					return value.call(target, sql);
				};
			}
			return value.bind(target);
		},
	});
	return { db, counts, queries };
}

const RECORD = Symbol("record");

function field<T>(stmt: D1PreparedStatement, key: symbol): T | undefined {
	return (stmt as unknown as Record<symbol, T | undefined>)[key];
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
	const url = /^https?:/.test(path) ? path : `http://localhost${path}`;
	const res = await worker.fetch(new Request(url, init), bindings, ctx);
	await waitOnExecutionContext(ctx);
	return res;
}

import { env } from "cloudflare:workers";
import { expect } from "vitest";
import type { Deps } from "../../../src/admin/services/deps";
import type { PurgePlan } from "../../../src/cache/plan";
import type { PurgeReport } from "../../../src/cache/purge";
import type { EditorRole } from "../../../src/db/schema";
import { SITE, testDb } from "../../helpers";
import { createEditor } from "../helpers";

// The services called directly, without HTTP: a Deps built here on the real test D1, with a
// fixed clock and a purge that records each plan instead of carrying it out.

/** The services' clock in these tests: a fixed instant, so every written time can be asserted. */
export const NOW = Date.UTC(2026, 5, 1, 12, 0, 0);
export const HOUR = 3_600_000;

/** What the fake purge answers: distinctive numbers, so a caller that reports them can be told apart. */
export const REPORT: PurgeReport = {
	keys: ["https://samarium.test/fake-key"],
	tags: ["fake-tag"],
	local: { ok: true, deleted: 7 },
	workersCache: { status: "skipped" },
	zone: { status: "failed", errors: ["fake zone error"] },
};

export type TestDeps = Deps & { plans: PurgePlan[] };

/**
 * Deps for a service call, acting as a new editor of `role`. `plans` receives every plan given to
 * `purge`; the fake answers REPORT, or for a plan of everything REPORT as applyPurge shapes one.
 */
export async function serviceDeps(role: EditorRole = "admin", now = NOW): Promise<TestDeps> {
	const row = await createEditor({ role });
	const plans: PurgePlan[] = [];
	return {
		db: testDb(),
		editor: { id: row.id, email: row.email, name: row.name, role: row.role },
		now,
		siteUrl: SITE,
		plans,
		purge: async (plan) => {
			plans.push(plan);
			return plan.everything ? { ...REPORT, keys: [], tags: [], everything: true } : REPORT;
		},
	};
}

/** The same editor, database and recorder at another time. */
export function at(deps: TestDeps, now: number): TestDeps {
	return { ...deps, now };
}

const TABLES = [
	"articles",
	"article_revisions",
	"slug_redirects",
	"audit_log",
	"regions",
	"topics",
	"pages",
	"api_tokens",
	"editors",
] as const;

export type RowCounts = Record<(typeof TABLES)[number], number>;

/** How many rows each table the services write has: compared before and after a refused call. */
export async function rowCounts(): Promise<RowCounts> {
	const results = await env.DB.batch<{ n: number }>(
		TABLES.map((t) => env.DB.prepare(`SELECT count(*) AS n FROM ${t}`)),
	);
	return Object.fromEntries(TABLES.map((t, i) => [t, results[i]?.results[0]?.n ?? -1])) as RowCounts;
}

/** The audit log, oldest first, with `detail` parsed. */
export async function auditRows() {
	const { results } = await env.DB.prepare(
		"SELECT id, at, editor_id AS editorId, editor_email AS editorEmail, action, subject, detail FROM audit_log ORDER BY id",
	).all<{
		id: number;
		at: number;
		editorId: number | null;
		editorEmail: string;
		action: string;
		subject: string;
		detail: string;
	}>();
	return results.map((row) => ({ ...row, detail: JSON.parse(row.detail) as Record<string, unknown> }));
}

/** Awaits a call that must be refused, and returns the error with its status, message and fields. */
export async function refusal(
	call: Promise<unknown>,
): Promise<Error & { status: number; fields?: Record<string, string> }> {
	const outcome = await call.then(
		(value) => ({ ok: true as const, value }),
		(error: unknown) => ({ ok: false as const, error }),
	);
	if (outcome.ok) expect.fail(`expected a refusal, got ${JSON.stringify(outcome.value)}`);
	expect(outcome.error).toBeInstanceOf(Error);
	return outcome.error as Error & { status: number; fields?: Record<string, string> };
}

/** Every row of every table the services write: equal before and after means nothing was written. */
export async function dbState(): Promise<Record<string, unknown[]>> {
	const results = await env.DB.batch(TABLES.map((t) => env.DB.prepare(`SELECT * FROM ${t} ORDER BY rowid`)));
	return Object.fromEntries(TABLES.map((t, i) => [t, results[i]?.results ?? []]));
}

/**
 * Runs a call that must be refused with `status` and checks that it changed no row and planned no
 * purge; returns the error.
 */
export async function refusedWithoutWrites(deps: TestDeps, status: number, call: () => Promise<unknown>) {
	const before = await dbState();
	const planned = deps.plans.length;
	const error = await refusal(call());
	expect(error.status).toBe(status);
	expect(await dbState()).toEqual(before);
	expect(deps.plans.length).toBe(planned);
	return error;
}

import { env } from "cloudflare:workers";
import { expect } from "vitest";

// Shared by the hostile-input suites: a snapshot of everything stored, to prove that a refused
// request changed nothing, and the checks every answer to hostile input must pass.

/** Every table the app writes to. */
export const STORED_TABLES = [
	"articles",
	"article_revisions",
	"slug_redirects",
	"topics",
	"regions",
	"pages",
	"editors",
	"api_tokens",
	"sessions",
	"audit_log",
	"login_throttle",
	"job_runs",
] as const;

export type StoredTable = (typeof STORED_TABLES)[number];

/**
 * Columns that change on any authenticated request by design, whatever it asks for: a session's
 * last activity (renewed as the editor works) and a token's last use (shown to admins deciding
 * what to revoke). They are left out of snapshots, not the rows that hold them.
 */
const VOLATILE: Partial<Record<StoredTable, string[]>> = {
	sessions: ["last_seen_at"],
	api_tokens: ["last_used_at"],
};

export type Snapshot = Record<StoredTable, Record<string, unknown>[]>;

/** Every row of every stored table, in rowid order, in one round trip. */
export async function snapshotTables(): Promise<Snapshot> {
	const results = await env.DB.batch(STORED_TABLES.map((t) => env.DB.prepare(`SELECT * FROM ${t} ORDER BY rowid`)));
	const snapshot = {} as Snapshot;
	STORED_TABLES.forEach((table, i) => {
		const drop = VOLATILE[table] ?? [];
		snapshot[table] = ((results[i]?.results ?? []) as Record<string, unknown>[]).map((row) =>
			Object.fromEntries(Object.entries(row).filter(([column]) => !drop.includes(column))),
		);
	});
	return snapshot;
}

/**
 * Asserts that nothing stored differs from `before`, but for the tables named in `mayChange`
 * (each caller says why those may change); returns what is stored now.
 */
export async function expectStoredUnchanged(
	before: Snapshot,
	mayChange: readonly StoredTable[] = [],
	label = "",
): Promise<Snapshot> {
	const after = await snapshotTables();
	for (const table of STORED_TABLES) {
		if (mayChange.includes(table)) continue;
		expect(after[table], `${label} changed ${table}`).toEqual(before[table]);
	}
	return after;
}

/** Text as hono/jsx prints it in HTML (content and attributes alike). */
export function escapeHtml(text: string): string {
	return text.replace(/[&<>"']/g, (ch) => `&${{ "&": "amp", "<": "lt", ">": "gt", '"': "quot", "'": "#39" }[ch]};`);
}

/** What a response body must never carry, whatever was sent: a stack, a runtime error's name, SQL internals. */
const LEAKS = /(?:Type|Range|Syntax|Reference)Error|\n\s+at \S|\.tsx?:\d+|D1_ERROR|SQLITE_|constraint failed/;

export function expectNoLeak(body: string, label = ""): void {
	expect(LEAKS.exec(body)?.[0] ?? null, `${label} leaks internals`).toBeNull();
}

export type ErrorBody = { error: { code: string; message: string; fields?: Record<string, string> } };

/** A JSON error in the documented shape: `{ error: { code, message, fields? } }`. */
export function expectErrorJson(text: string, label = ""): ErrorBody["error"] {
	const body = JSON.parse(text) as ErrorBody;
	expect(typeof body.error?.code, label).toBe("string");
	expect(body.error.message, label).toBeTruthy();
	return body.error;
}

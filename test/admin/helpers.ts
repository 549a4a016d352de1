import { env } from "cloudflare:workers";
import * as schema from "../../src/db/schema";
import { hashPassword } from "../../src/lib/passwords";
import { hashToken, newToken } from "../../src/lib/tokens";
import { fetchApp, testDb } from "../helpers";

// Admin test helpers: editors, sessions and API tokens made directly in D1 (the sign-in flow
// itself is tested in auth.test.ts), and requests that carry them.

export const TEST_PASSWORD = "plum-harbour-velvet-42";
/** Far below production's 100,000: tests hash many passwords and need not be slow. */
const TEST_ITERATIONS = 1_000;

let editorCounter = 0;

export async function createEditor(
	input: { role?: schema.EditorRole; email?: string; name?: string; password?: string } = {},
): Promise<schema.Editor> {
	editorCounter += 1;
	const now = Date.now();
	const [row] = await testDb()
		.insert(schema.editors)
		.values({
			email: input.email ?? `editor${editorCounter}-${now}@samarium.test`,
			name: input.name ?? `Editor ${editorCounter}`,
			role: input.role ?? "editor",
			passwordHash: await hashPassword(input.password ?? TEST_PASSWORD, TEST_ITERATIONS),
			createdAt: now,
			updatedAt: now,
		})
		.returning();
	if (!row) throw new Error("insert failed");
	return row;
}

/** A live session for `editor`; returns the Cookie header value (plain http, as fetchApp uses). */
export async function sessionCookie(
	editor: schema.Editor,
	times: { createdAt?: number; lastSeenAt?: number; expiresAt?: number } = {},
): Promise<string> {
	const token = newToken();
	const now = Date.now();
	await testDb()
		.insert(schema.sessions)
		.values({
			tokenHash: await hashToken(token),
			editorId: editor.id,
			createdAt: times.createdAt ?? now,
			lastSeenAt: times.lastSeenAt ?? now,
			expiresAt: times.expiresAt ?? now + 7 * 86_400_000,
		});
	return `samarium_session=${token}`;
}

/** An API token acting as `editor`; returns the Authorization header value. */
export async function bearerToken(editor: schema.Editor, name = "test token"): Promise<string> {
	const token = newToken("smt_");
	await testDb()
		.insert(schema.apiTokens)
		.values({
			name,
			tokenHash: await hashToken(token),
			editorId: editor.id,
			createdBy: editor.id,
			createdAt: Date.now(),
		});
	return `Bearer ${token}`;
}

/** The origin fetchApp's requests have: what a same-origin form or fetch sends as `Origin`. */
export const TEST_ORIGIN = "http://localhost";

export type AdminAuthHeaders = { cookie: string } | { authorization: string };

/**
 * A request to the admin with the given credentials. Cookie requests that change state get the
 * same-origin `Origin` header a browser would send; pass `origin: null` to leave it out.
 */
export async function adminFetch(
	path: string,
	auth: AdminAuthHeaders,
	init: { method?: string; json?: unknown; form?: Record<string, string>; origin?: string | null } = {},
	bindings: Env = env,
): Promise<Response> {
	const method = init.method ?? (init.json !== undefined || init.form ? "POST" : "GET");
	const headers = new Headers(auth);
	let body: BodyInit | undefined;
	if (init.json !== undefined) {
		headers.set("content-type", "application/json");
		body = JSON.stringify(init.json);
	} else if (init.form) {
		body = new URLSearchParams(init.form);
	}
	const origin = init.origin === undefined ? TEST_ORIGIN : init.origin;
	if ("cookie" in auth && method !== "GET" && method !== "HEAD" && origin !== null) headers.set("origin", origin);
	return fetchApp(path, { method, headers, body, redirect: "manual" }, bindings);
}

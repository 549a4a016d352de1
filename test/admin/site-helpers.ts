import { env } from "cloudflare:workers";
import { expect } from "vitest";
import { fetchWorker } from "../helpers";
import { type AdminAuthHeaders, TEST_ORIGIN } from "./helpers";

// Shared by the site-* tests (topics, regions, pages, tokens, editors, audit, purge).

export function expectPrivate(res: Response) {
	expect(res.headers.get("cache-control")).toBe("private, no-store");
	expect(res.headers.get("x-robots-tag")).toBe("noindex");
}

export function expectHtml(res: Response, status: number) {
	expect(res.status).toBe(status);
	expect(res.headers.get("content-type")).toBe("text/html; charset=UTF-8");
	expectPrivate(res);
}

export async function expectJsonError(res: Response, status: number, fields?: string[]) {
	expect(res.status).toBe(status);
	expect(res.headers.get("content-type")).toMatch(/^application\/json/);
	expectPrivate(res);
	const body = (await res.json()) as { error: { code: string; message: string; fields?: Record<string, string> } };
	expect(body.error.message).toBeTruthy();
	if (fields) expect(Object.keys(body.error.fields ?? {}).sort()).toEqual([...fields].sort());
	return body.error;
}

/** "name=value" of the flash cookie a redirect sets, for following it as a browser would. */
export function flashCookie(res: Response): string {
	const header = res.headers.get("set-cookie") ?? "";
	const pair = header.split(";")[0] ?? "";
	expect(pair).toMatch(/^samarium_admin_flash=/);
	return pair;
}

/** Like adminFetch, but through the whole Worker (edge cache included). */
export function workerAdminFetch(
	path: string,
	auth: AdminAuthHeaders,
	init: { method?: string; json?: unknown; form?: Record<string, string> },
	bindings: Env = env,
): Promise<Response> {
	const method = init.method ?? "POST";
	const headers = new Headers(auth);
	let body: BodyInit | undefined;
	if (init.json !== undefined) {
		headers.set("content-type", "application/json");
		body = JSON.stringify(init.json);
	} else if (init.form) {
		body = new URLSearchParams(init.form);
	}
	if ("cookie" in auth) headers.set("origin", TEST_ORIGIN);
	return fetchWorker(path, { method, headers, body, redirect: "manual" }, bindings);
}

/**
 * A D1 binding on which another editor's write lands just before the batch that contains a
 * statement matching `marker` (seen when it is prepared): the race the batch's guards are for.
 */
export function racingD1(marker: RegExp, concurrentWrite: () => Promise<unknown>): D1Database {
	const inner = env.DB;
	let armed = false;
	let fired = false;
	return new Proxy(inner, {
		get(target, prop) {
			const value = Reflect.get(target, prop, target);
			if (typeof value !== "function") return value;
			if (prop === "prepare") {
				return (sql: string) => {
					if (marker.test(sql)) armed = true;
					return value.call(target, sql);
				};
			}
			if (prop === "batch") {
				return async (statements: D1PreparedStatement[]) => {
					if (armed && !fired) {
						fired = true;
						await concurrentWrite();
					}
					return value.call(target, statements);
				};
			}
			return value.bind(target);
		},
	});
}

import { createMiddleware } from "hono/factory";
import { PRIVATE_CACHE_CONTROL } from "../../cache/policy";
import type { AppEnv } from "../../types";

// Every admin response is the editor's alone, refusals and redirects included: no shared cache
// may keep it, no search engine index it.
const PRIVATE_HEADERS = [
	["cache-control", PRIVATE_CACHE_CONTROL],
	["x-robots-tag", "noindex"],
] as const;

/**
 * Puts the private headers on whatever the rest of the guard and the handlers answer. An error
 * thrown by a handler has already been answered by app.onError when `next()` returns (Hono catches
 * it at the level that threw). One thrown by the guard itself, which is a single level, is
 * answered only after the guard has returned, through this same context: headers set on the
 * context now go on that response too.
 */
export function privateResponses() {
	return createMiddleware<AppEnv>(async (c, next) => {
		try {
			await next();
		} catch (err) {
			for (const [name, value] of PRIVATE_HEADERS) c.header(name, value);
			throw err;
		}
		for (const [name, value] of PRIVATE_HEADERS) c.res.headers.set(name, value);
	});
}

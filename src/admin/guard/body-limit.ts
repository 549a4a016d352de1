import { bodyLimit } from "hono/body-limit";
import { createMiddleware } from "hono/factory";
import { AppError } from "../../lib/errors";

/** Request bodies above this are refused with 413 before any handler reads them. */
export const ADMIN_BODY_LIMIT = 1024 * 1024;

/**
 * Refuses (413) a body over ADMIN_BODY_LIMIT, by its Content-Length or, without one, once the
 * stream passes it. Thrown rather than answered here, so that app.onError gives the refusal the
 * admin's HTML page or JSON error like any other.
 */
export function adminBodyLimit() {
	const limit = bodyLimit({
		maxSize: ADMIN_BODY_LIMIT,
		onError: () => {
			throw new AppError(413, `Request bodies may be at most ${ADMIN_BODY_LIMIT / 1024 / 1024} MiB.`);
		},
	});
	return createMiddleware(async (c, next) => {
		if (c.req.method === "POST" && OWN_LIMIT.has(c.req.path)) return next();
		return limit(c, next);
	});
}

/**
 * Picture uploads, which read their body themselves with the library's own, larger limit
 * (src/admin/upload.ts): Content-Length first, then every byte as it arrives.
 */
const OWN_LIMIT = new Set(["/api/admin/media", "/admin/media"]);

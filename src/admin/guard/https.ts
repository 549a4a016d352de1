import type { Context } from "hono";

/** Whether the request reached the Worker over https (cookies' `__Host-` prefix needs it). */
export function isHttps(c: Context): boolean {
	return c.req.url.startsWith("https:");
}

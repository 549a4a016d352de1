import { createMiddleware } from "hono/factory";

export type SecurityHeadersOptions = {
	/** CSP sources allowed for inline <style> elements (hashes); nothing else may style or script the page. */
	styleSources: () => Promise<string[]>;
};

/**
 * Headers for every response: a Content-Security-Policy that allows no script at all (inline or
 * external) and only the site's own hashed stylesheet, no framing, no MIME sniffing.
 */
export function securityHeaders(options: SecurityHeadersOptions) {
	return createMiddleware(async (c, next) => {
		await next();
		const styles = (await options.styleSources()).join(" ");
		const headers = c.res.headers;
		headers.set(
			"content-security-policy",
			[
				"default-src 'none'",
				"script-src 'none'",
				`style-src ${styles}`,
				"img-src 'self' https: data:",
				// No script can run, so this only serves tools that fetch from the page's context
				// (Lighthouse reads robots.txt that way).
				"connect-src 'self'",
				"form-action 'self'",
				"base-uri 'none'",
				"frame-ancestors 'none'",
			].join("; "),
		);
		headers.set("x-content-type-options", "nosniff");
		headers.set("referrer-policy", "strict-origin-when-cross-origin");
		headers.set("x-frame-options", "DENY");
		headers.set("permissions-policy", "camera=(), microphone=(), geolocation=(), interest-cohort=()");
		headers.set("cross-origin-opener-policy", "same-origin");
		if (c.req.url.startsWith("https:")) {
			headers.set("strict-transport-security", "max-age=31536000; includeSubDomains");
		}
	});
}

import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";

/** Each error status the site answers with: its JSON `code` and the HTML page's title. */
const STATUSES: Partial<Record<number, { code: string; title: string }>> = {
	400: { code: "bad_request", title: "That request could not be understood" },
	401: { code: "unauthorized", title: "Sign-in required" },
	403: { code: "forbidden", title: "Not allowed" },
	404: { code: "not_found", title: "Page not found" },
	405: { code: "method_not_allowed", title: "Method not allowed" },
	409: { code: "conflict", title: "That change conflicts with another" },
	413: { code: "payload_too_large", title: "That request is too large" },
	415: { code: "unsupported_media_type", title: "That kind of request body is not accepted" },
	429: { code: "too_many_requests", title: "Too many attempts" },
	500: { code: "internal_error", title: "Something went wrong" },
	503: { code: "unavailable", title: "Temporarily unavailable" },
};

/** What a 503 asks clients to wait before trying again, in seconds. */
export const RETRY_AFTER_SECONDS = 30;

export function describeStatus(status: number): { code: string; title: string } {
	return STATUSES[status] ?? { code: "error", title: "Something went wrong" };
}

/**
 * An error the client should see, with per-field messages where input was at fault. Routes
 * throw it; `app.onError` turns it into the JSON error shape under /api and an HTML page elsewhere.
 */
export class AppError extends HTTPException {
	readonly fields: Record<string, string> | undefined;

	constructor(status: ContentfulStatusCode, message: string, fields?: Record<string, string>) {
		super(status, { message });
		this.fields = fields;
	}
}

export function notFound(message = "There is nothing at this address."): AppError {
	return new AppError(404, message);
}

export function badRequest(message: string, fields?: Record<string, string>): AppError {
	return new AppError(400, message, fields);
}

import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";

/**
 * An error with a status the client should see. Routes throw it; `app.onError` turns it into
 * the JSON error shape under /api and an HTML page elsewhere.
 */
export class AppError extends HTTPException {
	readonly code: string;
	readonly fields: Record<string, string> | undefined;

	constructor(status: ContentfulStatusCode, code: string, message: string, fields?: Record<string, string>) {
		super(status, { message });
		this.code = code;
		this.fields = fields;
	}
}

export function notFound(message = "There is nothing at this address."): AppError {
	return new AppError(404, "not_found", message);
}

export function badRequest(message: string, fields?: Record<string, string>): AppError {
	return new AppError(400, "bad_request", message, fields);
}

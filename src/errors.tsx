import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { AppError } from "./lib/errors";
import type { ErrorJson } from "./lib/shapes";
import type { AppEnv } from "./types";
import { ErrorPage } from "./views/ErrorPage";

// One place answers every error: JSON under /api, an HTML page elsewhere, never a stack trace.

const TITLES: Partial<Record<number, string>> = {
	400: "That request could not be understood",
	404: "Page not found",
	405: "Method not allowed",
	413: "That request is too large",
	503: "Temporarily unavailable",
};

const CODES: Partial<Record<number, string>> = {
	400: "bad_request",
	404: "not_found",
	405: "method_not_allowed",
	413: "payload_too_large",
	503: "unavailable",
};

function isApi(c: Context): boolean {
	return c.req.path === "/api" || c.req.path.startsWith("/api/");
}

function respond(
	c: Context<AppEnv>,
	status: ContentfulStatusCode,
	message: string,
	code = CODES[status] ?? "error",
	fields?: Record<string, string>,
) {
	if (isApi(c)) {
		const body: ErrorJson = { error: { code, message, ...(fields ? { fields } : {}) } };
		return c.json(body, status);
	}
	c.status(status);
	const title = TITLES[status] ?? "Something went wrong";
	const detail = fields ? `${message} ${Object.values(fields).join(" ")}` : message;
	return c.render(<ErrorPage status={status} title={title} message={detail} />, {
		title,
		description: message,
		noindex: true,
	});
}

export function handleError(err: Error, c: Context<AppEnv>) {
	if (err instanceof AppError) return respond(c, err.status, err.message, err.code, err.fields);
	if (err instanceof HTTPException && err.status < 500) {
		return respond(c, err.status as ContentfulStatusCode, err.message || TITLES[err.status] || "Request refused.");
	}
	console.error("unhandled error", c.req.method, c.req.path, err);
	return respond(c, 500, "Something went wrong on our side. Please try again in a moment.", "internal_error");
}

/** 405 with Allow, for a path that exists under other methods (e.g. POST to a reader page). */
export async function handleMethodNotAllowed(c: Context<AppEnv>, methods: string[]) {
	const res = await respond(c, 405, `This address answers ${methods.join(", ")} only.`);
	res.headers.set("allow", methods.join(", "));
	return res;
}

export function handleNotFound(c: Context<AppEnv>) {
	return respond(c, 404, isApi(c) ? "No such API route." : "There is nothing at this address.");
}

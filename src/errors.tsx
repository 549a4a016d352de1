import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { AdminErrorPage } from "./admin/views/ErrorPage";
import { adminPage } from "./admin/views/render";
import { isDatabaseError } from "./db/instrument";
import { AppError, describeStatus, RETRY_AFTER_SECONDS } from "./lib/errors";
import type { AppEnv } from "./types";
import { ErrorPage } from "./views/ErrorPage";
import type { ErrorJson } from "./views/json";

// One place answers every error: JSON under /api, an HTML page elsewhere, never a stack trace.

function isApi(c: Context): boolean {
	return c.req.path === "/api" || c.req.path.startsWith("/api/");
}

function isAdmin(c: Context): boolean {
	return c.req.path === "/admin" || c.req.path.startsWith("/admin/");
}

function respond(c: Context<AppEnv>, status: ContentfulStatusCode, message: string, fields?: Record<string, string>) {
	const { code, title } = describeStatus(status);
	if (isApi(c)) {
		const body: ErrorJson = { error: { code, message, ...(fields ? { fields } : {}) } };
		return c.json(body, status);
	}
	const detail = fields ? `${message} ${Object.values(fields).join(" ")}` : message;
	if (isAdmin(c)) {
		// Editors stay in the admin: its layout and menu, and a way back, not the reader's site.
		const signedIn = c.get("editor") !== undefined;
		const page = <AdminErrorPage status={status} title={title} message={detail} signedIn={signedIn} />;
		return adminPage(c, { title }, page, status);
	}
	c.status(status);
	return c.render(<ErrorPage status={status} title={title} message={detail} />, {
		title,
		description: message,
		noindex: true,
	});
}

export async function handleError(err: Error, c: Context<AppEnv>) {
	if (err instanceof HTTPException && err.status < 500) {
		const fields = err instanceof AppError ? err.fields : undefined;
		return respond(c, err.status as ContentfulStatusCode, err.message || describeStatus(err.status).title, fields);
	}
	if (isDatabaseError(err)) {
		// The edge cache serves a stored copy instead when it has one; this is for when it has none.
		console.error("database unavailable", c.req.method, c.req.path, err.cause);
		const res = await respond(c, 503, "The news is briefly unavailable. Please try again in a minute.");
		res.headers.set("retry-after", String(RETRY_AFTER_SECONDS));
		return res;
	}
	console.error("unhandled error", c.req.method, c.req.path, err);
	return respond(c, 500, "Something went wrong on our side. Please try again in a moment.");
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

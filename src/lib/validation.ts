import type { Context } from "hono";
import type * as z from "zod/mini";
import { AppError, badRequest } from "./errors";

/** Parses query parameters with a zod schema; any problem is a 400 naming each bad field. */
export function parseQuery<T extends z.ZodMiniType>(schema: T, query: Record<string, string>): z.infer<T> {
	const result = schema.safeParse(query);
	if (result.success) return result.data;
	const fields: Record<string, string> = {};
	for (const issue of result.error.issues) {
		const key = String(issue.path[0] ?? "query");
		fields[key] ??= issue.message;
	}
	throw badRequest("The query parameters are not valid.", fields);
}

const JSON_TYPE = /^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i;

/**
 * The request body as a JSON object: another content type is a 415, text that is not JSON or
 * JSON that is not an object a 400. With `optional`, an empty body reads as `{}` (an action
 * whose parameters may all be left out).
 */
export async function readJsonObject(
	c: Context,
	options: { optional?: boolean } = {},
): Promise<Record<string, unknown>> {
	// Read outside the try: a body over the admin's size limit throws here, and must stay a 413.
	const text = await c.req.text();
	if (options.optional && text.trim() === "") return {};
	if (!JSON_TYPE.test(c.req.header("content-type") ?? "")) {
		throw new AppError(415, "Send the body as JSON, with `Content-Type: application/json`.");
	}
	let body: unknown;
	try {
		body = JSON.parse(text);
	} catch {
		throw badRequest("The request body is not valid JSON.");
	}
	if (typeof body !== "object" || body === null || Array.isArray(body)) {
		throw badRequest("The request body must be a JSON object.");
	}
	return body as Record<string, unknown>;
}

/** Refuses (400) keys the endpoint does not know, naming them, rather than ignoring a typo. */
export function rejectUnknownKeys(body: Record<string, unknown>, known: readonly string[]): void {
	const unknown = Object.keys(body).filter((key) => !known.includes(key));
	if (unknown.length === 0) return;
	const list = unknown.map((key) => `"${key}"`).join(", ");
	throw badRequest(
		`Unknown ${unknown.length === 1 ? "field" : "fields"} ${list}; this endpoint accepts ${known.join(", ")}.`,
		Object.fromEntries(unknown.map((key) => [key, "Not a field this endpoint accepts."])),
	);
}

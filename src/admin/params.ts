import type { Context } from "hono";
import { badRequest } from "../lib/errors";

// What the admin's routes read from a request other than a JSON body (src/lib/validation.ts).

/** A form's text fields; files are dropped, and a field not sent is simply absent. */
export async function readForm(c: Context): Promise<Record<string, string>> {
	const body = await parseFormBody(c);
	const form: Record<string, string> = {};
	for (const [key, value] of Object.entries(body)) if (typeof value === "string") form[key] = value;
	return form;
}

/**
 * The body of a form post. A multipart body that does not parse (no boundary, a truncated part)
 * is the client's mistake: 400, not the runtime's TypeError as a 500. Oversized bodies never get
 * here: the guard's body limit answers them with 413 first.
 */
export async function parseFormBody(c: Context): Promise<Record<string, string | File | (string | File)[]>> {
	try {
		return await c.req.parseBody();
	} catch {
		throw badRequest(
			"The form could not be read: send it as application/x-www-form-urlencoded or multipart/form-data.",
		);
	}
}

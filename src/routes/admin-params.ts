import type { Context } from "hono";
import { notFound } from "../lib/errors";

// What the admin's routes read from a request other than a JSON body (src/lib/validation.ts).

/** A numeric id from the path; anything else names nothing (404). */
export function idParam(text: string, what: string): number {
	const id = /^\d{1,15}$/.test(text) ? Number(text) : 0;
	if (id <= 0) throw notFound(`There is no ${what} with this id.`);
	return id;
}

/** A form's text fields; files are dropped, and a field not sent is simply absent. */
export async function readForm(c: Context): Promise<Record<string, string>> {
	const body = await c.req.parseBody();
	const form: Record<string, string> = {};
	for (const [key, value] of Object.entries(body)) if (typeof value === "string") form[key] = value;
	return form;
}

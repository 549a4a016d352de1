// zod/mini keeps the Worker small: its functions tree-shake, where classic zod's methods pull in
// the whole library (hundreds of KiB to parse on every cold start).
import * as z from "zod/mini";
import { type Cursor, decodeCursor } from "../lib/cursor";
import { isSlug } from "../lib/slugs";

// Query parameters shared by the HTML lists and the JSON API.

export const slugParam = z
	.string()
	.check(z.refine(isSlug, "Must be a slug: lowercase letters, digits and single hyphens."));

/** A cursor parameter: `decode` gives its value, or null for text this site did not issue as one. */
export function opaqueCursorParam<T>(decode: (text: string) => T | null, responses: string) {
	return z.pipe(
		z.string(),
		z.transform((text, check): T => {
			const value = decode(text);
			if (value === null) {
				check.issues.push({
					code: "custom",
					message: `Not a cursor this site issued; use nextCursor from ${responses}.`,
					input: text,
				});
				return z.NEVER;
			}
			return value;
		}),
	);
}

export const cursorParam = opaqueCursorParam<Cursor>(decodeCursor, "a list response");

const LIMIT_MESSAGE = "Must be a whole number from 1 to 50.";

export const limitParam = z.pipe(
	z.string().check(z.regex(/^\d{1,4}$/, LIMIT_MESSAGE)),
	z.pipe(z.transform(Number), z.number().check(z.int(), z.minimum(1, LIMIT_MESSAGE), z.maximum(50, LIMIT_MESSAGE))),
);

/** `?cursor=` on the HTML list pages (other parameters, e.g. utm_*, are ignored). */
export const pageQuery = z.object({ cursor: z.optional(cursorParam) });

/**
 * Messages for the topic and region filters that name none, by parameter: a lookup's result is
 * undefined when not filtering, null when no taxon has the slug asked for.
 */
export function unknownFilters(
	asked: { topic?: string; region?: string },
	found: { topic?: unknown; region?: unknown },
): Record<string, string> {
	const fields: Record<string, string> = {};
	if (found.topic === null) fields.topic = `There is no topic "${asked.topic}".`;
	if (found.region === null) fields.region = `There is no region "${asked.region}".`;
	return fields;
}

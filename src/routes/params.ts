import { z } from "zod";
import { type Cursor, decodeCursor } from "../lib/cursor";
import { isSlug } from "../lib/slugs";

// Query parameters shared by the HTML lists and the JSON API.

export const slugParam = z.string().refine(isSlug, "Must be a slug: lowercase letters, digits and single hyphens.");

export const cursorParam = z.string().transform((text, ctx): Cursor => {
	const cursor = decodeCursor(text);
	if (!cursor) {
		ctx.addIssue({ code: "custom", message: "Not a cursor this site issued; use nextCursor from a list response." });
		return z.NEVER;
	}
	return cursor;
});

export const limitParam = z
	.string()
	.regex(/^\d{1,4}$/, "Must be a whole number from 1 to 50.")
	.transform(Number)
	.pipe(
		z.number().int().min(1, "Must be a whole number from 1 to 50.").max(50, "Must be a whole number from 1 to 50."),
	);

/** `?cursor=` on the HTML list pages (other parameters, e.g. utm_*, are ignored). */
export const pageQuery = z.object({ cursor: cursorParam.optional() });

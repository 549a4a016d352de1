import * as z from "zod/mini";
import { type AppError, badRequest, notFound } from "../lib/errors";
import { isSlug, SLUG_MAX_LENGTH } from "../lib/slugs";

// The admin's one way of checking what an editor sends: zod/mini schemas, run field by field so
// that every bad field gets its own message (forms show it beside the field, the JSON API returns
// it in `fields`). The limits the schemas enforce are in ./limits.ts, which the forms read too.

/** A message for each field that is not valid, keyed by the field's name. */
export type Fields = Record<string, string>;

export function invalid(fields: Fields): AppError {
	return badRequest("Some fields are not valid.", fields);
}

// ---- ids ------------------------------------------------------------------------------------------

/**
 * The one id rule, for row ids and versions alike: a whole number from 1, sent as a JSON number
 * or as 1 to 15 digits (a form's text, a path segment). Fifteen digits keep it a safe integer.
 */
export const ID_PATTERN = "[0-9]{1,15}";
const ID_TEXT = new RegExp(`^${ID_PATTERN}$`);

export function isId(id: number): boolean {
	return Number.isSafeInteger(id) && id > 0;
}

/** The id a JSON number or a text of digits gives; null when it is not one. */
export function parseId(input: unknown): number | null {
	const id = typeof input === "number" ? input : typeof input === "string" && ID_TEXT.test(input) ? Number(input) : 0;
	return isId(id) ? id : null;
}

/** An id from the path; anything else names nothing (404). */
export function idParam(text: string, what: string): number {
	const id = parseId(text);
	if (id === null) throw notFound(`There is no ${what} with this id.`);
	return id;
}

/** A required id field: `empty` when left empty, `message` when it is not an id. */
export function id(message = "Must be a whole number.", empty = "Required.") {
	return z.pipe(
		z.unknown(),
		z.transform((input, check): number => {
			const parsed = parseId(input);
			if (parsed !== null) return parsed;
			check.issues.push({ code: "custom", message: isEmpty(input) ? empty : message, input });
			return z.NEVER;
		}),
	);
}

// ---- text -----------------------------------------------------------------------------------------

function isEmpty(input: unknown): boolean {
	return input === undefined || input === null || input === "";
}

function tooLong(max: number) {
	return {
		error: (issue: { input?: unknown }) => `At most ${max} characters (this is ${String(issue.input).length}).`,
	};
}

/** Trimmed text of 1..max characters; null is not text. An article's title and summary. */
export function text(max: number) {
	return z
		.string({ error: (issue) => (issue.code === "invalid_type" ? "Must be text." : undefined) })
		.check(z.trim(), z.minLength(1, "Required."), z.maxLength(max, tooLong(max)));
}

/**
 * A trimmed one-line text of 1..max characters: a name or a page's title. Control characters
 * (line breaks, escapes) have no place in one and are refused, as the editor CLI refuses them.
 */
export function line(max: number) {
	return z
		.string({ error: (issue) => (isEmpty(issue.input) ? "Required." : "Must be text.") })
		.check(
			z.trim(),
			z.minLength(1, "Required."),
			z.maxLength(max, tooLong(max)),
			z.regex(/^\P{Cc}*$/u, "Line breaks and other control characters are not allowed."),
		);
}

/**
 * An optional one-line text of 0..max characters, trimmed ("" for none): a description under a
 * name. Like `line`, no control characters; nor the Unicode line and paragraph separators, which
 * would make it two lines all the same.
 */
export function optionalLine(max: number) {
	return z
		.string({ error: "Must be text (an empty one for none)." })
		.check(
			z.trim(),
			z.maxLength(max, tooLong(max)),
			z.regex(/^[^\p{Cc}\p{Zl}\p{Zp}]*$/u, "One line: line breaks and other control characters are not allowed."),
		);
}

/** Markdown of up to max characters that is not only blank; line endings stored as "\n". */
export function markdown(max: number, options: { nullIsEmpty?: boolean; groupCount?: boolean } = {}) {
	const count = (n: number) => (options.groupCount ? n.toLocaleString("en-US") : String(n));
	return z
		.string({
			error: (issue) => (options.nullIsEmpty && (issue.input ?? "") === "" ? "Required." : "Must be text."),
		})
		.check(
			// Browsers send textarea lines with CRLF; store one form whichever way the text came.
			z.overwrite((body) => body.replace(/\r\n?/g, "\n")),
			z.refine((body) => body.trim() !== "", "Required."),
			z.maxLength(max, {
				error: (issue) =>
					`At most ${max.toLocaleString("en-US")} characters (this is ${count(String(issue.input).length)}).`,
			}),
		);
}

/** A required slug (a topic's, a region's): lowercase letters, digits and single hyphens. */
export function slug() {
	const message = `Use lowercase letters, digits and single hyphens, at most ${SLUG_MAX_LENGTH} characters.`;
	return z.pipe(
		z.unknown(),
		z.transform((input, check): string => {
			const value = typeof input === "string" ? input.trim() : input;
			if (typeof value === "string" && isSlug(value)) return value;
			check.issues.push({ code: "custom", message: isEmpty(input) ? "Required." : message, input });
			return z.NEVER;
		}),
	);
}

// ---- running schemas ------------------------------------------------------------------------------

/** Checks one value: its output, or undefined with the first problem's message in `fields[key]`. */
export function check<T extends z.ZodMiniType>(
	fields: Fields,
	key: string,
	schema: T,
	value: unknown,
): z.output<T> | undefined {
	const result = schema.safeParse(value);
	if (result.success) return result.data;
	fields[key] = result.error.issues[0]?.message ?? "Not valid.";
	return undefined;
}

/**
 * Checks each field the input has, in the schemas' order (the order of the messages in `fields`);
 * a field left out (undefined) is left out of the result, a bad one too, with its message.
 */
export function checkSent<S extends Record<string, z.ZodMiniType>>(
	schemas: S,
	input: { [K in keyof S]?: unknown },
	fields: Fields,
): { [K in keyof S]?: z.output<S[K]> } {
	const parsed: Record<string, unknown> = {};
	for (const [key, schema] of Object.entries(schemas)) {
		const value = input[key as keyof S];
		if (value === undefined) continue;
		const checked = check(fields, key, schema, value);
		if (checked !== undefined) parsed[key] = checked;
	}
	return parsed as { [K in keyof S]?: z.output<S[K]> };
}

import * as z from "zod/mini";
import type { Db } from "../../db/client";
import { findTaxonId } from "../../db/queries/article-writes";
import { findAuthorIds } from "../../db/queries/authors";
import type { TaxonKind } from "../../db/queries/taxonomies";
import { type ArticleStatus, articleStatuses } from "../../db/schema";
import { parseDateTime } from "../../lib/dates";
import { isMediaId } from "../../lib/images";
import { isSlug, SLUG_MAX_LENGTH, SLUG_PATTERN } from "../../lib/slugs";
import {
	ARTICLE_AUTHORS_MAX,
	ARTICLE_BODY_MAX,
	ARTICLE_SUMMARY_MAX,
	ARTICLE_TITLE_MAX,
	CORRECTION_NOTE_MAX,
} from "../limits";
import { checkSent, type Fields, id, markdown, text } from "../validation";

// An article as an editor sends it, checked field by field into what a save can store. Every
// message names what is wrong in words an editor can act on: forms show them beside the field,
// the JSON API returns them in `fields`.

/** Raw input as it arrives (JSON body, or form fields mapped by the HTML routes). */
export type ArticleDraft = {
	title?: unknown;
	summary?: unknown;
	bodyMarkdown?: unknown;
	slug?: unknown;
	/** Slugs, or "" / null for none. */
	region?: unknown;
	topic?: unknown;
	/** "draft" | "published". */
	status?: unknown;
	/**
	 * ISO 8601 with Z or an offset, or "YYYY-MM-DDTHH:mm[:ss]" read as UTC. Left out: the stored
	 * time stays (now, when publishing an article that has none). "" or null: when publishing,
	 * now, unless the article is already out (then its time stays); for a draft, none.
	 */
	publishedAt?: unknown;
	/** The version the edit is based on; required for updates. */
	version?: unknown;
	/**
	 * Updates only: a public correction note, shown on the article and at /corrections. "" or
	 * null: none (the edit moves no reader-facing date).
	 */
	correction?: unknown;
	/** Author slugs in byline order; left out: the byline stays (for a new article, the editor's own author). */
	authors?: unknown;
	/** A library picture's id, shown above the body; "" or null for none. Left out: as stored. */
	leadImage?: unknown;
};

export const ARTICLE_DRAFT_KEYS = [
	"title",
	"summary",
	"bodyMarkdown",
	"slug",
	"region",
	"topic",
	"status",
	"publishedAt",
	"version",
	"correction",
	"authors",
	"leadImage",
] as const satisfies readonly (keyof ArticleDraft)[];

const YEAR_MIN = 2000;
const YEAR_MAX = 2100;

export const VERSION_MESSAGE = "Must be the article's version number (a whole number from 1).";

const bodySchema = markdown(ARTICLE_BODY_MAX);

const slugSchema = z
	.string({ error: "Must be text." })
	.check(
		z.trim(),
		z.minLength(1, "Required: the article's address, e.g. rare-earth-prices-rise."),
		z.maxLength(SLUG_MAX_LENGTH, `At most ${SLUG_MAX_LENGTH} characters.`),
		z.regex(SLUG_PATTERN, "Use lowercase letters, digits and single hyphens only (e.g. rare-earth-prices-rise)."),
	);

/** A topic or region: a slug, or "" / null for none. */
function taxonSchema(kind: TaxonKind) {
	return z.pipe(
		z.union([z.null(), z.string()], { error: "Must be a slug, or empty for none." }),
		z.transform((input, check): string | null => {
			const slug = input?.trim() ?? "";
			if (slug === "") return null;
			if (isSlug(slug)) return slug;
			check.issues.push({ code: "custom", message: `There is no ${kind} "${slug}".`, input });
			return z.NEVER;
		}),
	);
}

/** null: "now, or as stored" (see ArticleDraft.publishedAt). */
const publishedAtSchema = z.pipe(
	z.union([z.null(), z.string()], { error: "Must be a date and time, e.g. 2025-09-17T14:33:00Z, or empty." }),
	z.transform((input, check): number | null => {
		if (input === null || input.trim() === "") return null;
		const at = parseDateTime(input);
		const year = at === null ? Number.NaN : new Date(at).getUTCFullYear();
		if (at !== null && year >= YEAR_MIN && year <= YEAR_MAX) return at;
		const message =
			at === null
				? "Not a date and time: use e.g. 2025-09-17T14:33:00Z, or 2025-09-17T14:33 for UTC."
				: `The year must be from ${YEAR_MIN} to ${YEAR_MAX}.`;
		check.issues.push({ code: "custom", message, input });
		return z.NEVER;
	}),
);

/** A correction note: trimmed text, or null for none ("" too). */
const correctionSchema = z.pipe(
	z.union([z.null(), z.string()], { error: "Must be text: the correction readers will see, or empty for none." }),
	z.transform((input, check): string | null => {
		const note = input?.trim() ?? "";
		if (note === "") return null;
		if (note.length <= CORRECTION_NOTE_MAX) return note;
		check.issues.push({
			code: "custom",
			message: `At most ${CORRECTION_NOTE_MAX} characters (this is ${note.length}).`,
			input,
		});
		return z.NEVER;
	}),
);

const AUTHORS_MESSAGE = 'Must be a list of author slugs, in byline order (e.g. ["ada-lovelace"]).';

/** Author slugs in byline order: distinct, at most ARTICLE_AUTHORS_MAX; [] for none. */
const authorsSchema = z.pipe(
	z.unknown(),
	z.transform((input, check): string[] => {
		const fail = (message: string) => {
			check.issues.push({ code: "custom", message, input });
			return z.NEVER;
		};
		if (!Array.isArray(input) || input.some((slug) => typeof slug !== "string")) return fail(AUTHORS_MESSAGE);
		const slugs = (input as string[]).map((slug) => slug.trim()).filter((slug) => slug !== "");
		if (slugs.length > ARTICLE_AUTHORS_MAX) {
			return fail(`At most ${ARTICLE_AUTHORS_MAX} authors (this is ${slugs.length}).`);
		}
		const bad = slugs.find((slug) => !isSlug(slug));
		if (bad !== undefined) return fail(`There is no author "${bad.slice(0, SLUG_MAX_LENGTH)}".`);
		const twice = slugs.find((slug, i) => slugs.indexOf(slug) !== i);
		if (twice !== undefined) return fail(`"${twice}" is named twice: each author once.`);
		return slugs;
	}),
);

/** A lead image: a media id, or null for none ("" too). Whether the library has it is checked later. */
const leadImageSchema = z.pipe(
	z.union([z.null(), z.string()], { error: "Must be a picture's id from the library, or null for none." }),
	z.transform((input, check): string | null => {
		const id = input?.trim() ?? "";
		if (id === "") return null;
		if (isMediaId(id)) return id;
		check.issues.push({ code: "custom", message: `There is no picture "${id}" in the library.`, input });
		return z.NEVER;
	}),
);

// Checked in this order, which is the order of the messages in `fields`.
const draftSchemas = {
	title: text(ARTICLE_TITLE_MAX),
	summary: text(ARTICLE_SUMMARY_MAX),
	bodyMarkdown: bodySchema,
	slug: slugSchema,
	status: z.enum(articleStatuses, { error: `Must be "draft" or "published".` }),
	region: taxonSchema("region"),
	topic: taxonSchema("topic"),
	publishedAt: publishedAtSchema,
	version: id(VERSION_MESSAGE, VERSION_MESSAGE),
	correction: correctionSchema,
	authors: authorsSchema,
	leadImage: leadImageSchema,
} satisfies Record<keyof ArticleDraft, z.ZodMiniType>;

/** The draft's fields that were sent (undefined = left out), each checked; a region or topic of null is none. */
export type ParsedDraft = { [K in keyof typeof draftSchemas]?: z.output<(typeof draftSchemas)[K]> };

/** Checks each field the draft has; a bad one gets a message in `fields` and is left out of the result. */
export function parseDraft(draft: ArticleDraft, fields: Fields): ParsedDraft {
	return checkSent(draftSchemas, draft, fields);
}

/** When a published article appears; see ArticleDraft.publishedAt. */
export function resolvePublishedAt(
	status: ArticleStatus,
	given: number | null | undefined,
	stored: number | null,
	now: number,
): number | null {
	if (typeof given === "number") return given;
	if (status === "draft") return given === null ? null : stored;
	if (given === undefined) return stored ?? now;
	return stored !== null && stored <= now ? stored : now;
}

/** The ids of the region and topic the draft names: undefined when left out, null for none. */
type TaxonIds = { region: number | null | undefined; topic: number | null | undefined };

/** Looks up the region and topic the draft names, in one round trip; an unknown one goes in `fields`. */
export async function resolveTaxa(db: Db, parsed: ParsedDraft, fields: Fields): Promise<TaxonIds> {
	const { region, topic } = parsed;
	// Left out stays left out (undefined); none (null) needs no lookup.
	const none = (slug: string | null | undefined) => (slug === undefined ? undefined : null);
	if (!region && !topic) return { region: none(region), topic: none(topic) };
	// A lookup of "" (for the one not named) finds nothing and costs an index probe.
	const [regions, topics] = await db.batch([
		findTaxonId(db, "region", region ?? ""),
		findTaxonId(db, "topic", topic ?? ""),
	]);
	const idOf = (kind: TaxonKind, slug: string | null | undefined, rows: { id: number }[]) => {
		if (!slug) return none(slug);
		const id = rows[0]?.id;
		if (id === undefined) fields[kind] = `There is no ${kind} "${slug}".`;
		return id ?? null;
	};
	return { region: idOf("region", region, regions), topic: idOf("topic", topic, topics) };
}

export function reservedSlugMessage(slug: string): string {
	return `"${slug}" is kept free for the site's own addresses; choose another slug.`;
}

/** An article's byline as stored: the authors' ids and slugs, in order. */
export type Byline = { ids: number[]; slugs: string[] };

/** Looks up the authors the draft names, in one query; unknown ones are named in `fields`. */
export async function resolveAuthors(db: Db, slugs: string[] | undefined, fields: Fields): Promise<Byline | undefined> {
	if (slugs === undefined) return undefined;
	if (slugs.length === 0) return { ids: [], slugs: [] };
	const rows = await findAuthorIds(db, slugs);
	const ids = new Map(rows.map((r) => [r.slug, r.id]));
	const unknown = slugs.filter((slug) => !ids.has(slug));
	if (unknown.length > 0) {
		fields.authors = `There is no author ${unknown.map((slug) => `"${slug}"`).join(", ")}: add them under Authors first.`;
		return undefined;
	}
	return { ids: slugs.map((slug) => ids.get(slug) ?? 0), slugs };
}

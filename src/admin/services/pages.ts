import type { PurgeReport } from "../../cache/purge";
import type { Db } from "../../db/client";
import { auditInsert } from "../../db/queries/audit";
import {
	abortSaveIfStale,
	findPageSave,
	getPageBySlug,
	listAdminPages,
	type PageSave,
	updatePage,
} from "../../db/queries/pages";
import type { Page } from "../../db/schema";
import { AppError, notFound } from "../../lib/errors";
import { isSlug } from "../../lib/slugs";
import { renderMarkdown } from "../../markdown";
import { PAGE_BODY_MAX, PAGE_TITLE_MAX } from "../limits";
import * as v from "../validation";
import { actorOf, constraintFailed } from "./constraints";
import type { Deps } from "./deps";
import { purgeChanges } from "./purge";

// The About and Services pages: read and saved whole, refused when someone else saved in between.
// D1 has no interactive transactions, so each change is one db.batch (all or nothing) with its
// audit entry. Where a check must hold at the moment of the write, the batch carries an `abort…`
// statement that breaks a NOT NULL constraint when the check fails, which rolls the whole batch back.

const PAGE_BODY = v.markdown(PAGE_BODY_MAX, { nullIsEmpty: true, groupCount: true });

export type PageInput = { title?: unknown; bodyMarkdown?: unknown; updatedAt?: unknown };
export type PageSaved = { page: Page; purge: PurgeReport };

/** A page was saved by someone else since this editor loaded it: nothing was written. */
export class PageConflict extends AppError {
	readonly current: Page;

	constructor(current: Page) {
		super(
			409,
			"Someone else saved this page after you opened it; nothing was written. Compare with the current text, then save again.",
		);
		this.current = current;
	}
}

export function listPages(db: Db) {
	return listAdminPages(db);
}

export async function getPage(db: Db, slug: string): Promise<Page> {
	const page = isSlug(slug) ? await getPageBySlug(db, slug) : null;
	if (!page) throw notFound(`There is no page "${slug}".`);
	return page;
}

/**
 * Who made the save that left the page as it is now, from its audit entry (a save logs itself
 * with the page's new updatedAt); null when the page was last written some other way (the seed).
 */
export function lastPageSave(db: Db, page: Page): Promise<PageSave | null> {
	return findPageSave(db, page.slug, page.updatedAt);
}

/** The `updatedAt` a save was based on: milliseconds, or the ISO string GET returned. */
function loadedAt(fields: v.Fields, value: unknown): number | undefined {
	if (value === undefined || value === null || value === "") return undefined;
	const ms =
		typeof value === "number"
			? value
			: typeof value === "string"
				? /^\d+$/.test(value)
					? Number(value)
					: Date.parse(value)
				: Number.NaN;
	if (Number.isSafeInteger(ms)) return ms;
	fields.updatedAt = "Send back the updatedAt the page was loaded with (ISO 8601), or leave it out.";
	return undefined;
}

/**
 * Replaces a page's title and Markdown. With `updatedAt` (what the editor loaded), a page saved
 * since by someone else is refused with PageConflict instead of overwritten.
 */
export async function savePage(deps: Deps, slug: string, input: PageInput): Promise<PageSaved> {
	const { db } = deps;
	const current = await getPage(db, slug);
	const fields: v.Fields = {};
	const title = v.check(fields, "title", v.line(PAGE_TITLE_MAX), input.title);
	const bodyMarkdown = v.check(fields, "bodyMarkdown", PAGE_BODY, input.bodyMarkdown);
	const basedOn = loadedAt(fields, input.updatedAt);
	if (title === undefined || bodyMarkdown === undefined || Object.keys(fields).length > 0) throw v.invalid(fields);
	if (basedOn !== undefined && basedOn !== current.updatedAt) throw new PageConflict(current);

	// Strictly later than the version it replaces, so that a stale save is always told apart.
	const updatedAt = Math.max(deps.now, current.updatedAt + 1);
	const page: Page = { ...current, title, bodyMarkdown, bodyHtml: await renderMarkdown(bodyMarkdown), updatedAt };
	try {
		await db.batch([
			abortSaveIfStale(db, slug, current.updatedAt),
			updatePage(db, slug, { title, bodyMarkdown, bodyHtml: page.bodyHtml, updatedAt }),
			auditInsert(db, {
				actor: actorOf(deps),
				action: "page.update",
				subject: `page:${slug}`,
				detail: { title },
				at: updatedAt,
			}),
		]);
	} catch (err) {
		if (constraintFailed(err, "NOT NULL")) throw new PageConflict(await getPage(db, slug));
		throw err;
	}
	const purge = await purgeChanges(deps, [{ kind: "page", slug }]);
	return { page, purge };
}

import { eq } from "drizzle-orm";
import type { ContentChange } from "../../cache/plan";
import type { PurgeReport } from "../../cache/purge";
import type { Db } from "../../db/client";
import { findAdminArticle, toAdminArticle } from "../../db/queries/article-writes";
import { auditInsert } from "../../db/queries/audit";
import {
	articlesUsingMedia,
	deleteMediaIfUnused,
	findMedia,
	insertMedia,
	listMedia,
	type MediaAfter,
	updateMediaText,
} from "../../db/queries/media";
import { articleMedia, type Media } from "../../db/schema";
import { fromBase64Url, toBase64Url } from "../../lib/cursor";
import { AppError, badRequest, notFound } from "../../lib/errors";
import { isMediaId, mediaIdOf, mediaKey, sniffImage } from "../../lib/images";
import { MEDIA_ALT_MAX, MEDIA_CAPTION_MAX, MEDIA_CREDIT_MAX, MEDIA_PAGE_DEFAULT, MEDIA_PAGE_MAX } from "../limits";
import * as v from "../validation";
import { factsOf } from "./article-state";
import { actorOf, constraintFailed } from "./constraints";
import type { Deps } from "./deps";
import { purgeChanges } from "./purge";

// The picture library: upload (the bytes to R2, the row with its audit entry to D1), list, and
// delete (refused while an article uses the picture). The file's type and size come from its
// bytes alone (src/lib/images.ts); its id is its content hash, so the same file twice is one picture.

/** The R2 calls the library makes: the binding, or a test's stand-in. */
export type MediaBucket = Pick<R2Bucket, "put" | "delete">;

export type MediaInput = { alt?: unknown; caption?: unknown; credit?: unknown };

/** A picture the library holds; `created` is false when the same bytes were there already. */
export type Uploaded = { media: Media; created: boolean };

function checkText(input: MediaInput) {
	const fields: v.Fields = {};
	const alt = v.check(fields, "alt", v.line(MEDIA_ALT_MAX), input.alt);
	const caption =
		input.caption === undefined ? "" : v.check(fields, "caption", v.optionalLine(MEDIA_CAPTION_MAX), input.caption);
	const credit =
		input.credit === undefined ? "" : v.check(fields, "credit", v.optionalLine(MEDIA_CREDIT_MAX), input.credit);
	if (fields.alt === "Required.") {
		fields.alt = "Required: describe the picture for people who cannot see it.";
	}
	if (alt === undefined || caption === undefined || credit === undefined) throw v.invalid(fields);
	return { alt, caption, credit };
}

/**
 * Stores a picture: 400 for no file, one that is not a JPEG, PNG, WebP or AVIF by its bytes, or
 * no alt text. The same bytes uploaded again are the picture already stored (its words unchanged).
 */
export async function uploadMedia(
	deps: Deps,
	bucket: MediaBucket,
	file: Uint8Array | null,
	input: MediaInput,
): Promise<Uploaded> {
	if (file === null) throw badRequest("Choose a picture file to upload.", { file: "Required." });
	const text = checkText(input);
	const sniffed = sniffImage(file);
	if (!sniffed.ok) throw badRequest(sniffed.reason, { file: sniffed.reason });
	const { ext, type, width, height } = sniffed.image;
	const id = await mediaIdOf(file);
	const { db } = deps;

	const [existing] = await findMedia(db, id);
	if (existing) return { media: existing, created: false };

	// The file first: a row never names bytes that are not there. A put of the same key twice
	// (two uploads of one file at once) writes the same bytes.
	await bucket.put(mediaKey(id, ext), file, { httpMetadata: { contentType: type } });
	const row: Media = {
		id,
		ext,
		type,
		bytes: file.byteLength,
		width,
		height,
		...text,
		createdAt: deps.now,
		createdBy: deps.editor.id,
	};
	const [inserted] = await db.batch([
		insertMedia(db, row),
		auditInsert(db, {
			actor: actorOf(deps),
			action: "media.create",
			subject: `media:${id}`,
			detail: { ext, bytes: row.bytes, width, height, alt: text.alt },
			at: deps.now,
		}),
	]);
	if (inserted.length === 0) {
		const [raced] = await findMedia(db, id);
		if (raced) return { media: raced, created: false };
	}
	return { media: row, created: true };
}

export type MediaPage = { media: Media[]; nextCursor: string | null };

function encodeMediaCursor(after: MediaAfter): string {
	return toBase64Url(`m1.${after.createdAt}.${after.id}`);
}

function decodeMediaCursor(text: string): MediaAfter | null {
	// Longer than an article cursor: the id alone is 32 digits.
	const m = fromBase64Url(text, 96)?.match(/^m1\.(\d{1,15})\.([0-9a-f]{32})$/);
	return m ? { createdAt: Number(m[1]), id: m[2] as string } : null;
}

/** One page of the library, newest first; 400 for a cursor this site did not issue or a bad limit. */
export async function listLibrary(db: Db, query: { cursor?: string; limit?: string }): Promise<MediaPage> {
	const fields: v.Fields = {};
	const after = query.cursor === undefined || query.cursor === "" ? null : decodeMediaCursor(query.cursor);
	if (after === null && query.cursor) fields.cursor = "Not a cursor from this list.";
	let limit = MEDIA_PAGE_DEFAULT;
	if (query.limit !== undefined) {
		limit = /^\d{1,3}$/.test(query.limit) ? Number(query.limit) : 0;
		if (limit < 1 || limit > MEDIA_PAGE_MAX) fields.limit = `A whole number from 1 to ${MEDIA_PAGE_MAX}.`;
	}
	if (Object.keys(fields).length > 0) throw v.invalid(fields);
	const rows = await listMedia(db, { after, limit });
	const page = rows.slice(0, limit);
	const last = page.at(-1);
	return {
		media: page,
		nextCursor: rows.length > limit && last ? encodeMediaCursor({ createdAt: last.createdAt, id: last.id }) : null,
	};
}

export async function getMedia(db: Db, id: string): Promise<Media> {
	const [row] = isMediaId(id) ? await findMedia(db, id) : [];
	if (!row) throw notFound("There is no picture with this id.");
	return row;
}

export type MediaUser = { id: number; slug: string; title: string };

/** A delete refused because articles use the picture: they are named, to be changed first. */
export class MediaInUse extends AppError {
	readonly articles: MediaUser[];

	constructor(articles: MediaUser[]) {
		const names = articles.map((a) => `“${a.title}” (${a.slug})`).join(", ");
		const count = articles.length === 1 ? "1 article uses" : `${articles.length} articles use`;
		super(409, `Not deleted: ${count} this picture: ${names}. Remove it from them first.`);
		this.articles = articles;
	}
}

/** Deletes a picture no article uses (404 unknown, 409 naming the articles otherwise): row, file, cached copies. */
export async function deleteMedia(
	deps: Deps,
	bucket: MediaBucket,
	id: string,
): Promise<{ media: Media; purge: PurgeReport }> {
	const { db } = deps;
	const row = await getMedia(db, id);
	const users = await articlesUsingMedia(db, id);
	if (users.length > 0) throw new MediaInUse(users);
	let deleted: { id: string }[];
	try {
		[deleted] = await db.batch([
			deleteMediaIfUnused(db, id),
			auditInsert(db, {
				actor: actorOf(deps),
				action: "media.delete",
				subject: `media:${id}`,
				detail: { ext: row.ext, alt: row.alt },
				at: deps.now,
			}),
		]);
	} catch (err) {
		// An article took it up since the check (its lead image's reference holds it).
		if (!constraintFailed(err, "FOREIGN KEY")) throw err;
		deleted = [];
	}
	if (deleted.length === 0) {
		const now = await articlesUsingMedia(db, id);
		if (now.length > 0) throw new MediaInUse(now);
		throw notFound("There is no picture with this id.");
	}
	await bucket.delete(mediaKey(id, row.ext));
	const purge = await purgeChanges(deps, [{ kind: "media", id, ext: row.ext }]);
	return { media: row, purge };
}

/**
 * Changes a picture's words (any of alt, caption, credit; the file stays). The pages and JSON of
 * the articles it leads print them: those are purged like an edit of each. Nothing to change is
 * not an error (`purge` null).
 */
export async function updateMediaWords(
	deps: Deps,
	id: string,
	input: MediaInput,
): Promise<{ media: Media; purge: PurgeReport | null }> {
	const { db } = deps;
	const current = await getMedia(db, id);
	const next = checkText({
		alt: input.alt === undefined ? current.alt : input.alt,
		caption: input.caption === undefined ? current.caption : input.caption,
		credit: input.credit === undefined ? current.credit : input.credit,
	});
	if (next.alt === current.alt && next.caption === current.caption && next.credit === current.credit) {
		return { media: current, purge: null };
	}
	const [updated] = await db.batch([
		updateMediaText(db, id, next),
		auditInsert(db, {
			actor: actorOf(deps),
			action: "media.update",
			subject: `media:${id}`,
			detail: {
				from: { alt: current.alt, caption: current.caption, credit: current.credit },
				to: next,
			},
			at: deps.now,
		}),
	]);
	const row = updated[0];
	if (!row) throw notFound("There is no picture with this id.");
	// Read after the write: an article that took the picture up meanwhile is purged too.
	const users = await db.select({ id: articleMedia.articleId }).from(articleMedia).where(eq(articleMedia.mediaId, id));
	const articles =
		users.length === 0
			? []
			: (await db.batch(users.map((u) => findAdminArticle(db, u.id)) as [ReturnType<typeof findAdminArticle>])).flat();
	const changes: ContentChange[] = articles
		.map(toAdminArticle)
		.filter((a) => a.leadImage?.id === id)
		.map((a) => ({ kind: "article", before: factsOf(a, deps.now), after: factsOf(a, deps.now) }));
	return { media: row, purge: await purgeChanges(deps, changes) };
}

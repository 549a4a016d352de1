import { type Context, Hono } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { AppError } from "../../lib/errors";
import type { AppEnv } from "../../types";
import { depsOf } from "../deps";
import { readForm } from "../params";
import { deleteMedia, getMedia, listLibrary, MediaInUse, updateMediaWords, uploadMedia } from "../services/media";
import { readUpload } from "../upload";
import type { FormState } from "../views/Field";
import { type DeleteRefusal, EMPTY_MEDIA_FORM, MediaEdit, type MediaFormValues, MediaPage } from "../views/MediaPage";
import { redirectWithFlash } from "./flash";
import { formRefusal, formState, page, saved } from "./screen";

/** The picture library as plain forms: upload (multipart), list, delete; POST then redirect. */
export const media = new Hono<AppEnv>();

async function libraryPage(
	c: Context<AppEnv>,
	form: FormState<MediaFormValues>,
	status?: ContentfulStatusCode,
	refusal?: DeleteRefusal,
) {
	// A made-up cursor shows the first page rather than an error: this is a page to work on.
	const cursor = c.req.query("cursor");
	const library = await listLibrary(c.var.db, { cursor }).catch((err) => {
		if (err instanceof AppError && err.status === 400) return listLibrary(c.var.db, {});
		throw err;
	});
	return page(
		c,
		"Media",
		"media",
		<MediaPage media={library.media} nextCursor={library.nextCursor} form={form} refusal={refusal} />,
		status,
	);
}

media.get("/media", (c) => libraryPage(c, { values: EMPTY_MEDIA_FORM }));

media.post("/media", async (c) => {
	let values = EMPTY_MEDIA_FORM;
	try {
		const { file, fields } = await readUpload(c);
		values = { alt: fields.alt ?? "", caption: fields.caption ?? "", credit: fields.credit ?? "" };
		const { media: row, created } = await uploadMedia(depsOf(c), c.env.MEDIA, file, values);
		const text = created
			? `Uploaded “${row.alt}” (${row.width}×${row.height}).`
			: `That file is already in the library as “${row.alt}”; nothing was added.`;
		return redirectWithFlash(c, "/admin/media", saved(text, null));
	} catch (err) {
		// Bad input and a file too large come back to the form, with what was typed.
		if (!(err instanceof AppError) || ![400, 413].includes(err.status)) throw err;
		return libraryPage(c, formState(values, err), err.status as ContentfulStatusCode);
	}
});

const editPage = async (c: Context<AppEnv>, form: FormState<MediaFormValues> | null, status?: ContentfulStatusCode) => {
	const row = await getMedia(c.var.db, c.req.param("id") ?? "");
	const state = form ?? { values: { alt: row.alt, caption: row.caption, credit: row.credit } };
	return page(c, "Edit picture", "media", <MediaEdit media={row} form={state} />, status);
};

media.get("/media/:id", (c) => editPage(c, null));

media.post("/media/:id", async (c) => {
	const form = await readForm(c);
	const values = { alt: form.alt ?? "", caption: form.caption ?? "", credit: form.credit ?? "" };
	try {
		const { media: row, purge } = await updateMediaWords(depsOf(c), c.req.param("id"), values);
		const text = purge ? `Saved “${row.alt}”.` : "Nothing changed.";
		return redirectWithFlash(c, `/admin/media/${row.id}`, saved(text, purge));
	} catch (err) {
		const refusal = formRefusal(err);
		if (!refusal) throw err;
		return editPage(c, formState(values, refusal), refusal.status as ContentfulStatusCode);
	}
});

media.post("/media/:id/delete", async (c) => {
	try {
		const { media: row, purge } = await deleteMedia(depsOf(c), c.env.MEDIA, c.req.param("id"));
		return redirectWithFlash(c, "/admin/media", saved(`Deleted “${row.alt}”.`, purge));
	} catch (err) {
		if (!(err instanceof MediaInUse)) throw err;
		const refusal: DeleteRefusal = {
			media: await getMedia(c.var.db, c.req.param("id")),
			message: err.message,
			articles: err.articles,
		};
		return libraryPage(c, { values: EMPTY_MEDIA_FORM }, 409, refusal);
	}
});

import { type Context, Hono } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { renderMarkdown } from "../../markdown";
import type { AppEnv } from "../../types";
import { depsOf } from "../deps";
import { readForm } from "../params";
import { getPage, lastPageSave, listPages, PageConflict, savePage } from "../services/pages";
import type { FormState } from "../views/Field";
import { type PageConflictView, PageEdit, type PageFormValues, PagesList, pageFormValues } from "../views/PagesPage";
import { redirectWithFlash } from "./flash";
import { formRefusal, formState, page, saved } from "./screen";

/** The About and Services pages: edit with preview; a save made meanwhile by someone else is shown, not overwritten. */
export const pages = new Hono<AppEnv>();

pages.get("/pages", async (c) => page(c, "Pages", "pages", <PagesList pages={await listPages(c.var.db)} />));

function pageEditor(
	c: Context<AppEnv>,
	slug: string,
	form: FormState<PageFormValues>,
	extra: { preview?: string; conflict?: PageConflictView } = {},
	status?: ContentfulStatusCode,
) {
	return page(c, `Edit /${slug}`, "pages", <PageEdit slug={slug} form={form} {...extra} />, status);
}

pages.get("/pages/:slug", async (c) => {
	const stored = await getPage(c.var.db, c.req.param("slug"));
	return pageEditor(c, stored.slug, { values: pageFormValues(stored) });
});

pages.post("/pages/:slug", async (c) => {
	const slug = c.req.param("slug");
	// Unknown pages are a 404 before anything else, the preview included.
	await getPage(c.var.db, slug);
	const form = await readForm(c);
	const values: PageFormValues = {
		title: form.title ?? "",
		bodyMarkdown: form.bodyMarkdown ?? "",
		updatedAt: form.updatedAt ?? "",
	};
	if (form.intent === "preview")
		return pageEditor(c, slug, { values }, { preview: await renderMarkdown(values.bodyMarkdown) });
	try {
		const { page: stored, purge } = await savePage(depsOf(c), slug, values);
		return redirectWithFlash(c, `/admin/pages/${slug}`, saved(`Saved “${stored.title}”.`, purge));
	} catch (err) {
		if (err instanceof PageConflict) {
			// The editor's text stays in the form; the hidden version moves on, so that saving
			// again after reading the stored text is a deliberate overwrite. The conflict panel is
			// the one message: the form shows no error box of its own.
			const rebased = { ...values, updatedAt: String(err.current.updatedAt) };
			const conflict = { page: err.current, savedBy: await lastPageSave(c.var.db, err.current) };
			return pageEditor(c, slug, { values: rebased }, { conflict }, 409);
		}
		const refusal = formRefusal(err);
		if (!refusal) throw err;
		return pageEditor(c, slug, formState(values, refusal), {}, refusal.status as ContentfulStatusCode);
	}
});

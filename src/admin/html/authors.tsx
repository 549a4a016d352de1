import { type Context, Hono } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { AdminAuthor } from "../../db/queries/authors";
import { listEditors } from "../../db/queries/editors";
import type { AppEnv } from "../../types";
import { depsOf } from "../deps";
import { requireRole } from "../guard/roles";
import { readForm } from "../params";
import { createAuthor, getAuthor, listAuthors, updateAuthor } from "../services/authors";
import { AuthorEdit, type AuthorFormValues, AuthorsList, authorAdminPath } from "../views/AuthorsPage";
import type { FormState } from "../views/Field";
import { redirectWithFlash } from "./flash";
import { formRefusal, formState, page, saved } from "./screen";

/** Authors (admins only, as topics): list, add, change. Plain forms, POST then redirect. */
export const authors = new Hono<AppEnv>();

const adminOnly = requireRole("admin");

const EMPTY: AuthorFormValues = { slug: "", name: "", bio: "", url: "", description: "", editor: "" };

function valuesOf(a: AdminAuthor): AuthorFormValues {
	return {
		slug: a.slug,
		name: a.name,
		bio: a.bio,
		url: a.url ?? "",
		description: a.description,
		editor: a.editor?.email ?? "",
	};
}

function formValues(form: Record<string, string | undefined>): AuthorFormValues {
	return {
		slug: form.slug ?? "",
		name: form.name ?? "",
		bio: form.bio ?? "",
		url: form.url ?? "",
		description: form.description ?? "",
		editor: form.editor ?? "",
	};
}

async function listPage(c: Context<AppEnv>, form: FormState<AuthorFormValues>, status?: ContentfulStatusCode) {
	const [list, editors] = await Promise.all([listAuthors(c.var.db), listEditors(c.var.db)]);
	return page(c, "Authors", "authors", <AuthorsList authors={list} editors={editors} form={form} />, status);
}

async function editPage(
	c: Context<AppEnv>,
	slug: string,
	form: FormState<AuthorFormValues> | null,
	status?: ContentfulStatusCode,
) {
	const author = await getAuthor(c.var.db, slug);
	const editors = await listEditors(c.var.db);
	const state = form ?? { values: valuesOf(author) };
	return page(c, author.name, "authors", <AuthorEdit author={author} editors={editors} form={state} />, status);
}

authors.get("/authors", adminOnly, (c) => listPage(c, { values: EMPTY }));

authors.post("/authors", adminOnly, async (c) => {
	const values = formValues(await readForm(c));
	try {
		const { author, purge } = await createAuthor(depsOf(c), values);
		return redirectWithFlash(c, authorAdminPath(), saved(`Added “${author.name}”.`, purge));
	} catch (err) {
		const refusal = formRefusal(err);
		if (!refusal) throw err;
		return listPage(c, formState(values, refusal), refusal.status as ContentfulStatusCode);
	}
});

authors.get("/authors/:slug", adminOnly, (c) => editPage(c, c.req.param("slug"), null));

authors.post("/authors/:slug", adminOnly, async (c) => {
	const slug = c.req.param("slug");
	const form = await readForm(c);
	const values = { ...formValues(form), slug };
	try {
		// A field the form did not send (a page from before it existed) is left as it is.
		const { author, changed, purge } = await updateAuthor(depsOf(c), slug, {
			name: form.name,
			bio: form.bio,
			url: form.url,
			description: form.description,
			editor: form.editor,
		});
		const text = changed ? `Saved “${author.name}”.` : "Nothing changed.";
		return redirectWithFlash(c, authorAdminPath(author.slug), saved(text, purge));
	} catch (err) {
		const refusal = formRefusal(err);
		if (!refusal) throw err;
		return editPage(c, slug, formState(values, refusal), refusal.status as ContentfulStatusCode);
	}
});

import { type Context, Hono } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { AppEnv } from "../../types";
import { depsOf } from "../deps";
import { requireRole } from "../guard/roles";
import { readForm } from "../params";
import { createTaxon, deleteTaxon, getTaxon, listTaxa, updateTaxon } from "../services/taxa";
import type { FormState } from "../views/Field";
import type { AdminSection } from "../views/Layout";
import { TaxaList, TaxonEdit, type TaxonFormValues, taxaTitle, taxonAdminPath } from "../views/TaxaPage";
import { redirectWithFlash } from "./flash";
import { formRefusal, formState, page, saved } from "./screen";

/** Topics and regions (admins only): list, add, rename or redescribe, delete. Plain forms, POST then redirect. */
export const taxa = new Hono<AppEnv>();

const adminOnly = requireRole("admin");

for (const kind of ["topic", "region"] as const) {
	const section: AdminSection = kind === "topic" ? "topics" : "regions";
	const base = taxonAdminPath(kind).slice("/admin".length);

	const listPage = async (c: Context<AppEnv>, form: FormState<TaxonFormValues>, status?: ContentfulStatusCode) => {
		const taxa = await listTaxa(c.var.db, kind);
		return page(c, taxaTitle(kind), section, <TaxaList kind={kind} taxa={taxa} form={form} />, status);
	};

	const editPage = async (
		c: Context<AppEnv>,
		slug: string,
		form: FormState<TaxonFormValues> | null,
		deleteError?: string,
		status?: ContentfulStatusCode,
	) => {
		const taxon = await getTaxon(c.var.db, kind, slug);
		const state = form ?? { values: { slug: taxon.slug, name: taxon.name, description: taxon.description } };
		return page(
			c,
			taxon.name,
			section,
			<TaxonEdit kind={kind} taxon={taxon} form={state} deleteError={deleteError} />,
			status,
		);
	};

	taxa.get(base, adminOnly, (c) => listPage(c, { values: { slug: "", name: "", description: "" } }));

	taxa.post(base, adminOnly, async (c) => {
		const form = await readForm(c);
		const values = { slug: form.slug ?? "", name: form.name ?? "", description: form.description ?? "" };
		try {
			const { taxon, purge } = await createTaxon(depsOf(c), kind, values);
			return redirectWithFlash(c, taxonAdminPath(kind), saved(`Added “${taxon.name}”.`, purge));
		} catch (err) {
			const refusal = formRefusal(err);
			if (!refusal) throw err;
			return listPage(c, formState(values, refusal), refusal.status as ContentfulStatusCode);
		}
	});

	taxa.get(`${base}/:slug`, adminOnly, (c) => editPage(c, c.req.param("slug"), null));

	taxa.post(`${base}/:slug`, adminOnly, async (c) => {
		const slug = c.req.param("slug");
		const form = await readForm(c);
		const values = { slug: form.slug ?? "", name: form.name ?? "", description: form.description ?? "" };
		try {
			// A post without the field (a page from before it existed) leaves the description as it is.
			const { taxon, purge } = await updateTaxon(depsOf(c), kind, slug, { ...values, description: form.description });
			const text = purge ? `Saved “${taxon.name}”.` : "Nothing changed.";
			return redirectWithFlash(c, taxonAdminPath(kind, taxon.slug), saved(text, purge));
		} catch (err) {
			const refusal = formRefusal(err);
			if (!refusal) throw err;
			return editPage(c, slug, formState(values, refusal), undefined, refusal.status as ContentfulStatusCode);
		}
	});

	taxa.post(`${base}/:slug/delete`, adminOnly, async (c) => {
		const slug = c.req.param("slug");
		try {
			const { taxon, purge } = await deleteTaxon(depsOf(c), kind, slug);
			return redirectWithFlash(c, taxonAdminPath(kind), saved(`Deleted “${taxon.name}”.`, purge));
		} catch (err) {
			const refusal = formRefusal(err);
			if (!refusal) throw err;
			return editPage(c, slug, null, refusal.message, refusal.status as ContentfulStatusCode);
		}
	});
}

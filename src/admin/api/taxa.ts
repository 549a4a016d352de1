import { Hono } from "hono";
import type { AdminTaxon } from "../../db/queries/taxonomies";
import type { AppEnv } from "../../types";
import { depsOf } from "../deps";
import { requireRole } from "../guard/roles";
import { createTaxon, deleteTaxon, getTaxon, listTaxa, updateTaxon } from "../services/taxa";
import { body } from "./body";

/** Topics and regions as JSON (admins only): `{ topics: [...] }`, one as itself, a write with `purge`. */
export const taxa = new Hono<AppEnv>();

const adminOnly = requireRole("admin");

const taxonJson = (t: AdminTaxon) => ({
	id: t.id,
	slug: t.slug,
	name: t.name,
	description: t.description,
	articleCount: t.articleCount,
});

const TAXON_KEYS = ["slug", "name", "description"] as const;

for (const kind of ["topic", "region"] as const) {
	const base = `/${kind}s`;

	taxa.get(base, adminOnly, async (c) => {
		return c.json({ [`${kind}s`]: (await listTaxa(c.var.db, kind)).map(taxonJson) });
	});

	taxa.post(base, adminOnly, async (c) => {
		const { taxon, purge } = await createTaxon(depsOf(c), kind, await body(c, TAXON_KEYS));
		return c.json({ ...taxonJson(taxon), purge }, 201);
	});

	taxa.get(`${base}/:slug`, adminOnly, async (c) => {
		return c.json(taxonJson(await getTaxon(c.var.db, kind, c.req.param("slug"))));
	});

	// `purge` is null when nothing changed (nothing was written either).
	taxa.patch(`${base}/:slug`, adminOnly, async (c) => {
		const { taxon, purge } = await updateTaxon(depsOf(c), kind, c.req.param("slug"), await body(c, TAXON_KEYS));
		return c.json({ ...taxonJson(taxon), purge });
	});

	taxa.delete(`${base}/:slug`, adminOnly, async (c) => {
		const { taxon, purge } = await deleteTaxon(depsOf(c), kind, c.req.param("slug"));
		return c.json({ ...taxonJson(taxon), deleted: true, purge });
	});
}

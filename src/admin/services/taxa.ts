import type { PurgeReport } from "../../cache/purge";
import type { Db } from "../../db/client";
import { auditInsert } from "../../db/queries/audit";
import {
	type AdminTaxon,
	abortDeleteIfUsed,
	deleteTaxon as deleteTaxonRow,
	findAdminTaxon,
	insertTaxon,
	listAdminTaxa,
	type TaxonKind,
	updateTaxon as updateTaxonRow,
} from "../../db/queries/taxonomies";
import { AppError, notFound } from "../../lib/errors";
import { isSlug } from "../../lib/slugs";
import { TAXON_DESCRIPTION_MAX, TAXON_NAME_MAX } from "../limits";
import * as v from "../validation";
import { actorOf, constraintFailed } from "./constraints";
import type { Deps } from "./deps";
import { purgeChanges } from "./purge";

// Topics and regions: listed, created, renamed and deleted (only while no article uses one).
// D1 has no interactive transactions, so each change is one db.batch (all or nothing) with its
// audit entry. Where a check must hold at the moment of the write, the batch carries an `abort…`
// statement that breaks a NOT NULL constraint when the check fails, which rolls the whole batch back.

export type TaxonInput = { slug?: unknown; name?: unknown; description?: unknown };

const DESCRIPTION = v.optionalLine(TAXON_DESCRIPTION_MAX);
export type TaxonSaved = { taxon: AdminTaxon; purge: PurgeReport | null };

export function listTaxa(db: Db, kind: TaxonKind): Promise<AdminTaxon[]> {
	return listAdminTaxa(db, kind);
}

export async function getTaxon(db: Db, kind: TaxonKind, slug: string): Promise<AdminTaxon> {
	const taxon = isSlug(slug) ? await findAdminTaxon(db, kind, slug) : null;
	if (!taxon) throw notFound(`There is no ${kind} "${slug}".`);
	return taxon;
}

function slugTaken(kind: TaxonKind, slug: string): AppError {
	return new AppError(409, `Another ${kind} already has the slug "${slug}".`, {
		slug: `"${slug}" is taken; choose another.`,
	});
}

export async function createTaxon(deps: Deps, kind: TaxonKind, input: TaxonInput): Promise<TaxonSaved> {
	const fields: v.Fields = {};
	const slug = v.check(fields, "slug", v.slug(), input.slug);
	const name = v.check(fields, "name", v.line(TAXON_NAME_MAX), input.name);
	const description =
		input.description === undefined ? "" : v.check(fields, "description", DESCRIPTION, input.description);
	if (slug === undefined || name === undefined || description === undefined) throw v.invalid(fields);
	const { db } = deps;
	if (await findAdminTaxon(db, kind, slug)) throw slugTaken(kind, slug);

	let id: number;
	try {
		const [inserted] = await db.batch([
			insertTaxon(db, kind, { slug, name, description }),
			auditInsert(db, {
				actor: actorOf(deps),
				action: `${kind}.create`,
				subject: `${kind}:${slug}`,
				detail: { name, description },
				at: deps.now,
			}),
		]);
		id = inserted[0]?.id ?? 0;
	} catch (err) {
		// Created by someone else since the check above.
		if (constraintFailed(err, "UNIQUE")) throw slugTaken(kind, slug);
		throw err;
	}
	// A cached 404 of its list page, and the lists of topics/regions, go.
	const purge = await purgeChanges(deps, [{ kind: "taxon", taxon: kind, slug }]);
	return { taxon: { id, slug, name, description, articleCount: 0 }, purge };
}

/** Renames or redescribes a topic or region (any of slug, name, description); nothing to change is not an error. */
export async function updateTaxon(
	deps: Deps,
	kind: TaxonKind,
	currentSlug: string,
	input: TaxonInput,
): Promise<TaxonSaved> {
	const { db } = deps;
	const current = await getTaxon(db, kind, currentSlug);
	const fields: v.Fields = {};
	const slug = input.slug === undefined ? current.slug : v.check(fields, "slug", v.slug(), input.slug);
	const name = input.name === undefined ? current.name : v.check(fields, "name", v.line(TAXON_NAME_MAX), input.name);
	const description =
		input.description === undefined
			? current.description
			: v.check(fields, "description", DESCRIPTION, input.description);
	if (slug === undefined || name === undefined || description === undefined) throw v.invalid(fields);
	if (slug === current.slug && name === current.name && description === current.description) {
		return { taxon: current, purge: null };
	}
	if (slug !== current.slug && (await findAdminTaxon(db, kind, slug))) throw slugTaken(kind, slug);

	try {
		await db.batch([
			updateTaxonRow(db, kind, current.id, { slug, name, description }),
			auditInsert(db, {
				actor: actorOf(deps),
				action: `${kind}.update`,
				subject: `${kind}:${slug}`,
				detail: {
					from: { slug: current.slug, name: current.name, description: current.description },
					to: { slug, name, description },
				},
				at: deps.now,
			}),
		]);
	} catch (err) {
		if (constraintFailed(err, "UNIQUE")) throw slugTaken(kind, slug);
		throw err;
	}
	// The name is printed on every article of it and in every list showing one: all carry its tag.
	// The description shows on its own page and the index, which the same plan purges.
	const purge = await purgeChanges(deps, [
		{ kind: "taxon", taxon: kind, slug, ...(slug !== current.slug ? { previousSlug: current.slug } : {}) },
	]);
	return { taxon: { ...current, slug, name, description }, purge };
}

function taxonInUse(kind: TaxonKind, count: number): AppError {
	const articles = count === 1 ? "1 article uses" : `${count} articles use`;
	return new AppError(
		409,
		`${articles} this ${kind} (drafts and trash included). Give ${count === 1 ? "it" : "them"} another ${kind} first: deleting never changes an article.`,
	);
}

/** Deletes a topic or region that no article (draft, trashed or published) uses. */
export async function deleteTaxon(
	deps: Deps,
	kind: TaxonKind,
	slug: string,
): Promise<{ taxon: AdminTaxon; purge: PurgeReport }> {
	const { db } = deps;
	const taxon = await getTaxon(db, kind, slug);
	if (taxon.articleCount > 0) throw taxonInUse(kind, taxon.articleCount);
	try {
		await db.batch([
			abortDeleteIfUsed(db, kind, taxon.id),
			deleteTaxonRow(db, kind, taxon.id),
			auditInsert(db, {
				actor: actorOf(deps),
				action: `${kind}.delete`,
				subject: `${kind}:${taxon.slug}`,
				detail: { name: taxon.name },
				at: deps.now,
			}),
		]);
	} catch (err) {
		if (constraintFailed(err, "NOT NULL")) throw taxonInUse(kind, (await getTaxon(db, kind, slug)).articleCount);
		throw err;
	}
	const purge = await purgeChanges(deps, [{ kind: "taxon", taxon: kind, slug: taxon.slug }]);
	return { taxon, purge };
}

import { type Context, Hono } from "hono";
import type { Child } from "hono/jsx";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { PurgeReport } from "../../cache/purge";
import { AppError } from "../../lib/errors";
import { renderMarkdown } from "../../lib/markdown";
import type { AppEnv } from "../../types";
import { requireRole } from "../guard/roles";
import { idParam, readForm } from "../params";
import { describePurge, purgeFailed } from "../services/purge";
import {
	createTaxon,
	createToken,
	deleteTaxon,
	getEditor,
	getPage,
	getTaxon,
	lastPageSave,
	listAllEditors,
	listPages,
	listTaxa,
	listTokens,
	manualPurge,
	PageConflict,
	readAudit,
	removeEditor,
	revokeApiToken,
	savePage,
	updateEditor,
	updateTaxon,
} from "../services/site";
import { AuditPage } from "../views/AuditPage";
import { EditorEdit, type EditorFormValues, EditorsList } from "../views/EditorsPage";
import type { FormState } from "../views/Field";
import type { AdminSection, Flash } from "../views/Layout";
import { type PageConflictView, PageEdit, type PageFormValues, PagesList, pageFormValues } from "../views/PagesPage";
import { type PurgeFormValues, PurgePage } from "../views/PurgePage";
import { adminPage } from "../views/render";
import { TaxaList, TaxonEdit, type TaxonFormValues, taxaTitle, taxonAdminPath } from "../views/TaxaPage";
import { type TokenFormValues, TokensPage, tokenLabel } from "../views/TokensPage";
import { readFlash, redirectWithFlash } from "./flash";

/**
 * The admin's screens for everything but articles, mounted at /admin behind the admin guard:
 * topics, regions, the About/Services pages, API tokens, editors, the audit log and manual purges.
 * Plain forms, POST then redirect; a refused form is shown again with the editor's input.
 */
export const adminSite = new Hono<AppEnv>();

const adminOnly = requireRole("admin");

function saved(what: string, purge: PurgeReport | null): Flash {
	if (!purge) return { kind: "ok", text: what };
	// Saved either way; but readers may still get the old copy, and the editor must know that.
	return { kind: purgeFailed(purge) ? "error" : "ok", text: `${what} ${describePurge(purge)}` };
}

/** A refusal the form can show next to the input (bad input, a clash); anything else propagates. */
function formRefusal(err: unknown): AppError | null {
	return err instanceof AppError && (err.status === 400 || err.status === 409) ? err : null;
}

function formState<T>(values: T, err?: AppError): FormState<T> {
	if (!err) return { values };
	return { values, error: err.message, ...(err.fields ? { fields: err.fields } : {}) };
}

async function page(
	c: Context<AppEnv>,
	title: string,
	current: AdminSection,
	body: Child,
	status?: ContentfulStatusCode,
) {
	return adminPage(c, { title, current, flash: await readFlash(c) }, body, status);
}

// ---- Topics and regions -------------------------------------------------------------------------

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
		const state = form ?? { values: { slug: taxon.slug, name: taxon.name } };
		return page(
			c,
			taxon.name,
			section,
			<TaxonEdit kind={kind} taxon={taxon} form={state} deleteError={deleteError} />,
			status,
		);
	};

	adminSite.get(base, adminOnly, (c) => listPage(c, { values: { slug: "", name: "" } }));

	adminSite.post(base, adminOnly, async (c) => {
		const form = await readForm(c);
		const values = { slug: form.slug ?? "", name: form.name ?? "" };
		try {
			const { taxon, purge } = await createTaxon(c, kind, values);
			return redirectWithFlash(c, taxonAdminPath(kind), saved(`Added “${taxon.name}”.`, purge));
		} catch (err) {
			const refusal = formRefusal(err);
			if (!refusal) throw err;
			return listPage(c, formState(values, refusal), refusal.status as ContentfulStatusCode);
		}
	});

	adminSite.get(`${base}/:slug`, adminOnly, (c) => editPage(c, c.req.param("slug"), null));

	adminSite.post(`${base}/:slug`, adminOnly, async (c) => {
		const slug = c.req.param("slug");
		const form = await readForm(c);
		const values = { slug: form.slug ?? "", name: form.name ?? "" };
		try {
			const { taxon, purge } = await updateTaxon(c, kind, slug, values);
			const text = purge ? `Saved “${taxon.name}”.` : "Nothing changed.";
			return redirectWithFlash(c, taxonAdminPath(kind, taxon.slug), saved(text, purge));
		} catch (err) {
			const refusal = formRefusal(err);
			if (!refusal) throw err;
			return editPage(c, slug, formState(values, refusal), undefined, refusal.status as ContentfulStatusCode);
		}
	});

	adminSite.post(`${base}/:slug/delete`, adminOnly, async (c) => {
		const slug = c.req.param("slug");
		try {
			const { taxon, purge } = await deleteTaxon(c, kind, slug);
			return redirectWithFlash(c, taxonAdminPath(kind), saved(`Deleted “${taxon.name}”.`, purge));
		} catch (err) {
			const refusal = formRefusal(err);
			if (!refusal) throw err;
			return editPage(c, slug, null, refusal.message, refusal.status as ContentfulStatusCode);
		}
	});
}

// ---- Pages --------------------------------------------------------------------------------------

adminSite.get("/pages", async (c) => page(c, "Pages", "pages", <PagesList pages={await listPages(c.var.db)} />));

function pageEditor(
	c: Context<AppEnv>,
	slug: string,
	form: FormState<PageFormValues>,
	extra: { preview?: string; conflict?: PageConflictView } = {},
	status?: ContentfulStatusCode,
) {
	return page(c, `Edit /${slug}`, "pages", <PageEdit slug={slug} form={form} {...extra} />, status);
}

adminSite.get("/pages/:slug", async (c) => {
	const stored = await getPage(c.var.db, c.req.param("slug"));
	return pageEditor(c, stored.slug, { values: pageFormValues(stored) });
});

adminSite.post("/pages/:slug", async (c) => {
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
		return pageEditor(c, slug, { values }, { preview: renderMarkdown(values.bodyMarkdown) });
	try {
		const { page: stored, purge } = await savePage(c, slug, values);
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

// ---- API tokens ---------------------------------------------------------------------------------

async function tokensPage(
	c: Context<AppEnv>,
	form: FormState<TokenFormValues>,
	created?: Awaited<ReturnType<typeof createToken>>,
	status?: ContentfulStatusCode,
) {
	const [tokens, editors] = await Promise.all([listTokens(c.var.db), listAllEditors(c.var.db)]);
	return page(
		c,
		"API tokens",
		"tokens",
		<TokensPage tokens={tokens} editors={editors} form={form} created={created} />,
		status,
	);
}

adminSite.get("/tokens", adminOnly, (c) => tokensPage(c, { values: { name: "", editorId: String(c.var.editor.id) } }));

adminSite.post("/tokens", adminOnly, async (c) => {
	const form = await readForm(c);
	const values = { name: form.name ?? "", editorId: form.editorId ?? "" };
	try {
		const created = await createToken(c, values);
		// Shown in this response, not after a redirect: the token must never be stored to show later.
		return tokensPage(c, { values: { name: "", editorId: values.editorId } }, created, 201);
	} catch (err) {
		const refusal = formRefusal(err);
		if (!refusal) throw err;
		return tokensPage(c, formState(values, refusal), undefined, refusal.status as ContentfulStatusCode);
	}
});

adminSite.post("/tokens/:id/revoke", adminOnly, async (c) => {
	const token = await revokeApiToken(c, idParam(c.req.param("id"), "API token"));
	return redirectWithFlash(c, "/admin/tokens", {
		kind: "ok",
		text: `Revoked token ${tokenLabel(token)} “${token.name}”: it no longer works.`,
	});
});

// ---- Editors ------------------------------------------------------------------------------------

adminSite.get("/editors", adminOnly, async (c) => {
	const editors = await listAllEditors(c.var.db);
	return page(c, "Editors", "editors", <EditorsList editors={editors} me={c.var.editor.id} />);
});

async function editorPage(
	c: Context<AppEnv>,
	id: number,
	form: FormState<EditorFormValues> | null,
	removeError?: string,
	status?: ContentfulStatusCode,
) {
	const editor = await getEditor(c.var.db, id);
	const state = form ?? { values: { name: editor.name, role: editor.role } };
	return page(
		c,
		editor.name,
		"editors",
		<EditorEdit editor={editor} me={c.var.editor.id} form={state} removeError={removeError} />,
		status,
	);
}

adminSite.get("/editors/:id", adminOnly, (c) => editorPage(c, idParam(c.req.param("id"), "editor"), null));

adminSite.post("/editors/:id", adminOnly, async (c) => {
	const id = idParam(c.req.param("id"), "editor");
	const form = await readForm(c);
	const values = { name: form.name ?? "", role: form.role ?? "" };
	try {
		const editor = await updateEditor(c, id, values);
		return redirectWithFlash(c, `/admin/editors/${id}`, { kind: "ok", text: `Saved ${editor.name} (${editor.role}).` });
	} catch (err) {
		const refusal = formRefusal(err);
		if (!refusal) throw err;
		return editorPage(c, id, formState(values, refusal), undefined, refusal.status as ContentfulStatusCode);
	}
});

adminSite.post("/editors/:id/delete", adminOnly, async (c) => {
	const id = idParam(c.req.param("id"), "editor");
	try {
		const editor = await removeEditor(c, id);
		return redirectWithFlash(c, "/admin/editors", {
			kind: "ok",
			text: `Removed ${editor.name} (${editor.email}); their sessions and API tokens no longer work.`,
		});
	} catch (err) {
		const refusal = formRefusal(err);
		if (!refusal) throw err;
		return editorPage(c, id, null, refusal.message, refusal.status as ContentfulStatusCode);
	}
});

// ---- Audit log ----------------------------------------------------------------------------------

adminSite.get("/audit", adminOnly, async (c) => {
	const query = c.req.query();
	const paged = Boolean(query.before);
	try {
		const view = await readAudit(c.var.db, query);
		return page(
			c,
			"Audit log",
			"audit",
			<AuditPage entries={view.entries} nextBefore={view.nextBefore} query={view.query} paged={paged} />,
		);
	} catch (err) {
		const refusal = formRefusal(err);
		if (!refusal) throw err;
		const kept = { action: query.action, subject: query.subject };
		return page(
			c,
			"Audit log",
			"audit",
			<AuditPage entries={[]} nextBefore={null} query={kept} fields={refusal.fields} paged={paged} />,
			400,
		);
	}
});

// ---- Manual purge -------------------------------------------------------------------------------

function purgePage(
	c: Context<AppEnv>,
	form: FormState<PurgeFormValues>,
	report?: PurgeReport,
	status?: ContentfulStatusCode,
) {
	return page(c, "Purge", "purge", <PurgePage form={form} report={report} />, status);
}

adminSite.get("/purge", (c) => purgePage(c, { values: { slugs: "" } }));

// The report (every address and tag purged) is shown on the response itself: it is too long for
// a message after a redirect, and repeating a purge by reloading does no harm (it is logged again).
adminSite.post("/purge", async (c) => {
	const form = await readForm(c);
	const values = { slugs: form.slugs ?? "" };
	const request =
		form.intent === "all" ? { all: true } : { slugs: values.slugs.split(/[\s,]+/).filter((slug) => slug !== "") };
	try {
		const report = await manualPurge(c, request);
		return purgePage(c, { values: form.intent === "all" ? { slugs: "" } : values }, report);
	} catch (err) {
		const refusal = formRefusal(err);
		if (!refusal) throw err;
		return purgePage(c, formState(values, refusal), undefined, refusal.status as ContentfulStatusCode);
	}
});

import type { Context } from "hono";
import type { PurgeReport } from "../../cache/purge";
import {
	type AdminToken,
	auditTokenCreated,
	findAdminToken,
	insertToken,
	listAdminTokens,
	revokeToken,
} from "../../db/queries/api-tokens";
import { type AuditActor, auditInsert, listAudit, recordAudit } from "../../db/queries/audit";
import {
	abortIfNoAdminLeft,
	countAdmins,
	deleteEditor,
	findEditorById,
	listEditors,
	updateEditor as updateEditorRow,
} from "../../db/queries/editors";
import {
	abortSaveIfStale,
	findPageSave,
	getPageBySlug,
	listAdminPages,
	type PageSave,
	updatePage,
} from "../../db/queries/pages";
import type { TaxonKind } from "../../db/queries/taxonomies";
import {
	type AdminTaxon,
	abortDeleteIfUsed,
	deleteTaxon as deleteTaxonRow,
	findAdminTaxon,
	insertTaxon,
	listAdminTaxa,
	updateTaxon as updateTaxonRow,
} from "../../db/queries/taxonomies";
import { type AuditEntry, type EditorRole, editorRoles, type Page } from "../../db/schema";
import { AppError, badRequest, notFound } from "../../lib/errors";
import { renderMarkdown } from "../../lib/markdown";
import { isSlug, SLUG_MAX_LENGTH } from "../../lib/slugs";
import { hashToken, newToken } from "../../lib/tokens";
import type { AppEnv, Db } from "../../types";
import { purgeContent } from "./articles";
import { purgeChanges } from "./purge";

// Everything in the admin that is not an article: topics, regions, the About/Services pages, API
// tokens, editors, the audit log and manual purges. The HTML screens and the JSON API both call
// these, so that validation, the audit entry and the purge are the same whichever way a change arrives.
//
// D1 has no interactive transactions, so each change is one db.batch (all or nothing) with its
// audit entry. Where a check must hold at the moment of the write (a taxon still unused, a page
// not saved by someone else, an admin left), the batch carries an `abort…` statement that breaks
// a NOT NULL constraint when the check fails, which rolls the whole batch back.

type Fields = Record<string, string>;

export const TAXON_NAME_MAX = 80;
export const PAGE_TITLE_MAX = 200;
export const PAGE_BODY_MAX = 100_000;
export const TOKEN_NAME_MAX = 80;
export const EDITOR_NAME_MAX = 80;
export const AUDIT_PAGE_SIZE = 50;

function actor(c: Context<AppEnv>): AuditActor {
	return { id: c.var.editor.id, email: c.var.editor.email };
}

function invalid(fields: Fields): AppError {
	return badRequest("Some fields are not valid.", fields);
}

/**
 * A trimmed one-line text of 1..max characters; a message in `fields` otherwise. Control
 * characters (line breaks, escapes) have no place in a name or title and are refused, as the
 * editor CLI refuses them.
 */
function textField(fields: Fields, key: string, value: unknown, max: number): string | undefined {
	if (value === undefined || value === null || value === "") {
		fields[key] = "Required.";
		return undefined;
	}
	if (typeof value !== "string") {
		fields[key] = "Must be text.";
		return undefined;
	}
	const text = value.trim();
	if (text === "") fields[key] = "Required.";
	else if (text.length > max) fields[key] = `At most ${max} characters (this is ${text.length}).`;
	else if (/\p{Cc}/u.test(text)) fields[key] = "Line breaks and other control characters are not allowed.";
	else return text;
	return undefined;
}

function slugField(fields: Fields, key: string, value: unknown): string | undefined {
	if (value === undefined || value === null || value === "") {
		fields[key] = "Required.";
		return undefined;
	}
	if (typeof value !== "string" || !isSlug(value.trim())) {
		fields[key] = `Use lowercase letters, digits and single hyphens, at most ${SLUG_MAX_LENGTH} characters.`;
		return undefined;
	}
	return value.trim();
}

/** A positive integer id, as JSON sends it (a number) or a form does (digits). */
function idField(fields: Fields, key: string, value: unknown): number | undefined {
	const id = typeof value === "string" && /^\d{1,15}$/.test(value.trim()) ? Number(value) : value;
	if (typeof id === "number" && Number.isSafeInteger(id) && id > 0) return id;
	fields[key] = value === undefined || value === null || value === "" ? "Required." : "Must be a whole number.";
	return undefined;
}

/** True when D1 refused a statement of the batch over this kind of constraint. */
function constraintFailed(err: unknown, kind: "UNIQUE" | "NOT NULL" | "FOREIGN KEY"): boolean {
	for (let e = err, depth = 0; e instanceof Error && depth < 8; e = e.cause, depth++) {
		if (e.message.includes(`${kind} constraint failed`)) return true;
	}
	return false;
}

// ---- Topics and regions -------------------------------------------------------------------------

export type TaxonInput = { slug?: unknown; name?: unknown };
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

export async function createTaxon(c: Context<AppEnv>, kind: TaxonKind, input: TaxonInput): Promise<TaxonSaved> {
	const fields: Fields = {};
	const slug = slugField(fields, "slug", input.slug);
	const name = textField(fields, "name", input.name, TAXON_NAME_MAX);
	if (slug === undefined || name === undefined) throw invalid(fields);
	const db = c.var.db;
	if (await findAdminTaxon(db, kind, slug)) throw slugTaken(kind, slug);

	let id: number;
	try {
		const [inserted] = await db.batch([
			insertTaxon(db, kind, { slug, name }),
			auditInsert(db, {
				actor: actor(c),
				action: `${kind}.create`,
				subject: `${kind}:${slug}`,
				detail: { name },
				at: Date.now(),
			}),
		]);
		id = inserted[0]?.id ?? 0;
	} catch (err) {
		// Created by someone else since the check above.
		if (constraintFailed(err, "UNIQUE")) throw slugTaken(kind, slug);
		throw err;
	}
	// A cached 404 of its list page, and the lists of topics/regions, go.
	const purge = await purgeChanges(c, [{ kind: "taxon", taxon: kind, slug }]);
	return { taxon: { id, slug, name, articleCount: 0 }, purge };
}

/** Renames a topic or region (its name, its slug, or both); nothing to change is not an error. */
export async function updateTaxon(
	c: Context<AppEnv>,
	kind: TaxonKind,
	currentSlug: string,
	input: TaxonInput,
): Promise<TaxonSaved> {
	const db = c.var.db;
	const current = await getTaxon(db, kind, currentSlug);
	const fields: Fields = {};
	const slug = input.slug === undefined ? current.slug : slugField(fields, "slug", input.slug);
	const name = input.name === undefined ? current.name : textField(fields, "name", input.name, TAXON_NAME_MAX);
	if (slug === undefined || name === undefined) throw invalid(fields);
	if (slug === current.slug && name === current.name) return { taxon: current, purge: null };
	if (slug !== current.slug && (await findAdminTaxon(db, kind, slug))) throw slugTaken(kind, slug);

	try {
		await db.batch([
			updateTaxonRow(db, kind, current.id, { slug, name }),
			auditInsert(db, {
				actor: actor(c),
				action: `${kind}.update`,
				subject: `${kind}:${slug}`,
				detail: { from: { slug: current.slug, name: current.name }, to: { slug, name } },
				at: Date.now(),
			}),
		]);
	} catch (err) {
		if (constraintFailed(err, "UNIQUE")) throw slugTaken(kind, slug);
		throw err;
	}
	// The name is printed on every article of it and in every list showing one: all carry its tag.
	const purge = await purgeChanges(c, [
		{ kind: "taxon", taxon: kind, slug, ...(slug !== current.slug ? { previousSlug: current.slug } : {}) },
	]);
	return { taxon: { ...current, slug, name }, purge };
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
	c: Context<AppEnv>,
	kind: TaxonKind,
	slug: string,
): Promise<{ taxon: AdminTaxon; purge: PurgeReport }> {
	const db = c.var.db;
	const taxon = await getTaxon(db, kind, slug);
	if (taxon.articleCount > 0) throw taxonInUse(kind, taxon.articleCount);
	try {
		await db.batch([
			abortDeleteIfUsed(db, kind, taxon.id),
			deleteTaxonRow(db, kind, taxon.id),
			auditInsert(db, {
				actor: actor(c),
				action: `${kind}.delete`,
				subject: `${kind}:${taxon.slug}`,
				detail: { name: taxon.name },
				at: Date.now(),
			}),
		]);
	} catch (err) {
		if (constraintFailed(err, "NOT NULL")) throw taxonInUse(kind, (await getTaxon(db, kind, slug)).articleCount);
		throw err;
	}
	const purge = await purgeChanges(c, [{ kind: "taxon", taxon: kind, slug: taxon.slug }]);
	return { taxon, purge };
}

// ---- About / Services pages ---------------------------------------------------------------------

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
function loadedAt(fields: Fields, value: unknown): number | undefined {
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
export async function savePage(c: Context<AppEnv>, slug: string, input: PageInput): Promise<PageSaved> {
	const db = c.var.db;
	const current = await getPage(db, slug);
	const fields: Fields = {};
	const title = textField(fields, "title", input.title, PAGE_TITLE_MAX);
	const bodyMarkdown = pageBody(fields, input.bodyMarkdown);
	const basedOn = loadedAt(fields, input.updatedAt);
	if (title === undefined || bodyMarkdown === undefined || Object.keys(fields).length > 0) throw invalid(fields);
	if (basedOn !== undefined && basedOn !== current.updatedAt) throw new PageConflict(current);

	// Strictly later than the version it replaces, so that a stale save is always told apart.
	const updatedAt = Math.max(Date.now(), current.updatedAt + 1);
	const page: Page = { ...current, title, bodyMarkdown, bodyHtml: renderMarkdown(bodyMarkdown), updatedAt };
	try {
		await db.batch([
			abortSaveIfStale(db, slug, current.updatedAt),
			updatePage(db, slug, { title, bodyMarkdown, bodyHtml: page.bodyHtml, updatedAt }),
			auditInsert(db, {
				actor: actor(c),
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
	const purge = await purgeChanges(c, [{ kind: "page", slug }]);
	return { page, purge };
}

function pageBody(fields: Fields, value: unknown): string | undefined {
	if (typeof value !== "string" || value.trim() === "") {
		fields.bodyMarkdown = typeof value === "string" || value == null ? "Required." : "Must be text.";
		return undefined;
	}
	// Browsers send textarea lines with CRLF; store one form whichever way the text came.
	const text = value.replace(/\r\n?/g, "\n");
	if (text.length > PAGE_BODY_MAX) {
		fields.bodyMarkdown = `At most ${PAGE_BODY_MAX.toLocaleString("en-US")} characters (this is ${text.length.toLocaleString("en-US")}).`;
		return undefined;
	}
	return text;
}

// ---- API tokens ---------------------------------------------------------------------------------

export type TokenInput = { name?: unknown; editorId?: unknown };

export function listTokens(db: Db): Promise<AdminToken[]> {
	return listAdminTokens(db);
}

/** Issues a token acting as the chosen editor; `token` is the only time its text exists outside the client. */
export async function createToken(
	c: Context<AppEnv>,
	input: TokenInput,
): Promise<{ token: string; apiToken: AdminToken }> {
	const db = c.var.db;
	const fields: Fields = {};
	const name = textField(fields, "name", input.name, TOKEN_NAME_MAX);
	const editorId = idField(fields, "editorId", input.editorId);
	if (editorId !== undefined && !(await findEditorById(db, editorId))) fields.editorId = "There is no such editor.";
	if (name === undefined || editorId === undefined || Object.keys(fields).length > 0) throw invalid(fields);

	const token = newToken("smt_");
	const tokenHash = await hashToken(token);
	const now = Date.now();
	let row: { id: number } | undefined;
	try {
		const [inserted] = await db.batch([
			insertToken(db, { name, tokenHash, editorId, createdBy: c.var.editor.id, createdAt: now }),
			auditTokenCreated(
				db,
				{ actor: actor(c), action: "token.create", detail: { name, editorId }, at: now },
				tokenHash,
			),
		]);
		row = inserted[0];
	} catch (err) {
		// The editor was removed since the check above.
		if (constraintFailed(err, "FOREIGN KEY")) throw invalid({ editorId: "There is no such editor." });
		throw err;
	}
	if (!row) throw new Error("token insert returned no row");
	const apiToken = await findAdminToken(db, row.id);
	if (!apiToken) throw new Error("token vanished after insert");
	return { token, apiToken };
}

/** Revokes a token; revoking one already revoked changes nothing and logs nothing. */
export async function revokeApiToken(c: Context<AppEnv>, id: number): Promise<AdminToken> {
	const db = c.var.db;
	const current = await findAdminToken(db, id);
	if (!current) throw notFound("There is no API token with this id.");
	if (current.revokedAt !== null) return current;
	const now = Date.now();
	await db.batch([
		revokeToken(db, id, now),
		auditInsert(db, {
			actor: actor(c),
			action: "token.revoke",
			subject: `token:${id}`,
			detail: { name: current.name, editorId: current.editorId },
			at: now,
		}),
	]);
	return { ...current, revokedAt: now };
}

// ---- Manual purges ------------------------------------------------------------------------------

export type PurgeInput = { slugs?: unknown; all?: unknown };

/**
 * A purge an editor asked for, beyond those every save makes: carried out, then logged with what
 * was asked and what it did. The entry is written after the purge because its outcome (a global
 * purge that failed) is what someone reading the log later needs; nothing is left to roll back.
 */
export async function manualPurge(c: Context<AppEnv>, input: PurgeInput): Promise<PurgeReport> {
	const report = await purgeContent(c, input);
	const asked = report.everything
		? { everything: true }
		: // Valid by now (purgeContent refuses anything else): the list as purgeContent read it.
			{ slugs: [...new Set((input.slugs as string[]).map((slug) => slug.trim()))] };
	await recordAudit(c.var.db, {
		actor: actor(c),
		action: "purge",
		subject: report.everything ? "site" : "articles",
		detail: {
			...asked,
			...(report.everything ? {} : { keys: report.keys.length, tags: report.tags.length }),
			cleared: report.local.deleted,
			local: report.local.ok ? "ok" : `failed (${report.local.error ?? "unknown error"})`,
			workersCache: report.workersCache.status,
			zone: report.zone.status,
		},
		at: Date.now(),
	});
	return report;
}

// ---- Editors ------------------------------------------------------------------------------------

export type EditorInput = { role?: unknown; name?: unknown };
export type EditorListItem = Awaited<ReturnType<typeof listEditors>>[number];

export function listAllEditors(db: Db): Promise<EditorListItem[]> {
	return listEditors(db);
}

export async function getEditor(db: Db, id: number): Promise<EditorListItem> {
	const editor = await findEditorById(db, id);
	if (!editor) throw notFound("There is no editor with this id.");
	return { id: editor.id, email: editor.email, name: editor.name, role: editor.role, createdAt: editor.createdAt };
}

function lastAdmin(): AppError {
	return new AppError(409, "This is the last admin: make someone else an admin first.", {
		role: "The site needs at least one admin.",
	});
}

/** Changes an editor's role and/or name (creating editors and passwords stay in the CLI). */
export async function updateEditor(c: Context<AppEnv>, id: number, input: EditorInput): Promise<EditorListItem> {
	const db = c.var.db;
	const current = await getEditor(db, id);
	const fields: Fields = {};
	let role: EditorRole = current.role;
	if (input.role !== undefined) {
		if (editorRoles.includes(input.role as EditorRole)) role = input.role as EditorRole;
		else fields.role = `Must be one of: ${editorRoles.join(", ")}.`;
	}
	const name = input.name === undefined ? current.name : textField(fields, "name", input.name, EDITOR_NAME_MAX);
	if (name === undefined || Object.keys(fields).length > 0) throw invalid(fields);
	if (role === current.role && name === current.name) return current;
	const demotes = current.role === "admin" && role !== "admin";
	if (demotes && (await countAdmins(db)) <= 1) throw lastAdmin();

	const now = Date.now();
	try {
		await db.batch([
			updateEditorRow(db, id, { role, name, updatedAt: now }),
			abortIfNoAdminLeft(db),
			auditInsert(db, {
				actor: actor(c),
				action: "editor.update",
				subject: `editor:${id}`,
				detail: { email: current.email, from: { role: current.role, name: current.name }, to: { role, name } },
				at: now,
			}),
		]);
	} catch (err) {
		if (constraintFailed(err, "NOT NULL")) throw lastAdmin();
		throw err;
	}
	return { ...current, role, name };
}

/** Removes an editor: their sessions end and their API tokens go with them (foreign key cascade). */
export async function removeEditor(c: Context<AppEnv>, id: number): Promise<EditorListItem> {
	const db = c.var.db;
	const editor = await getEditor(db, id);
	if (id === c.var.editor.id) throw new AppError(409, "You cannot remove yourself; another admin can.");
	const now = Date.now();
	try {
		await db.batch([
			deleteEditor(db, id),
			abortIfNoAdminLeft(db),
			auditInsert(db, {
				actor: actor(c),
				action: "editor.delete",
				subject: `editor:${id}`,
				detail: { email: editor.email, name: editor.name, role: editor.role },
				at: now,
			}),
		]);
	} catch (err) {
		if (constraintFailed(err, "NOT NULL")) throw lastAdmin();
		throw err;
	}
	return editor;
}

// ---- Audit log ----------------------------------------------------------------------------------

export type AuditQueryInput = { before?: string; action?: string; subject?: string };
export type AuditView = { entries: AuditEntry[]; nextBefore: number | null; query: AuditQueryInput };

/**
 * One page of the audit log, newest first. `action` matches itself and what it prefixes up to a
 * dot ("topic" finds topic.create, topic.delete…); `subject` is exact ("topic:energy", "editor:3"), or
 * with a trailing ":" every subject of that kind ("topic:").
 */
export async function readAudit(db: Db, input: AuditQueryInput): Promise<AuditView> {
	const fields: Fields = {};
	const action = input.action?.trim() || undefined;
	const subject = input.subject?.trim() || undefined;
	let before: number | undefined;
	if (input.before) {
		if (/^\d{1,15}$/.test(input.before) && Number(input.before) > 0) before = Number(input.before);
		else fields.before = "Not a position this log issued; use nextBefore from a previous page.";
	}
	if (action !== undefined && !/^[a-z][a-z0-9._-]{0,59}$/.test(action)) {
		fields.action = 'Lowercase letters, digits, dots and hyphens, e.g. "topic" or "article.update".';
	}
	if (subject !== undefined && subject.length > 200) fields.subject = "At most 200 characters.";
	if (Object.keys(fields).length > 0) throw badRequest("The query parameters are not valid.", fields);
	const page = await listAudit(db, { action, subject, before, limit: AUDIT_PAGE_SIZE });
	return { entries: page.items, nextBefore: page.nextBefore, query: { action, subject } };
}

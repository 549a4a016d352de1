import { type Context, Hono } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import * as z from "zod/mini";
import type { PurgeReport } from "../../cache/purge";
import { findAuthorOfEditor, listAuthorChoices } from "../../db/queries/authors";
import { listMedia } from "../../db/queries/media";
import { listRegions, listTopics } from "../../db/queries/taxonomies";
import { toIso } from "../../lib/dates";
import { AppError, badRequest, notFound } from "../../lib/errors";
import { parseQuery } from "../../lib/validation";
import { slugParam } from "../../routes/params";
import type { AppEnv } from "../../types";
import { depsOf } from "../deps";
import { requireRole } from "../guard/roles";
import { HTML_LIST_LIMIT } from "../limits";
import { readForm } from "../params";
import { articleState } from "../services/article-state";
import {
	type AdminArticle,
	type ArticleDraft,
	createArticle,
	destroyArticle,
	getAdminArticle,
	getRevision,
	hasBeenPublished,
	listAdminArticles,
	listRevisions,
	previewMarkdown,
	restoreArticle,
	restoreRevision,
	type SaveResult,
	trashArticle,
	updateArticle,
	VERSION_MESSAGE,
	VersionConflict,
} from "../services/articles";
import { mergeEdits } from "../services/conflict";
import { describePurge, purgeFailed } from "../services/purge";
import { parseId } from "../validation";
import { ArticleDeleteConfirm, ArticleEditor, articleAdminPath } from "../views/ArticleEditor";
import {
	type ArticleFormValues,
	type ArticleIntent,
	authorSlugs,
	authorsFromForm,
	EMPTY_ARTICLE_FORM,
	formValuesOf,
	type Taxa,
	toDateTimeLocal,
} from "../views/ArticleForm";
import { type ArticleFilters, ArticleList, LIST_STATUSES } from "../views/ArticleList";
import { asForm, ConflictPage } from "../views/ConflictPage";
import type { FieldErrors } from "../views/Field";
import type { Flash } from "../views/Layout";
import { RevisionsDiffPage } from "../views/RevisionsDiffPage";
import { RevisionsPage } from "../views/RevisionsPage";
import { adminPage } from "../views/render";
import { readFlash, redirectWithFlash } from "./flash";
import { formRefusal } from "./screen";

/**
 * The article screens of the admin: plain HTML forms, POST → 303 → GET, no script. All rules
 * (validation, versions, revisions, audit, purge) live in the service (../services/articles.ts);
 * these handlers map form fields to it and its answers back to pages.
 */
export const articles = new Hono<AppEnv>();

// Any run of digits reaches these screens, so that one too long to be an id gets the screen's own
// 404 ("There is no article with this id."); parseId and idParam apply the id rule itself.
const ID = ":id{[0-9]+}";
const REV = ":rev{[0-9]+}";

const listQuery = z.object({
	status: z.optional(
		z.union([z.literal(""), z.enum(LIST_STATUSES)], { error: `Status must be one of: ${LIST_STATUSES.join(", ")}.` }),
	),
	topic: z.optional(z.union([z.literal(""), slugParam], { error: "Topic must be a topic's slug." })),
	region: z.optional(z.union([z.literal(""), slugParam], { error: "Region must be a region's slug." })),
	// Its limits are the search's own, checked by the service (a message by the search box).
	q: z.optional(z.string()),
	cursor: z.optional(z.string()),
});

// ---- what a save did, shown after the redirect ------------------------------------------------

const DONE = {
	created: "Draft created",
	saved: "Saved",
	published: "Published",
	scheduled: "Scheduled",
	unpublished: "Unpublished: back to draft",
	trashed: "Moved to the trash",
	restored: "Restored from the trash",
	reverted: "Earlier version restored",
	deleted: "Deleted permanently",
} as const;
type Done = keyof typeof DONE;

/**
 * 303 to `path`, which then says what was done, at which version, what it means for readers
 * (`note`, when that is not obvious from `done`) and what the purge did. A null purge is an edit
 * that changed nothing, and says so.
 */
function redirectDone(
	c: Context<AppEnv>,
	path: string,
	done: Done,
	version: number | null,
	purge: PurgeReport | null,
	note: string | null = null,
): Promise<Response> {
	if (purge === null) {
		const text = `No changes to save: nothing was written (still version ${version}).`;
		return redirectWithFlash(c, path, { kind: "ok", text });
	}
	const what = `${DONE[done]}${version !== null ? ` (version ${version})` : ""}.`;
	const text = `${what}${note ? ` ${note}` : ""} Cache: ${describePurge(purge)}`;
	return redirectWithFlash(c, path, { kind: purgeFailed(purge) ? "error" : "ok", text });
}

/** A time in a message, as the admin shows times (UTC, to the minute). */
function utcText(ms: number): string {
	const iso = toIso(ms);
	return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}

// ---- helpers ------------------------------------------------------------------------------------

/** The newest pictures the lead image select offers (an older one can still be named by its id in the JSON API). */
const PICTURE_CHOICES = 200;

async function loadTaxa(c: Context<AppEnv>): Promise<Taxa> {
	const db = c.var.db;
	const [topics, regions, authors, pictures] = await db.batch([
		listTopics(db),
		listRegions(db),
		listAuthorChoices(db),
		listMedia(db, { after: null, limit: PICTURE_CHOICES }),
	] as const);
	return { topics, regions, authors, pictures };
}

async function loadArticle(c: Context<AppEnv>, idParam: string): Promise<AdminArticle> {
	const article = await getAdminArticle(c.var.db, Number(idParam));
	if (!article) throw notFound("There is no article with this id.");
	return article;
}

/** Browsers send CRLF line breaks from textareas; the stored Markdown uses LF. */
function lf(text: string | undefined): string {
	return (text ?? "").replace(/\r\n?/g, "\n");
}

function formValues(form: Record<string, string>): ArticleFormValues {
	return {
		title: form.title ?? "",
		slug: form.slug ?? "",
		summary: lf(form.summary),
		region: form.region ?? "",
		topic: form.topic ?? "",
		bodyMarkdown: lf(form.bodyMarkdown),
		publishedAt: form.publishedAt ?? "",
		authors: authorsFromForm(form),
		correction: lf(form.correction),
		leadImage: (form.leadImage ?? "").trim(),
		version: form.version ?? "",
	};
}

/** The fields a new article and an edit send alike; an empty slug asks for one made from the title. */
function draftText(values: ArticleFormValues) {
	return {
		title: values.title,
		summary: values.summary,
		bodyMarkdown: values.bodyMarkdown,
		slug: values.slug === "" ? undefined : values.slug,
		region: values.region,
		topic: values.topic,
		authors: authorSlugs(values),
		leadImage: values.leadImage,
	};
}

function intentOf(form: Record<string, string>, allowed: readonly ArticleIntent[]): ArticleIntent {
	const intent = form.intent as ArticleIntent;
	// With no (or an unknown) button named, do the one thing that changes nothing.
	return allowed.includes(intent) ? intent : "preview";
}

/** The inputs the form has; errors for anything else are shown at the top. */
const FORM_FIELDS = new Set([
	"title",
	"slug",
	"summary",
	"region",
	"topic",
	"bodyMarkdown",
	"publishedAt",
	"authors",
	"correction",
	"leadImage",
]);

function errorFlash(err: AppError, fields: FieldErrors): Flash {
	const extra = Object.entries(fields)
		.filter(([name]) => !FORM_FIELDS.has(name))
		.map(([, message]) => message);
	const marked = Object.keys(fields).some((name) => FORM_FIELDS.has(name));
	const text = [
		`Not saved. ${err.message}`,
		marked ? "The fields with a problem are marked below." : null,
		...extra,
	].filter((part) => part !== null);
	return { kind: "error", text: text.join(" ") };
}

/** A refusal the editor can fix in the form: bad fields (400) or a slug clash (409 with fields). */
function isFormError(err: unknown): err is AppError {
	return err instanceof AppError && !(err instanceof VersionConflict) && err.fields !== undefined && err.status < 500;
}

async function renderEditor(
	c: Context<AppEnv>,
	args: {
		article: AdminArticle | null;
		values: ArticleFormValues;
		taxa: Taxa;
		errors?: FieldErrors;
		previewHtml?: string | null;
		flash?: Flash | null;
	},
	status?: ContentfulStatusCode,
): Promise<Response> {
	const { article } = args;
	const state = article ? articleState(article, Date.now()) : null;
	// Only a draft with a publish time needs the history, to tell "was published" from "not yet".
	const everPublished =
		article !== null && state === "draft" && article.publishedAt !== null
			? await hasBeenPublished(c.var.db, article)
			: false;
	return adminPage(
		c,
		{
			title: article ? `Edit: ${article.title}` : "New article",
			current: article ? "articles" : "new",
			flash: args.flash ?? null,
		},
		<ArticleEditor
			article={article}
			state={state}
			everPublished={everPublished}
			values={args.values}
			errors={args.errors ?? {}}
			taxa={args.taxa}
			previewHtml={args.previewHtml ?? null}
			canDestroy={c.var.editor.role === "admin"}
		/>,
		status,
	);
}

const PREVIEW_FLASH: Flash = { kind: "ok", text: "Preview below the form. Nothing has been saved." };

/**
 * What a save did, in words, and what it means for readers when that is more than the button
 * said: a publish time moved into the future takes a live article off the site until then, and
 * one moved into the past puts a scheduled article on it at once, though both buttons read "Save".
 */
function afterSave(
	before: AdminArticle | null,
	result: SaveResult,
	intent: ArticleIntent,
): { done: Done; note: string | null } {
	const { article } = result;
	const now = Date.now();
	const state = articleState(article, now);
	const until = article.publishedAt !== null ? utcText(article.publishedAt) : "";
	if (intent === "unpublish") return { done: "unpublished", note: null };
	if (intent === "publish") {
		return state === "scheduled"
			? { done: "scheduled", note: `Not visible to readers until ${until}.` }
			: { done: "published", note: null };
	}
	if (!before) return { done: "created", note: null };
	const was = articleState(before, now);
	if (was === "published" && state === "scheduled") {
		return { done: "saved", note: `Now scheduled: it is off the site, not visible to readers until ${until}.` };
	}
	if (was === "scheduled" && state === "published") {
		return { done: "saved", note: "Now published: its publish time has passed, so readers see it now." };
	}
	if (was === "scheduled" && state === "scheduled" && before.publishedAt !== article.publishedAt) {
		return { done: "saved", note: `Still scheduled, now for ${until}: not visible to readers until then.` };
	}
	return { done: "saved", note: null };
}

async function renderConflict(
	c: Context<AppEnv>,
	conflict: VersionConflict,
	values: ArticleFormValues,
	taxa: Taxa,
): Promise<Response> {
	const current = conflict.current;
	const baseVersion = parseId(values.version);
	const [base, latest] = await Promise.all([
		baseVersion !== null ? getRevision(c.var.db, current.id, baseVersion) : Promise.resolve(null),
		getRevision(c.var.db, current.id, current.version),
	]);
	return adminPage(
		c,
		{
			title: `Conflict: ${current.title}`,
			current: "articles",
			flash: { kind: "error", text: "Not saved: someone else saved this article after you opened it." },
		},
		<ConflictPage
			current={current}
			state={articleState(current, Date.now())}
			baseVersion={baseVersion}
			base={base}
			latest={latest}
			merge={base ? mergeEdits(asForm(base), asForm(current), values) : null}
			values={values}
			taxa={taxa}
		/>,
		409,
	);
}

// ---- list ---------------------------------------------------------------------------------------

articles.get("/", async (c) => {
	const query = parseQuery(listQuery, c.req.query());
	const filters: ArticleFilters = {
		status: query.status || "all",
		topic: query.topic ?? "",
		region: query.region ?? "",
		q: (query.q ?? "").trim(),
	};
	const now = Date.now();
	const [list, taxa] = await Promise.all([
		listAdminArticles(
			c.var.db,
			{
				status: filters.status,
				q: filters.q || undefined,
				topic: filters.topic || undefined,
				region: filters.region || undefined,
				cursor: query.cursor || undefined,
				limit: HTML_LIST_LIMIT,
			},
			now,
		).catch((err: unknown) => {
			// A refused filter is shown by its field, with the filters kept, as a form's would be.
			const refusal = formRefusal(err);
			if (!refusal) throw err;
			return refusal;
		}),
		loadTaxa(c),
	]);
	const refused = list instanceof AppError ? list : null;
	const shown = list instanceof AppError ? { items: [], nextCursor: null, noWords: false } : list;
	return adminPage(
		c,
		{ title: "Articles", current: "articles", flash: await readFlash(c) },
		<ArticleList
			articles={shown.items}
			filters={filters}
			fields={refused?.fields}
			noWords={shown.noWords}
			topics={taxa.topics}
			regions={taxa.regions}
			nextCursor={shown.nextCursor}
			isFirstPage={!query.cursor}
			now={now}
		/>,
		refused ? 400 : undefined,
	);
});

// ---- create -------------------------------------------------------------------------------------

articles.get("/articles/new", async (c) => {
	// The signed-in editor's own author, if linked, is the new article's byline to begin with.
	const [taxa, [own]] = await Promise.all([loadTaxa(c), findAuthorOfEditor(c.var.db, c.var.editor.id)]);
	return renderEditor(c, { article: null, values: { ...EMPTY_ARTICLE_FORM, authors: own?.slug ?? "" }, taxa });
});

articles.post("/articles", async (c) => {
	const form = await readForm(c);
	const values = formValues(form);
	const intent = intentOf(form, ["preview", "draft", "publish"]);
	const taxa = await loadTaxa(c);
	if (intent === "preview") {
		const previewHtml = await previewMarkdown(values.bodyMarkdown);
		return renderEditor(c, { article: null, values, taxa, previewHtml, flash: PREVIEW_FLASH });
	}
	const draft: ArticleDraft = {
		...draftText(values),
		status: intent === "publish" ? "published" : "draft",
		publishedAt: values.publishedAt === "" ? null : values.publishedAt,
	};
	let result: SaveResult;
	try {
		result = await createArticle(depsOf(c), draft);
	} catch (err) {
		if (!isFormError(err)) throw err;
		const errors = err.fields ?? {};
		return renderEditor(
			c,
			{ article: null, values, taxa, errors, flash: errorFlash(err, errors) },
			err.status as ContentfulStatusCode,
		);
	}
	const { done, note } = afterSave(null, result, intent);
	return redirectDone(c, articleAdminPath(result.article.id), done, result.article.version, result.purge, note);
});

// ---- edit ---------------------------------------------------------------------------------------

articles.get(`/articles/${ID}`, async (c) => {
	const [article, taxa] = await Promise.all([loadArticle(c, c.req.param("id")), loadTaxa(c)]);
	return renderEditor(c, { article, values: formValuesOf(article), taxa, flash: await readFlash(c) });
});

articles.post(`/articles/${ID}`, async (c) => {
	const [article, taxa, form] = await Promise.all([loadArticle(c, c.req.param("id")), loadTaxa(c), readForm(c)]);
	const values = formValues(form);
	const intent = intentOf(form, ["preview", "save", "publish", "unpublish"]);
	if (intent === "preview") {
		// The editor's base version stays as sent, so that a save after the preview is still checked.
		const previewHtml = await previewMarkdown(values.bodyMarkdown);
		return renderEditor(c, { article, values, taxa, previewHtml, flash: PREVIEW_FLASH });
	}
	// A datetime-local field holds minutes only: an untouched field must not shave the seconds off
	// the stored time, so it is sent only when the editor changed it.
	const publishedAtChanged = values.publishedAt !== toDateTimeLocal(article.publishedAt);
	const draft: ArticleDraft = {
		...draftText(values),
		status: intent === "publish" ? "published" : intent === "unpublish" ? "draft" : undefined,
		publishedAt: publishedAtChanged ? (values.publishedAt === "" ? null : values.publishedAt) : undefined,
		correction: values.correction,
		version: parseId(values.version) ?? values.version,
	};
	let result: SaveResult;
	try {
		result = await updateArticle(depsOf(c), article.id, draft);
	} catch (err) {
		if (err instanceof VersionConflict) return renderConflict(c, err, values, taxa);
		if (!isFormError(err)) throw err;
		const errors = err.fields ?? {};
		return renderEditor(
			c,
			{ article, values, taxa, errors, flash: errorFlash(err, errors) },
			err.status as ContentfulStatusCode,
		);
	}
	const { done, note } = afterSave(article, result, intent);
	return redirectDone(c, articleAdminPath(article.id), done, result.article.version, result.purge, note);
});

// ---- trash, restore, permanent delete -----------------------------------------------------------

/**
 * The version a trash, restore or revert form is based on: left out or empty, none (the action
 * takes what is current); anything else must be a version number, or the stale-edit check would
 * be skipped by a form whose version was tampered with.
 */
function formVersion(form: Record<string, string>): number | undefined {
	if (form.version === undefined || form.version === "") return undefined;
	const version = parseId(form.version);
	if (version === null) throw badRequest("The version is not valid.", { version: VERSION_MESSAGE });
	return version;
}

/** Trash and restore: on a stale version the edit page says so (409) instead of acting. */
async function lifecycle(
	c: Context<AppEnv>,
	action: (version: number | undefined) => Promise<SaveResult>,
	done: Done,
	idParam: string,
): Promise<Response> {
	const form = await readForm(c);
	try {
		const result = await action(formVersion(form));
		return redirectDone(c, articleAdminPath(result.article.id), done, result.article.version, result.purge);
	} catch (err) {
		if (!(err instanceof VersionConflict)) throw err;
		const [article, taxa] = await Promise.all([loadArticle(c, idParam), loadTaxa(c)]);
		const flash: Flash = {
			kind: "error",
			text: `Nothing done: the article changed since you opened it (now version ${article.version}). Check it and try again.`,
		};
		return renderEditor(c, { article, values: formValuesOf(article), taxa, flash }, 409);
	}
}

articles.post(`/articles/${ID}/trash`, (c) => {
	const id = Number(c.req.param("id"));
	return lifecycle(c, (version) => trashArticle(depsOf(c), id, version), "trashed", c.req.param("id"));
});

articles.post(`/articles/${ID}/restore`, (c) => {
	const id = Number(c.req.param("id"));
	return lifecycle(c, (version) => restoreArticle(depsOf(c), id, version), "restored", c.req.param("id"));
});

function assertInTrash(article: AdminArticle) {
	if (article.deletedAt === null) {
		throw new AppError(409, "Only an article in the trash can be deleted permanently. Move it to the trash first.");
	}
}

articles.get(`/articles/${ID}/delete`, requireRole("admin"), async (c) => {
	const article = await loadArticle(c, c.req.param("id"));
	assertInTrash(article);
	return adminPage(
		c,
		{ title: "Delete permanently?", current: "articles" },
		<ArticleDeleteConfirm article={article} />,
	);
});

articles.post(`/articles/${ID}/delete`, requireRole("admin"), async (c) => {
	const article = await loadArticle(c, c.req.param("id"));
	assertInTrash(article);
	const { purge } = await destroyArticle(depsOf(c), article.id);
	return redirectDone(c, "/admin", "deleted", null, purge);
});

// ---- revisions ----------------------------------------------------------------------------------

articles.get(`/articles/${ID}/revisions`, async (c) => {
	const article = await loadArticle(c, c.req.param("id"));
	const revisions = await listRevisions(c.var.db, article.id);
	return adminPage(
		c,
		{ title: `Revisions: ${article.title}`, current: "articles" },
		<RevisionsPage article={article} revisions={revisions} now={Date.now()} />,
	);
});

async function renderRevision(
	c: Context<AppEnv>,
	article: AdminArticle,
	rev: string,
	flash: Flash | null,
	status?: ContentfulStatusCode,
) {
	const [revision, everPublished] = await Promise.all([
		getRevision(c.var.db, article.id, Number(rev)),
		hasBeenPublished(c.var.db, article),
	]);
	if (!revision) throw notFound("This article has no such revision.");
	return adminPage(
		c,
		{ title: `Version ${revision.version}: ${article.title}`, current: "articles", flash },
		<RevisionsDiffPage article={article} revision={revision} everPublished={everPublished} />,
		status,
	);
}

articles.get(`/articles/${ID}/revisions/${REV}`, async (c) => {
	const article = await loadArticle(c, c.req.param("id"));
	return renderRevision(c, article, c.req.param("rev"), null);
});

articles.post(`/articles/${ID}/revisions/${REV}/restore`, async (c) => {
	const id = Number(c.req.param("id"));
	const rev = Number(c.req.param("rev"));
	const form = await readForm(c);
	try {
		const result = await restoreRevision(depsOf(c), id, rev, formVersion(form));
		return redirectDone(c, articleAdminPath(id), "reverted", result.article.version, result.purge);
	} catch (err) {
		if (!(err instanceof VersionConflict)) throw err;
		const flash: Flash = {
			kind: "error",
			text: `Not restored: the article changed since you opened this page (now version ${err.current.version}). Compare again below.`,
		};
		return renderRevision(c, err.current, c.req.param("rev"), flash, 409);
	}
});

import type { Child } from "hono/jsx";
import type { Taxon } from "../../db/queries/taxonomies";
import { toIso } from "../../lib/dates";
import { ARTICLE_AUTHORS_MAX, CORRECTION_NOTE_MAX } from "../limits";
import type { ArticleState } from "../services/article-state";
import type { AdminArticle } from "../services/articles";
import { Field, type FieldAria, type FieldErrors } from "./Field";

/** The form's fields as text, exactly as the editor last sent or will see them. */
export type ArticleFormValues = {
	title: string;
	slug: string;
	summary: string;
	region: string;
	topic: string;
	bodyMarkdown: string;
	/** `YYYY-MM-DDTHH:mm`, UTC (a datetime-local field has no zone, so the form says UTC). */
	publishedAt: string;
	/**
	 * Author slugs in byline order, joined by commas ("" for none); null when the form sent no
	 * author picker (a page from before it existed): the byline then stays as it is.
	 */
	authors: string | null;
	/** A public correction note to record with this save ("" for none); never stored in the form. */
	correction: string;
	/** The lead image's media id ("" for none). */
	leadImage: string;
	/** The version the editor's text is based on ("" for a new article). */
	version: string;
};

/** The most author pickers the form shows (the service's limit, ARTICLE_AUTHORS_MAX). */
const AUTHOR_PICKERS_MAX = ARTICLE_AUTHORS_MAX;

/** The author slugs a form sent (author-1, author-2, …), in order; null when it had no picker. */
export function authorsFromForm(form: Record<string, string>): string | null {
	if (!("author-1" in form)) return null;
	const slugs: string[] = [];
	for (let i = 1; i <= AUTHOR_PICKERS_MAX; i++) {
		const slug = form[`author-${i}`]?.trim();
		if (slug) slugs.push(slug);
	}
	return slugs.join(",");
}

/** The form's authors as the list a draft sends; undefined (left as stored) when the form had no picker. */
export function authorSlugs(values: ArticleFormValues): string[] | undefined {
	if (values.authors === null) return undefined;
	return values.authors.split(",").filter((slug) => slug !== "");
}

/**
 * The byline picker without script: one select per place in the byline ("Author 1" first), one
 * more empty than it has (at least three), up to the limit. An empty select is skipped.
 */
function AuthorPickers(props: { value: string | null; options: Taxon[]; error?: string | undefined }) {
	const chosen = (props.value ?? "").split(",").filter((slug) => slug !== "");
	const count = Math.min(AUTHOR_PICKERS_MAX, Math.max(3, chosen.length + 1));
	const describedBy = props.error ? "authors-hint authors-error" : "authors-hint";
	return (
		<fieldset class={props.error ? "field field-invalid" : "field"} aria-describedby={describedBy}>
			<legend>Authors</legend>
			<p class="hint" id="authors-hint">
				In byline order: Author 1 is named first. Leave the rest at “none”.
			</p>
			<div class="grid-2">
				{Array.from({ length: count }, (_, i) => {
					const value = chosen[i] ?? "";
					const id = `author-${i + 1}`;
					return (
						<div>
							<label for={id}>Author {i + 1}</label>
							<TaxonSelect name={id} value={value} options={props.options} aria={{}} />
						</div>
					);
				})}
			</div>
			{props.error && (
				<p class="field-error" id="authors-error">
					{props.error}
				</p>
			)}
		</fieldset>
	);
}
/** A library picture the lead image select offers. */
export type PictureChoice = { id: string; alt: string; width: number; height: number };

/** What the form's selects offer: every topic, region and author, and the library's newest pictures. */
export type Taxa = { topics: Taxon[]; regions: Taxon[]; authors: Taxon[]; pictures: PictureChoice[] };

/** The form's fields (all but the hidden version). */
export type ArticleFormField = Exclude<keyof ArticleFormValues, "version">;

/**
 * A remark on a field (e.g. on the conflict screen, where its value came from): `text`, a short
 * sentence, joins the field's hint (which the control is described by); `detail` goes right below
 * the field; `attention` marks both, for what the editor must look at before saving.
 */
export type FieldNote = { text: Child; detail?: Child; attention?: boolean };

export type FieldNotes = Partial<Record<ArticleFormField, FieldNote>>;

/** What the buttons of an article form ask for. */
export type ArticleIntent = "preview" | "draft" | "save" | "publish" | "unpublish";

export const EMPTY_ARTICLE_FORM: ArticleFormValues = {
	title: "",
	slug: "",
	summary: "",
	region: "",
	topic: "",
	bodyMarkdown: "",
	publishedAt: "",
	authors: "",
	correction: "",
	leadImage: "",
	version: "",
};

/** A stored time as a datetime-local value (minutes, UTC). */
export function toDateTimeLocal(ms: number | null): string {
	return ms === null ? "" : toIso(ms).slice(0, 16);
}

export function formValuesOf(article: AdminArticle): ArticleFormValues {
	return {
		title: article.title,
		slug: article.slug,
		summary: article.summary,
		region: article.region?.slug ?? "",
		topic: article.topic?.slug ?? "",
		bodyMarkdown: article.bodyMarkdown,
		publishedAt: toDateTimeLocal(article.publishedAt),
		authors: article.authors.map((a) => a.slug).join(","),
		correction: "",
		leadImage: article.leadImage?.id ?? "",
		version: String(article.version),
	};
}

/** A picture's alt text, cut to a line a select can show. */
function choiceLabel(p: PictureChoice): string {
	const alt = p.alt.length > 70 ? `${p.alt.slice(0, 69)}…` : p.alt;
	return `${alt} (${p.width}×${p.height})`;
}

function PictureSelect(props: { value: string; options: PictureChoice[]; aria: FieldAria }) {
	const known = props.options.some((option) => option.id === props.value);
	return (
		<select id="leadImage" name="leadImage" {...props.aria}>
			<option value="" selected={props.value === ""}>
				— none —
			</option>
			{/* One older than the newest the select lists, or one just deleted: kept as sent. */}
			{props.value !== "" && !known && (
				<option value={props.value} selected>
					{props.value}
				</option>
			)}
			{props.options.map((option) => (
				<option value={option.id} selected={option.id === props.value}>
					{choiceLabel(option)}
				</option>
			))}
		</select>
	);
}

function TaxonSelect(props: { name: string; value: string; options: Taxon[]; aria: FieldAria }) {
	const known = props.options.some((option) => option.slug === props.value);
	return (
		<select id={props.name} name={props.name} {...props.aria}>
			<option value="" selected={props.value === ""}>
				— none —
			</option>
			{props.options.map((option) => (
				<option value={option.slug} selected={option.slug === props.value}>
					{option.name}
				</option>
			))}
			{/* A value the list no longer has (deleted meanwhile) stays visible instead of silently changing. */}
			{props.value !== "" && !known && (
				<option value={props.value} selected>
					{props.value} (unknown)
				</option>
			)}
		</select>
	);
}

function Buttons(props: { state: ArticleState | null }) {
	const preview = (
		<button type="submit" name="intent" value="preview" class="button-secondary">
			Preview
		</button>
	);
	if (props.state === "trash") {
		// Publishing from the trash would still leave it hidden: restore first (below the form).
		return (
			<div class="actions">
				{preview}
				<button type="submit" name="intent" value="save" class="button-secondary">
					Save (stays in the trash)
				</button>
			</div>
		);
	}
	if (props.state === "published" || props.state === "scheduled") {
		// Save keeps the status, but the publish time decides whether readers see it: say how.
		return (
			<div class="actions">
				{preview}
				<button type="submit" name="intent" value="save" aria-describedby="save-note">
					{props.state === "scheduled" ? "Save (stays scheduled)" : "Save (stays published)"}
				</button>
				<button type="submit" name="intent" value="unpublish" class="button-secondary">
					Unpublish (back to draft)
				</button>
				<p class="hint" id="save-note">
					{props.state === "scheduled"
						? "Saving with the publish time cleared or in the past puts it on the site at once."
						: "Saving with a publish time in the future takes it off the site until then."}
				</p>
			</div>
		);
	}
	return (
		<div class="actions">
			{preview}
			<button type="submit" name="intent" value={props.state === null ? "draft" : "save"} class="button-secondary">
				Save draft
			</button>
			<button type="submit" name="intent" value="publish" aria-describedby="publish-note">
				Publish
			</button>
			<p class="hint" id="publish-note">
				Publish makes it public now, or at the publish time above if that is in the future (scheduled).
			</p>
		</div>
	);
}

// A textarea drops one newline right after its start tag (HTML parsing rules), so each one starts
// with a newline of its own and text that begins with a blank line survives the round trip.

/**
 * The article form, for a new article (`state` null), an existing one, or the conflict screen.
 * The first button is Preview, so pressing Enter in a field never saves by accident.
 */
export function ArticleForm(props: {
	action: string;
	values: ArticleFormValues;
	errors: FieldErrors;
	taxa: Taxa;
	state: ArticleState | null;
	notes?: FieldNotes;
}) {
	const { values, errors } = props;
	const notes = props.notes ?? {};
	const isNew = props.state === null;
	/** A field's hint, with its note's sentence after it (the control is described by both). */
	const hint = (id: ArticleFormField, own?: Child): Child => {
		const given = notes[id];
		if (!given) return own;
		const text = given.attention ? <strong>{given.text}</strong> : given.text;
		return own === undefined ? (
			text
		) : (
			<>
				{own} {text}
			</>
		);
	};
	/** A note's detail, right below its field. */
	const detail = (id: ArticleFormField) => {
		const given = notes[id];
		if (given?.detail === undefined) return null;
		return <div class={given.attention ? "panel panel-danger" : "panel"}>{given.detail}</div>;
	};
	/** Region and topic share a row: a detail stays in its field's column. */
	const cell = (id: ArticleFormField, field: Child) =>
		notes[id]?.detail === undefined ? (
			field
		) : (
			<div>
				{field}
				{detail(id)}
			</div>
		);
	return (
		<form class="form" method="post" action={props.action} novalidate>
			{!isNew && <input type="hidden" name="version" value={values.version} />}
			<Field
				id="title"
				label="Title"
				hint={hint("title")}
				error={errors.title}
				control={(aria) => <input type="text" id="title" name="title" value={values.title} required {...aria} />}
			/>
			{detail("title")}
			<Field
				id="slug"
				label="Slug"
				hint={hint(
					"slug",
					isNew
						? "Generated from the title if empty. Lowercase letters, digits and hyphens."
						: "Lowercase letters, digits and hyphens. Changing it keeps a permanent redirect from the old address.",
				)}
				error={errors.slug}
				control={(aria) => (
					<input
						type="text"
						id="slug"
						name="slug"
						value={values.slug}
						autocomplete="off"
						spellcheck={false}
						{...aria}
					/>
				)}
			/>
			{detail("slug")}
			<Field
				id="summary"
				label="Summary"
				hint={hint("summary", "One or two sentences, shown in lists and search results.")}
				error={errors.summary}
				control={(aria) => (
					<textarea id="summary" name="summary" rows={3} {...aria}>
						{"\n"}
						{values.summary}
					</textarea>
				)}
			/>
			{detail("summary")}
			<div class="grid-2">
				{cell(
					"region",
					<Field
						id="region"
						label="Region"
						hint={hint("region")}
						error={errors.region}
						control={(aria) => (
							<TaxonSelect name="region" value={values.region} options={props.taxa.regions} aria={aria} />
						)}
					/>,
				)}
				{cell(
					"topic",
					<Field
						id="topic"
						label="Topic"
						hint={hint("topic")}
						error={errors.topic}
						control={(aria) => (
							<TaxonSelect name="topic" value={values.topic} options={props.taxa.topics} aria={aria} />
						)}
					/>,
				)}
			</div>
			<Field
				id="bodyMarkdown"
				label="Body (Markdown)"
				hint={hint(
					"bodyMarkdown",
					"Markdown: blank lines between paragraphs, ## for headings, - for lists. Raw HTML is not allowed.",
				)}
				error={errors.bodyMarkdown}
				control={(aria) => (
					<textarea id="bodyMarkdown" name="bodyMarkdown" class="body-input" rows={20} {...aria}>
						{"\n"}
						{values.bodyMarkdown}
					</textarea>
				)}
			/>
			{detail("bodyMarkdown")}
			<Field
				id="leadImage"
				label="Lead image"
				hint={hint(
					"leadImage",
					<>
						Shown above the body and in link previews, with its caption and credit. Pictures are uploaded in{" "}
						<a href="/admin/media">Media</a>, where each also has the Markdown that embeds it in a body.
					</>,
				)}
				error={errors.leadImage}
				control={(aria) => <PictureSelect value={values.leadImage} options={props.taxa.pictures} aria={aria} />}
			/>
			{detail("leadImage")}
			<Field
				id="publishedAt"
				label="Publish time (UTC)"
				hint={hint("publishedAt", "Empty means now, when you publish. A time in the future schedules the article.")}
				error={errors.publishedAt}
				control={(aria) => (
					<input type="datetime-local" id="publishedAt" name="publishedAt" value={values.publishedAt} {...aria} />
				)}
			/>
			{detail("publishedAt")}
			<AuthorPickers value={values.authors} options={props.taxa.authors} error={errors.authors} />
			{/* Only readers' articles can be corrected in public (the service says the same). */}
			{props.state === "published" && (
				<Field
					id="correction"
					label="Correction note (public, optional)"
					hint={hint(
						"correction",
						`Shown on the article as "Corrected <date>: <note>" and listed at /corrections; it moves the article's Updated date. Leave empty for a fix readers need not be told about (a typo).`,
					)}
					error={errors.correction}
					control={(aria) => (
						<textarea id="correction" name="correction" rows={2} maxlength={CORRECTION_NOTE_MAX} {...aria}>
							{"\n"}
							{values.correction}
						</textarea>
					)}
				/>
			)}
			<Buttons state={props.state} />
		</form>
	);
}

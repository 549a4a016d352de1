import type { AdminArticle } from "../../admin/articles";
import type { Taxon } from "../../db/queries/taxonomies";
import { toIso } from "../../lib/dates";
import type { ArticleState } from "./ArticleStatus";
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
	/** The version the editor's text is based on ("" for a new article). */
	version: string;
};

export type Taxa = { topics: Taxon[]; regions: Taxon[] };

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
		version: String(article.version),
	};
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
		return (
			<div class="actions">
				{preview}
				<button type="submit" name="intent" value="save">
					{props.state === "scheduled" ? "Save (stays scheduled)" : "Save (stays published)"}
				</button>
				<button type="submit" name="intent" value="unpublish" class="button-secondary">
					Unpublish (back to draft)
				</button>
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
}) {
	const { values, errors } = props;
	const isNew = props.state === null;
	return (
		<form class="form" method="post" action={props.action} novalidate>
			{!isNew && <input type="hidden" name="version" value={values.version} />}
			<Field
				id="title"
				label="Title"
				error={errors.title}
				control={(aria) => <input type="text" id="title" name="title" value={values.title} required {...aria} />}
			/>
			<Field
				id="slug"
				label="Slug"
				hint={
					isNew
						? "Generated from the title if empty. Lowercase letters, digits and hyphens."
						: "Lowercase letters, digits and hyphens. Changing it keeps a permanent redirect from the old address."
				}
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
			<Field
				id="summary"
				label="Summary"
				hint="One or two sentences, shown in lists and search results."
				error={errors.summary}
				control={(aria) => (
					<textarea id="summary" name="summary" rows={3} {...aria}>
						{"\n"}
						{values.summary}
					</textarea>
				)}
			/>
			<div class="grid-2">
				<Field
					id="region"
					label="Region"
					error={errors.region}
					control={(aria) => (
						<TaxonSelect name="region" value={values.region} options={props.taxa.regions} aria={aria} />
					)}
				/>
				<Field
					id="topic"
					label="Topic"
					error={errors.topic}
					control={(aria) => <TaxonSelect name="topic" value={values.topic} options={props.taxa.topics} aria={aria} />}
				/>
			</div>
			<Field
				id="bodyMarkdown"
				label="Body (Markdown)"
				hint="Markdown: blank lines between paragraphs, ## for headings, - for lists. Raw HTML is not allowed."
				error={errors.bodyMarkdown}
				control={(aria) => (
					<textarea id="bodyMarkdown" name="bodyMarkdown" class="body-input" rows={20} {...aria}>
						{"\n"}
						{values.bodyMarkdown}
					</textarea>
				)}
			/>
			<Field
				id="publishedAt"
				label="Publish time (UTC)"
				hint="Empty means now, when you publish. A time in the future schedules the article."
				error={errors.publishedAt}
				control={(aria) => (
					<input type="datetime-local" id="publishedAt" name="publishedAt" value={values.publishedAt} {...aria} />
				)}
			/>
			<Buttons state={props.state} />
		</form>
	);
}

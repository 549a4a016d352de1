import { raw } from "hono/html";
import type { PageSave } from "../../db/queries/pages";
import type { Page } from "../../db/schema";
import { PAGE_BODY_MAX, PAGE_TITLE_MAX } from "../limits";
import { Field, FormError, type FormState } from "./Field";
import { Table } from "./Table";
import { AdminTime } from "./Time";

/** The form's fields as text; `updatedAt` is the stored version the editor's text is based on. */
export type PageFormValues = { title: string; bodyMarkdown: string; updatedAt: string };

export function pageFormValues(page: Page): PageFormValues {
	return { title: page.title, bodyMarkdown: page.bodyMarkdown, updatedAt: String(page.updatedAt) };
}

export function PagesList(props: { pages: { slug: string; title: string; updatedAt: number }[] }) {
	return (
		<>
			<div class="page-head">
				<h1>Pages</h1>
			</div>
			{props.pages.length === 0 ? (
				<p class="muted">There are no pages yet (the sample data adds About and Services).</p>
			) : (
				<Table columns={["Title", "Address", "Last saved"]}>
					{props.pages.map((page) => (
						<tr>
							<td>
								<a href={`/admin/pages/${page.slug}`}>{page.title}</a>
							</td>
							<td>
								<code>/{page.slug}</code>
							</td>
							<td>
								<AdminTime ms={page.updatedAt} />
							</td>
						</tr>
					))}
				</Table>
			)}
		</>
	);
}

/** What is stored now after someone else saved the page, and who did it (from the audit log). */
export type PageConflictView = { page: Page; savedBy: PageSave | null };

function PageForm(props: { slug: string; form: FormState<PageFormValues> }) {
	const { values, fields } = props.form;
	return (
		<form class="form" method="post" action={`/admin/pages/${props.slug}`}>
			<FormError error={props.form.error} fields={fields} />
			<input type="hidden" name="updatedAt" value={values.updatedAt} />
			<Field
				id="page-title"
				label="Title"
				error={fields?.title}
				control={(aria) => (
					<input
						type="text"
						id="page-title"
						name="title"
						value={values.title}
						required
						maxlength={PAGE_TITLE_MAX}
						{...aria}
					/>
				)}
			/>
			<Field
				id="page-body"
				label="Text (Markdown)"
				hint="Blank lines separate paragraphs; [text](https://…) makes a link. Raw HTML is shown as text."
				error={fields?.bodyMarkdown}
				control={(aria) => (
					<textarea id="page-body" name="bodyMarkdown" class="body-input" required maxlength={PAGE_BODY_MAX} {...aria}>
						{/* The parser drops one newline right after <textarea>: this one, not the text's own. */}
						{`\n${values.bodyMarkdown}`}
					</textarea>
				)}
			/>
			<div class="actions">
				<button type="submit" name="intent" value="preview" class="button-secondary">
					Preview
				</button>
				<button type="submit" name="intent" value="save">
					Save
				</button>
			</div>
		</form>
	);
}

function savedByText(savedBy: PageSave | null): string {
	if (!savedBy) return "Someone else";
	return savedBy.editorName ? `${savedBy.editorName} (${savedBy.editorEmail})` : savedBy.editorEmail;
}

/**
 * A save refused because the page was saved by someone else in between (409). Pages keep no
 * revisions, so their text is shown here in full, beside the editor's own still in the form:
 * this is the last chance to read it before saving again replaces it.
 */
function PageConflictPanel(props: { slug: string; form: FormState<PageFormValues>; conflict: PageConflictView }) {
	const { page, savedBy } = props.conflict;
	return (
		<>
			<section class="panel panel-danger" role="alert" aria-labelledby="conflict-heading">
				<h2 id="conflict-heading">Not saved: someone else saved this page meanwhile</h2>
				<p>
					{savedByText(savedBy)} saved it at <AdminTime ms={page.updatedAt} />, after you opened it.{" "}
					<strong>Nothing of yours was saved.</strong> Your text is kept in the form; their text is shown in full beside
					it. If you save again, your text replaces theirs, which is then gone: copy anything of theirs you want to keep
					into your text first.
				</p>
			</section>
			<div class="grid-2">
				<section aria-labelledby="mine-heading">
					<h2 id="mine-heading">Your text</h2>
					<PageForm slug={props.slug} form={props.form} />
				</section>
				<section aria-labelledby="theirs-heading">
					<h2 id="theirs-heading">Their text, saved now</h2>
					<dl class="meta">
						<dt>Title</dt>
						<dd>{page.title}</dd>
					</dl>
					<pre class="code">{page.bodyMarkdown}</pre>
				</section>
			</div>
		</>
	);
}

/**
 * Editing one page. `preview` is the server-rendered HTML of the editor's text (the same renderer
 * as the save); `conflict` is what is stored now when someone else saved in between.
 */
export function PageEdit(props: {
	slug: string;
	form: FormState<PageFormValues>;
	preview?: string | undefined;
	conflict?: PageConflictView | undefined;
}) {
	return (
		<>
			<div class="page-head">
				<h1>Edit /{props.slug}</h1>
				<a href={`/${props.slug}`}>View on the site</a>
			</div>
			<p>
				<a href="/admin/pages">← All pages</a>
			</p>
			{props.conflict ? (
				<PageConflictPanel slug={props.slug} form={props.form} conflict={props.conflict} />
			) : (
				<PageForm slug={props.slug} form={props.form} />
			)}
			{props.preview !== undefined && (
				<section aria-labelledby="preview-heading">
					<h2 id="preview-heading">Preview (not saved yet)</h2>
					{/* Rendered by the site's own Markdown renderer, raw HTML disabled: safe to insert. */}
					<div class="preview prose">{raw(props.preview)}</div>
				</section>
			)}
		</>
	);
}

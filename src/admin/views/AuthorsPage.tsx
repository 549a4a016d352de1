import type { AdminAuthor } from "../../db/queries/authors";
import { SLUG_MAX_LENGTH } from "../../lib/slugs";
import { AUTHOR_BIO_MAX, AUTHOR_DESCRIPTION_MAX, AUTHOR_NAME_MAX, AUTHOR_URL_MAX } from "../limits";
import { Field, FormError, type FormState } from "./Field";
import { Table } from "./Table";

export type AuthorFormValues = {
	slug: string;
	name: string;
	bio: string;
	url: string;
	description: string;
	/** The linked editor's email, "" for none. */
	editor: string;
};

export type EditorChoice = { email: string; name: string };

export function authorAdminPath(slug?: string): string {
	return slug === undefined ? "/admin/authors" : `/admin/authors/${slug}`;
}

function AuthorFields(props: { form: FormState<AuthorFormValues>; editors: EditorChoice[]; isNew: boolean }) {
	const { values, fields } = props.form;
	return (
		<>
			<Field
				id="author-name"
				label="Name"
				hint="As bylines print it."
				error={fields?.name}
				control={(aria) => (
					<input
						type="text"
						id="author-name"
						name="name"
						value={values.name}
						required
						maxlength={AUTHOR_NAME_MAX}
						{...aria}
					/>
				)}
			/>
			{props.isNew && (
				<Field
					id="author-slug"
					label="Slug"
					hint="Their page's address: /authors/<slug>, fixed once created. Lowercase letters, digits and single hyphens, e.g. ada-lovelace."
					error={fields?.slug}
					control={(aria) => (
						<input
							type="text"
							id="author-slug"
							name="slug"
							value={values.slug}
							required
							maxlength={SLUG_MAX_LENGTH}
							pattern="[a-z0-9]+(-[a-z0-9]+)*"
							{...aria}
						/>
					)}
				/>
			)}
			<Field
				id="author-description"
				label="Description (optional)"
				hint={`One line under the name on their page, e.g. "Asia correspondent", at most ${AUTHOR_DESCRIPTION_MAX} characters.`}
				error={fields?.description}
				control={(aria) => (
					<input
						type="text"
						id="author-description"
						name="description"
						value={values.description}
						maxlength={AUTHOR_DESCRIPTION_MAX}
						{...aria}
					/>
				)}
			/>
			<Field
				id="author-bio"
				label="Short bio (optional)"
				hint={`Plain text on their page, at most ${AUTHOR_BIO_MAX} characters.`}
				error={fields?.bio}
				control={(aria) => (
					<textarea id="author-bio" name="bio" rows={4} maxlength={AUTHOR_BIO_MAX} {...aria}>
						{"\n"}
						{values.bio}
					</textarea>
				)}
			/>
			<Field
				id="author-url"
				label="Link (optional)"
				hint="Their own site or profile, starting with https://."
				error={fields?.url}
				control={(aria) => (
					<input type="url" id="author-url" name="url" value={values.url} maxlength={AUTHOR_URL_MAX} {...aria} />
				)}
			/>
			<Field
				id="author-editor"
				label="Editor account (optional)"
				hint="An editor linked to an author is that article's author by default when they create one."
				error={fields?.editor}
				control={(aria) => (
					<select id="author-editor" name="editor" {...aria}>
						<option value="" selected={values.editor === ""}>
							None
						</option>
						{props.editors.map((e) => (
							<option value={e.email} selected={values.editor === e.email}>
								{e.name} ({e.email})
							</option>
						))}
					</select>
				)}
			/>
		</>
	);
}

/** Every author with their article count, and the form that adds one. */
export function AuthorsList(props: {
	authors: AdminAuthor[];
	editors: EditorChoice[];
	form: FormState<AuthorFormValues>;
}) {
	return (
		<>
			<div class="page-head">
				<h1>Authors</h1>
			</div>
			{props.authors.length === 0 ? (
				<p class="muted">No authors yet.</p>
			) : (
				<Table columns={["Name", "Slug", "Editor account", { label: "Articles", num: true }]}>
					{props.authors.map((author) => (
						<tr>
							<td>
								<a href={authorAdminPath(author.slug)}>{author.name}</a>
							</td>
							<td>
								<code>{author.slug}</code>
							</td>
							<td>{author.editor?.email ?? "—"}</td>
							<td class="num">{author.articleCount}</td>
						</tr>
					))}
				</Table>
			)}
			<p class="hint">Article counts include drafts and articles in the trash.</p>

			<h2 id="new">New author</h2>
			<form class="form" method="post" action={authorAdminPath()}>
				<FormError error={props.form.error} fields={props.form.fields} />
				<AuthorFields form={props.form} editors={props.editors} isNew />
				<div class="actions">
					<button type="submit">Add author</button>
				</div>
			</form>
		</>
	);
}

/** Changing one author. */
export function AuthorEdit(props: { author: AdminAuthor; editors: EditorChoice[]; form: FormState<AuthorFormValues> }) {
	const { author } = props;
	return (
		<>
			<div class="page-head">
				<h1>{author.name}</h1>
				<a href={`/authors/${author.slug}`}>View on the site</a>
			</div>
			<p>
				<a href={authorAdminPath()}>← All authors</a>
			</p>
			<form class="form" method="post" action={authorAdminPath(author.slug)}>
				<FormError error={props.form.error} fields={props.form.fields} />
				<AuthorFields form={props.form} editors={props.editors} isNew={false} />
				<div class="actions">
					<button type="submit">Save</button>
				</div>
			</form>
		</>
	);
}

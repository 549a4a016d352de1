import type { Media } from "../../db/schema";
import { markdownEmbed, mediaPath } from "../../lib/images";
import { MEDIA_ALT_MAX, MEDIA_CAPTION_MAX, MEDIA_CREDIT_MAX, MEDIA_MAX_BYTES } from "../limits";
import type { MediaUser } from "../services/media";
import { Field, FormError, type FormState } from "./Field";
import { Table } from "./Table";
import { AdminTime } from "./Time";

export type MediaFormValues = { alt: string; caption: string; credit: string };

export const EMPTY_MEDIA_FORM: MediaFormValues = { alt: "", caption: "", credit: "" };

/** A picture whose delete was refused, and the articles that use it. */
export type DeleteRefusal = { media: Media; message: string; articles: MediaUser[] };

const ACCEPT = "image/jpeg,image/png,image/webp,image/avif";

function kilobytes(bytes: number): string {
	return bytes < 1024 * 1024 ? `${Math.ceil(bytes / 1024)} KB` : `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

function UploadForm(props: { form: FormState<MediaFormValues> }) {
	const { fields } = props.form;
	return (
		<form class="form" method="post" action="/admin/media" enctype="multipart/form-data">
			<FormError error={props.form.error} fields={props.form.fields} />
			<Field
				id="media-file"
				label="Picture file"
				hint={`JPEG, PNG, WebP or AVIF, at most ${MEDIA_MAX_BYTES / 1024 / 1024} MiB. Its kind and size are read from the file itself.`}
				error={fields?.file}
				control={(aria) => <input type="file" id="media-file" name="file" accept={ACCEPT} required {...aria} />}
			/>
			<WordFields form={props.form} />
			<div class="actions">
				<button type="submit">Upload</button>
			</div>
		</form>
	);
}

/** Alt text, caption and credit: the upload's fields, and the edit's. */
function WordFields(props: { form: FormState<MediaFormValues> }) {
	const { values, fields } = props.form;
	return (
		<>
			<Field
				id="media-alt"
				label="Alt text (required)"
				hint="What the picture shows, for people who cannot see it, in a sentence: e.g. “Workers sort magnets on a conveyor belt”. Not the caption, not the file name."
				error={fields?.alt}
				control={(aria) => (
					<input
						type="text"
						id="media-alt"
						name="alt"
						value={values.alt}
						required
						maxlength={MEDIA_ALT_MAX}
						{...aria}
					/>
				)}
			/>
			<div class="grid-2">
				<Field
					id="media-caption"
					label="Caption (optional)"
					hint="Shown under the picture when it leads an article."
					error={fields?.caption}
					control={(aria) => (
						<input
							type="text"
							id="media-caption"
							name="caption"
							value={values.caption}
							maxlength={MEDIA_CAPTION_MAX}
							{...aria}
						/>
					)}
				/>
				<Field
					id="media-credit"
					label="Credit (optional)"
					hint="Who took or owns it, e.g. “Photo: Samarium”."
					error={fields?.credit}
					control={(aria) => (
						<input
							type="text"
							id="media-credit"
							name="credit"
							value={values.credit}
							maxlength={MEDIA_CREDIT_MAX}
							{...aria}
						/>
					)}
				/>
			</div>
		</>
	);
}

function Refusal(props: { refusal: DeleteRefusal }) {
	const { refusal } = props;
	return (
		<div class="flash flash-error" role="alert">
			<p>
				Not deleted: “{refusal.media.alt}” is used by{" "}
				{refusal.articles.length === 1 ? "this article" : "these articles"}. Remove it from{" "}
				{refusal.articles.length === 1 ? "it" : "them"} (the lead image, or the body) first.
			</p>
			<ul>
				{refusal.articles.map((a) => (
					<li>
						<a href={`/admin/articles/${a.id}`}>{a.title}</a> (<code>{a.slug}</code>)
					</li>
				))}
			</ul>
		</div>
	);
}

/** The library: upload, then every picture newest first with the Markdown that embeds it, and delete. */
export function MediaPage(props: {
	media: Media[];
	nextCursor: string | null;
	form: FormState<MediaFormValues>;
	refusal?: DeleteRefusal | undefined;
}) {
	return (
		<>
			<div class="page-head">
				<h1>Media</h1>
			</div>
			{props.refusal && <Refusal refusal={props.refusal} />}
			<h2 id="upload">Upload a picture</h2>
			<UploadForm form={props.form} />

			<h2 id="library">Library</h2>
			{props.media.length === 0 ? (
				<p class="muted">No pictures yet.</p>
			) : (
				<Table columns={["Picture", "Alt text, caption, credit", "Markdown to embed it", ""]} caption="Pictures">
					{props.media.map((m) => {
						const snippet = markdownEmbed(m);
						return (
							<tr>
								<td>
									<a href={mediaPath(m.id, m.ext)}>
										<img
											class="media-thumb"
											src={mediaPath(m.id, m.ext)}
											alt={m.alt}
											width={m.width}
											height={m.height}
											loading="lazy"
											decoding="async"
										/>
									</a>
									<p class="hint">
										{m.width}×{m.height}, {m.ext.toUpperCase()}, {kilobytes(m.bytes)}
									</p>
								</td>
								<td>
									<p>{m.alt}</p>
									{m.caption && <p class="hint">Caption: {m.caption}</p>}
									{m.credit && <p class="hint">Credit: {m.credit}</p>}
									<p class="hint">
										Added <AdminTime ms={m.createdAt} />
									</p>
								</td>
								<td>
									<label class="visually-hidden" for={`embed-${m.id}`}>
										Markdown for “{m.alt}”
									</label>
									<input type="text" id={`embed-${m.id}`} class="embed" value={snippet} readonly />
									<p class="hint">
										Lead image id: <code>{m.id}</code>
									</p>
								</td>
								<td>
									<p>
										<a href={`/admin/media/${m.id}`} aria-label={`Edit “${m.alt}”`}>
											Edit
										</a>
									</p>
									<form class="inline-form" method="post" action={`/admin/media/${m.id}/delete`}>
										<button type="submit" class="button-danger button-small" aria-label={`Delete “${m.alt}”`}>
											Delete
										</button>
									</form>
								</td>
							</tr>
						);
					})}
				</Table>
			)}
			{props.nextCursor && (
				<p>
					<a href={`/admin/media?cursor=${encodeURIComponent(props.nextCursor)}`}>Older pictures →</a>
				</p>
			)}
		</>
	);
}

/** One picture: its words to change (the file stays), and delete. */
export function MediaEdit(props: { media: Media; form: FormState<MediaFormValues> }) {
	const m = props.media;
	return (
		<>
			<div class="page-head">
				<h1>Edit picture</h1>
				<a href={mediaPath(m.id, m.ext)}>Open the file</a>
			</div>
			<p>
				<a href="/admin/media">← All pictures</a>
			</p>
			<img
				class="media-preview"
				src={mediaPath(m.id, m.ext)}
				alt={m.alt}
				width={m.width}
				height={m.height}
				decoding="async"
			/>
			<p class="hint">
				{m.width}×{m.height}, {m.ext.toUpperCase()}, {kilobytes(m.bytes)}. Id <code>{m.id}</code>
			</p>
			<form class="form" method="post" action={`/admin/media/${m.id}`}>
				<FormError error={props.form.error} fields={props.form.fields} />
				<WordFields form={props.form} />
				<p class="hint">
					Saving updates the pages of the articles this picture leads. Pictures in a body keep the alt text of their own
					Markdown.
				</p>
				<div class="actions">
					<button type="submit">Save</button>
				</div>
			</form>
			<section class="panel panel-danger" aria-labelledby="delete-heading">
				<h2 id="delete-heading">Delete this picture</h2>
				<form method="post" action={`/admin/media/${m.id}/delete`}>
					<p>Only a picture no article uses can be deleted. Deleting it cannot be undone.</p>
					<button type="submit" class="button-danger">
						Delete
					</button>
				</form>
			</section>
		</>
	);
}

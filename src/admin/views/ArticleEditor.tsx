import { raw } from "hono/html";
import { articlePath } from "../../lib/paths";
import type { ArticleState } from "../services/article-state";
import type { AdminArticle } from "../services/articles";
import { ArticleForm, type ArticleFormValues, type Taxa } from "./ArticleForm";
import { ArticleStatusBadge } from "./ArticleStatus";
import type { FieldErrors } from "./Field";
import { AdminTime } from "./Time";

export function articleAdminPath(id: number): string {
	return `/admin/articles/${id}`;
}

/** The server-rendered preview of the submitted text: the same renderer as a save, nothing stored. */
function Preview(props: { values: ArticleFormValues; html: string }) {
	return (
		<section id="preview" aria-labelledby="preview-heading">
			<h2 id="preview-heading">Preview</h2>
			<p class="hint">Not saved yet. This is how the body will read on the site.</p>
			<div class="preview">
				<h3 class="preview-title">{props.values.title || "(no title)"}</h3>
				{props.values.summary !== "" && (
					<p>
						<em>{props.values.summary}</em>
					</p>
				)}
				{raw(props.html)}
			</div>
		</section>
	);
}

/** Trash, restore and permanent delete: separate small forms, away from the save buttons. */
function Lifecycle(props: { article: AdminArticle; state: ArticleState; canDestroy: boolean }) {
	const { article } = props;
	const base = articleAdminPath(article.id);
	if (props.state !== "trash") {
		return (
			<section class="panel" aria-labelledby="lifecycle-heading">
				<h2 id="lifecycle-heading">Remove</h2>
				<form method="post" action={`${base}/trash`}>
					<input type="hidden" name="version" value={String(article.version)} />
					<p class="hint" id="trash-note">
						Takes the article off the site at once. It can be restored from the trash.
					</p>
					<div class="actions">
						<button type="submit" class="button-danger button-small" aria-describedby="trash-note">
							Move to trash
						</button>
					</div>
				</form>
			</section>
		);
	}
	return (
		<section class="panel panel-danger" aria-labelledby="lifecycle-heading">
			<h2 id="lifecycle-heading">In the trash</h2>
			<p>Readers cannot see this article. Restore it to bring it back as it was.</p>
			<div class="actions">
				<form class="inline-form" method="post" action={`${base}/restore`}>
					<input type="hidden" name="version" value={String(article.version)} />
					<button type="submit">Restore</button>
				</form>
				{props.canDestroy ? (
					<a class="button button-danger" href={`${base}/delete`}>
						Delete permanently…
					</a>
				) : (
					<span class="muted">Only an admin can delete it permanently.</span>
				)}
			</div>
		</section>
	);
}

/**
 * Where the article stands for readers, in words that fit its state: a draft's kept time is not
 * a publication, and a trashed article is off the site whatever its time says.
 */
function Standing(props: { article: AdminArticle; state: ArticleState | null; everPublished: boolean }) {
	const { article, state } = props;
	const at = article.publishedAt;
	switch (state) {
		case "trash":
			return (
				<>
					in the trash since <AdminTime ms={article.deletedAt} />
				</>
			);
		case "scheduled":
			return (
				<>
					scheduled for <AdminTime ms={at} />
				</>
			);
		case "published":
			return (
				<>
					published <AdminTime ms={at} />
				</>
			);
		default:
			if (at === null) return <>not published</>;
			// An unpublished article keeps its time; a draft can also carry one for when it is
			// published. A time already past when it was last saved, on an article saved as
			// published before, is one it was published at.
			return props.everPublished && at <= article.updatedAt ? (
				<>
					not published (was published <AdminTime ms={at} />)
				</>
			) : (
				<>
					not published (publish time set to <AdminTime ms={at} />)
				</>
			);
	}
}

/** The new-article and edit screens (also after a preview or a refused save). */
export function ArticleEditor(props: {
	article: AdminArticle | null;
	state: ArticleState | null;
	/** Whether it was ever saved as published (see hasBeenPublished); needed only for a draft. */
	everPublished: boolean;
	values: ArticleFormValues;
	errors: FieldErrors;
	taxa: Taxa;
	previewHtml: string | null;
	canDestroy: boolean;
}) {
	const { article, state } = props;
	const action = article ? articleAdminPath(article.id) : "/admin/articles";
	return (
		<>
			<div class="page-head">
				<h1>{article ? "Edit article" : "New article"}</h1>
				{state && <ArticleStatusBadge state={state} />}
			</div>
			{article && (
				<p class="muted">
					Version {article.version} · updated <AdminTime ms={article.updatedAt} /> ·{" "}
					<Standing article={article} state={state} everPublished={props.everPublished} />
					{state === "published" && (
						<>
							{" "}
							· <a href={articlePath(article.slug)}>View on the site</a>
						</>
					)}{" "}
					· <a href={`${articleAdminPath(article.id)}/revisions`}>Revisions</a>
				</p>
			)}
			{/* In the trash, getting it back is what the editor most likely came for: say so first. */}
			{article && state === "trash" && <Lifecycle article={article} state={state} canDestroy={props.canDestroy} />}
			<ArticleForm action={action} values={props.values} errors={props.errors} taxa={props.taxa} state={state} />
			{props.previewHtml !== null && <Preview values={props.values} html={props.previewHtml} />}
			{article && state && state !== "trash" && (
				<Lifecycle article={article} state={state} canDestroy={props.canDestroy} />
			)}
		</>
	);
}

/** The confirmation step for a permanent delete (there is no script to ask "are you sure?"). */
export function ArticleDeleteConfirm(props: { article: AdminArticle }) {
	const base = articleAdminPath(props.article.id);
	return (
		<>
			<h1>Delete permanently?</h1>
			<div class="panel panel-danger">
				<p>
					“<strong>{props.article.title}</strong>” and its whole revision history will be deleted for good. This cannot
					be undone; the audit log keeps a record that it happened.
				</p>
				<form method="post" action={`${base}/delete`} class="actions">
					<button type="submit" class="button-danger">
						Delete permanently
					</button>
					<a href={base}>Cancel, keep it in the trash</a>
				</form>
			</div>
		</>
	);
}

import type { ArticleRevision } from "../../db/schema";
import { articlePath } from "../../lib/paths";
import type { AdminArticle } from "../services/articles";
import { articleAdminPath } from "./ArticleEditor";
import { TextDiffs } from "./ConflictPage";
import { AdminTime } from "./Time";

/**
 * One revision against the current text, with a form to bring that revision back. `everPublished`:
 * the article is or was published, so its current address may be known and will redirect.
 */
export function RevisionsDiffPage(props: { article: AdminArticle; revision: ArticleRevision; everPublished: boolean }) {
	const { article, revision } = props;
	const base = articleAdminPath(article.id);
	const isCurrent = revision.version === article.version;
	const moves = revision.slug !== article.slug;
	return (
		<>
			<div class="page-head">
				<h1>Version {revision.version}</h1>
				<a href={`${base}/revisions`}>All revisions</a>
			</div>
			<p>
				Saved by {revision.editorName} at <AdminTime ms={revision.createdAt} />.{" "}
				{isCurrent
					? "This is the current version."
					: `Below: what changed from version ${revision.version} to the current version ${article.version}.`}
			</p>
			{!isCurrent && (
				<form class="panel" method="post" action={`${base}/revisions/${revision.version}/restore`}>
					<input type="hidden" name="version" value={String(article.version)} />
					<p class="hint" id="restore-note">
						Restoring saves this text as a new version; the current text stays in the history.
					</p>
					{moves && (
						<p id="restore-address">
							<strong>
								Restoring also changes the address, from {articlePath(article.slug)} to {articlePath(revision.slug)}.
							</strong>{" "}
							{props.everPublished
								? `${articlePath(article.slug)} will redirect to the restored address.`
								: "It has never been published, so no redirect is kept."}
						</p>
					)}
					<div class="actions">
						<button type="submit" aria-describedby={moves ? "restore-note restore-address" : "restore-note"}>
							Restore version {revision.version}
						</button>
					</div>
				</form>
			)}
			<h2>Changes</h2>
			<TextDiffs from={revision} to={article} />
			<p>
				<a href={base}>Back to the article</a>
			</p>
		</>
	);
}

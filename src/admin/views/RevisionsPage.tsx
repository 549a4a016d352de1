import type { ArticleRevision } from "../../db/schema";
import { articleState } from "../services/article-state";
import type { AdminArticle } from "../services/articles";
import { articleAdminPath } from "./ArticleEditor";
import { ArticleStatusBadge } from "./ArticleStatus";
import { Table } from "./Table";
import { AdminTime } from "./Time";

/** Every saved version of an article, newest first, each comparable with the current text. */
export function RevisionsPage(props: { article: AdminArticle; revisions: ArticleRevision[]; now: number }) {
	const { article } = props;
	const base = articleAdminPath(article.id);
	return (
		<>
			<div class="page-head">
				<h1>Revisions</h1>
				<a href={base}>Back to the article</a>
			</div>
			<p>
				“{article.title}” is at version {article.version}. Every save is kept; open one to compare it with the current
				text or restore it.
			</p>
			{props.revisions.length === 0 ? (
				<p class="muted">No revisions recorded.</p>
			) : (
				<Table
					columns={[{ label: "Version", num: true }, "Saved by", "Saved", "Title", "Status then"]}
					caption="Revisions, newest first"
				>
					{props.revisions.map((revision) => (
						<tr>
							<td class="num">
								<a href={`${base}/revisions/${revision.version}`}>
									<span class="visually-hidden">Version </span>
									{revision.version}
								</a>
								{revision.version === article.version && <span class="muted"> (current)</span>}
							</td>
							<td>{revision.editorName}</td>
							<td>
								<AdminTime ms={revision.createdAt} />
							</td>
							<td>{revision.title}</td>
							<td>
								<ArticleStatusBadge state={articleState(revision, revision.createdAt)} />
							</td>
						</tr>
					))}
				</Table>
			)}
		</>
	);
}

import type { AdminArticle } from "../../admin/articles";
import type { ArticleRevision } from "../../db/schema";
import { diffLines } from "../../lib/diff";
import { AdminTime } from "./AdminTime";
import { articleAdminPath } from "./ArticleEditor";
import { ArticleForm, type ArticleFormValues, type Taxa } from "./ArticleForm";
import type { ArticleState } from "./ArticleStatus";
import { Diff } from "./Diff";

type Text = { title: string; slug: string; summary: string; bodyMarkdown: string };

const FIELDS = [
	["title", "Title"],
	["slug", "Slug"],
	["summary", "Summary"],
	["bodyMarkdown", "Body"],
] as const;

/** Title, slug, summary and body, each changed one as a line diff from `from` to `to`. */
export function TextDiffs(props: { from: Text; to: Text }) {
	const { from, to } = props;
	const unchanged = FIELDS.filter(([key]) => from[key] === to[key]).map(([, label]) => label.toLowerCase());
	return (
		<>
			{unchanged.length === FIELDS.length ? (
				<p class="muted">Title, slug, summary and body are the same.</p>
			) : (
				unchanged.length > 0 && <p class="muted">Unchanged: {unchanged.join(", ")}.</p>
			)}
			{FIELDS.filter(([key]) => from[key] !== to[key]).map(([key, label]) => (
				<Diff label={label} lines={diffLines(from[key], to[key])} />
			))}
		</>
	);
}

/**
 * A save refused because the article moved on (409). The editor's text stays in an editable form,
 * now based on the current version so that saving again is a deliberate choice, beside what the
 * other saves changed in between.
 */
export function ConflictPage(props: {
	current: AdminArticle;
	state: ArticleState;
	baseVersion: number | null;
	base: ArticleRevision | null;
	latest: ArticleRevision | null;
	values: ArticleFormValues;
	taxa: Taxa;
}) {
	const { current, base, latest } = props;
	const mine = props.values;
	return (
		<>
			<h1>This article changed while you were editing</h1>
			<p>
				You started from version {props.baseVersion ?? "(unknown)"}; it is now version {current.version}
				{latest && (
					<>
						, saved by {latest.editorName} at <AdminTime ms={latest.createdAt} />
					</>
				)}
				. <strong>Nothing was saved.</strong> Your text is kept below. Compare it with what changed, then save again:
				saving now replaces version {current.version} with your text.
			</p>
			<div class="grid-2">
				<section aria-labelledby="mine-heading">
					<h2 id="mine-heading">Your text</h2>
					<ArticleForm
						action={articleAdminPath(current.id)}
						values={{ ...mine, version: String(current.version) }}
						errors={{}}
						taxa={props.taxa}
						state={props.state}
					/>
				</section>
				<section aria-labelledby="theirs-heading">
					<h2 id="theirs-heading">What changed since version {props.baseVersion ?? "(unknown)"}</h2>
					{base ? (
						<TextDiffs from={base} to={current} />
					) : (
						<>
							<p class="muted">That version is not in the history; this is the current text.</p>
							<TextDiffs from={{ title: "", slug: "", summary: "", bodyMarkdown: "" }} to={current} />
						</>
					)}
					<details>
						<summary>Compare your text with the current version</summary>
						<TextDiffs from={current} to={mine} />
					</details>
					<p>
						<a href={`${articleAdminPath(current.id)}/revisions`}>All revisions</a> ·{" "}
						<a href={articleAdminPath(current.id)}>Discard your text and open the current version</a>
					</p>
				</section>
			</div>
		</>
	);
}

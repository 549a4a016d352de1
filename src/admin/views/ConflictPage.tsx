import type { Child } from "hono/jsx";
import { diffLines } from "../../lib/diff";
import { type ArticleState, articleState } from "../services/article-state";
import type { AdminArticle, ArticleRevision } from "../services/articles";
import type { MergedField, MergedText, Merge as MergeOf } from "../services/conflict";
import { articleAdminPath } from "./ArticleEditor";
import { ArticleForm, type ArticleFormValues, type FieldNotes, type Taxa, toDateTimeLocal } from "./ArticleForm";
import { ArticleStatusBadge } from "./ArticleStatus";
import { Diff } from "./Diff";
import { AdminTime } from "./Time";

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

// ---- combining the editor's text with the save that came first ---------------------------------

/** How the merge and its messages name each field. */
const LABELS: Record<MergedField, string> = {
	title: "Title",
	slug: "Slug",
	summary: "Summary",
	bodyMarkdown: "Body",
	region: "Region",
	topic: "Topic",
	publishedAt: "Publish time",
};

type Snapshot = Pick<AdminArticle, "title" | "slug" | "summary" | "bodyMarkdown" | "region" | "topic" | "publishedAt">;

/** A stored version as the form would show it, for the merge. */
export function asForm(snapshot: Snapshot): MergedText {
	return {
		title: snapshot.title,
		slug: snapshot.slug,
		summary: snapshot.summary,
		bodyMarkdown: snapshot.bodyMarkdown,
		region: snapshot.region?.slug ?? "",
		topic: snapshot.topic?.slug ?? "",
		publishedAt: toDateTimeLocal(snapshot.publishedAt),
	};
}

type Merge = MergeOf<ArticleFormValues>;

function labels(fields: MergedField[]): string {
	return fields.map((field) => LABELS[field]).join(", ");
}

/** A region or topic, or a publish time, as the editor knows it. */
function shown(field: MergedField, snapshot: Snapshot): Child {
	if (field === "region" || field === "topic") return snapshot[field]?.name ?? "none";
	if (field === "publishedAt") return <AdminTime ms={snapshot.publishedAt} empty="none" />;
	return `“${snapshot[field]}”`;
}

/** What the form says beside each field the merge decided. */
function mergeNotes(merge: Merge, base: Snapshot, current: AdminArticle, baseVersion: number): FieldNotes {
	const notes: FieldNotes = {};
	for (const field of merge.theirs) {
		notes[field] = { text: `Taken from version ${current.version}: you had not changed this field.` };
	}
	for (const field of merge.both) {
		const text =
			field === "summary" || field === "bodyMarkdown" ? (
				"Changed by both: saving keeps yours. Theirs is shown below; copy what you need into yours."
			) : (
				<>
					Changed by both: saving keeps yours; theirs was {shown(field, current)} (version {baseVersion} had{" "}
					{shown(field, base)}).
				</>
			);
		notes[field] = { text, attention: true };
		if (field === "title" || field === "slug" || field === "summary" || field === "bodyMarkdown") {
			const name = field === "bodyMarkdown" ? "body" : field;
			notes[field].detail = (
				<Diff
					label={`Their change to the ${name}, from version ${baseVersion} to ${current.version}`}
					lines={diffLines(base[field], current[field])}
				/>
			);
		}
	}
	return notes;
}

/** Region, topic and publish time, where they differ (the text fields have their diffs). */
function OtherChanges(props: { from: Snapshot; to: Snapshot }) {
	const changed = (["region", "topic", "publishedAt"] as const).filter(
		(field) => asForm(props.from)[field] !== asForm(props.to)[field],
	);
	if (changed.length === 0) return null;
	return (
		<dl class="meta">
			{changed.map((field) => (
				<>
					<dt>{labels([field])}</dt>
					<dd>
						{shown(field, props.from)} → {shown(field, props.to)}
					</dd>
				</>
			))}
		</dl>
	);
}

/** What the merge did, field by field, above everything else. */
function MergeSummary(props: { merge: Merge; current: AdminArticle }) {
	const { merge, current } = props;
	return (
		<div class="panel">
			<h2 id="merge-heading">What the form below holds</h2>
			{merge.theirs.length > 0 && (
				<p>
					<strong>Taken from version {current.version}</strong> (their save; you had not changed these):{" "}
					{labels(merge.theirs)}.
				</p>
			)}
			{merge.both.length > 0 && (
				<p>
					<strong>Changed by both, yours kept</strong> (marked in the form, with their change): {labels(merge.both)}.
				</p>
			)}
			{merge.yours.length > 0 && <p>Your changes, kept: {labels(merge.yours)}.</p>}
			{merge.theirs.length === 0 && merge.both.length === 0 && (
				<p>Their save changed none of the fields you edit here, so the form holds your text as you sent it.</p>
			)}
		</div>
	);
}

/**
 * A save refused because the article moved on (409). Nothing is lost either way: the form holds
 * the editor's changes merged with the other save's (see mergeEdits), based on the current
 * version so that saving again is a deliberate choice, and what changed in between comes first,
 * before the form and its Save button (also on a narrow screen, where the columns stack).
 */
export function ConflictPage(props: {
	current: AdminArticle;
	state: ArticleState;
	baseVersion: number | null;
	base: ArticleRevision | null;
	latest: ArticleRevision | null;
	/** The editor's form merged with the current version (mergeEdits); null when there is no base to merge from. */
	merge: Merge | null;
	values: ArticleFormValues;
	taxa: Taxa;
}) {
	const { current, base, latest, baseVersion } = props;
	const merged = props.merge ?? { values: props.values, theirs: [], both: [], yours: [] };
	const merge = { ...merged, values: { ...merged.values, version: String(current.version) } };
	const notes = base && baseVersion !== null ? mergeNotes(merge, base, current, baseVersion) : {};
	const saving = { ...merge.values, slug: merge.values.slug.trim() || current.slug };
	const now = Date.now();
	const stateChanged = base !== null && articleState(base, now) !== articleState(current, now);
	return (
		<>
			<h1>This article changed while you were editing</h1>
			<p>
				You started from version {baseVersion ?? "(unknown)"}; it is now version {current.version}
				{latest && (
					<>
						, saved by {latest.editorName} at <AdminTime ms={latest.createdAt} />
					</>
				)}
				. <strong>Nothing was saved.</strong>{" "}
				{base
					? `Your changes are combined with theirs below. Check them, then save again: saving writes the form as version ${current.version + 1}.`
					: `Version ${baseVersion ?? "(unknown)"} is not in the history, so your text could not be combined with theirs: the form holds it as you sent it, and saving replaces version ${current.version} with it.`}
			</p>
			{base && <MergeSummary merge={merge} current={current} />}
			{stateChanged && (
				<p>
					Their save also changed its status: it is now <ArticleStatusBadge state={props.state} />.
				</p>
			)}
			<div class="grid-2">
				<section aria-labelledby="theirs-heading">
					<h2 id="theirs-heading">What changed since version {baseVersion ?? "(unknown)"}</h2>
					{base ? (
						<>
							<TextDiffs from={base} to={current} />
							<OtherChanges from={base} to={current} />
						</>
					) : (
						<>
							<p class="muted">That version is not in the history; this is the current text.</p>
							<TextDiffs from={{ title: "", slug: "", summary: "", bodyMarkdown: "" }} to={current} />
						</>
					)}
					<details>
						<summary>What saving the form changes in version {current.version}</summary>
						<TextDiffs from={current} to={saving} />
					</details>
					<p>
						<a href={`${articleAdminPath(current.id)}/revisions`}>All revisions</a> ·{" "}
						<a href={articleAdminPath(current.id)}>Discard your text and open the current version</a>
					</p>
				</section>
				<section aria-labelledby="mine-heading">
					<h2 id="mine-heading">Your text, combined with theirs</h2>
					<ArticleForm
						action={articleAdminPath(current.id)}
						values={merge.values}
						errors={{}}
						taxa={props.taxa}
						state={props.state}
						notes={notes}
					/>
				</section>
			</div>
		</>
	);
}

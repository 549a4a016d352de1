import type { PurgeReport } from "../../cache/purge";
import { describePurge, purgeFailed } from "../services/purge";
import { Field, FormError, type FormState } from "./Field";

export type PurgeFormValues = { slugs: string };

function Report(props: { report: PurgeReport }) {
	const { report } = props;
	const failed = purgeFailed(report);
	return (
		<section class={failed ? "panel panel-danger" : "panel"} aria-labelledby="report-heading">
			<h2 id="report-heading">{report.everything ? "Purged everything" : "Purged"}</h2>
			<p>{describePurge(report)}</p>
			{report.zone.errors && report.zone.errors.length > 0 && (
				<ul>
					{report.zone.errors.map((error) => (
						<li>{error}</li>
					))}
				</ul>
			)}
			{report.everything ? (
				<p class="hint">Every cached page and JSON response of the site is fetched afresh on its next request.</p>
			) : (
				<details>
					<summary>
						{report.keys.length} {report.keys.length === 1 ? "address" : "addresses"}, {report.tags.length}{" "}
						{report.tags.length === 1 ? "tag" : "tags"}
					</summary>
					<ul>
						{report.keys.map((key) => (
							<li>
								<code>{key}</code>
							</li>
						))}
					</ul>
					<p>
						{report.tags.map((tag) => (
							<>
								<code>{tag}</code>{" "}
							</>
						))}
					</p>
				</details>
			)}
		</section>
	);
}

/**
 * A manual purge: saves purge what they change already, so this is for the odd case (a page that
 * looks stale, a change made outside the admin). `report` is what the last purge did.
 */
export function PurgePage(props: { form: FormState<PurgeFormValues>; report?: PurgeReport | undefined }) {
	const { values, fields } = props.form;
	return (
		<>
			<div class="page-head">
				<h1>Purge the cache</h1>
			</div>
			<p>
				Every save already purges what it changes. Use this when readers still see an old copy, or after a change made
				outside the admin.
			</p>
			{props.report && <Report report={props.report} />}
			<form class="form" method="post" action="/admin/purge">
				<FormError error={props.form.error} fields={fields} />
				<input type="hidden" name="intent" value="slugs" />
				<Field
					id="purge-slugs"
					label="Article slugs"
					hint="One or more, separated by spaces, commas or new lines, e.g. rare-earth-prices-rise. The article's page and JSON go, and for a published article the lists, feed and Related Articles that show it."
					error={fields?.slugs}
					control={(aria) => (
						<textarea id="purge-slugs" name="slugs" rows={4} required {...aria}>
							{values.slugs}
						</textarea>
					)}
				/>
				<div class="actions">
					<button type="submit">Purge these articles</button>
				</div>
			</form>
			<section class="panel" aria-labelledby="all-heading">
				<h2 id="all-heading">Everything</h2>
				<form method="post" action="/admin/purge">
					<input type="hidden" name="intent" value="all" />
					<p>
						Drops every cached copy of the site: pages, JSON, feed and sitemap. Readers are served from the database
						until the cache fills again, a little slower for a while.
					</p>
					<button type="submit" class="button-danger">
						Purge everything
					</button>
				</form>
			</section>
		</>
	);
}

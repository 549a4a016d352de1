import type { TaxonIndexRow, TaxonKind } from "../db/queries/taxonomies";
import { articlePath } from "../lib/paths";
import { Dot } from "./components/Dot";
import { Time } from "./components/Time";

const count = (n: number) => (n === 1 ? "1 article" : `${n.toLocaleString("en-US")} articles`);

/** /topics and /regions: every one, with its description, its count and its newest headline. */
export function TaxaIndexPage(props: { kind: TaxonKind; taxa: TaxonIndexRow[] }) {
	const path = `/${props.kind}s`;
	return (
		<>
			<h1>{props.kind === "topic" ? "Topics" : "Regions"}</h1>
			{props.taxa.length === 0 ? (
				<p class="empty">Nothing here yet.</p>
			) : (
				<ul class="cards">
					{props.taxa.map((t) => (
						<li class="card">
							<h2>
								<a href={`${path}/${t.slug}`}>{t.name}</a>
							</h2>
							{t.description && <p class="card-summary">{t.description}</p>}
							<p class="card-meta">{t.articleCount === 0 ? "No articles yet" : count(t.articleCount)}</p>
							{t.newestSlug && t.newestPublishedAt !== null && (
								<p class="card-summary">
									Latest: <a href={articlePath(t.newestSlug)}>{t.newestTitle}</a>
									<Dot />
									<Time ms={t.newestPublishedAt} />
								</p>
							)}
						</li>
					))}
				</ul>
			)}
		</>
	);
}

import type { CorrectionListRow } from "../db/queries/corrections";
import { articlePath } from "../lib/paths";
import { Pager } from "./components/Pager";
import { Time } from "./components/Time";

/** Every public correction, newest first: what was wrong, where, and when it was put right. */
export function CorrectionsPage(props: {
	corrections: CorrectionListRow[];
	nextCursor: string | null;
	isFirstPage: boolean;
}) {
	return (
		<>
			<h1>Corrections</h1>
			<p class="standfirst">
				When we get something wrong in a published article, we correct it and say so here and on the article.{" "}
				<a href="/corrections.xml">Follow corrections by RSS</a>.
			</p>
			{props.corrections.length === 0 ? (
				<p class="empty">No article has needed a correction yet.</p>
			) : (
				<ol class="correction-list">
					{props.corrections.map((k) => (
						<li>
							<h2>
								<a href={`${articlePath(k.slug)}#corrections`}>{k.title}</a>
							</h2>
							<p class="meta">
								Corrected <Time ms={k.at} /> UTC
							</p>
							<p>{k.note}</p>
						</li>
					))}
				</ol>
			)}
			<Pager
				basePath="/corrections"
				nextCursor={props.nextCursor}
				isFirstPage={props.isFirstPage}
				older="Older corrections"
			/>
		</>
	);
}

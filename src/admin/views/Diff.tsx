import { type DiffLine, diffStats, foldUnchanged } from "../../lib/diff";

const SIGN = { same: " ", add: "+", del: "−" } as const;
const SPOKEN = { same: "unchanged", add: "added", del: "removed" } as const;

/**
 * A line diff with unchanged stretches folded. Added and removed lines are `<ins>`/`<del>` with a
 * visually hidden word, so the change does not rely on colour or the +/− sign alone.
 */
export function Diff(props: { lines: DiffLine[]; label: string }) {
	const { added, removed } = diffStats(props.lines);
	if (added === 0 && removed === 0) {
		return (
			<p class="muted">
				{props.label}: no change{props.lines.length === 0 ? " (empty)" : ""}.
			</p>
		);
	}
	return (
		<figure class="diff-figure">
			<figcaption>
				<strong>{props.label}</strong>{" "}
				<span class="muted">
					{added} {added === 1 ? "line" : "lines"} added, {removed} removed
				</span>
			</figcaption>
			<div class="diff">
				{foldUnchanged(props.lines).map((row) => {
					if (row.op === "gap") {
						return (
							<span class="diff-line diff-gap">
								… {row.count} unchanged {row.count === 1 ? "line" : "lines"}
							</span>
						);
					}
					const sign = (
						<span class="diff-sign" aria-hidden="true">
							{SIGN[row.op]}
						</span>
					);
					const spoken = row.op === "same" ? null : <span class="visually-hidden">{SPOKEN[row.op]}: </span>;
					if (row.op === "add") {
						return (
							<ins class="diff-line diff-add">
								{sign}
								{spoken}
								{row.text}
							</ins>
						);
					}
					if (row.op === "del") {
						return (
							<del class="diff-line diff-del">
								{sign}
								{spoken}
								{row.text}
							</del>
						);
					}
					return (
						<span class="diff-line diff-same">
							{sign}
							{row.text}
						</span>
					);
				})}
			</div>
		</figure>
	);
}

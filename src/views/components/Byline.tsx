import type { BylineAuthor } from "../../db/queries/authors";
import { authorPath } from "../../lib/paths";

/** "A", "A and B", "A, B and C": each name a link to the author's page. */
export function Byline(props: { authors: readonly BylineAuthor[] }) {
	const { authors } = props;
	return (
		<>
			By{" "}
			{authors.map((author, i) => (
				<>
					{i > 0 && (i === authors.length - 1 ? " and " : ", ")}
					<a href={authorPath(author.slug)}>{author.name}</a>
				</>
			))}
		</>
	);
}

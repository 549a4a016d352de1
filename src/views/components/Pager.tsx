/** "Older articles" (or `older`) link for keyset pages; "Newest" goes back to the first page. */
export function Pager(props: { basePath: string; nextCursor: string | null; isFirstPage: boolean; older?: string }) {
	if (!props.nextCursor && props.isFirstPage) return null;
	return (
		<nav class="pager" aria-label="Pagination">
			{props.isFirstPage ? <span /> : <a href={props.basePath}>← Newest</a>}
			{props.nextCursor && (
				<a href={`${props.basePath}?cursor=${encodeURIComponent(props.nextCursor)}`} rel="next">
					{props.older ?? "Older articles"} →
				</a>
			)}
		</nav>
	);
}

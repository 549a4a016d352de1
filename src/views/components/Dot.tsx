/** A separator between inline items; its spaces are where a narrow line may wrap. */
export function Dot() {
	return (
		<span class="dot" aria-hidden="true">
			{" · "}
		</span>
	);
}

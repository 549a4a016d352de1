import type { Child } from "hono/jsx";

/** A column's header: its label, or a label with `num` for a right-aligned column of numbers. */
export type Column = string | { label: string; num: true };

/** An admin data table, which scrolls sideways on a narrow screen; `children` are its body rows. */
export function Table(props: { columns: Column[]; caption?: string; children: Child }) {
	return (
		<div class="table-wrap">
			<table class="table">
				{props.caption !== undefined && <caption class="visually-hidden">{props.caption}</caption>}
				<thead>
					<tr>
						{props.columns.map((column) =>
							typeof column === "string" ? (
								<th scope="col">{column}</th>
							) : (
								<th scope="col" class="num">
									{column.label}
								</th>
							),
						)}
					</tr>
				</thead>
				<tbody>{props.children}</tbody>
			</table>
		</div>
	);
}

import type { AuditEntry } from "../../db/schema";
import type { AuditQueryInput } from "../services/audit";
import type { FieldErrors } from "./Field";
import { FlashMessage } from "./Layout";
import { Table } from "./Table";
import { AdminTime } from "./Time";

/** `/admin/audit?…` with only the parameters that are set. */
export function auditHref(query: AuditQueryInput, before?: number): string {
	const params = new URLSearchParams();
	if (query.action) params.set("action", query.action);
	if (query.subject) params.set("subject", query.subject);
	if (before !== undefined) params.set("before", String(before));
	const search = params.toString();
	return search === "" ? "/admin/audit" : `/admin/audit?${search}`;
}

/** The detail JSON as `key: value` lines; anything unreadable as it was stored. */
function Detail(props: { json: string }) {
	let detail: unknown;
	try {
		detail = JSON.parse(props.json);
	} catch {
		return <code>{props.json}</code>;
	}
	if (typeof detail !== "object" || detail === null || Array.isArray(detail)) return <code>{props.json}</code>;
	const entries = Object.entries(detail);
	if (entries.length === 0) return <span class="muted">—</span>;
	return (
		<ul class="audit-detail">
			{entries.map(([key, value]) => (
				<li>
					<span class="muted">{key}:</span> {typeof value === "string" ? value : JSON.stringify(value)}
				</li>
			))}
		</ul>
	);
}

/** One filter of the GET form: a search box, with its message when the value was refused. */
function FilterInput(props: {
	name: "action" | "subject";
	label: string;
	value: string | undefined;
	placeholder: string;
	error: string | undefined;
	wide?: boolean;
}) {
	const id = `audit-${props.name}`;
	return (
		<div class={props.wide ? "filters-q" : undefined}>
			<label for={id}>{props.label}</label>
			<input
				type="search"
				id={id}
				name={props.name}
				value={props.value ?? ""}
				placeholder={props.placeholder}
				aria-invalid={props.error ? "true" : undefined}
				aria-describedby={props.error ? `${id}-error` : undefined}
			/>
			{props.error && (
				<p class="field-error" id={`${id}-error`}>
					{props.error}
				</p>
			)}
		</div>
	);
}

export function AuditPage(props: {
	entries: AuditEntry[];
	nextBefore: number | null;
	query: AuditQueryInput;
	fields?: FieldErrors | undefined;
	paged: boolean;
}) {
	const { query, fields } = props;
	return (
		<>
			<div class="page-head">
				<h1>Audit log</h1>
			</div>
			<form class="filters" method="get" action="/admin/audit" aria-label="Filter the audit log">
				<FilterInput
					name="action"
					label="Action"
					value={query.action}
					placeholder="e.g. topic or article.update"
					error={fields?.action}
				/>
				<FilterInput
					name="subject"
					label="Subject"
					value={query.subject}
					placeholder="e.g. topic: for all topics, or editor:3"
					error={fields?.subject}
					wide
				/>
				<div>
					<button type="submit">Filter</button>
				</div>
			</form>
			{fields?.before && <FlashMessage flash={{ kind: "error", text: fields.before }} />}
			{props.entries.length === 0 ? (
				<p class="muted">{props.paged ? "No older entries." : "No entries match."}</p>
			) : (
				<Table columns={["When", "Who", "Action", "Subject", "Detail"]}>
					{props.entries.map((entry) => (
						<tr>
							<td>
								<AdminTime ms={entry.at} />
							</td>
							<td>{entry.editorEmail}</td>
							<td>
								<a href={auditHref({ action: entry.action })}>
									<code>{entry.action}</code>
								</a>
							</td>
							<td>
								<a href={auditHref({ subject: entry.subject })}>
									<code>{entry.subject}</code>
								</a>
							</td>
							<td>
								<Detail json={entry.detail} />
							</td>
						</tr>
					))}
				</Table>
			)}
			<nav class="pager" aria-label="Audit log pages">
				{props.paged ? <a href={auditHref(query)}>Newest</a> : <span />}
				{props.nextBefore !== null && (
					<a href={auditHref(query, props.nextBefore)} rel="next">
						Older
					</a>
				)}
			</nav>
		</>
	);
}

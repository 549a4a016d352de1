import type { AuditQueryInput } from "../../admin/site";
import type { AuditEntry } from "../../db/schema";
import { AdminTime } from "./AdminTime";
import type { FieldErrors } from "./SiteField";

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
				<div>
					<label for="audit-action">Action</label>
					<input
						type="search"
						id="audit-action"
						name="action"
						value={query.action ?? ""}
						placeholder="e.g. topic or article.update"
						aria-invalid={fields?.action ? "true" : undefined}
						aria-describedby={fields?.action ? "audit-action-error" : undefined}
					/>
					{fields?.action && (
						<p class="field-error" id="audit-action-error">
							{fields.action}
						</p>
					)}
				</div>
				<div class="filters-q">
					<label for="audit-subject">Subject</label>
					<input
						type="search"
						id="audit-subject"
						name="subject"
						value={query.subject ?? ""}
						placeholder="exact, e.g. topic:energy or editor:3"
						aria-invalid={fields?.subject ? "true" : undefined}
						aria-describedby={fields?.subject ? "audit-subject-error" : undefined}
					/>
					{fields?.subject && (
						<p class="field-error" id="audit-subject-error">
							{fields.subject}
						</p>
					)}
				</div>
				<div>
					<button type="submit">Filter</button>
				</div>
			</form>
			{fields?.before && (
				<div class="flash flash-error" role="alert">
					<p>{fields.before}</p>
				</div>
			)}
			{props.entries.length === 0 ? (
				<p class="muted">{props.paged ? "No older entries." : "No entries match."}</p>
			) : (
				<div class="table-wrap">
					<table class="table">
						<thead>
							<tr>
								<th scope="col">When</th>
								<th scope="col">Who</th>
								<th scope="col">Action</th>
								<th scope="col">Subject</th>
								<th scope="col">Detail</th>
							</tr>
						</thead>
						<tbody>
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
						</tbody>
					</table>
				</div>
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

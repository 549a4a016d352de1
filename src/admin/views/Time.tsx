import { toIso } from "../../lib/dates";

/** A time in the admin: compact, sortable by eye, always UTC (the publish field is UTC too). */
export function AdminTime(props: { ms: number | null | undefined; empty?: string }) {
	if (props.ms == null) return <span class="muted">{props.empty ?? "—"}</span>;
	const iso = toIso(props.ms);
	return <time datetime={iso}>{`${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`}</time>;
}

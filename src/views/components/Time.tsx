import { formatHumanUtc, toIso } from "../../lib/dates";

/** A point in time as the original site shows it: `9/17/2025, 2:33:11 PM` (en-US, UTC). */
export function Time(props: { ms: number }) {
	return <time datetime={toIso(props.ms)}>{formatHumanUtc(props.ms)}</time>;
}

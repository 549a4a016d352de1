// Dates are integer milliseconds (UTC) in the database and ISO 8601 strings in JSON.

export function toIso(ms: number): string {
	return new Date(ms).toISOString();
}

export function toIsoOrNull(ms: number | null | undefined): string | null {
	return ms == null ? null : toIso(ms);
}

const pad2 = (n: number) => String(n).padStart(2, "0");

/**
 * The original site's human form, `9/17/2025, 2:33:11 PM` (en-US, UTC). Built by hand because
 * Intl's en-US output puts a narrow no-break space before AM/PM in current ICU versions.
 */
export function formatHumanUtc(ms: number): string {
	const d = new Date(ms);
	const hours = d.getUTCHours();
	const h12 = hours % 12 === 0 ? 12 : hours % 12;
	const meridiem = hours < 12 ? "AM" : "PM";
	return `${d.getUTCMonth() + 1}/${d.getUTCDate()}/${d.getUTCFullYear()}, ${h12}:${pad2(d.getUTCMinutes())}:${pad2(d.getUTCSeconds())} ${meridiem}`;
}

/** RFC 822 date as RSS 2.0 wants it, e.g. `Wed, 17 Sep 2025 14:33:11 GMT`. */
export function toRfc822(ms: number): string {
	return new Date(ms).toUTCString();
}

const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-](\d{2}):(\d{2}))?$/i;

/**
 * A date and time as milliseconds (UTC): ISO 8601 with Z or an offset, or without a zone (as a
 * datetime-local field sends it) read as UTC. Null when it is not a real moment (e.g. Feb 30).
 */
export function parseDateTime(input: string): number | null {
	const match = DATE_TIME.exec(input.trim());
	if (!match) return null;
	const [, y, mo, d, h, mi, s = "0", frac = "0", zone = "Z", zh = "0", zm = "0"] = match;
	const [year, month, day, hour, minute, second, offsetHours, offsetMinutes] = [y, mo, d, h, mi, s, zh, zm].map(
		Number,
	) as [number, number, number, number, number, number, number, number];
	if (hour > 23 || minute > 59 || second > 59 || offsetHours > 23 || offsetMinutes > 59) return null;
	const date = new Date(0);
	// Not Date.UTC: it reads years 0-99 as 1900-1999.
	date.setUTCFullYear(year, month - 1, day);
	// Feb 30 or month 13 roll over into another day: a date that does not round-trip did not exist.
	if (date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return null;
	const offset = zone.toUpperCase() === "Z" ? 0 : (zone.startsWith("-") ? -1 : 1) * (offsetHours * 60 + offsetMinutes);
	const ms = Number(frac.padEnd(3, "0").slice(0, 3));
	return date.getTime() + ((hour * 60 + minute - offset) * 60 + second) * 1000 + ms;
}

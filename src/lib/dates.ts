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

// The form a client address is counted under by the sign-in throttle (src/db/queries/throttle.ts).
// One IPv6 host is routinely given a whole /64 (and can pick any of its 2^64 addresses for every
// request), so IPv6 is counted per /64; IPv4 per address. Anything that is not an address (the
// header is missing outside Cloudflare, or junk) shares one key, so that junk cannot mint counters.

export const UNKNOWN_ADDRESS = "unknown";

/** `1.2.3.4` for IPv4 (and IPv4-mapped IPv6), `2001:db8:0:1::/64` for IPv6, or "unknown". */
export function addressKey(raw: string | null | undefined): string {
	if (typeof raw !== "string") return UNKNOWN_ADDRESS;
	const text = raw.trim().toLowerCase();
	const v4 = parseIpv4(text);
	if (v4) return v4.join(".");
	const v6 = parseIpv6(text);
	if (!v6) return UNKNOWN_ADDRESS;
	// ::ffff:a.b.c.d is an IPv4 client seen through a dual-stack socket: the same client as a.b.c.d.
	if (v6.slice(0, 5).every((group) => group === 0) && v6[5] === 0xffff) {
		const [high = 0, low = 0] = v6.slice(6);
		return [high >> 8, high & 0xff, low >> 8, low & 0xff].join(".");
	}
	return `${v6
		.slice(0, 4)
		.map((group) => group.toString(16))
		.join(":")}::/64`;
}

/** Four decimal octets, 0–255, without leading zeros (which some parsers read as octal). */
function parseIpv4(text: string): number[] | null {
	const parts = text.split(".");
	if (parts.length !== 4) return null;
	const octets: number[] = [];
	for (const part of parts) {
		if (!/^(0|[1-9][0-9]{0,2})$/.test(part)) return null;
		const value = Number(part);
		if (value > 255) return null;
		octets.push(value);
	}
	return octets;
}

/** The eight 16-bit groups of an IPv6 address in RFC 4291 text form (`::` and a dotted tail allowed). */
function parseIpv6(text: string): number[] | null {
	// The longest valid form is 45 characters (six groups of four and a dotted quad).
	if (text.length > 45 || !/^[0-9a-f:.]+$/.test(text)) return null;
	const halves = text.split("::");
	if (halves.length > 2) return null;
	const head = groupsOf(halves[0] ?? "", halves.length === 1);
	const tail = halves.length === 2 ? groupsOf(halves[1] ?? "", true) : [];
	if (!head || !tail) return null;
	const missing = 8 - head.length - tail.length;
	// `::` stands for at least one group of zeros; without it there must be exactly eight.
	if (halves.length === 2 ? missing < 1 : missing !== 0) return null;
	return [...head, ...Array<number>(missing).fill(0), ...tail];
}

/** The groups of one side of `::` ("" is none); only the address's last group may be a dotted quad. */
function groupsOf(side: string, last: boolean): number[] | null {
	if (side === "") return [];
	const parts = side.split(":");
	const groups: number[] = [];
	for (const [i, part] of parts.entries()) {
		if (last && i === parts.length - 1 && part.includes(".")) {
			const v4 = parseIpv4(part);
			if (!v4) return null;
			const [a = 0, b = 0, c = 0, d = 0] = v4;
			groups.push((a << 8) | b, (c << 8) | d);
		} else if (/^[0-9a-f]{1,4}$/.test(part)) {
			groups.push(Number.parseInt(part, 16));
		} else {
			return null;
		}
	}
	return groups;
}

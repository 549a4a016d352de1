import { describe, expect, it } from "vitest";
import { addressKey, UNKNOWN_ADDRESS } from "../../src/lib/client-address";

describe("addressKey", () => {
	it.each([
		["203.0.113.7", "203.0.113.7"],
		[" 203.0.113.7 ", "203.0.113.7"],
		["0.0.0.0", "0.0.0.0"],
		["255.255.255.255", "255.255.255.255"],
	])("keeps IPv4 %j as %j", (raw, key) => {
		expect(addressKey(raw)).toBe(key);
	});

	it.each([
		["2001:db8:0:1::1", "2001:db8:0:1::/64"],
		["2001:0DB8:0000:0001:abcd:ef01:2345:6789", "2001:db8:0:1::/64"],
		["2001:db8:0:1:ffff:ffff:ffff:ffff", "2001:db8:0:1::/64"],
		["2001:db8::", "2001:db8:0:0::/64"],
		["::1", "0:0:0:0::/64"],
		["::", "0:0:0:0::/64"],
		["fe80::1:2:3:4", "fe80:0:0:0::/64"],
		["2001:db8:0:1:0:0:192.0.2.1", "2001:db8:0:1::/64"],
		["2001:db8:0:1::192.0.2.1", "2001:db8:0:1::/64"],
	])("keys IPv6 %j by its /64: %j", (raw, key) => {
		expect(addressKey(raw)).toBe(key);
	});

	it("gives every address of one /64 the same key, and the next /64 another", () => {
		const keys = new Set(
			["2001:db8:aa:bb::1", "2001:db8:aa:bb:1234:5678:9abc:def0", "2001:DB8:AA:BB::FFFF", "2001:db8:aa:bb:0:0:0:2"].map(
				addressKey,
			),
		);
		expect([...keys]).toEqual(["2001:db8:aa:bb::/64"]);
		expect(addressKey("2001:db8:aa:bc::1")).toBe("2001:db8:aa:bc::/64");
	});

	it.each([
		["::ffff:198.51.100.9", "198.51.100.9"],
		["::FFFF:198.51.100.9", "198.51.100.9"],
		["0:0:0:0:0:ffff:198.51.100.9", "198.51.100.9"],
		["::ffff:c633:6409", "198.51.100.9"],
	])("counts IPv4-mapped %j as the IPv4 address %j", (raw, key) => {
		expect(addressKey(raw)).toBe(key);
	});

	it.each([
		undefined,
		null,
		"",
		"unknown",
		"localhost",
		"256.1.1.1",
		"1.2.3",
		"1.2.3.4.5",
		"01.2.3.4",
		"1.2.3.4 x",
		"1.2.3.4, 5.6.7.8",
		"1:2:3:4:5:6:7:8:9",
		"1:2:3:4:5:6:7",
		"1::2::3",
		":::",
		":1:2:3:4:5:6:7",
		"1:2:3:4:5:6:7:",
		"12345::",
		"g::1",
		"[2001:db8::1]",
		"fe80::1%eth0",
		"2001:db8::1/64",
		"::ffff:1.2.3.256",
		"1.2.3.4::",
		"::1.2.3.4:5",
		"1:2:3:4:5:6:7:1.2.3.4",
		`${"1:".repeat(30)}1`,
		"ip:1.2.3.4",
	])("turns junk %j into the one unknown key", (raw) => {
		expect(addressKey(raw)).toBe(UNKNOWN_ADDRESS);
	});
});

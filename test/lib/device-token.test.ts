import { describe, expect, it } from "vitest";
import { DEVICE_MAX_AGE_MS, newDevice, parseDevice, signDevice, verifyDevice } from "../../src/lib/device-token";

const KEY = "pbkdf2-sha256$1000$c2FsdA==$aGFzaC1vZi10aGUtcGFzc3dvcmQtaGFzaC0zMmJ5dGVz";
const NOW = Date.UTC(2026, 11, 1);

async function issued(editorId = 12, now = NOW, key = KEY) {
	const device = newDevice(editorId, now);
	return { device, value: await signDevice(device, key) };
}

describe("device tokens", () => {
	it("name the editor, the time and a nonce, and verify under the key they were signed with", async () => {
		const { device, value } = await issued();
		expect(value).toMatch(/^12\.\d{13}\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}$/);
		const presented = parseDevice(value);
		expect(presented).toMatchObject(device);
		if (!presented) throw new Error("unparsed");
		expect(await verifyDevice(presented, 12, KEY, NOW + 1000)).toBe(true);
		expect((await issued()).device.nonce).not.toBe(device.nonce);
	});

	it("do not verify for another editor, under another key, or with any part changed", async () => {
		const { value } = await issued();
		const [id, at, nonce, signature] = value.split(".");
		const check = async (text: string, editorId = 12, key = KEY) => {
			const presented = parseDevice(text);
			return presented !== null && (await verifyDevice(presented, editorId, key, NOW));
		};
		expect(await check(value)).toBe(true);
		expect(await check(value, 13)).toBe(false);
		expect(await check(value, 12, `${KEY}x`)).toBe(false);
		expect(await check(`13.${at}.${nonce}.${signature}`, 13)).toBe(false);
		expect(await check(`${id}.${Number(at) - 1}.${nonce}.${signature}`)).toBe(false);
		const otherNonce = `${nonce?.[0] === "A" ? "B" : "A"}${nonce?.slice(1)}`;
		expect(await check(`${id}.${at}.${otherNonce}.${signature}`)).toBe(false);
		const otherSignature = `${signature?.[0] === "A" ? "B" : "A"}${signature?.slice(1)}`;
		expect(await check(`${id}.${at}.${nonce}.${otherSignature}`)).toBe(false);
	});

	it("last 180 days, and are not taken from far in the future", async () => {
		const { value } = await issued();
		const presented = parseDevice(value);
		if (!presented) throw new Error("unparsed");
		expect(await verifyDevice(presented, 12, KEY, NOW + DEVICE_MAX_AGE_MS - 1)).toBe(true);
		expect(await verifyDevice(presented, 12, KEY, NOW + DEVICE_MAX_AGE_MS)).toBe(false);
		expect(await verifyDevice(presented, 12, KEY, NOW - 60_000)).toBe(true);
		expect(await verifyDevice(presented, 12, KEY, NOW - 60 * 60_000)).toBe(false);
	});

	it.each([
		undefined,
		"",
		"junk",
		"12.1.abc.def",
		"0.1764547200000.AAAAAAAAAAAAAAAAAAAAAA.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
		"12.1764547200000.AAAAAAAAAAAAAAAAAAAAAA.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
		"12.1764547200000.AAAAAAAAAAAAAAAAAAAAAA.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA.x",
		"99999999999999999.1764547200000.AAAAAAAAAAAAAAAAAAAAAA.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
		" 12.1764547200000.AAAAAAAAAAAAAAAAAAAAAA.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
	])("are not read from %j", (value) => {
		expect(parseDevice(value)).toBeNull();
	});
});
